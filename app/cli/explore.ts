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
import { counterexampleYaml, explore, type ExploreReport } from '../explore/explore.ts';
import { exploreParallel } from '../explore/parallel.ts';
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
}

export function registerExplore(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('explore')
    .description('generate scenarios (swarm testing over fault families), check every invariant, shrink a failure to a scenario file')
    .option('--runs <n>', 'scenarios to generate', '200')
    .option('--seed <n>', 'seed of the generator (default: from the clock, printed so the run can be repeated)')
    .option('--jobs <n>', 'processes exploring in parallel, each with a seed derived from --seed (default: one per core, at most 4; 1 for fewer than 100 runs)')
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
      const runs = parseCount(opts.runs, '--runs', 1_000_000)!;
      // The generator's seed is the one thing taken from the real clock, and it is printed.
      const seed = parseSeed(opts.seed) ?? Date.now() & 0x7fffffff;
      const flaws = (opts.mutant ?? []).map((f) => {
        if (!(FLAWS as readonly string[]).includes(f)) throw new UsageError(`--mutant: unknown flaw "${f}" (known: ${FLAWS.join(', ')})`);
        return f as Flaw;
      });
      if (opts.path !== undefined && opts.seed === undefined) throw new UsageError('--path needs the --seed the case was found with');
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
          ? await exploreParallel({ jobs, runs, seed, skill: dir, flaws, onProgress: (p) => progress(p.done, p.total, p.shrinking) })
          : await explore({
              runs,
              seed,
              profile,
              flaws,
              ...(opts.path !== undefined ? { path: opts.path } : {}),
              onProgress: (p) => (p.phase === 'explore' ? progress(p.done, p.total, false) : io.progress(`shrinking a failure: ${p.done} smaller cases tried`)),
            });
      forget();
      io.progress(null);
      let file: string | null = null;
      if (report.failed && report.counterexample) file = await writeCase(report, flaws, opts, outDir, io, profile, trace);
      if (opts.json) io.out(JSON.stringify({ ...report, file }, null, 2));
      else for (const line of summary(report, file, flaws, seed, jobs, opts.skill)) io.out(line);
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

function summary(r: ExploreReport, file: string | null, flaws: Flaw[], seed: number, jobs: number, skill: string | undefined): string[] {
  const lines = [
    `explored ${r.runs} scenario${r.runs === 1 ? '' : 's'} (seed ${seed}${jobs > 1 ? `, ${jobs} jobs` : ''}${flaws.length ? `, mutant ${flaws.join('+')}` : ''}) in ${(r.exploreMs / 1000).toFixed(1)} s, ${(r.runs / Math.max(0.001, r.exploreMs / 1000)).toFixed(1)} runs/s`,
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
