// A scripted leader (and scripted workers) for the simulator's own tests, and `makeWorld`,
// which builds a World on a fresh in-memory workspace with a tiny repository. Used only by
// tests: the agents here follow a fixed script, one step per turn, so a test drives the World
// directly and asserts on what the World answered and traced.

import { fileURLToPath } from 'node:url';
import { afterEach, expect } from 'vitest';
import { type HostName, TOOL_NAMES, TUI_TOOL_NAMES, validateResult } from '../../src/contract/index.ts';
import { loadSkill } from '../../src/skill/index.ts';
import type { SkillProfile } from '../../src/skill/types.ts';
import type { TraceEvent } from '../../src/trace/events.ts';
import type { BehaviourSpec } from '../../sim/workers/behaviours.ts';
import { SimWorker } from '../../sim/workers/worker.ts';
import { createMemoryWorkspace, type MemoryCommand, type MemoryWorkspace } from '../../src/workspace/memory.ts';
import type { Agent, CallResult, TurnContext, TurnInput } from '../../src/ports/agent.ts';
import type { SimThread } from '../../sim/world/types.ts';
import { createWorld } from '../../sim/world/create.ts';
import { TurnInterrupted, type Delivery, type World, type FaultHooks, type WorldHooks } from '../../sim/world/world.ts';

/** One turn of a scripted agent: whatever it does with the context and the turn's inputs. */
export type Step = (ctx: TurnContext, inputs: TurnInput[]) => Promise<void> | void;

export interface TurnRecord {
  thread: string;
  turn: string;
  /** Virtual time the turn started. */
  at: number;
  inputs: TurnInput[];
}

/**
 * An agent that plays its steps in order, one per turn. Turns beyond the script run
 * `after` (by default: nothing). Every turn it was given is recorded in `turns`.
 */
export class ScriptedAgent implements Agent {
  readonly turns: TurnRecord[] = [];
  private next = 0;

  constructor(
    private readonly steps: Step[] = [],
    private readonly after: Step = () => undefined,
  ) {}

  /** Append steps (a test may extend the script once it knows ids). */
  push(...steps: Step[]): this {
    this.steps.push(...steps);
    return this;
  }

  async turn(ctx: TurnContext, inputs: TurnInput[]): Promise<void> {
    this.turns.push({ thread: ctx.thread, turn: ctx.turn, at: ctx.now(), inputs: [...inputs] });
    // Steps pushed later still play in order: past the end, `after` runs and `next` stays put.
    const step = this.next < this.steps.length ? this.steps[this.next++]! : this.after;
    try {
      await step(ctx, inputs);
    } catch (e) {
      // The World turns an exception into a failed turn; a failed assertion inside a step must
      // fail the test instead, so it is kept for `takeStepFailures`.
      if (!(e instanceof TurnInterrupted)) stepFailures.push(e);
      throw e;
    }
  }
}

const stepFailures: unknown[] = [];

/** Exceptions thrown by scripted steps since the last call (a failed expect inside a turn). */
export function takeStepFailures(): unknown[] {
  return stepFailures.splice(0);
}

/** Throw the first step failure, if any. */
export function rethrowStepFailures(): void {
  const [first] = takeStepFailures();
  if (first !== undefined) throw first;
}

/** An agent that does the same thing every turn. */
export const everyTurn = (step: Step): ScriptedAgent => new ScriptedAgent([], step);

/** A tool call that must succeed: its payload is validated by the contract and returned. */
export async function must(ctx: TurnContext, tool: string, args: unknown): Promise<any> {
  const r = await ctx.call(tool, args);
  if (!r.ok) throw new Error(`${tool} failed: ${r.error}`);
  const v = validateResult(tool, r.payload);
  if (!v.ok) throw new Error(v.error);
  return r.payload;
}

/** The payload of a successful CallResult, checked against the contract (for direct calls). */
export function payloadOf(tool: string, r: CallResult): any {
  expect(r.ok, r.ok ? '' : `${tool} failed: ${r.error}`).toBe(true);
  if (!r.ok) throw new Error('unreachable');
  const v = validateResult(tool, r.payload);
  expect(v.ok ? null : v.error).toBeNull();
  return r.payload;
}

