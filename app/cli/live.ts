// `thread-team-sim live`: the skill run for real on the user's repository, a real model leading
// real Codex worker threads in real worktrees, and the run checked by the same invariants.
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { type CliIO, InputError, UsageError } from './io.ts';
import { parseCount, profileFor } from './common.ts';
import { ScenarioError, parseYamlAs } from '../../sim/scenario/load.ts';
import { scenarioSchema, userSchema, type Scenario } from '../../sim/scenario/schema.ts';
import { type Budget, BudgetExceeded, GRACE_TURNS } from '../live/budget.ts';
// The Codex runtime (and its model server) is loaded when a live run starts, not with the CLI.
import type { CodexRunResult } from '../live/codex-run.ts';
import { RepoError, claimOutDir, inspectRepo, repoBackend } from '../live/repo-backend.ts';
import { writeTrace } from '../../src/trace/jsonl.ts';
import { checkRun } from '../../src/invariants/index.ts';
import { findCodexBinary } from '../../src/live/codex-binary.ts';
import { describeTrials, passRates } from './trials.ts';

interface LiveOpts {
  repo?: string;
  task?: string;
  taskFile?: string;
  skill?: string;
  endpoint?: string;
  apiKeyEnv: string;
  model?: string;
  verify: string;
  inPlace?: boolean;
  out?: string;
  scriptedUser?: string;
  maxTurns?: string;
  maxTokens?: string;
  maxMinutes?: string;
  trials?: string;
  keep?: boolean;
  json?: boolean;
}

/** One live run's report (printed, and written as OUT/report.json). */
interface LiveReport {
  ok: boolean;
  outcome: string;
  counts: CodexRunResult['counts'] | null;
  violations: { rule: string; message: string; events: number[] }[];
  error?: string;
  budgetSpent: string | null;
  tokens: number;
  codexTurns: number;
  wallSeconds: number;
  out: string;
  /** Where the team's work is: the clone (or the repository itself, in place) and its branch. */
  result: { repo: string; branch: string } | null;
}

