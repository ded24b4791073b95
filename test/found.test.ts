import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadSkill } from '../src/skill/index.ts';
import { loadScenario } from '../sim/scenario/load.ts';
import { runScenario } from '../sim/run.ts';
import { unmetExpectations } from '../sim/expect.ts';
import { ReferenceLeader } from '../src/leader/index.ts';
import { checkRun } from '../src/invariants/index.ts';

// Every minimal failing case the explorer ever found (shrunk, then fixed in the leader or in a
// checker) stays here as a regression scenario, and every scenario of the catalogue meets its
// expectations with no leader violation.

const profile = (await loadSkill('skill')).profile!;

for (const dir of ['scenarios', 'fixtures/found']) {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
  describe(`${dir}/`, () => {
    it('is not empty', () => expect(files.length).toBeGreaterThan(dir === 'scenarios' ? 15 : 10));
    for (const f of files) {
      it(f, async () => {
        const s = await loadScenario(`${dir}/${f}`);
        const r = await runScenario({ scenario: s, profile, leader: (env) => new ReferenceLeader(env, new Set(s.leader.flaws)) });
        expect(unmetExpectations(s, r)).toEqual([]);
        const check = checkRun(r.events, { workerViolations: s.expect.workerViolations });
        expect(check.failures.map((v) => `${v.rule}: ${v.message}`)).toEqual([]);
        expect(check.unexpectedMissing).toEqual([]);
      });
    }
  });
}
