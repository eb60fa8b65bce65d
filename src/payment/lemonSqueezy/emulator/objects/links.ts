import type { EmulatorContext } from '../context.js';
import type { LsSubscriptionData } from '../types.js';

type RelationshipLinks = LsSubscriptionData['relationships']['store'];

/** `links.self` of an object: `<emulator>/v1/<type>/<id>`. */
export function selfLink(ctx: EmulatorContext, type: string, id: number | string): { self: string } {
  return { self: `${ctx.baseUrl()}/v1/${type}/${id}` };
}

/** JSON:API relationship links, as LS shows them without `include`. */
export function relationships<K extends string>(ctx: EmulatorContext, type: string, id: number | string, names: readonly K[]): Record<K, RelationshipLinks> {
  const base = `${ctx.baseUrl()}/v1/${type}/${id}`;
  const out = {} as Record<K, RelationshipLinks>;
  for (const name of names) out[name] = { links: { related: `${base}/${name}`, self: `${base}/relationships/${name}` } };
  return out;
}