export function registerLive(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('live')
    .description('run the skill for real: a real model leads real Codex worker threads on a clone of your repository, and the invariants check the run')
    .option('--repo <path>', 'the git repository to work on (it is cloned; only --in-place touches it)')
    .option('--task <text>', 'what the team is asked to do (the first thing the person says)')
    .option('--task-file <file>', 'the task, read from a file')
    .option('--skill <dir>', "the skill the leader follows (default: the project's skill/)")
    .option('--endpoint <url>', 'the model endpoint (an OpenAI-compatible Responses API: https://…/v1) for the leader and every worker')
    .option('--api-key-env <name>', 'environment variable holding the endpoint key', 'OPENAI_API_KEY')
    .option('--model <name>', 'the model to ask for (default: what Codex asks for)')
    .option('--verify <command>', 'the command that tells whether the tree is good (run by the team in its shell)', 'npm test')
    .option('--in-place', 'work in the repository itself (its tree must be clean) instead of a clone')
    .option('--out <dir>', "a new or empty folder for what the run keeps: the clone, the trace, every thread's rollout, the report")
    .option('--scripted-user <file>', "the person's side as YAML: confirm, settings {model, thinking}, status [times], cancel (time), keepWorktrees")
    .option('--max-turns <n>', 'budget of leader turns (default 200)')
    .option(
      '--max-tokens <n>',
      "budget of tokens, the endpoint's own counts when it gives them, else 4 characters each (default 20000000: every request carries the whole conversation, and a three-worker run estimates at 7.5 million)",
    )
    .option('--max-minutes <n>', 'budget of real minutes (default: none)')
    .option('--trials <k>', 'repeat the run k times, each from a fresh clone (OUT/trial-N), and report pass^k and pass@k')
    .option('--keep', 'also keep the worktrees the team left')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      [
        '',
        'COST: every thread (the leader and each worker) calls the endpoint; a run of a few workers',
        'makes hundreds of model requests. The budgets bound it: a spent budget first tells the leader',
        `to cancel, as the person would (the skill's abort path), gives it ${GRACE_TURNS} turns, then stops the run.`,
        'Your repository is cloned into OUT/repo with its remote removed: nothing the team does reaches',
        'it (not even a push). Take the result with: git fetch OUT/repo BRANCH.',
        "Kept in OUT: repo/ (the clone), trace.jsonl, codex-home/sessions/ (every thread's Codex rollout), report.json.",
        'The endpoint key stays in this process: Codex talks to a local proxy and never sees it.',
        'Here: 0 the run completed and every invariant held; 1 a rule broken or the run did not complete;',
        '      2 bad input or the endpoint failed (its own error is printed).',
      ].join('\n'),
    )
    .action(async (opts: LiveOpts) => {
      // Everything is checked before anything runs: a bad input runs nothing and leaves nothing.
      if (!opts.repo) throw new UsageError('live: --repo is required (the repository the team works on)');
      if (!opts.out) throw new UsageError('live: --out is required (a new or empty folder for what the run keeps)');
      if (!opts.endpoint) throw new UsageError('live: --endpoint is required (the model endpoint, like https://api.openai.com/v1)');
      if (!/^https?:\/\/[^\s]+$/.test(opts.endpoint)) throw new UsageError(`--endpoint: "${opts.endpoint.slice(0, 80)}" is not an http(s) URL`);
      if ((opts.task === undefined) === (opts.taskFile === undefined)) throw new UsageError('live: give the task with exactly one of --task or --task-file');
      const task = opts.task ?? (await readInput('--task-file', opts.taskFile!, io));
      if (!task.trim()) throw new UsageError('live: the task is empty');
      if (task.length > 10_000) throw new UsageError(`live: the task has ${task.length} characters (at most 10000)`);
      if (!opts.verify.trim() || /[\n\r]/.test(opts.verify)) throw new UsageError('--verify: one command on one line');
      const key = process.env[opts.apiKeyEnv];
      if (!key) throw new UsageError(`--endpoint needs a key in the environment variable ${opts.apiKeyEnv} (--api-key-env names another)`);
      const trials = parseCount(opts.trials, '--trials', 100) ?? 1;
      const budget: Budget = {
        turns: parseCount(opts.maxTurns, '--max-turns') ?? 200,
        tokens: parseCount(opts.maxTokens, '--max-tokens', 1e12) ?? 20_000_000,
        ...(opts.maxMinutes ? { minutes: parseCount(opts.maxMinutes, '--max-minutes', 10_000)! } : {}),
      };
      let user: Scenario['user'] = userSchema.parse({});
      if (opts.scriptedUser) {
        const text = await readInput('--scripted-user', opts.scriptedUser, io);
        try {
          user = parseYamlAs(userSchema, text, opts.scriptedUser, 'not a scripted user: a YAML mapping of confirm, settings, status, cancel', 'scripted user');
        } catch (e) {
          if (e instanceof ScenarioError) throw new InputError(e.message, 2);
          throw e;
        }
      }
      const repo = await inspectRepo(resolve(io.cwd, opts.repo), opts.repo).catch((e: unknown) => {
        throw e instanceof RepoError ? new InputError(e.message, 2) : e;
      });
      if (opts.inPlace && !repo.clean) throw new InputError(`--in-place: ${repo.root} has uncommitted changes; commit or stash them first`, 2);
      if (opts.inPlace && trials > 1) throw new UsageError('--trials cannot run in place: each trial starts from a fresh clone');
      if (!findCodexBinary()) throw new InputError('live: the codex binary is not installed (npm install --include=optional @openai/codex)', 2);
      const skill = await profileFor(opts.skill, io);
      // Codex adds a skill to the conversation when the person names it (`$name`).
      const mention = `$${skill.profile.name.value}`;
      const prompt = task.includes(mention) ? task : `${mention} ${task}`;
      const scenario = scenarioSchema.parse({
        name: 'live',
        // The repository is the user's, and so is its verification (repoBackend): these are never used.
        repo: { files: { 'README.md': '' }, branch: repo.branch },
        // The split is the leader's to find: one stand-in area (the trace says the split is unknown).
        task: { prompt, areas: [{ role: 'team', scope: 'decided by the leader', owns: ['README.md'] }] },
        user,
        expect: {},
      });
      const out = await claimOutDir(resolve(io.cwd, opts.out), opts.out).catch((e: unknown) => {
        throw e instanceof RepoError ? new InputError(e.message, 2) : e;
      });
      const reports: LiveReport[] = [];
      for (let t = 1; t <= trials; t++) {
        const dir = trials === 1 ? out : join(out, `trial-${t}`);
        if (trials > 1) io.err(`trial ${t} of ${trials}: ${dir}`);
        const report = await liveOnce({ scenario, skill, opts, key, budget, dir, source: repo.root, io });
        reports.push(report);
        await writeFile(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
        if (opts.json) io.out(JSON.stringify(report));
        else for (const line of describe(report)) io.out(line);
      }
      if (trials > 1) {
        const tally = [{ scenario: 'live', trials, held: reports.filter((r) => r.ok).length }];
        if (opts.json) io.out(JSON.stringify({ trials, rates: passRates(tally) }));
        else for (const line of describeTrials(tally)) io.out(line);
      }
      setExit(reports.every((r) => r.ok) ? 0 : 1);
    });
}

