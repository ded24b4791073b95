import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SkillProfile } from '../../src/skill/types.ts';
import type { Scenario } from '../../sim/scenario/schema.ts';
import { type Backend, LEADER_ID, runScenario, type RunResult } from '../../sim/run.ts';
import { findCodexBinary } from '../../src/live/codex-binary.ts';
import { parseStat } from '../../src/core/process-tree.ts';
import { startOfflineCodex } from '../../src/live/offline-codex.ts';
import { CodexThreadAgent } from '../../src/live/codex-thread.ts';
import { AgentBrain, ReferenceBrain } from '../../src/live/reference-brain.ts';
import { ShellObserver, WorkerShellObserver } from '../../src/live/shell-observer.ts';
import { THREAD_IDS_FILE } from '../import/find.ts';
import { journalPath } from '../../src/leader/journal.ts';
import { claimScratch, diskBackend, makeScratch } from './disk-backend.ts';
import { cassetteBrain, forwardingBrain, loadCassette, recordingBrain, type Scrub } from '../../src/live/brains.ts';
import { type Brain, inputChars, type ModelRequest, type OutputItem } from '../../src/live/model-server.ts';
import type { LeaderEnv } from '../../src/ports/leader-env.ts';
import type { World } from '../../sim/world/world.ts';
import { USER_TEXT } from '../../sim/user.ts';
import { type Budget, BudgetExceeded, BudgetGuard } from './budget.ts';

// A scenario with the real Codex runtime as its leader: the simulated team and faults of the
// World, a real repository on disk, and `codex app-server` reading our SKILL.md, served the
// thread tools, executing its shell commands, and driven by a model that answers from here.

export type ModelMode =
  | { kind: 'reference' }
  | { kind: 'cassette'; file: string }
  | { kind: 'record'; file: string; upstream: 'reference' | { baseUrl: string; apiKey: string; model?: string } }
  | { kind: 'endpoint'; baseUrl: string; apiKey: string; model?: string };

export interface CodexRunResult extends RunResult {
  /** Every request the model server received: what reached the model. */
  requests: ModelRequest[];
  codexTurns: number;
  /** Estimated tokens that went to and from the model. */
  tokens: number;
  /**
   * Where the run's time went: its wall time, and the processor time of this process (the World,
   * the model server and its brains, the harness) and of Codex (app-server, with the shell
   * commands it ran; null where /proc cannot tell).
   */
  timing: { wallMs: number; ourCpuMs: number; codexCpuMs: number | null };
  /** What budget was spent, when one was: the run was then cancelled through the skill's abort path. */
  budgetSpent: string | null;
  /** Where the run's repository and Codex home were left, when asked to keep them. */
  kept: { scratch: string; codexHome: string } | null;
}

/** The real endpoint failed (unreachable, refused, an error status): its error, not a verdict on the leader. */
export class EndpointError extends Error {
  override name = 'EndpointError';
}

/** A cassette replay asked for a request the recording does not have. */
export class CassetteMismatchError extends Error {
  override name = 'CassetteMismatchError';
}

export class CodexUnavailableError extends Error {
  override name = 'CodexUnavailableError';
}

/** A scenario this driver cannot run (the others in a catalogue still can). */
export class UnsupportedScenarioError extends Error {
  override name = 'UnsupportedScenarioError';
}

/**
 * Counts the tokens that went to and from the model: the endpoint's own usage figure when it gave
 * one for the request, else 4 characters a token. A run far past its budget (a leader that
 * ignores the cancel inside one turn) is stopped here, at half as much again.
 */
function metered(inner: Brain, budget: Budget | undefined, spent: { tokens: number }, reported: { total: number | null }): Brain {
  return async (req) => {
    reported.total = null;
    const out = await inner(req);
    spent.tokens += reported.total ?? Math.ceil((inputChars(req) + JSON.stringify(out).length) / 4);
    if (budget && spent.tokens > budget.tokens * 1.5) throw new BudgetExceeded(`budget: more than ${budget.tokens} tokens, and the leader did not stop`);
    return out;
  };
}

