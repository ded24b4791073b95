// `thread-team-sim run`: run scenarios against a skill and a leader, check what they expect.
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { type CliIO, InputError, UsageError } from './io.ts';
import { outputDir, outputFile, shownPath } from './outputs.ts';
import type { Scenario } from '../../sim/scenario/schema.ts';
import { parseCount, parseRuleSet, parseSeed, profileFor, RULES_HELP, scenarioFiles, simulate } from './common.ts';
import { ScenarioError, loadScenario } from '../../sim/scenario/load.ts';
import type { RunResult } from '../../sim/run.ts';
import { ScratchBusyError } from '../live/disk-backend.ts';
import { checkFreshDir, RepoError } from '../live/repo-backend.ts';
import { type Budget, BudgetExceeded, GRACE_TURNS } from '../live/budget.ts';
// The Codex runtime (and its model server) is loaded only by a run that uses it.
import type { ModelMode } from '../live/codex-run.ts';
import { loadCassette } from '../../src/live/brains.ts';
import { unmetExpectations } from '../../sim/expect.ts';
import { fixtureSkillDir } from '../../sim/fixtures.ts';
import { writeTrace } from '../../src/trace/jsonl.ts';
import { checkRun, counts } from '../../src/invariants/index.ts';
import { HOSTS, type HostName } from '../../src/contract/hosts.ts';
import { sizeRefusals } from './host-fit.ts';
import { type ScenarioReport, runJunit, runMarkdown, runName } from './reports.ts';
import { describeTrials, passRates, type TrialTally } from './trials.ts';
import { writeOutput } from './outputs.ts';
import { timelineOf } from '../show/timeline.ts';
import { timelineHtml } from '../show/html.ts';

interface RunOpts {
  skill?: string;
  force?: boolean;
  keep?: boolean;
  out?: string;
  rules: string;
  allowExec?: boolean;
  seed?: string;
  trace?: string;
  json?: boolean;
  leader: string;
  workers: string;
  cassette?: string;
  record?: string;
  endpoint?: string;
  apiKeyEnv: string;
  model?: string;
  maxTurns?: string;
  maxTokens?: string;
  maxMinutes?: string;
  trials?: string;
  host?: string;
  junit?: string;
  markdown?: string;
  report?: string;
}

