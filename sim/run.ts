import { createHash } from 'node:crypto';
import type { SkillProfile } from '../src/skill/types.ts';
import { traceHash } from '../src/trace/trace.ts';
import type { TraceEvent, TraceProfile } from '../src/trace/events.ts';
import { type HostName, TOOL_NAMES, TUI_TOOL_NAMES } from '../src/contract/index.ts';
import { FaultPlan } from './faults.ts';
import { readFixtureRepo } from './fixtures.ts';
import { type Scenario, behaviourOf, type Outcome } from './scenario/schema.ts';
import { UserScript } from './user.ts';
import { createMemoryWorkspace, type MemorySnapshot } from '../src/workspace/memory.ts';
import type { LeaderEnv, LeaderFactory } from '../src/ports/leader-env.ts';
import type { Workspace } from '../src/ports/workspace.ts';
import { createWorld } from './world/create.ts';
import type { World } from './world/world.ts';
import type { SimThread } from './world/types.ts';
import type { Agent } from '../src/ports/agent.ts';
import { SimWorker } from './workers/worker.ts';
import { journalPathRegex } from '../src/skill/index.ts';
import { assignmentOf, finalOf, formsOf, recognise } from '../src/skill/views.ts';

export interface RunCounts {
  workers: number;
  replacements: number;
  reworks: number;
  merges: number;
}

export interface RunResult {
  scenario: string;
  seed: number;
  outcome: Outcome;
  events: TraceEvent[];
  hash: string;
  simMs: number;
  counts: RunCounts;
  /** Hash of the leader checkout's files at the end (what the run produced). */
  treeHash: string;
  faultsFired: string[];
  leader: string;
}

export const EPOCH_MS = Date.UTC(2026, 0, 5, 9, 0, 0);
export const PROJECT_ID = 'proj-webapp';
const REPO_ROOT = '/repo';
export const LEADER_ID = '00000000-0000-7000-8000-00000000leed';
/** After the final report, the world runs on this long so that a leaked heartbeat shows. */
const GRACE_MS = 15 * 60_000;

const snapshots = new Map<string, Promise<MemorySnapshot>>();

/** Where a run's repository lives: in memory (the simulator) or on disk (live and Codex runs). */
export interface Backend {
  name: string;
  prepare(
    s: Scenario,
    now: () => number,
    seed: number,
  ): Promise<{
    ws: Workspace;
    repoRoot: string;
    worktreeRoot?: string;
    commands?: Record<string, string>;
    /** A directory that differs from run to run, and the name the trace gives it instead. */
    alias?: readonly [real: string, shown: string];
    dispose(): Promise<void>;
  }>;
}

/** The verification verdict a scenario defines over a tree, as a function of its files. */
export function verdictOf(s: Scenario): (files: Record<string, string>) => { exitCode: number; output: string } {
  const verify = s.repo.verify;
  return (files) => {
    const bad = Object.entries(files)
      .filter(([p]) => !p.startsWith('.thread-team/'))
      .flatMap(([p, c]) => verify.failOn.filter((needle) => c.includes(needle)).map((needle) => `${p}: contains ${needle}`));
    return bad.length ? { exitCode: 1, output: `FAIL\n${bad.join('\n')}` } : { exitCode: 0, output: 'all tests passed' };
  };
}

export async function scenarioFiles(s: Scenario): Promise<Record<string, string>> {
  return s.repo.files ?? (await readFixtureRepo(s.repo.fixture!));
}