/** The error text of a CallResult that must have failed. */
export function errorOf(r: CallResult): string {
  expect(r.ok, r.ok ? `expected a failure, got ${JSON.stringify(r.payload)}` : '').toBe(false);
  return r.ok ? '' : r.error;
}

/** Every successful tool call of a trace whose payload the contract refuses, as lines. */
export function invalidPayloads(events: readonly TraceEvent[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    if (e.kind !== 'tool.call' || !e.ok) continue;
    const v = validateResult(e.tool, e.result);
    if (!v.ok) out.push(`event ${e.i}: ${v.error}`);
  }
  return out;
}

/** The tiny repository every test world starts from. */
export const TINY_REPO: Record<string, string> = {
  'README.md': '# tiny\n',
  'src/a.ts': 'export const a = 1;\n',
  'src/b.ts': 'export const b = 2;\n',
  'shared/log.txt': 'start\n',
};

export const PROJECT_ID = 'proj-tiny';
export const REPO_ROOT = '/repo';
export const LEADER_ID = '00000000-0000-7000-8000-0000000leade';
export const EPOCH_MS = Date.UTC(2026, 0, 5, 9, 0, 0);

const SKILL_DIR = fileURLToPath(new URL('../../skill/', import.meta.url));
let profilePromise: Promise<SkillProfile> | null = null;

/** The project's own skill profile (loaded once per test file). */
export function skillProfile(): Promise<SkillProfile> {
  profilePromise ??= loadSkill(SKILL_DIR).then(({ profile, findings }) => {
    if (!profile) throw new Error(`skill/ does not load: ${findings.map((f) => JSON.stringify(f)).join('; ')}`);
    return profile;
  });
  return profilePromise;
}

export interface MakeWorldOptions {
  seed?: number;
  files?: Record<string, string>;
  branch?: string;
  /** Tools the build offers; every contract tool by default. */
  tools?: Iterable<string>;
  pendingWorktreeMs?: number | null;
  stepMs?: number;
  latencyMs?: number;
  delivery?: Delivery;
  host?: HostName;
  /** The leader thread's agent: a script of steps, or any agent. */
  leader?: Step[] | Agent;
  /**
   * What runs in threads the world creates (create_thread, fork_thread):
   * - `'sim'`: a `SimWorker` with the project's skill, behaving as `behaviour(role)` says;
   * - a list: the agents handed out in creation order (scripted workers), then idle ones;
   * - a function: called for each new thread.
   * Default: a list of none, i.e. every created thread gets an idle scripted agent.
   */
  workers?: 'sim' | Agent[] | ((world: World, thread: SimThread) => Agent);
  behaviour?: (role: string) => BehaviourSpec;
  faults?: FaultHooks;
  hooks?: WorldHooks;
  commands?: Record<string, MemoryCommand>;
}

export interface TestWorld {
  world: World;
  ws: MemoryWorkspace;
  leader: SimThread;
  /** The leader's agent when the leader is scripted. */
  script: ScriptedAgent | null;
  profile: SkillProfile | null;
  root: string;
  projectId: string;
  /** The workers handed out so far, in creation order, with their threads. */
  spawned: { thread: SimThread; agent: Agent }[];
  /** Give the leader a user message and run the world until `horizonMs` (or nothing is left). */
  start(text?: string, horizonMs?: number): Promise<'stopped' | 'empty' | 'horizon'>;
  /** Run the world until `horizonMs` (or nothing is left); a failed step fails here. */
  run(horizonMs?: number): Promise<'stopped' | 'empty' | 'horizon'>;
  /** Every event of a kind so far. */
  events<K extends TraceEvent['kind']>(kind: K): Extract<TraceEvent, { kind: K }>[];
}

