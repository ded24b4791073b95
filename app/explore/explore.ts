import fc from 'fast-check';
import { stringify } from 'yaml';
import type { SkillProfile } from '../../src/skill/types.ts';
import { scenarioSchema, type ScenarioInput } from '../../sim/scenario/schema.ts';
import { runScenario } from '../../sim/run.ts';
import { ReferenceLeader } from '../../src/leader/index.ts';
import { checkRun, type Violation } from '../../src/invariants/index.ts';
import type { Flaw } from '../../src/core/flaws.ts';
import { FAMILIES, scenarioArbitrary } from './arbitrary.ts';

// The explorer: generated scenarios through the reference leader (or a mutant of it), every
// safety invariant and liveness as the property, fast-check's shrinking down to a minimal
// failing scenario, written out as a scenario file `run` replays.

export interface ExploreOptions {
  runs: number;
  seed: number;
  profile: SkillProfile;
  flaws?: readonly Flaw[];
  /** Replay one case of an earlier exploration (fast-check's counterexample path). */
  path?: string;
  /** Explore only these blocks of the runs (a shard's share); default all. */
  blocks?: readonly number[];
  /**
   * Asked for each next block instead of going through `blocks` (a job of `--jobs`, handed the
   * blocks one at a time so that a job slowed down takes fewer); undefined: no more.
   */
  nextBlock?(): Promise<number | undefined>;
  onProgress?(p: { phase: 'explore' | 'shrink'; done: number; total: number; failing: boolean; block: number }): void;
}

/**
 * The runs of `explore --runs R --seed S` are cut into blocks of BLOCK_RUNS, each explored by
 * fast-check with a seed of its own. What is explored then depends on S and R alone: one
 * process, `--jobs`, or `--shard I/N` on many machines share the same blocks out, and the first
 * failing block (in block order) is the same case whoever ran it.
 */
export const BLOCK_RUNS = 25;

/** Block b's seed: block 0 keeps the given one, so a short exploration is one fast-check run. */
export const blockSeed = (seed: number, b: number) => (b === 0 ? seed : ((seed + b * 0x9e3779b1) >>> 0) & 0x7fffffff);

/** The blocks of R runs: their index and how many runs each holds. */
export function blocksOf(runs: number): { index: number; runs: number }[] {
  return Array.from({ length: Math.ceil(runs / BLOCK_RUNS) }, (_, index) => ({ index, runs: Math.min(BLOCK_RUNS, runs - index * BLOCK_RUNS) }));
}

export interface ExploreReport {
  runs: number;
  seed: number;
  failed: boolean;
  /** fast-check's path to the shrunk counterexample: replays it with the same seed. */
  path: string | null;
  counterexample: ScenarioInput | null;
  violations: Violation[];
  shrinks: number;
  /** Fault kinds that struck, over all explored runs, and how often. */
  faultsFired: Record<string, number>;
  /** How many runs had each fault family switched on. */
  familiesOn: Record<string, number>;
  /** How many runs handed busy threads their messages each way (world.delivery). */
  deliveries: Record<string, number>;
  outcomes: Record<string, number>;
  /** Leader violations seen while exploring (before shrinking), by rule. */
  violationsByRule: Record<string, number>;
  exploreMs: number;
  shrinkMs: number;
  /** The blocks explored (to their end, or to the failure). */
  blocks: number[];
  /** The block whose case failed (its seed is `seed`). */
  block: number | null;
}

const bump = (o: Record<string, number>, k: string, by = 1) => {
  o[k] = (o[k] ?? 0) + by;
};

export async function explore(opts: ExploreOptions): Promise<ExploreReport> {
  // A replayed case is one run of the block whose seed was printed with it.
  if (opts.path !== undefined) return exploreBlock(opts, 0);
  const all = blocksOf(opts.runs);
  const mine = all.filter((b) => !opts.blocks || opts.blocks.includes(b.index));
  const total = opts.nextBlock ? opts.runs : mine.reduce((a, b) => a + b.runs, 0);
  const report = emptyReport(opts.seed);
  const next = opts.nextBlock;
  const blocks = next
    ? (async function* () {
        for (let i = await next(); i !== undefined; i = await next()) yield all[i]!;
      })()
    : mine;
  for await (const b of blocks) {
    const before = report.runs;
    const r = await exploreBlock(
      {
        ...opts,
        runs: b.runs,
        seed: blockSeed(opts.seed, b.index),
        onProgress: (p) => opts.onProgress?.(p.phase === 'explore' ? { ...p, done: before + p.done, total } : p),
        nextBlock: undefined,
      },
      b.index,
    );
    add(report, r);
    if (r.failed)
      return {
        ...report,
        seed: r.seed,
        failed: true,
        path: r.path,
        counterexample: r.counterexample,
        violations: r.violations,
        shrinks: r.shrinks,
        shrinkMs: r.shrinkMs,
        block: b.index,
      };
  }
  return report;
}

