// `thread-team-sim explore`: generated scenarios, every invariant as the property, shrinking.
import { mkdir, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { type CliIO, InputError, UsageError } from './io.ts';
import { freshName, outputDir, outputFile, shownPath, writeOutput } from './outputs.ts';
import { exploreJunit, exploreMarkdown, tally } from './reports.ts';
import { writeTrace } from '../../src/trace/jsonl.ts';
import { onTeardown } from '../../src/core/teardown.ts';
import { parseCount, parseSeed, profileFor } from './common.ts';
import { availableParallelism } from 'node:os';
import { BLOCK_RUNS, blocksOf, counterexampleYaml, explore, type ExploreReport } from '../explore/explore.ts';
import { exploreParallel, merge } from '../explore/parallel.ts';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FLAWS, type Flaw } from '../../src/core/flaws.ts';
import { scenarioSchema } from '../../sim/scenario/schema.ts';
import { runScenario } from '../../sim/run.ts';
import { ReferenceLeader } from '../../src/leader/index.ts';
import { checkTrace } from '../../src/invariants/index.ts';

interface ExploreOpts {
  runs?: string;
  jobs?: string;
  seed?: string;
  path?: string;
  skill?: string;
  mutant?: string[];
  out: string;
  trace?: string;
  force?: boolean;
  json?: boolean;
  junit?: string;
  markdown?: string;
  shard?: string;
  summary?: string;
  merge?: string[];
}

