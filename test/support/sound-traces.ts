// Sound traces: catalogue runs of the reference leader with no violation, stored (gzipped
// JSONL) so that the clause tests read them in microseconds instead of simulating, and so
// that mutation testing of the checkers never has to run the simulator.
//
// Regenerate after a change to the simulator or the leader:
//   node --import tsx test/support/sound-traces.ts --write

import { gunzipSync, gzipSync } from 'node:zlib';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TraceEvent } from '../../src/trace/events.ts';

export const SOUND = [
  'happy-three',
  'user-declines',
  'missing-read-thread',
  'never-starts',
  'stalls-mid-task',
  'cancel-mid-run',
  'context-loss-during-merge',
  'status-query',
  'two-leaders',
  'conflict-maker',
  'worktree-removed',
  'system-error',
  'clock-jump',
  'no-heartbeat-tool',
  'user-settings',
  'peer-waiter',
] as const;
export type SoundName = (typeof SOUND)[number];

const DIR = new URL('../fixtures/sound/', import.meta.url);
const cache = new Map<SoundName, readonly TraceEvent[]>();

/** A stored sound trace (frozen: clause edits copy, never change it). */
export function sound(name: SoundName): readonly TraceEvent[] {
  let ev = cache.get(name);
  if (!ev) {
    // Our own stored output, one event per line: plain JSON.parse (the trace reader's schema
    // check would cost every mutation-testing run a zod import).
    const text = gunzipSync(readFileSync(new URL(`${name}.jsonl.gz`, DIR))).toString('utf8');
    ev = Object.freeze(
      text
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as TraceEvent),
    );
    cache.set(name, ev);
  }
  return ev;
}

async function write(): Promise<void> {
  const { loadSkill } = await import('../../src/skill/index.ts');
  const { toJsonl } = await import('../../src/trace/jsonl.ts');
  const { loadScenario } = await import('../../sim/scenario/load.ts');
  const { runReference } = await import('./run.ts');
  const { checkTrace } = await import('../../src/invariants/index.ts');
  const profile = (await loadSkill(fileURLToPath(new URL('../../skill', import.meta.url)))).profile!;
  for (const name of SOUND) {
    const scenario = await loadScenario(fileURLToPath(new URL(`../../scenarios/${name}.yaml`, import.meta.url)));
    const r = await runReference(scenario, { profile });
    const v = checkTrace(r.events).violations;
    if (v.length) throw new Error(`${name} is not sound: ${v.map((x) => `${x.rule} ${x.message}`).join('; ')}`);
    writeFileSync(new URL(`${name}.jsonl.gz`, DIR), gzipSync(toJsonl(r.events), { level: 9 }));
    console.log(`${name}: ${r.events.length} events, hash ${r.hash}`);
  }
}

if (process.argv.includes('--write') && import.meta.url === `file://${process.argv[1]}`) await write();
