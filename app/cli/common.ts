import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type CliIO, InputError, UsageError } from './io.ts';
import { DEFAULT_SKILL_DIR } from './lint.ts';
import { SkillDirError, loadSkill, type SkillProfile } from '../../src/skill/index.ts';
import { fsReason } from '../../src/core/errors.ts';
import { RULE_SETS, type RuleSet } from '../../src/invariants/index.ts';
import { shownIn, shownPath } from './outputs.ts';
import type { TraceEvent } from '../../src/trace/events.ts';
import type { Scenario } from '../../sim/scenario/schema.ts';
import { runScenario, type RunResult } from '../../sim/run.ts';
import { ReferenceLeader } from '../../src/leader/index.ts';
import type { HostName } from '../../src/contract/hosts.ts';
import { projectPath } from '../../src/core/project.ts';

export const DEFAULT_SCENARIO_DIR = projectPath('scenarios');

async function defaultScenarioDir(cwd: string): Promise<string> {
  const own = join(cwd, 'scenarios');
  const names = await readdir(own).catch(() => [] as string[]);
  return names.some((n) => /\.ya?ml$/.test(n)) ? own : DEFAULT_SCENARIO_DIR;
}

/** Load the skill a command runs against; a broken skill is an input error naming its first finding. */
export async function profileFor(skill: string | undefined, io: CliIO): Promise<{ profile: SkillProfile; dir: string }> {
  const dir = skill === undefined ? DEFAULT_SKILL_DIR : resolve(io.cwd, skill);
  try {
    const { profile, findings } = await loadSkill(dir);
    const error = findings.find((f) => f.level === 'error');
    if (!profile || error) {
      throw new InputError(
        `skill ${dir} cannot drive a leader: ${error ? `${error.file}:${error.line}: ${error.message}` : 'no profile'} (run lint for all findings)`,
        2,
      );
    }
    return { profile, dir };
  } catch (e) {
    if (e instanceof SkillDirError) throw new InputError(shownIn(io, e.message), 2);
    throw e;
  }
}

export function parseSeed(v: string | undefined, flag = '--seed'): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) > 0xffffffff) throw new UsageError(`${flag}: expected a whole number from 0 to 4294967295, got "${v}"`);
  return Number(v);
}

export function parseCount(v: string | undefined, flag: string, max = 10_000_000): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) throw new UsageError(`${flag}: expected a whole number from 1 to ${max}, got "${v}"`);
  return Number(v);
}

/**
 * Scenario files named by the arguments (files, or folders of *.yaml), sorted. By default the
 * working directory's own scenarios/ (a skill's repository may keep its scenarios there), else
 * the catalogue that comes with the harness.
 */
export async function scenarioFiles(paths: string[], io: CliIO): Promise<string[]> {
  const roots = paths.length ? paths.map((p) => resolve(io.cwd, p)) : [await defaultScenarioDir(io.cwd)];
  const out: string[] = [];
  for (const root of roots) {
    const shown = shownPath(io, root);
    let st;
    try {
      st = await stat(root);
    } catch (e) {
      throw new InputError(`${shown}: ${fsReason(e)}`, 2);
    }
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = (await readdir(root)).filter((n) => /\.ya?ml$/.test(n)).sort();
      } catch (e) {
        throw new InputError(`${shown}: cannot read this folder: ${fsReason(e)}`, 2);
      }
      if (names.length === 0) throw new InputError(`${shown}: no scenario files (*.yaml) in this folder`, 2);
      out.push(...names.map((n) => join(root, n)));
    } else out.push(root);
  }
  return out;
}

/** `--rules`: every rule of the protocol, or the four any thread-team skill keeps. */
/**
 * `--journal PATTERN`: where a skill keeps its state, relative to the repository, `<…>` standing
 * for the leader's thread id (`.team/<leader-thread-id>/state.md`, `.orchestrator/queue.json`).
 */
export function parseJournalPattern(v: string): string {
  const p = v.trim();
  if (!p || /[\n\r]/.test(p)) throw new UsageError('--journal: expected a path relative to the repository, e.g. .team/<leader-thread-id>/state.md');
  if (p.startsWith('/') || p.split('/').includes('..'))
    throw new UsageError(`--journal: "${p.slice(0, 60)}" must be a path inside the repository (relative, no ..)`);
  if ((p.match(/<[^>]*>/g) ?? []).length > 1) throw new UsageError(`--journal: "${p.slice(0, 60)}" has more than one <…>: only the leader's thread id varies`);
  return p;
}

/** The trace as if its run.start named `journal` as the skill's journal path (check's and show's --journal). */
export function withJournal(events: TraceEvent[], journal: string | undefined): TraceEvent[] {
  const start = events[0];
  if (journal === undefined || start?.kind !== 'run.start') return events;
  return [{ ...start, profile: { ...start.profile, journalPath: journal } }, ...events.slice(1)];
}

/**
 * A scenario run in the simulator as `run` runs it: the reference leader with the scenario's
 * own flaws, named after them in the trace (`reference+merge-two-at-once`).
 */
export function simulate(scenario: Scenario, profile: SkillProfile, opts: { seed?: number; host?: HostName } = {}): Promise<RunResult> {
  const flaws = new Set(scenario.leader.flaws);
  return runScenario({
    scenario,
    profile,
    leader: (env) => new ReferenceLeader(env, flaws),
    leaderName: flaws.size ? `reference+${[...flaws].join('+')}` : 'reference',
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
  });
}

export const RULES_HELP =
  "protocol (every rule; for skills of the protocol's family) or core (the four any thread-team skill keeps: exclusive worktrees W1, no leaked heartbeats H1, serial merges R1, journaled state J1)";

export function parseRuleSet(v: string): RuleSet {
  if (!(RULE_SETS as readonly string[]).includes(v)) throw new UsageError(`--rules: unknown rule set "${v.slice(0, 40)}" (known: ${RULE_SETS.join(', ')})`);
  return v as RuleSet;
}