export const memoryBackend: Backend = {
  name: 'memory',
  async prepare(s, now) {
    // A fixture repository is read from disk once per process, by name (an explore reads the
    // same one thousands of times); inline files are known by their content.
    const key =
      s.repo.fixture !== undefined
        ? `fixture\0${s.repo.fixture}\0${s.repo.branch}`
        : createHash('sha256')
            .update(JSON.stringify([s.repo.branch, s.repo.files]))
            .digest('hex');
    let snap = snapshots.get(key);
    if (!snap) {
      snap = (async () => {
        const ws = createMemoryWorkspace({ root: REPO_ROOT, now: () => Math.floor(EPOCH_MS / 1000) });
        await ws.init(await scenarioFiles(s), s.repo.branch);
        return ws.snapshot();
      })();
      snapshots.set(key, snap);
      // A fixture that could not be read is not remembered as such: the next run says so again.
      snap.catch(() => snapshots.delete(key));
    }
    const ws = createMemoryWorkspace({ snapshot: await snap, now, commands: { [s.repo.verify.command]: verdictOf(s) } });
    return { ws, repoRoot: REPO_ROOT, dispose: async () => {} };
  },
};

export function traceProfile(p: SkillProfile): TraceProfile {
  return {
    skill: p.name.value,
    header: p.header.value,
    journalPath: p.journalPath.value,
    workerReportPath: p.workerReportPath.value,
    workerNotesPath: p.workerNotesPath.value,
    heartbeatMinutes: p.heartbeat.value.minutes,
    stallPasses: p.stallPasses.value,
    startupWindowMinutes: p.startupWindowMinutes.value,
    messageLimit: p.messageLimit.value,
    completionSignal: p.completionSignal.value,
    blockedSignal: p.blockedSignal.value,
    defaultModel: p.defaultModel.value,
    defaultThinking: p.defaultThinking.value,
    templates: {
      registration: p.templates.registration.text,
      dispatch: p.templates.dispatch.text,
      report: p.templates.report.text,
      state: p.templates.state.text,
      final: p.templates.final.text,
    },
  };
}