export function registerExplore(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('explore')
    .description('generate scenarios (swarm testing over fault families), check every invariant, shrink a failure to a scenario file')
    .option('--runs <n>', 'scenarios to generate', '200')
    .option('--seed <n>', 'seed of the generator (default: from the clock, printed so the run can be repeated)')
    .option(
      '--jobs <n>',
      `processes exploring in parallel, sharing the runs' blocks of ${BLOCK_RUNS} out (default: one per core, at most 4; 1 for fewer than 100 runs)`,
    )
    .option(
      '--shard <i/n>',
      "explore only shard I of N: every Nth block of the runs, from the I-th (for a job array on many machines; merge the shards' --summary files with --merge)",
    )
    .option('--summary <file>', 'also write the summary as JSON to this file (what --merge reads)')
    .option('--merge <summary...>', "combine the --summary files of an exploration's shards into one report (nothing is run)")
    .option('--path <path>', "replay one case: fast-check's counterexample path, with the --seed it was found with")
    .option('--skill <dir>', "skill directory the leader follows (default: the project's skill/)")
    .option('--mutant <flaw...>', `explore a deliberately broken reference leader (${FLAWS.length} flaws; see src/core/flaws.ts)`)
    .option('--out <dir>', 'where a shrunk failing scenario is written (under a name of its own: never another file)', 'explore-out')
    .option('--trace <file>', 'with --path: also write the trace of the case')
    .option('--junit <file>', 'also write the result as JUnit XML (one testcase: the exploration), for CI')
    .option('--markdown <file>', 'also write the summary as Markdown: a PR comment or job summary')
    .option('--force', 'replace an existing --trace, --junit or --markdown file')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      [
        '',
        'Each run switches whole fault families on or off (messages, threads, tools, workspace,',
        'context, clock, user, world) and picks worker behaviours, timings and fault times.',
        'The property: the leader breaks no safety rule and the run terminates (L1, L2).',
        'Worker misdeeds (a worker in the wrong directory, pasting payloads) are not failures.',
        'On a failure, fast-check shrinks it to a minimal scenario, written to --out with the',
        'commands that replay it. Here: 1 means a violation (shrunk and written); Ctrl-C prints',
        'the seed and how far it got.',
        'Examples:  thread-team-sim explore --runs 1000',
        '           thread-team-sim explore --runs 300 --mutant merge-two-at-once',
      ].join('\n'),
    )
    .action(async (opts: ExploreOpts) => {
      if (opts.merge) return mergeShards(opts, io, setExit);
      const runs = parseCount(opts.runs, '--runs', 1_000_000)!;
      const shard = opts.shard === undefined ? null : parseShard(opts.shard, runs);
      // The generator's seed is the one thing taken from the real clock, and it is printed.
      const seed = parseSeed(opts.seed) ?? Date.now() & 0x7fffffff;
      const flaws = (opts.mutant ?? []).map((f) => {
        if (!(FLAWS as readonly string[]).includes(f)) throw new UsageError(`--mutant: unknown flaw "${f}" (known: ${FLAWS.join(', ')})`);
        return f as Flaw;
      });
      if (opts.path !== undefined && opts.seed === undefined) throw new UsageError('--path needs the --seed the case was found with');
      if (shard && opts.path !== undefined) throw new UsageError('--shard explores a share of the runs; --path replays one case: give one of them');
      // Every shard must explore the same runs: a seed from the clock would differ on each machine.
      if (shard && opts.seed === undefined) throw new UsageError('--shard needs --seed: every shard of an exploration must use the same one');
      if (opts.path !== undefined && !/^\d{1,9}(:\d{1,9}){0,4000}$/.test(opts.path))
        throw new UsageError(
          `--path: expected the counterexample path explore printed (numbers joined by ':', like 8:38:0:1), got "${opts.path.slice(0, 60)}"`,
        );
      // Where a found case goes is checked now, not after an hour of exploring.
      const outDir = await outputDir('--out', opts.out, io);
      if (opts.trace !== undefined && opts.path === undefined) throw new UsageError('--trace writes the trace of one case: give it with --seed and --path');
      const trace = opts.trace !== undefined ? await outputFile('--trace', opts.trace, io, { force: Boolean(opts.force) }) : undefined;
      const junitFile = opts.junit !== undefined ? await outputFile('--junit', opts.junit, io, { force: Boolean(opts.force) }) : undefined;
      const markdownFile = opts.markdown !== undefined ? await outputFile('--markdown', opts.markdown, io, { force: Boolean(opts.force) }) : undefined;
      const summaryFile = opts.summary !== undefined ? await outputFile('--summary', opts.summary, io, { force: Boolean(opts.force) }) : undefined;
      const { profile, dir } = await profileFor(opts.skill, io);
      const jobs = opts.path !== undefined ? 1 : (parseCount(opts.jobs, '--jobs', 64) ?? (runs < 100 ? 1 : Math.min(4, availableParallelism())));
      const started = performance.now();
      let explored = 0;
      const progress = (done: number, total: number, shrinking: boolean) => {
        explored = done;
        const rate = done / Math.max(0.001, (performance.now() - started) / 1000);
        io.progress(shrinking ? `shrinking a failure (${done} runs explored)` : `${bar(done / total)} ${done}/${total} runs  ${rate.toFixed(1)} runs/s`);
      };
      // Interrupted, it says how far it got and how to go on: the seed is the run's identity.
      const forget = onTeardown('explore progress', () => {
        io.progress(null);
        io.err(
          `explore: interrupted after ${explored} of ${runs} runs (seed ${seed}); run them again with: thread-team-sim explore --runs ${runs} --seed ${seed}${flaws.map((f) => ` --mutant ${f}`).join('')}`,
        );
      });
      const report =
        jobs > 1
          ? await exploreParallel({
              jobs,
              runs,
              seed,
              skill: dir,
              flaws,
              ...(shard ? { blocks: shard.blocks } : {}),
              onProgress: (p) => progress(p.done, p.total, p.shrinking),
            })
          : await explore({
              runs,
              seed,
              profile,
              flaws,
              ...(shard ? { blocks: shard.blocks } : {}),
              ...(opts.path !== undefined ? { path: opts.path } : {}),
              onProgress: (p) => (p.phase === 'explore' ? progress(p.done, p.total, false) : io.progress(`shrinking a failure: ${p.done} smaller cases tried`)),
            });
      forget();
      io.progress(null);
      let file: string | null = null;
      if (report.failed && report.counterexample) file = await writeCase(report, flaws, opts, outDir, io, profile, trace);
      const summaryJson: ExploreSummary = {
        format: SUMMARY_FORMAT,
        seed,
        runs,
        flaws,
        skill: opts.skill ?? null,
        shard: shard ? { index: shard.index, count: shard.count } : null,
        file,
        report,
      };
      if (summaryFile) await writeOutput('--summary', summaryFile, `${JSON.stringify(summaryJson, null, 2)}\n`);
      if (opts.json) io.out(JSON.stringify({ ...report, file, ...(shard ? { shard: summaryJson.shard } : {}) }, null, 2));
      else for (const line of summary(report, file, flaws, seed, jobs, opts.skill, shard)) io.out(line);
      const replay = file ? `thread-team-sim run ${file}` : null;
      if (junitFile) await writeOutput('--junit', junitFile, exploreJunit(report, replay));
      if (markdownFile) await writeOutput('--markdown', markdownFile, exploreMarkdown(report, replay));
      setExit(report.failed ? 1 : 0);
    });
}

