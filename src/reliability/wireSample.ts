import { generateHistory, historySeed, prng } from './histories.js';
import { TRAFFIC_CLASSES } from './trafficClasses.js';
import type { WireEncoder } from './wire.js';

/** 200 histories encoded with every class: the wire events, their sorted types, and whether every delivery id is unique. */
export function encodeSample(encoder: WireEncoder) {
  const rng = prng(11);
  const wires = Array.from({ length: 200 }, (_, i) => encoder.encode(generateHistory(i, historySeed(5, i), `ws-${i}`), rng, new Set(TRAFFIC_CLASSES)));
  const events = wires.flatMap((w) => w.events);
  const ids = events.map((e) => e.delivery.eventId);
  return { events, types: [...new Set(events.map((e) => e.delivery.type))].sort(), idsUnique: new Set(ids).size === ids.length };
}
