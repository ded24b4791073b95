// Determinism, as the issue requires it: the same scenario and seed give the same trace hash.
// 50 seeds, each run twice, on a scenario with message faults and misbehaving workers, with
// the reference leader and the project's skill.

import { runReference } from '../support/run.ts';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../sim/run.ts';
import { parseScenario } from '../../sim/scenario/load.ts';
import { skillProfile } from '../support/scripted-leader.ts';

const SCENARIO = `name: determinism
description: Message faults and misbehaving workers, for the determinism property.
repo:
  fixture: webapp
task:
  prompt: Use $thread-team to implement the billing settings page across API, UI and database workers.
  shared: [src/api/server.ts]
  areas:
    - role: api
      scope: Add the billing settings endpoint
      owns: [src/api/billing.ts]
    - role: ui
      scope: Build the billing settings page
      owns: [src/ui/settings-page.tsx]
    - role: db
      scope: Add the billing migration and seed data
      owns: [db/migrations.sql, db/seed.sql]
workers:
  api: {kind: conflict-maker, file: src/api/server.ts}
  ui: [{kind: stalls-mid-task, afterMinutes: 4}, diligent]
  db: {kind: conflict-maker, file: src/api/server.ts, workMinutes: 16}
faults:
  - kind: drop-message
    to: ui
    after: 40s
  - kind: duplicate-message
    from: api
  - kind: delay-message
    from: db
    by: 4m
  - kind: reorder-messages
    to: api
    after: 2m
expect:
  outcome: complete
`;

const SEEDS = Array.from({ length: 50 }, (_, k) => 1 + k * 7919);

describe('determinism', () => {
  it('runs each of 50 seeds twice with identical trace hashes, and the seed matters', async () => {
    const scenario = parseScenario(SCENARIO, 'determinism.yaml');
    const profile = await skillProfile();
    const run = (seed: number) => runReference(scenario, { profile, seed });
    const firsts: RunResult[] = [];
    for (const seed of SEEDS) {
      const a = await run(seed);
      const b = await run(seed);
      expect(b.hash, `seed ${seed}`).toBe(a.hash);
      expect(b.events.length, `seed ${seed}`).toBe(a.events.length);
      expect(b.treeHash, `seed ${seed}`).toBe(a.treeHash);
      expect(b.simMs, `seed ${seed}`).toBe(a.simMs);
      firsts.push(a);
    }
    // The seed matters: the runs are not all the same run.
    expect(new Set(firsts.map((r) => r.hash)).size).toBeGreaterThanOrEqual(2);
    // And the runs did meet what the scenario promises: faults struck, the team finished.
    const fired = new Set(firsts.flatMap((r) => r.faultsFired));
    expect([...fired].sort()).toEqual(['delay-message', 'drop-message', 'duplicate-message', 'reorder-messages']);
    expect(firsts.every((r) => r.outcome === 'complete')).toBe(true);
    expect(firsts.every((r) => r.counts.replacements >= 1)).toBe(true);
  }, 120_000);
});