async function writeCase(
  report: ExploreReport,
  flaws: Flaw[],
  opts: ExploreOpts,
  dir: string,
  io: CliIO,
  profile: Parameters<typeof runScenario>[0]['profile'],
  trace: string | undefined,
): Promise<string> {
  const input = structuredClone(report.counterexample!);
  const scenario = scenarioSchema.parse(input);
  // The worker misdeeds of this case are expected, so that `run` judges the leader alone.
  const r = await runScenario({ scenario, profile, leader: (env) => new ReferenceLeader(env, new Set(flaws)) });
  const workerRules = [
    ...new Set(
      checkTrace(r.events)
        .violations.filter((v) => v.by === 'worker')
        .map((v) => v.rule),
    ),
  ].sort();
  if (trace) {
    await writeTrace(trace, r.events);
    io.err(`trace written to ${shownPath(io, trace)}`);
  }
  input.expect = workerRules.length ? { workerViolations: workerRules } : {};
  // A name of its own: the case's seed and the rules it breaks, and never another case's file.
  const rules = [...new Set(report.violations.map((v) => v.rule))].sort().join('-');
  let file: string;
  try {
    await mkdir(dir, { recursive: true });
    file = await freshName(dir, `${input.name}${rules ? `-${rules}` : ''}`, '.yaml');
  } catch (e) {
    throw new InputError(`--out: cannot write in ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 2);
  }
  const shown = shownPath(io, file);
  const replay = [
    `thread-team-sim run ${shown}`,
    `thread-team-sim explore --seed ${report.seed} --path ${report.path}${flaws.map((f) => ` --mutant ${f}`).join('')}${opts.skill ? ` --skill ${opts.skill}` : ''}`,
  ];
  try {
    await writeFile(file, counterexampleYaml(input, replay, report.violations), { flag: 'wx' });
  } catch (e) {
    throw new InputError(`--out: cannot write ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 2);
  }
  return shown;
}

function bar(fraction: number, width = 24): string {
  const n = Math.round(Math.min(1, fraction) * width);
  return `[${'#'.repeat(n)}${'.'.repeat(width - n)}]`;
}

function summary(
  r: ExploreReport,
  file: string | null,
  flaws: Flaw[],
  seed: number,
  jobs: number,
  skill: string | undefined,
  shard: { index: number; count: number } | null,
): string[] {
  const lines = [
    `explored ${r.runs} scenario${r.runs === 1 ? '' : 's'} (seed ${seed}${shard ? `, shard ${shard.index}/${shard.count}: blocks ${r.blocks.join(', ')}` : ''}${jobs > 1 ? `, ${jobs} jobs` : ''}${flaws.length ? `, mutant ${flaws.join('+')}` : ''}) in ${(r.exploreMs / 1000).toFixed(1)} s, ${(r.runs / Math.max(0.001, r.exploreMs / 1000)).toFixed(1)} runs/s`,
    `  fault families on: ${tally(r.familiesOn)}`,
    `  message delivery to busy threads: ${tally(r.deliveries)}`,
    `  faults that struck: ${tally(r.faultsFired)}`,
    `  outcomes: ${tally(r.outcomes)}`,
  ];
  if (!r.failed) return [...lines, 'no invariant was broken'];
  lines.push(`  a violation after ${r.runs} run${r.runs === 1 ? '' : 's'}; shrunk in ${r.shrinks} steps (${(r.shrinkMs / 1000).toFixed(1)} s) to:`);
  for (const v of r.violations.slice(0, 10)) lines.push(`    ${v.rule}: ${v.message} (events ${v.events.join(', ')})`);
  if (file)
    lines.push(`  written to ${file}`, `  replay: thread-team-sim run ${file}`, `  show: thread-team-sim show ${file}${skill ? ` --skill ${skill}` : ''}`);
  return lines;
}

const SUMMARY_FORMAT = 'thread-team-sim explore summary 1';

/** What `explore --summary` writes and `explore --merge` reads. */
interface ExploreSummary {
  format: typeof SUMMARY_FORMAT;
  seed: number;
  runs: number;
  flaws: Flaw[];
  skill: string | null;
  shard: { index: number; count: number } | null;
  /** The case it wrote, as it printed it. */
  file: string | null;
  report: ExploreReport;
}

/** `I/N`: shard I (1-based) of N, and the blocks of the runs it explores. */
function parseShard(v: string, runs: number): { index: number; count: number; blocks: number[] } {
  const m = /^(\d{1,5})\/(\d{1,5})$/.exec(v);
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || index < 1 || count < 1 || index > count) throw new UsageError(`--shard: expected I/N with 1 <= I <= N, like 2/4, got "${v.slice(0, 40)}"`);
  const all = blocksOf(runs).map((b) => b.index);
  const blocks = all.filter((b) => b % count === index - 1);
  if (blocks.length === 0)
    throw new UsageError(
      `--shard ${v}: ${runs} runs make ${all.length} block${all.length === 1 ? '' : 's'} of ${BLOCK_RUNS}, so shard ${index} would explore nothing; give at least ${count * BLOCK_RUNS} runs, or fewer shards`,
    );
  return { index, count, blocks };
}