/** Codex's rollout files (active and archived threads) and the skills it was given, copied under `to`. */
async function copySessions(codexHome: string, to: string): Promise<void> {
  // The skills too (a rollout names its skill by its path in this home), and which simulator
  // thread each Codex thread was.
  for (const dir of ['sessions', 'archived_sessions', 'skills', THREAD_IDS_FILE]) {
    await cp(join(codexHome, dir), join(to, dir), { recursive: true }).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }
}

/** Processor time of a live process and the children it has reaped (Linux /proc), or null. */
async function processCpuMs(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    const { cpu, childrenCpu } = parseStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
    const ms = (cpu + childrenCpu) * 1000;
    return Number.isFinite(ms) ? ms : null;
  } catch {
    return null;
  }
}

export async function runWithCodex(opts: {
  scenario: Scenario;
  profile: SkillProfile;
  skillDir: string;
  mode: ModelMode;
  seed?: number;
  budget?: Budget;
  /** The run's own scratch directory (default: a fresh one); kept afterwards with `keep`. */
  scratch?: string;
  keep?: boolean;
  /** Let `run` execute commands that are not the scenario's verification (`--allow-exec`). */
  allowExec?: boolean;
  /**
   * What runs the workers: the simulator's workers (default), or real Codex threads on the same
   * app-server whose model steps the scenario's behaviours decide, as real tool calls and shell
   * commands in their worktrees.
   */
  workers?: 'sim' | 'codex' | 'model';
  /** The repository (default: the scenario's, built in the scratch directory). */
  backend?: Backend;
  /** See runScenario: false for a live run, whose task split is the leader's to find. */
  splitKnown?: boolean;
  /** Copy every thread's rollout here, laid out as in a Codex home (sessions/, archived_sessions/), before Codex's home goes. */
  sessionsTo?: string;
}): Promise<CodexRunResult> {
  const binary = findCodexBinary();
  if (!binary) throw new CodexUnavailableError('the codex binary is not installed (npm install --include=optional @openai/codex)');
  const { scenario: s } = opts;
  if (s.faults.some((f) => f.kind === 'context-loss')) {
    throw new UnsupportedScenarioError(
      'context-loss faults are not supported with the Codex leader (a fresh Codex thread is not the same leader; Codex compacts on its own)',
    );
  }
  // A recording and its replay happen at one fixed path (claimed exclusively); any other
  // run gets a fresh one.
  const pinned = opts.mode.kind === 'cassette' || opts.mode.kind === 'record';
  const own = opts.scratch !== undefined ? null : pinned ? await claimScratch(s, opts.seed ?? s.seed) : await makeScratch(s);
  const scratch = opts.scratch ?? own!.path;
  // Everything from here to the end removes the run's own scratch on any exit, including an
  // error or interrupt while Codex is still starting.
  const startedAt = performance.now();
  const startedCpu = process.cpuUsage();
  let codex: Awaited<ReturnType<typeof startOfflineCodex>> | null = null;
  // The simulator's thread ids (what the thread tools answered) and Codex's (what names each
  // rollout), so a kept run can be imported whole (THREAD_IDS_FILE).
  const codexIds = new Map<string, string>();
  try {
    const scrub: Scrub = [[scratch, '<scratch>']];
    let reference: ReferenceBrain | null = null;
    let recording: ReturnType<typeof recordingBrain> | null = null;
    const referenceBrain: Brain = (req) => {
      if (!reference) throw new Error('reference brain used before the leader exists');
      return reference.brain(req);
    };
    // The endpoint's own token count for the request in flight, when it gives one.
    const reported: { total: number | null } = { total: null };
    const onUsage = (total: number) => {
      reported.total = total;
    };
    let brain: Brain;
    switch (opts.mode.kind) {
      case 'reference':
        brain = referenceBrain;
        break;
      case 'cassette':
        brain = cassetteBrain(await loadCassette(opts.mode.file), { scrub });
        break;
      case 'record':
        recording = recordingBrain(opts.mode.upstream === 'reference' ? referenceBrain : forwardingBrain({ ...opts.mode.upstream, onUsage }), { scrub });
        brain = recording;
        break;
      case 'endpoint':
        brain = forwardingBrain({ ...opts.mode, onUsage });
        break;
    }
    // An endpoint that fails makes every leader turn fail; the run then ends stuck, and that
    // would read as the leader's fault (L1). The endpoint's own error is what gets reported.
    let upstreamError: string | null = null;
    // A cassette that does not fit the run fails every turn from there on: the first mismatch
    // is what gets reported, not the stuck run that follows.
    let cassetteError: string | null = null;
    if (opts.mode.kind === 'cassette') {
      const inner = brain;
      brain = async (req) => {
        try {
          return await inner(req);
        } catch (e) {
          cassetteError ??= (e as Error).message.replace(/^cassette: /, '');
          throw e;
        }
      };
    }
    if (opts.mode.kind === 'endpoint' || (opts.mode.kind === 'record' && opts.mode.upstream !== 'reference')) {
      const inner = brain;
      const base = opts.mode.kind === 'endpoint' ? opts.mode.baseUrl : (opts.mode.upstream as { baseUrl: string }).baseUrl;
      brain = async (req) => {
        try {
          return await inner(req);
        } catch (e) {
          const cause = (e as { cause?: { code?: string; message?: string } }).cause;
          upstreamError ??= `${base}: ${cause?.code ?? cause?.message ?? (e as Error).message}`;
          throw e;
        }
      };
    }
    const needsReference = opts.mode.kind === 'reference' || (opts.mode.kind === 'record' && opts.mode.upstream === 'reference');
    const requests: ModelRequest[] = [];
    const spent = { tokens: 0 };
    // The model's requests, each first shown to the thread that sent it (a thread whose model
    // is not ours has its shell watched).
    let observing: CodexThreadAgent | null = null;
    const recorded: Brain = metered(
      async (req) => {
        requests.push(req);
        await observing?.observe(req);
        return brain(req) as Promise<OutputItem[]>;
      },
      opts.budget,
      spent,
      reported,
    );
    let agent: CodexThreadAgent | null = null;
    // Worker threads (--workers codex or model) are told apart by the thread each request and
    // tool call comes from. With `codex` their model is ours, offline, and neither recorded nor
    // metered; with `model` it is the leader's (a live run), metered with it.
    const workers = new Map<string, { brain: AgentBrain | null; agent: CodexThreadAgent }>();
    const routed: Brain = async (req) => {
      const w = workers.get(req.headers['thread-id'] ?? '');
      if (w?.brain) {
        requests.push(req);
        return w.brain.brain(req) as Promise<OutputItem[]>;
      }
      observing = w?.agent ?? agent;
      return recorded(req);
    };
    codex = await startOfflineCodex({
      binary,
      brain: routed,
      skills: { [opts.profile.name.value]: opts.skillDir },
      // The leader reads files through Codex's shell: tool output must reach the model whole.
      extraToml: 'tool_output_token_limit = 200000',
      requestTimeoutMs: 120_000,
      onToolCall: (call) => (workers.get(call.threadId)?.agent ?? agent!).onToolCall(call),
      ...(opts.keep ? { keepHome: true } : {}),
    });
    // The scratch Codex home has a random name, and it shows in what reaches the model (the
    // skill's path): a cassette must not depend on it.
    scrub.push([codex.home.root, '<codex-home>']);
    const started = codex;
    let leaderEnv: LeaderEnv | null = null;
    let world: World | null = null;
    const guard = opts.budget ? new BudgetGuard(opts.budget, spent, () => world?.userSays(LEADER_ID, USER_TEXT.cancel, 'cancel'), Date.now(), Date.now) : null;
    const result = await runScenario({
      onWorld: (w) => {
        world = w;
      },
      scenario: s,
      profile: opts.profile,
      backend: opts.backend ?? diskBackend({ scratch, ...(opts.keep ? { keep: true } : {}), ...(opts.allowExec ? { allowExec: true } : {}) }),
      ...(opts.splitKnown === false ? { splitKnown: false } : {}),
      leaderName: 'codex',
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      leader: (env) => {
        leaderEnv = env;
        if (needsReference) reference = new ReferenceBrain(env, new Set(s.leader.flaws));
        const observer = new ShellObserver(env.repoRoot, journalPath(env.profile, LEADER_ID), env.profile.workerReportPath.value, env.commands);
        agent = new CodexThreadAgent(started, env.repoRoot, reference, {
          observer,
          onThread: (id) => codexIds.set(LEADER_ID, id),
          ...(guard ? { beforeTurn: () => guard.beforeLeaderTurn() } : {}),
        });
        return agent;
      },
      ...(opts.workers === 'model'
        ? {
            worker: (_w, thread) => {
              const observer = new WorkerShellObserver(thread.cwd, leaderEnv!.profile.workerReportPath.value);
              const worker: CodexThreadAgent = new CodexThreadAgent(started, thread.cwd, null, {
                observer,
                onThread: (id) => {
                  workers.set(id, { brain: null, agent: worker });
                  codexIds.set(thread.id, id);
                },
              });
              return worker;
            },
          }
        : {}),
      ...(opts.workers === 'codex'
        ? {
            worker: (_w, thread, simulated) => {
              const env = leaderEnv!;
              const brain = new AgentBrain(() => simulated, {
                repoRoot: env.repoRoot,
                commands: env.commands,
                afterCompaction: `Worker: my task and progress are in ${env.profile.workerReportPath.value}; rereading them.`,
              });
              const worker: CodexThreadAgent = new CodexThreadAgent(started, thread.cwd, brain, {
                onThread: (id) => {
                  workers.set(id, { brain, agent: worker });
                  codexIds.set(thread.id, id);
                },
              });
              return worker;
            },
          }
        : {}),
    });
    if (upstreamError) throw new EndpointError(`the model endpoint failed: ${upstreamError}`);
    if (result.outcome === 'stuck' && guard?.spentOn) throw new BudgetExceeded(`budget: ${guard.spentOn}, and the run did not end through the cancel`);
    if (cassetteError) throw new CassetteMismatchError(`the run left the recording: ${cassetteError}`);
    if (recording) await recording.save(opts.mode.kind === 'record' ? opts.mode.file : '');
    const cpu = process.cpuUsage(startedCpu);
    const timing = { wallMs: performance.now() - startedAt, ourCpuMs: (cpu.user + cpu.system) / 1000, codexCpuMs: await processCpuMs(started.app.pid) };
    return Object.assign(result, {
      timing,
      budgetSpent: guard?.spentOn ?? null,
      requests,
      codexTurns: (agent as CodexThreadAgent | null)?.turns ?? 0,
      tokens: spent.tokens,
      kept: opts.keep ? { scratch, codexHome: started.home.root } : null,
    });
  } finally {
    if (codex)
      await writeFile(join(codex.home.home, THREAD_IDS_FILE), `${JSON.stringify({ threads: Object.fromEntries(codexIds) }, null, 2)}\n`).catch(() => undefined);
    // A failed or interrupted run's rollouts are kept too: they show what went wrong.
    if (opts.sessionsTo && codex) await copySessions(codex.home.home, opts.sessionsTo).catch(() => undefined);
    await codex?.close();
    if (opts.keep) own?.keep();
    else await own?.remove();
  }
}
