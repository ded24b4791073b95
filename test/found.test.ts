import { runReference } from './support/run.ts';
import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadSkill, type SkillProfile } from '../src/skill/index.ts';
import { loadScenario } from '../sim/scenario/load.ts';
import { unmetExpectations } from '../sim/expect.ts';
import { fixtureSkillDir } from '../sim/fixtures.ts';
import { checkRun } from '../src/invariants/index.ts';
import { allSkills } from './support/skills.ts';

// Every scenario of the catalogue meets its expectations with no leader violation, and every
// minimal failing case the explorer ever found (shrunk, then fixed in the leader or in a
// checker) stays fixed, for every skill we ship or test with: ours, the fixtures in other
// wordings and, when it is here, the public thread-team skill. A scenario pinned to a fixture
// skill (`skill:`) runs with that skill only. Each run's trace hash is pinned in
// __snapshots__/found.test.ts.snap. The catalogue runs twice: as written (a message to a busy
// thread waits for its next turn unless the scenario says otherwise) and with every message
// steered into the running turn, as Codex's own thread tools deliver (world.delivery: steer).

const skills = allSkills();
const profiles = new Map<string, SkillProfile>();
async function profileOf(dir: string): Promise<SkillProfile> {
  if (!profiles.has(dir)) profiles.set(dir, (await loadSkill(dir)).profile!);
  return profiles.get(dir)!;
}

const variants: { dir: string; label: string; delivery?: 'steer' }[] = [
  { dir: 'scenarios', label: 'scenarios/' },
  { dir: 'fixtures/found', label: 'fixtures/found/' },
  { dir: 'scenarios', label: 'scenarios/ with messages steered into running turns', delivery: 'steer' },
];
for (const { dir, label, delivery } of variants) {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
  describe(label, () => {
    it('is not empty', () => expect(files.length).toBeGreaterThan(dir === 'scenarios' ? 15 : 10));
    for (const skill of skills) {
      for (const f of files) {
        it(`${f} with ${skill.name}`, async () => {
          const s = await loadScenario(`${dir}/${f}`);
          if (delivery) s.world.delivery = delivery;
          if (s.skill && fixtureSkillDir(s.skill) !== skill.dir.replace(/\/$/, '')) return;
          const profile = await profileOf(skill.dir);
          const r = await runReference(s, { profile });
          expect(unmetExpectations(s, r)).toEqual([]);
          const check = checkRun(r.events, { workerViolations: s.expect.workerViolations });
          expect(check.failures.map((v) => `${v.rule}: ${v.message}`)).toEqual([]);
          expect(check.unexpectedMissing).toEqual([]);
          // Pinned: a change to the leader, the simulator or a skill that changes what happens
          // in a run shows here, and the commit that updates the snapshot says why.
          expect(r.hash).toMatchSnapshot();
        });
      }
    }
  });
}