/** `--merge`: the shards' summaries as one report, the failure of the earliest block first. */
async function mergeShards(opts: ExploreOpts, io: CliIO, setExit: (code: number) => void): Promise<void> {
  const files = opts.merge!;
  for (const flag of ['seed', 'shard', 'path', 'mutant', 'skill', 'trace', 'summary', 'jobs'] as const)
    if (opts[flag] !== undefined) throw new UsageError(`--merge reads what the shards did: --${flag} does not apply`);
  const read: { file: string; s: ExploreSummary }[] = [];
  for (const file of files) {
    let s: ExploreSummary;
    try {
      s = JSON.parse(await readFile(resolve(io.cwd, file), 'utf8')) as ExploreSummary;
    } catch (e) {
      throw new InputError(`${file}: not an explore summary: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message.split('\n')[0]}`, 2);
    }
    if (s?.format !== SUMMARY_FORMAT || typeof s.report !== 'object' || typeof s.seed !== 'number' || typeof s.runs !== 'number' || !Array.isArray(s.flaws))
      throw new InputError(`${file}: format: not written by explore --summary (expected "${SUMMARY_FORMAT}")`, 2);
    read.push({ file, s });
  }
  const first = read[0]!.s;
  const same = (s: ExploreSummary) => s.seed === first.seed && s.runs === first.runs && s.flaws.join('+') === first.flaws.join('+') && s.skill === first.skill;
  const odd = read.find((x) => !same(x.s));
  if (odd)
    throw new InputError(
      `${odd.file}: seed, runs, mutant or skill differ from ${read[0]!.file}'s (seed ${odd.s.seed} vs ${first.seed}, runs ${odd.s.runs} vs ${first.runs}): merge the shards of one exploration`,
      2,
    );
  const count = first.shard?.count ?? 1;
  const seen = new Map<number, string>();
  for (const { file, s } of read) {
    const index = s.shard?.index ?? 1;
    if ((s.shard?.count ?? 1) !== count) throw new InputError(`${file}: shard: one of ${s.shard?.count ?? 1}, but ${read[0]!.file} is one of ${count}`, 2);
    if (seen.has(index)) throw new InputError(`${file}: shard: ${index}/${count} again (also ${seen.get(index)})`, 2);
    seen.set(index, file);
  }
  const missing = Array.from({ length: count }, (_, k) => k + 1).filter((k) => !seen.has(k));
  if (missing.length) throw new InputError(`--merge: shard${missing.length === 1 ? '' : 's'} ${missing.map((k) => `${k}/${count}`).join(', ')} missing`, 2);
  const junitFile = opts.junit !== undefined ? await outputFile('--junit', opts.junit, io, { force: Boolean(opts.force) }) : undefined;
  const markdownFile = opts.markdown !== undefined ? await outputFile('--markdown', opts.markdown, io, { force: Boolean(opts.force) }) : undefined;
  const report = merge(
    read.map((x) => x.s.report),
    first.seed,
  );
  const found = read.filter((x) => x.s.report.failed).sort((a, b) => (a.s.report.block ?? 0) - (b.s.report.block ?? 0));
  const replay = (s: ExploreSummary) =>
    `thread-team-sim explore --seed ${s.report.seed} --path ${s.report.path}${s.flaws.map((f) => ` --mutant ${f}`).join('')}${s.skill ? ` --skill ${s.skill}` : ''}`;
  const cases = found.map((x) => ({ block: x.s.report.block, file: x.s.file, summary: x.file, replay: replay(x.s), violations: x.s.report.violations }));
  if (opts.json) io.out(JSON.stringify({ ...report, shards: count, cases }, null, 2));
  else {
    const lines = summary(report, found[0]?.s.file ?? null, first.flaws, first.seed, 1, first.skill ?? undefined, null);
    lines[0] = lines[0]!.replace(
      /^explored (\d+) scenarios? \(seed \d+/,
      (_, n) => `explored ${n} scenario${n === '1' ? '' : 's'} in ${count} shard${count === 1 ? '' : 's'} (seed ${first.seed}`,
    );
    for (const l of lines) io.out(l);
    if (found[0]) io.out(`  replay without the file: ${replay(found[0].s)}`);
    if (cases.length > 1) {
      io.out(`  ${cases.length} shards found a case; the one above is the earliest block's (what one unsharded run finds). The others:`);
      for (const c of cases.slice(1))
        io.out(`    block ${c.block}: ${c.violations.map((v) => v.rule).join(', ')}: ${c.file ?? c.summary}; replay: ${c.replay}`);
    }
  }
  const replayLine = found[0]?.s.file ? `thread-team-sim run ${found[0].s.file}` : null;
  if (junitFile) await writeOutput('--junit', junitFile, exploreJunit(report, replayLine));
  if (markdownFile) await writeOutput('--markdown', markdownFile, exploreMarkdown(report, replayLine));
  setExit(report.failed ? 1 : 0);
}