/** A World on a fresh memory workspace holding TINY_REPO (or `files`), with a leader thread. */
export async function makeWorld(opts: MakeWorldOptions = {}): Promise<TestWorld> {
  let world!: World;
  const ws = createMemoryWorkspace({
    root: REPO_ROOT,
    now: () => Math.floor((EPOCH_MS + (world ? world.now() : 0)) / 1000),
    commands: opts.commands ?? {},
  });
  await ws.init(opts.files ?? TINY_REPO, opts.branch ?? 'main');
  const profile = opts.workers === 'sim' ? await skillProfile() : null;
  const spawned: { thread: SimThread; agent: Agent }[] = [];
  const queue = Array.isArray(opts.workers) ? [...opts.workers] : [];
  const spawnAgent = (w: World, thread: SimThread): Agent => {
    let agent: Agent;
    if (opts.workers === 'sim') {
      agent = new SimWorker({
        profile: profile!,
        behaviourFor: (role) => opts.behaviour?.(role) ?? { kind: 'diligent' },
        onRole: (role) => w.roles.set(thread.id, role),
      });
    } else if (typeof opts.workers === 'function') {
      agent = opts.workers(w, thread);
    } else {
      agent = queue.shift() ?? new ScriptedAgent();
    }
    spawned.push({ thread, agent });
    return agent;
  };
  world = createWorld({
    seed: opts.seed ?? 1,
    workspace: ws,
    projectId: PROJECT_ID,
    epochMs: EPOCH_MS,
    tools: new Set(opts.tools ?? (opts.host === 'tui' ? TUI_TOOL_NAMES : TOOL_NAMES)),
    ...(opts.host ? { host: opts.host } : {}),
    pendingWorktreeMs: opts.pendingWorktreeMs ?? null,
    spawnAgent,
    ...(opts.faults ? { faults: opts.faults } : {}),
    stepMs: opts.stepMs ?? 1_000,
    latencyMs: opts.latencyMs ?? 2_000,
    ...(opts.delivery ? { delivery: opts.delivery } : {}),
    ...(opts.hooks ? { hooks: opts.hooks } : {}),
  });
  const leaderAgent = opts.leader === undefined ? new ScriptedAgent() : Array.isArray(opts.leader) ? new ScriptedAgent(opts.leader) : opts.leader;
  const leader = world.addThread({ id: LEADER_ID, cwd: REPO_ROOT, title: 'leader', agent: leaderAgent });
  const run = async (horizonMs = 24 * 3_600_000) => {
    const why = await world.run({ horizonMs });
    rethrowStepFailures();
    return why;
  };
  return {
    world,
    ws,
    leader,
    script: leaderAgent instanceof ScriptedAgent ? leaderAgent : null,
    profile,
    root: REPO_ROOT,
    projectId: PROJECT_ID,
    spawned,
    start(text = 'go', horizonMs = 24 * 3_600_000) {
      world.userSays(LEADER_ID, text, 'task');
      return run(horizonMs);
    },
    run,
    events(kind) {
      return world.trace.of(kind);
    },
  };
}

/** create_thread arguments for a worker in a new worktree of the test project. */
export const worktreeTarget = (startingState?: { type: 'working-tree' } | { type: 'branch'; branchName: string }) => ({
  type: 'project' as const,
  projectId: PROJECT_ID,
  environment: startingState ? { type: 'worktree' as const, startingState } : { type: 'worktree' as const },
});

export const localTarget = () => ({ type: 'project' as const, projectId: PROJECT_ID, environment: { type: 'local' as const } });

/**
 * The after-each check every simulator test wants: no scripted step failed, and every
 * successful tool call of each world enrolled with the returned function kept the contract.
 */
export function checkWorldsAfterEach(): (t: TestWorld) => TestWorld {
  const made: TestWorld[] = [];
  afterEach(() => {
    expect(takeStepFailures()).toEqual([]);
    for (const t of made.splice(0)) expect(invalidPayloads(t.world.trace.events)).toEqual([]);
  });
  return (t) => {
    made.push(t);
    return t;
  };
}