export function registerRun(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('run scenario files (default: the whole catalogue) against a skill, check expectations and invariants')
    .argument('[paths...]', 'scenario files or folders of *.yaml (default: ./scenarios/ when it holds some, else the catalogue that comes with the harness)')
    .option('--skill <dir>', "skill directory the leader follows (default: the project's skill/)")
    .option('--seed <n>', "seed for every scenario (default: each scenario's own seed)")
    .option('--junit <file>', 'also write the results as JUnit XML (one testcase per scenario), for CI')
    .option('--markdown <file>', 'also write the results as Markdown (a table, each failure in a collapsed block): a PR comment or job summary')
    .option('--trace <path>', 'write the JSONL trace: a file for one scenario, a folder (NAME.jsonl) for several')
    .option('--report <dir>', 'write the HTML timeline of each failing scenario to DIR/NAME.html (the page thread-team-sim show --html makes)')
    .option(
      '--leader <driver>',
      'leader driver: reference (the protocol as code, in the simulator) or codex (the real Codex runtime, a real repository on disk)',
      'reference',
    )
    .option(
      '--workers <driver>',
      "worker driver: sim (the simulator's workers) or codex (with --leader codex: each worker a real Codex thread in its worktree, its steps decided offline by the scenario's behaviours)",
      'sim',
    )
    .option(
      '--host <name>',
      "whose thread tools the simulated world answers as: desktop (the desktop app's) or tui (Codex's terminal UI: no worktree target, 1,000-byte prompts, no heartbeats); default: each scenario's world.host, desktop unless it says",
    )
    .option('--cassette <file>', 'codex: replay a recorded model exchange instead of running the reference model')
    .option('--record <file>', 'codex: record the model exchange to this cassette')
    .option('--endpoint <url>', 'codex: a real Responses endpoint (https://…/v1) instead of the offline model; key from --api-key-env')
    .option('--api-key-env <name>', 'codex: environment variable holding the endpoint key', 'OPENAI_API_KEY')
    .option('--model <name>', "codex: the endpoint's model for every request (default: what the request names)")
    .option('--max-turns <n>', 'codex: budget of leader turns (default with --endpoint: 200; offline: none)')
    .option(
      '--max-tokens <n>',
      "codex: budget of tokens, the endpoint's own counts when it gives them, else 4 characters each (default with --endpoint: 2000000; offline: none)",
    )
    .option('--max-minutes <n>', 'codex: budget of real minutes for the run (default: none)')
    .option('--trials <k>', 'codex: run each scenario k times, each in a scratch of its own, and report pass^k and pass@k (default 1)')
    .option('--keep', "codex: keep the run's scratch repository and Codex home, and print where they are")
    .option(
      '--out <dir>',
      "codex: keep each run under DIR/NAME (DIR/NAME.trial-N): its repository (repo/), every thread's rollout (codex-home/) and its trace (trace.jsonl), to import and check again later",
    )
    .option(
      '--allow-exec',
      "codex: let workers' verification run commands other than the scenario's own check, in a real shell (only for scenario files you trust)",
    )
    .option('--rules <set>', RULES_HELP, 'protocol')
    .option('--force', 'replace an existing --trace or --record file')
    .option('--json', 'print one JSON report per scenario (with the trace hash) instead of text')
    .addHelpText(
      'after',
      [
        '',
        'Each scenario prints one line: ok or FAIL, name, outcome, simulated minutes, workers,',
        'replacements, reworks, merges; a FAIL is followed by each unmet expectation and each',
        'invariant violation (rule, sentence, trace event indices).',
        'Here: 0 means every expectation held and no invariant was broken; 1 otherwise;',
        '      2 bad input (a bad scenario file, a path, a flag): then nothing is run.',
        'A scenario file is data: its verification command is only a name; the harness checks the',
        'tree itself and runs no command from it (--allow-exec, for --leader codex, changes that).',
        'Outputs (--trace, --record) never replace an input, nor an existing file without --force.',
        'Replay one scenario with its trace:  thread-team-sim run scenarios/NAME.yaml --seed N --trace out.jsonl',
        'A failure also prints the command that shows it as a timeline (show: …); --report DIR writes it as HTML.',
        '',
        'With --leader codex the real Codex runtime (the codex binary of @openai/codex) leads: it loads',
        'the skill, is served the thread tools, runs its commands in a scratch repository, and takes its',
        'model steps from a local model server: offline by default (the reference leader decides),',
        'or a recorded --cassette, or a real --endpoint within --max-turns and --max-tokens.',
        `A spent budget (--max-turns, --max-tokens, --max-minutes) first tells the leader to cancel, as the`,
        `person would, and gives it ${GRACE_TURNS} turns to tear the team down; only then is the run stopped.`,
        'With --workers codex too, every worker is a real Codex thread on the same app-server, in its own',
        "worktree: its model steps are the scenario's behaviours, done as real shell commands and tool calls.",
      ].join('\n'),
    )
    .action(async (paths: string[], opts: RunOpts) => {
      if (opts.leader !== 'reference' && opts.leader !== 'codex') throw new UsageError(`--leader: unknown driver "${opts.leader}" (known: reference, codex)`);
      if (opts.workers !== 'sim' && opts.workers !== 'codex') throw new UsageError(`--workers: unknown driver "${opts.workers}" (known: sim, codex)`);
      if (opts.workers === 'codex' && opts.leader !== 'codex')
        throw new UsageError("--workers codex needs --leader codex (the workers run on the Codex leader's app-server)");
      if (opts.host !== undefined && !(HOSTS as readonly string[]).includes(opts.host))
        throw new UsageError(`--host: unknown host "${opts.host}" (known: ${HOSTS.join(', ')})`);
      if (opts.host === 'tui' && opts.leader === 'codex')
        throw new UsageError('--host tui runs in the simulator only for now: the Codex leader is offered the desktop tools');
      if (opts.leader !== 'codex' && (opts.cassette || opts.record || opts.endpoint))
        throw new UsageError('--cassette, --record and --endpoint need --leader codex');
      if (opts.leader !== 'codex' && opts.out) throw new UsageError('--out keeps what a Codex run left: it needs --leader codex');
      if (opts.out && (opts.cassette || opts.record))
        throw new UsageError('--out cannot be combined with --cassette or --record (a recording replays at a fixed path)');
      if (opts.leader !== 'codex' && (opts.keep || opts.allowExec))
        throw new UsageError('--keep and --allow-exec are for --leader codex (the simulator keeps nothing on disk and runs no command)');
      if (opts.model && !opts.endpoint) throw new UsageError('--model names the model of an --endpoint');
      if (opts.cassette && (opts.record || opts.endpoint))
        throw new UsageError('--cassette replays a recording: it cannot be combined with --record or --endpoint');
      parseRuleSet(opts.rules);
      const trials = parseCount(opts.trials, '--trials', 100) ?? 1;
      if (trials > 1 && opts.leader !== 'codex')
        throw new UsageError('--trials needs --leader codex (a simulated run repeats itself exactly; explore draws new runs)');
      if (trials > 1 && (opts.cassette || opts.record)) throw new UsageError('--trials cannot replay or record a cassette: each trial is a run of its own');
      const seed = parseSeed(opts.seed);
      // A budget guards a paid endpoint; the offline models cost nothing, so they get none unless asked.
      const paid = Boolean(opts.endpoint);
      const budget: Budget | undefined =
        paid || opts.maxTurns || opts.maxTokens || opts.maxMinutes
          ? {
              // Unnamed limits: the endpoint's defaults, or none offline.
              turns: parseCount(opts.maxTurns, '--max-turns') ?? (paid ? 200 : Number.POSITIVE_INFINITY),
              tokens: parseCount(opts.maxTokens, '--max-tokens', 1e12) ?? (paid ? 2_000_000 : Number.POSITIVE_INFINITY),
              ...(opts.maxMinutes ? { minutes: parseCount(opts.maxMinutes, '--max-minutes', 10_000)! } : {}),
            }
          : undefined;
      const files = await scenarioFiles(paths, io);
      if (opts.leader === 'codex' && files.length > 1 && (opts.cassette || opts.record)) throw new UsageError('--cassette and --record take one scenario');
      // Every input is read and checked before anything runs: a bad one runs nothing.
      const loaded: { file: string; shown: string; scenario: Scenario }[] = [];
      const bad: string[] = [];
      for (const file of files) {
        const shown = shownPath(io, file);
        try {
          loaded.push({ file, shown, scenario: await loadScenario(file, shown) });
        } catch (e) {
          if (!(e instanceof ScenarioError)) throw e;
          bad.push(e.message);
        }
      }
      if (bad.length) {
        for (const b of bad.slice(0, -1)) io.err(`thread-team-sim: ${b}`);
        throw new InputError(`${bad.at(-1)!}${bad.length > 1 ? ` (${bad.length} bad scenario files; nothing was run)` : ' (nothing was run)'}`, 2);
      }
      const chosen = await profileFor(opts.skill, io);
      // A scenario pinned to a fixture skill runs with it, unless --skill says otherwise.
      const pinned = new Map<string, Awaited<ReturnType<typeof profileFor>>>();
      for (const { shown, scenario } of loaded) {
        const name = scenario.skill;
        if (!name || opts.skill !== undefined || pinned.has(name)) continue;
        try {
          pinned.set(name, await profileFor(fixtureSkillDir(name), io));
        } catch (e) {
          throw new InputError(`${shown}: skill: ${(e as Error).message}`, 2);
        }
      }
      const skillFor = (name: string | undefined) => (!name || opts.skill !== undefined ? chosen : pinned.get(name)!);
      if (opts.cassette) {
        try {
          await loadCassette(resolve(io.cwd, opts.cassette));
        } catch (e) {
          throw new InputError(`--cassette: cannot use ${opts.cassette}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2);
        }
      }
      const inputs = [...files, ...(opts.cassette ? [resolve(io.cwd, opts.cassette)] : [])];
      const force = Boolean(opts.force);
      const record = opts.record ? await outputFile('--record', opts.record, io, { inputs, force }) : undefined;
      const junitFile = opts.junit ? await outputFile('--junit', opts.junit, io, { inputs, force }) : undefined;
      const markdownFile = opts.markdown ? await outputFile('--markdown', opts.markdown, io, { inputs, force }) : undefined;
      // Where each run's trace goes: a file for one scenario run once, else NAME.jsonl (or
      // NAME.trial-N.jsonl) in a folder.
      const traces = new Map<string, string>();
      const traceKey = (file: string, trial: number) => `${trial}:${file}`;
      if (opts.trace && loaded.length === 1 && trials === 1)
        traces.set(traceKey(loaded[0]!.file, 1), await outputFile('--trace', opts.trace, io, { inputs, force }));
      else if (opts.trace) {
        const dir = await outputDir('--trace', opts.trace, io);
        for (const { file, scenario } of loaded)
          for (let t = 1; t <= trials; t++) {
            const name = trials === 1 ? `${scenario.name}.jsonl` : `${scenario.name}.trial-${t}.jsonl`;
            traces.set(traceKey(file, t), await outputFile('--trace', join(dir, name), io, { inputs, force, folderMadeLater: true }));
          }
        await mkdir(dir, { recursive: true });
      }
      // Where each failing run's HTML timeline goes (--report): checked now, written if it fails.
      const pages = new Map<string, string>();
      if (opts.report) {
        const dir = await outputDir('--report', opts.report, io);
        for (const { file, scenario } of loaded)
          for (let t = 1; t <= trials; t++) {
            const name = trials === 1 ? `${scenario.name}.html` : `${scenario.name}.trial-${t}.html`;
            pages.set(traceKey(file, t), await outputFile('--report', join(dir, name), io, { inputs, force, folderMadeLater: true }));
          }
      }
      // Where each run is kept (--out): a new or empty folder each, checked before anything runs.
      const kept = new Map<string, string>();
      if (opts.out) {
        const dir = await outputDir('--out', opts.out, io);
        for (const { file, scenario } of loaded)
          for (let t = 1; t <= trials; t++) {
            const name = trials === 1 ? scenario.name : `${scenario.name}.trial-${t}`;
            const at = join(dir, name);
            await checkFreshDir(at, shownPath(io, at)).catch((e: unknown) => {
              throw e instanceof RepoError ? new InputError(e.message, 2) : e;
            });
            kept.set(traceKey(file, t), at);
          }
      }
      const reports: ScenarioReport[] = [];
      const tallies: TrialTally[] = [];
      for (const l of loaded) {
        const tally = { scenario: l.scenario.name, trials, held: 0 };
        for (let t = 1; t <= trials; t++) {
          const run = await runOne(
            l,
            skillFor(l.scenario.skill),
            seed,
            { ...opts, ...(record ? { record } : {}) },
            traces.get(traceKey(l.file, t)),
            io,
            budget,
            kept.get(traceKey(l.file, t)),
            pages.get(traceKey(l.file, t)),
          );
          const report = trials > 1 ? { ...run, trial: t } : run;
          if (report.ok) tally.held++;
          reports.push(report);
          if (opts.json) io.out(JSON.stringify(report));
          else for (const line of describe(report)) io.out(line);
        }
        tallies.push(tally);
      }
      const failed = reports.filter((r) => !r.ok).length;
      if (trials > 1) {
        if (opts.json) io.out(JSON.stringify({ trials, scenarios: tallies, rates: passRates(tallies) }));
        else for (const line of describeTrials(tallies)) io.out(line);
      }
      const what = trials > 1 ? 'scenario runs' : 'scenarios';
      if (!opts.json) io.out(`${reports.length - failed} of ${reports.length} ${what} held${failed ? `; ${failed} failed` : ''}`);
      const skillName = opts.skill ?? 'skill/';
      if (junitFile) await writeOutput('--junit', junitFile, runJunit(reports, skillName));
      if (markdownFile) await writeOutput('--markdown', markdownFile, runMarkdown(reports, skillName));
      setExit(failed ? 1 : 0);
    });
}

async function runOne(
  input: { file: string; shown: string; scenario: Scenario },
  skill: Awaited<ReturnType<typeof profileFor>>,
  seed: number | undefined,
  opts: RunOpts,
  trace: string | undefined,
  io: CliIO,
  budget: Budget | undefined,
  keepIn?: string,
  page?: string,
): Promise<ScenarioReport> {
  const { shown, scenario } = input;
  const { profile, dir: skillDir } = skill;
  const live = { skillDir, budget };
  let result: RunResult;
  if (opts.leader === 'codex') {
    const key = process.env[opts.apiKeyEnv];
    if (opts.endpoint && !key) throw new UsageError(`--endpoint needs a key in the environment variable ${opts.apiKeyEnv}`);
    const upstream = opts.endpoint ? { baseUrl: opts.endpoint, apiKey: key!, ...(opts.model ? { model: opts.model } : {}) } : ('reference' as const);
    const mode: ModelMode = opts.cassette
      ? { kind: 'cassette', file: resolve(io.cwd, opts.cassette) }
      : opts.record
        ? { kind: 'record', file: opts.record, upstream }
        : upstream === 'reference'
          ? { kind: 'reference' }
          : { kind: 'endpoint', ...upstream };
    const { runWithCodex, CassetteMismatchError, CodexUnavailableError, EndpointError, UnsupportedScenarioError } = await import('../live/codex-run.ts');
    try {
      const r = await runWithCodex({
        scenario,
        profile,
        skillDir: live.skillDir,
        mode,
        ...(live.budget ? { budget: live.budget } : {}),
        ...(seed !== undefined ? { seed } : {}),
        ...(opts.keep ? { keep: true } : {}),
        ...(keepIn ? { scratch: keepIn, sessionsTo: join(keepIn, 'codex-home') } : {}),
        ...(opts.allowExec ? { allowExec: true } : {}),
        ...(opts.workers === 'codex' ? { workers: 'codex' as const } : {}),
      });
      if (r.kept) io.err(`kept: the run's repository at ${r.kept.scratch}, its Codex home at ${r.kept.codexHome}`);
      if (keepIn) {
        await mkdir(keepIn, { recursive: true });
        await writeTrace(join(keepIn, 'trace.jsonl'), r.events);
        io.err(
          `kept in ${shownPath(io, keepIn)}: repo/, codex-home/ (every thread's rollout), trace.jsonl; check it again: thread-team-sim import --codex-home ${shownPath(io, join(keepIn, 'codex-home'))} --check`,
        );
      }
      if (r.budgetSpent) io.err(`budget: ${r.budgetSpent}; the leader was told to cancel (the skill's abort path)`);
      result = r;
    } catch (e) {
      if (e instanceof CodexUnavailableError) throw new InputError(e.message, 2);
      if (e instanceof EndpointError) throw new InputError(`--endpoint: ${e.message}`, 2);
      if (e instanceof CassetteMismatchError) throw new InputError(`--cassette: ${e.message}`, 1);
      if (e instanceof ScratchBusyError) throw new InputError(e.message, 2);
      if (e instanceof UnsupportedScenarioError) return { scenario: scenario.name, file: shown, ok: false, error: e.message };
      if (e instanceof BudgetExceeded) return { scenario: scenario.name, file: shown, ok: false, error: e.message };
      throw e;
    }
  } else {
    result = await simulate(scenario, profile, {
      ...(seed !== undefined ? { seed } : {}),
      ...(opts.host !== undefined ? { host: opts.host as HostName } : {}),
    });
  }
  const unmet = unmetExpectations(scenario, result);
  const host = result.events[0]?.kind === 'run.start' ? result.events[0].host : undefined;
  const refused = host ? sizeRefusals(result.events) : [];
  const all = checkRun(result.events, { workerViolations: scenario.expect.workerViolations });
  const rules = parseRuleSet(opts.rules);
  const check = { ...all, failures: all.failures.filter((v) => counts(v, rules)) };
  if (trace) {
    try {
      await writeTrace(trace, result.events);
    } catch (e) {
      throw new InputError(`--trace: cannot write ${trace} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 2);
    }
  }
  const ok = unmet.length === 0 && check.failures.length === 0;
  if (!ok && page) {
    // A folder that cannot be made is reported by the write, naming --report.
    await mkdir(dirname(page), { recursive: true }).catch(() => undefined);
    await writeOutput('--report', page, timelineHtml(timelineOf(result.events), result.events));
  }
  // How to see it: its trace when one was written or kept, else the scenario run again (a simulated run replays exactly).
  const kept = trace ?? (keepIn ? join(keepIn, 'trace.jsonl') : undefined);
  const show = kept
    ? `thread-team-sim show ${shownPath(io, kept)}`
    : opts.leader === 'codex'
      ? 'run it with --trace FILE (or --out DIR) to keep its trace, then thread-team-sim show FILE'
      : `thread-team-sim show ${shown} --seed ${result.seed}${opts.host ? ` --host ${opts.host}` : ''}${opts.skill ? ` --skill ${opts.skill}` : ''}`;
  return {
    scenario: scenario.name,
    file: shown,
    ...(scenario.skill && opts.skill === undefined ? { skill: scenario.skill } : {}),
    ok,
    ...(!ok && show ? { show } : {}),
    ...(!ok && page ? { report: shownPath(io, page) } : {}),
    seed: result.seed,
    outcome: result.outcome,
    simMinutes: Math.round(result.simMs / 6000) / 10,
    counts: result.counts,
    hash: result.hash,
    unmet: [...unmet, ...check.unexpectedMissing],
    violations: check.failures,
    faultsFired: result.faultsFired,
    ...(host ? { host } : {}),
    ...(refused.length ? { refused } : {}),
    ...(trace ? { trace: shownPath(io, trace) } : {}),
  };
}

function describe(r: ScenarioReport): string[] {
  if (r.error) return [`FAIL ${runName(r)}: ${r.error}`];
  const c = r.counts!;
  const head =
    `${r.ok ? 'ok  ' : 'FAIL'} ${runName(r).padEnd(28)} ${r.outcome!.padEnd(16)} ${String(r.simMinutes).padStart(6)} min` +
    `  workers ${c.workers}  replacements ${c.replacements}  reworks ${c.reworks}  merges ${c.merges}` +
    (r.faultsFired!.length ? `  faults ${r.faultsFired!.join(',')}` : '') +
    (r.skill ? `  skill ${r.skill}` : '') +
    (r.host ? `  host ${r.host}` : '');
  const lines = [head];
  for (const x of r.refused ?? []) lines.push(`     refused by the ${r.host} host: ${x}`);
  for (const u of r.unmet ?? []) lines.push(`     unmet: ${u}`);
  for (const v of r.violations ?? []) lines.push(`     ${v.rule}: ${v.message} (events ${v.events.join(', ')})`);
  if (r.trace) lines.push(`     trace: ${r.trace}`);
  if (r.show) lines.push(`     show: ${r.show}`);
  if (r.report) lines.push(`     report: ${r.report}`);
  if (!r.ok)
    lines.push(
      `     replay: thread-team-sim run ${r.file} --seed ${r.seed}${r.host ? ` --host ${r.host}` : ''}${r.trace ? '' : ` --trace ${r.scenario}.jsonl`}`,
    );
  return lines;
}
