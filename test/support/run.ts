// The one way a test runs a scenario with the reference leader: by catalogue name, path or
// parsed scenario; with our skill unless a profile is given; with the scenario's own leader
// flaws unless others are given.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Flaw } from '../../src/core/flaws.ts';
import { ReferenceLeader } from '../../src/leader/index.ts';
import type { SkillProfile } from '../../src/skill/types.ts';
import { type Backend, type RunResult, runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import type { Scenario } from '../../sim/scenario/schema.ts';
import { skillProfile } from './scripted-leader.ts';

const CATALOGUE = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** A scenario: a catalogue name (`happy-three`), a path to a YAML file, or one already parsed. */
export async function scenarioOf(which: string | Scenario): Promise<Scenario> {
  if (typeof which !== 'string') return which;
  const named = `${CATALOGUE}${which}.yaml`;
  return loadScenario(!which.endsWith('.yaml') && existsSync(named) ? named : which);
}

export async function runReference(
  which: string | Scenario,
  opts: { profile?: SkillProfile; flaws?: Iterable<Flaw>; seed?: number; backend?: Backend } = {},
): Promise<RunResult> {
  const scenario = await scenarioOf(which);
  const flaws = new Set(opts.flaws ?? scenario.leader.flaws);
  return runScenario({
    scenario,
    profile: opts.profile ?? (await skillProfile()),
    leader: (env) => new ReferenceLeader(env, flaws),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.backend ? { backend: opts.backend } : {}),
  });
}