/** Run one scenario against a leader in a fresh simulated world. */
export async function runScenario(opts: {
  scenario: Scenario;
  profile: SkillProfile;
  leader: LeaderFactory;
  leaderName?: string;
  seed?: number;
  backend?: Backend;
  /** Whose thread tools the world answers as; default the scenario's (world.host), else the desktop app's. */
  host?: HostName;
  /** Handed the World before the run starts (a live driver's budget says the person's cancel through it). */
  onWorld?: (world: World) => void;
  /** What runs a worker thread, given the simulated worker that behaves as the scenario says (default: that worker). */
  worker?: (world: World, thread: SimThread, simulated: Agent) => Agent;
  /**
   * Whether the scenario's task split is the real one (default). A live run's task is the user's
   * words: its areas are the leader's to find, and the checks that need the split (T2) skip it.
   */
  splitKnown?: boolean;
}): Promise<RunResult> {
  const { scenario: s, profile } = opts;
  const seed = opts.seed ?? s.seed;
  let world!: World;
  const backend = opts.backend ?? memoryBackend;
  const { ws, repoRoot, worktreeRoot, commands, alias, dispose } = await backend.prepare(
    s,
    () => Math.floor((EPOCH_MS + (world ? world.now() : 0)) / 1000),
    seed,
  );
  try {
    const env: LeaderEnv = {
      profile,
      plan: {
        prompt: s.task.prompt,
        shape: s.task.shape,
        areas: s.task.areas,
        shared: s.task.shared,
        verifyCommand: s.repo.verify.command,
        keepWorktrees: s.user.keepWorktrees,
      },
      repoRoot,
      projectId: PROJECT_ID,
      commands: commands ?? {},
    };
    const incarnations = new Map<string, number>();
    const forms = formsOf(profile.templates);
    const user = new UserScript(s);
    const faults = new FaultPlan(
      s.faults,
      () => LEADER_ID,
      () => opts.leader(env),
      {
        forms,
        isJournal: journalMatcher(profile),
        reportPath: profile.workerReportPath.value,
      },
    );
    let finishedAt: number | null = null;
    const host = opts.host ?? s.world.host;
    const tools = new Set<string>((host === 'tui' ? TUI_TOOL_NAMES : TOOL_NAMES).filter((t) => !s.world.without.includes(t)));
    world = createWorld({
      seed,
      workspace: ws,
      projectId: PROJECT_ID,
      epochMs: EPOCH_MS,
      tools,
      pendingWorktreeMs: s.world.pendingWorktree ?? null,
      stepMs: s.world.step,
      latencyMs: s.world.latency,
      delivery: s.world.delivery,
      host,
      faults,
      recordContent: journalMatcher(profile),
      ...(worktreeRoot ? { worktreeRoot } : {}),
      spawnAgent: (w, thread) => {
        let role: string | null = null;
        const simulated = new SimWorker({
          profile,
          behaviourFor: (r) => {
            const n = incarnations.get(r) ?? 0;
            incarnations.set(r, n + 1);
            return behaviourOf(s, r, n);
          },
          onRole: (r) => {
            if (role === r) return;
            role = r;
            w.roles.set(thread.id, r);
          },
        });
        return opts.worker ? opts.worker(w, thread, simulated) : simulated;
      },
      hooks: {
        beforeTurn: (w, t) => {
          if (t.id === LEADER_ID) faults.beforeLeaderTurn(w, t);
        },
        afterTurn: (w, t, turn) => {
          if (t.id !== LEADER_ID) return;
          user.afterLeaderTurn(w, t, turn);
          if (finishedAt === null && turn.items.some((i) => i.type === 'agentMessage' && recognise(forms, i.text, ['final']))) {
            finishedAt = w.now();
          }
        },
      },
    });
    world.trace.emit({
      kind: 'run.start',
      scenario: s.name,
      seed,
      leaderDriver: opts.leaderName ?? 'reference',
      leader: LEADER_ID,
      repo: repoRoot,
      profile: traceProfile(profile),
      tools: [...tools].sort(),
      task: opts.splitKnown === false ? null : { shape: s.task.shape, areas: s.task.areas.map((a) => ({ role: a.role, owns: a.owns })), shared: s.task.shared },
      faultsPlanned: [...new Set(s.faults.map((f) => f.kind))].sort(),
      // Only when not the default, so a desktop run's trace (and hash) is what it always was.
      ...(host === 'tui' ? { host } : {}),
    });
    for (const [path, content] of Object.entries(s.repo.untracked)) {
      await ws.writeFile(repoRoot, path, content);
      world.trace.emit({ kind: 'ws', op: 'writeFile', actor: 'setup', dir: repoRoot, paths: [path], ok: true, content });
    }
    world.addThread({ id: LEADER_ID, cwd: repoRoot, title: 'leader', agent: opts.leader(env) });
    opts.onWorld?.(world);
    faults.schedule(world);
    user.start(world, LEADER_ID);
    const lastUserAction = Math.max(0, ...s.user.status, s.user.cancel ?? 0);
    const quiet = () =>
      world.now() >= lastUserAction &&
      [...world.threads.values()].every((t) => !world.busy(t.id) && t.inbox.length === 0 && !t.startQueued) &&
      ![...world.automations.values()].some((a) => a.status === 'ACTIVE');
    const why = await world.run({
      horizonMs: s.horizon,
      stop: () => (finishedAt !== null && world.now() >= finishedAt + GRACE_MS) || !!(finishedAt === null && quiet() && world.sched.peek() === null),
    });
    const outcome = classify(world, profile, LEADER_ID);
    const reason =
      finishedAt !== null ? 'final report given' : why === 'horizon' ? 'horizon reached' : why === 'empty' ? 'nothing left to happen' : 'all quiet';
    world.trace.emit({ kind: 'run.end', outcome, reason });
    const events = alias ? renamePaths(world.trace.events, alias[0], alias[1]) : world.trace.events;
    let hash: string | null = null;
    return {
      scenario: s.name,
      seed,
      outcome,
      events,
      // Hashing a whole trace costs a few percent of a run; explore never asks for it.
      get hash() {
        return (hash ??= traceHash(events));
      },
      simMs: world.now(),
      counts: countRun(events, profile, LEADER_ID),
      treeHash: await treeHash(ws, repoRoot),
      faultsFired: [...new Set(events.flatMap((e) => (e.kind === 'fault' ? [e.fault] : [])))].sort(),
      leader: LEADER_ID,
    };
  } finally {
    await dispose();
  }
}

