// Reads a V8 CPU profile (`node --cpu-prof`) into where the time went: self time per area (a package, a
// folder of the app, Node's internals, the garbage collector) and per function, in ms per delivery.
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileRow {
  name: string;
  msPerDelivery: number;
  share: number;
}

export interface ProfileSummary {
  totalMsPerDelivery: number;
  areas: ProfileRow[];
  functions: ProfileRow[];
}

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** node_modules/<package> (scoped too), an app folder under src/, node:<module>, or V8's own (program), (garbage collector). */
export function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + '/node_modules/'.length).split('/');
    return scope!.startsWith('@') ? `${scope}/${name}` : scope!;
  }
  if (url.startsWith('node:')) return 'node internals';
  const file = url.startsWith('file://') ? url.slice('file://'.length) : url;
  const relative = path.relative(ROOT, file);
  return relative.startsWith('..') ? file : path.dirname(relative);
}

function top(totals: Map<string, number>, deliveries: number, all: number, limit: number): ProfileRow[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, micros]) => ({ name, msPerDelivery: micros / 1000 / deliveries, share: micros / all }));
}

/**
 * Self time of the profile within `window` (ms of the monotonic clock, which V8's sample times and
 * process.hrtime share across processes), `(idle)` left out, divided over `deliveries`.
 */
export function summarizeProfile(file: string, deliveries: number, window: { fromMs: number; toMs: number }, limit = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let all = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    at += micros;
    if (at < window.fromMs * 1000 || at > window.toMs * 1000) return;
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') return;
    all += micros;
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + micros);
    const where = url ? `${area}: ${functionName || '(anonymous)'}:${lineNumber + 1}` : functionName;
    functions.set(where, (functions.get(where) ?? 0) + micros);
  });
  return { totalMsPerDelivery: all / 1000 / deliveries, areas: top(areas, deliveries, all, limit), functions: top(functions, deliveries, all, limit) };
}
