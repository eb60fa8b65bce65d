import { isCall, isRef, type SpecValue, type WaspSpec } from './readSpec.js';

// The last Wasp that reads the DSL: 0.24 and later read main.wasp.ts only.
export const DSL_WASP_VERSION = '^0.23.0';

// Where the DSL names a declaration (an entity, the email provider) instead of writing a string.
const NAME_KEYS = new Set(['userEntity', 'provider', 'entities']);

// Written only in the DSL: a bare name (`to: BillingPage`, `POST`) and a tuple (`httpRoute: (POST, "/x")`).
class Bare {
  constructor(readonly text: string) {}
}
class Tuple {
  constructor(readonly items: DslValue[]) {}
}
type DslValue = SpecValue | Bare | Tuple | DslValue[] | { [key: string]: DslValue };
type Body = { [key: string]: DslValue };

/** main.wasp (the DSL of Wasp <= 0.23) declaring what main.wasp.ts declares, in the same order. */
export function toDsl({ app }: WaspSpec): string {
  const { name, spec, wasp, ...settings } = app;
  if (typeof name !== 'string' || !Array.isArray(spec)) throw new Error('app() needs a name and a spec list');
  const header = [
    '// Generated from main.wasp.ts by `npm run wasp:spec`: edit that file, then run it. This is the same',
    `// spec in the DSL of Wasp <= 0.23 (${DSL_WASP_VERSION.slice(1)} is the last Wasp that reads it).`,
  ].join('\n');
  const appBlock = declaration('app', name, { wasp: { ...(wasp as Body), version: DSL_WASP_VERSION }, ...settings });
  return [header, appBlock, ...flatten(spec).map(specElement)].join('\n\n') + '\n';
}

const flatten = (spec: SpecValue[]): SpecValue[] => spec.flatMap((item) => (Array.isArray(item) ? flatten(item) : [item]));

function specElement(element: SpecValue): string {
  if (!isCall(element)) throw new Error(`spec holds something other than a constructor call: ${JSON.stringify(element)}`);
  const [first, second, third, fourth] = element.args;
  const settings = (value: SpecValue | undefined) => (value ?? {}) as Body;
  switch (element.call) {
    case 'route': {
      if (fourth !== undefined || !third || !isCall(third) || third.call !== 'page') {
        throw new Error(`route ${String(first)}: only route(name, path, page(...)) has a DSL form here`);
      }
      const [component, pageSettings] = third.args;
      if (!component || !isRef(component)) throw new Error(`route ${String(first)}: page() needs a ref`);
      return [
        declaration('route', String(first), { path: second!, to: new Bare(component.ref) }),
        declaration('page', component.ref, { component, ...settings(pageSettings) }),
      ].join('\n');
    }
    case 'query':
    case 'action':
      if (!first || !isRef(first)) throw new Error(`${element.call}() needs a ref`);
      return declaration(element.call, first.ref, { fn: first, ...settings(second) });
    case 'api':
      if (!third || !isRef(third)) throw new Error('api() needs a ref');
      return declaration('api', third.ref, { fn: third, httpRoute: new Tuple([new Bare(String(first)), second!]), ...settings(fourth) });
    default:
      throw new Error(`${element.call}() has no DSL form here yet`);
  }
}

function declaration(kind: string, name: string, body: Body): string {
  return `${kind} ${name} ${render(body, '', '')}`;
}

function render(value: DslValue, indent: string, key: string): string {
  if (value instanceof Bare) return value.text;
  if (value instanceof Tuple) return `(${value.items.map((item) => render(item, indent, key)).join(', ')})`;
  if (typeof value === 'string') return NAME_KEYS.has(key) ? value : JSON.stringify(value);
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => render(item, indent, key)).join(', ')}]`;
  if (isRef(value as SpecValue)) {
    const { ref, from } = value as { ref: string; from: string };
    if (!from.startsWith('./src/')) throw new Error(`${ref}: a ref must point into ./src/, not ${from}`);
    return `import { ${ref} } from "@src/${from.slice('./src/'.length)}"`;
  }
  if (isCall(value as SpecValue)) throw new Error(`${JSON.stringify(value)}: a constructor call inside a declaration`);
  const inner = `${indent}  `;
  const lines = Object.entries(value).map(([name, item]) => `${inner}${name}: ${render(item as DslValue, inner, name)}`);
  return `{\n${lines.join(',\n')}\n${indent}}`;
}