/** Every string of the events with one directory written as another (a scratch directory's stable name). */
function renamePaths(events: TraceEvent[], real: string, shown: string): TraceEvent[] {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.split(real).join(shown);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return events.map((e) => walk(e) as TraceEvent);
}

/** Paths of run journals: the skill's journal path with its hole as one path segment. */
export function journalMatcher(p: SkillProfile): (path: string) => boolean {
  const re = journalPathRegex(p.journalPath.value);
  return (path) => re.test(path);
}

function classify(w: World, profile: SkillProfile, leader: string): Outcome {
  return outcomeOf(w.trace.events, profile, leader);
}

/** How a run ended, read from its trace: the leader's last final report, else what it did. */
export function outcomeOf(events: readonly TraceEvent[], profile: SkillProfile, leader: string): Outcome {
  const said = events.flatMap((e) => (e.kind === 'assistant.message' && e.thread === leader ? [e.text] : []));
  const forms = formsOf(profile.templates);
  for (let i = said.length - 1; i >= 0; i--) {
    const seen = recognise(forms, said[i]!, ['final']);
    if (!seen) continue;
    const { outcome } = finalOf(seen.reading, said[i]!);
    return outcome === 'other' ? 'stuck' : outcome;
  }
  const created = events.some((e) => e.kind === 'thread.created' && e.by === leader);
  if (!created && said.length > 0) {
    const last = said.at(-1)!;
    if (profile.requiredTools.value.some((t) => last.includes(t)) && /missing|not available|unavailable/i.test(last)) return 'refused';
    return 'direct-execution';
  }
  return 'stuck';
}

/** Counts read from the trace, so they mean the same for every leader driver. */
export function countRun(events: readonly TraceEvent[], profile: SkillProfile, leader: string): RunCounts {
  const workers = events.filter((e) => e.kind === 'thread.created' && e.by === leader).length;
  // A role's first dispatch to a thread starts an incarnation; later dispatches to the same
  // thread are rework (R3: rework is a scoped dispatch).
  const roleCounts = new Map<string, number>();
  const roleOfThread = new Map<string, string>();
  let reworks = 0;
  const forms = formsOf(profile.templates);
  for (const e of events) {
    if (e.kind !== 'message.sent' || e.from !== leader) continue;
    const seen = recognise(forms, e.text, ['registration', 'dispatch']);
    const role = seen?.kind === 'dispatch' ? assignmentOf(seen.reading).role : undefined;
    if (!role) continue;
    if (roleOfThread.has(e.to)) reworks++;
    else {
      roleOfThread.set(e.to, role);
      roleCounts.set(role, (roleCounts.get(role) ?? 0) + 1);
    }
  }
  const replacements = [...roleCounts.values()].reduce((a, n) => a + Math.max(0, n - 1), 0);
  const merges = events.filter(
    (e) =>
      e.kind === 'ws' && e.actor === leader && e.ok && ((e.op === 'merge' && (e.detail === 'merged' || e.detail === 'fast-forward')) || e.op === 'commitMerge'),
  ).length;
  return { workers, replacements, reworks, merges };
}

async function treeHash(
  ws: { listFiles(dir: string): Promise<string[]>; readFile(dir: string, p: string): Promise<string | null> },
  dir: string,
): Promise<string> {
  const h = createHash('sha256');
  for (const f of await ws.listFiles(dir)) {
    if (f.startsWith('.thread-team/')) continue;
    h.update(`${f}\0${(await ws.readFile(dir, f)) ?? ''}\0`);
  }
  return h.digest('hex').slice(0, 16);
}