export function emptyReport(seed: number): ExploreReport {
  return {
    runs: 0,
    seed,
    failed: false,
    path: null,
    counterexample: null,
    violations: [],
    shrinks: 0,
    faultsFired: {},
    familiesOn: {},
    deliveries: {},
    outcomes: {},
    violationsByRule: {},
    exploreMs: 0,
    shrinkMs: 0,
    blocks: [],
    block: null,
  };
}

/** Adds a block's (or a job's, or a shard's) tallies into `into`; the failure is the caller's to pick. */
export function add(into: ExploreReport, r: ExploreReport): void {
  into.runs += r.runs;
  into.exploreMs += r.exploreMs;
  into.blocks = [...into.blocks, ...r.blocks].sort((a, b) => a - b);
  for (const k of ['faultsFired', 'familiesOn', 'deliveries', 'outcomes', 'violationsByRule'] as const)
    for (const [key, v] of Object.entries(r[k])) bump(into[k], key, v);
}

async function exploreBlock(opts: ExploreOptions, index: number): Promise<ExploreReport> {
  const report: ExploreReport = { ...emptyReport(opts.seed), blocks: [index] };
  const flaws = new Set(opts.flaws ?? []);
  let shrinking = false;
  let last: Violation[] = [];
  const started = performance.now();
  let shrinkStart = 0;
  const prop = fc.asyncProperty(scenarioArbitrary({ flaws: opts.flaws ?? [] }), async (input) => {
    const scenario = scenarioSchema.parse(input);
    const r = await runScenario({ scenario, profile: opts.profile, leader: (env) => new ReferenceLeader(env, flaws) });
    const bad = checkRun(r.events).violations.filter((v) => v.by === 'leader');
    if (!shrinking) {
      report.runs++;
      for (const f of r.faultsFired) bump(report.faultsFired, f);
      for (const fam of FAMILIES) if (input.description?.includes(fam)) bump(report.familiesOn, fam);
      bump(report.deliveries, scenario.world.delivery);
      bump(report.outcomes, r.outcome);
      for (const v of bad) bump(report.violationsByRule, v.rule);
      if (bad.length) {
        shrinking = true;
        shrinkStart = performance.now();
        report.exploreMs = shrinkStart - started;
      }
      opts.onProgress?.({ phase: shrinking ? 'shrink' : 'explore', done: report.runs, total: opts.runs, failing: shrinking, block: index });
    } else {
      report.shrinks++;
      opts.onProgress?.({ phase: 'shrink', done: report.shrinks, total: 0, failing: true, block: index });
    }
    if (bad.length) last = bad;
    return bad.length === 0;
  });
  const details = await fc.check(prop, {
    numRuns: opts.path ? 1 : opts.runs,
    seed: opts.seed,
    ...(opts.path ? { path: opts.path, endOnFailure: true } : {}),
  });
  if (!shrinking) report.exploreMs = performance.now() - started;
  else report.shrinkMs = performance.now() - shrinkStart;
  if (details.failed && details.counterexample) {
    report.failed = true;
    report.block = index;
    report.path = details.counterexamplePath;
    report.counterexample = details.counterexample[0];
    // The violations of the shrunk case itself (the last failing call is not always it).
    const scenario = scenarioSchema.parse(report.counterexample);
    const r = await runScenario({ scenario, profile: opts.profile, leader: (env) => new ReferenceLeader(env, flaws) });
    report.violations = checkRun(r.events).violations.filter((v) => v.by === 'leader');
    if (report.violations.length === 0) report.violations = last;
  } else if (details.failed) {
    throw new Error(`explore stopped: ${String(details.errorInstance ?? 'fast-check failed without a counterexample')}`);
  }
  return report;
}

/** The shrunk case as a scenario file, with the commands that replay it in its header. */
export function counterexampleYaml(input: ScenarioInput, replay: string[], violations: Violation[]): string {
  const head = [
    '# A minimal failing case found by thread-team-sim explore.',
    ...violations.slice(0, 8).map((v) => `# ${v.rule}: ${v.message}`),
    '# Replay:',
    ...replay.map((r) => `#   ${r}`),
  ];
  return `${head.join('\n')}\n${stringify(input)}`;
}