async function readInput(flag: string, file: string, io: CliIO): Promise<string> {
  try {
    return await readFile(resolve(io.cwd, file), 'utf8');
  } catch (e) {
    throw new InputError(`${flag}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 2);
  }
}

async function liveOnce(a: {
  scenario: Scenario;
  skill: Awaited<ReturnType<typeof profileFor>>;
  opts: LiveOpts;
  key: string;
  budget: Budget;
  dir: string;
  source: string;
  io: CliIO;
}): Promise<LiveReport> {
  const { opts, dir } = a;
  const started = Date.now();
  let r: CodexRunResult;
  const { runWithCodex, CodexUnavailableError, EndpointError } = await import('../live/codex-run.ts');
  try {
    r = await runWithCodex({
      scenario: a.scenario,
      profile: a.skill.profile,
      skillDir: a.skill.dir,
      mode: { kind: 'endpoint', baseUrl: opts.endpoint!, apiKey: a.key, ...(opts.model ? { model: opts.model } : {}) },
      budget: a.budget,
      scratch: dir,
      workers: 'model',
      backend: repoBackend({
        source: a.source,
        into: dir,
        verify: opts.verify,
        ...(opts.inPlace ? { inPlace: true } : {}),
        ...(opts.keep ? { keep: true } : {}),
      }),
      splitKnown: false,
      sessionsTo: join(dir, 'codex-home'),
    });
  } catch (e) {
    if (e instanceof CodexUnavailableError) throw new InputError(e.message, 2);
    if (e instanceof EndpointError) throw new InputError(`--endpoint: ${e.message} (what the run kept is in ${dir})`, 2);
    if (e instanceof RepoError) throw new InputError(e.message, 2);
    if (e instanceof BudgetExceeded) {
      return {
        ok: false,
        outcome: 'stopped',
        counts: null,
        violations: [],
        error: e.message,
        budgetSpent: e.message,
        tokens: 0,
        codexTurns: 0,
        wallSeconds: Math.round((Date.now() - started) / 1000),
        out: dir,
        result: null,
      };
    }
    throw e;
  }
  await writeTrace(join(dir, 'trace.jsonl'), r.events);
  const check = checkRun(r.events, {});
  const root = opts.inPlace ? a.source : join(dir, 'repo');
  return {
    ok: r.outcome === 'complete' && check.failures.length === 0,
    outcome: r.outcome,
    counts: r.counts,
    violations: check.failures.map((v) => ({ rule: v.rule, message: v.message, events: v.events })),
    budgetSpent: r.budgetSpent,
    tokens: r.tokens,
    codexTurns: r.codexTurns,
    wallSeconds: Math.round(r.timing.wallMs / 1000),
    out: dir,
    result: { repo: root, branch: a.scenario.repo.branch },
  };
}

function describe(r: LiveReport): string[] {
  const lines: string[] = [];
  if (r.error) lines.push(`FAIL live: ${r.error}`);
  else {
    const c = r.counts!;
    lines.push(
      `${r.ok ? 'ok  ' : 'FAIL'} live ${r.outcome}  ${r.wallSeconds} s  workers ${c.workers}  replacements ${c.replacements}  reworks ${c.reworks}  merges ${c.merges}  leader turns ${r.codexTurns}  tokens ${r.tokens}`,
    );
  }
  for (const v of r.violations) lines.push(`     ${v.rule}: ${v.message} (events ${v.events.join(', ')})`);
  if (r.budgetSpent) lines.push(`     budget: ${r.budgetSpent}; the leader was told to cancel (the skill's abort path)`);
  lines.push(`     kept in ${r.out}: trace.jsonl, codex-home/sessions/ (every thread's rollout), report.json`);
  if (r.result) lines.push(`     the team's work: branch ${r.result.branch} of ${r.result.repo} (git fetch ${r.result.repo} ${r.result.branch})`);
  lines.push(`     check again: thread-team-sim check ${join(r.out, 'trace.jsonl')}`);
  return lines;
}
