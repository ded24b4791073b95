import { createHash } from 'node:crypto';
import type { EventOf, TraceBody, TraceEvent, TraceKind } from './events.ts';

/** Keys sorted recursively, so a hash does not depend on property insertion order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v as object).sort()) out[k] = (v as Record<string, unknown>)[k];
      return out;
    }
    return v;
  });
}

export class Trace {
  readonly events: TraceEvent[] = [];

  constructor(private readonly clock: () => number) {}

  emit<B extends TraceBody>(body: B): B & { i: number; t: number } {
    const ev = { ...body, i: this.events.length, t: this.clock() } as B & { i: number; t: number };
    this.events.push(ev as TraceEvent);
    return ev;
  }

  of<K extends TraceKind>(kind: K): EventOf<K>[] {
    return this.events.filter((e): e is EventOf<K> => e.kind === kind);
  }
}

export function traceHash(events: readonly TraceEvent[]): string {
  const h = createHash('sha256');
  for (const e of events) h.update(`${canonicalJson(e)}\n`);
  return h.digest('hex');
}

export function eventsOf<K extends TraceKind>(events: readonly TraceEvent[], kind: K): EventOf<K>[] {
  return events.filter((e): e is EventOf<K> => e.kind === kind);
}
