import { AUTOMATION_TICK_MS as TICK_MS, RUNS_PER_TICK } from '../../src/contract/automation.ts';
import { delegationEnvelope, heartbeatEnvelope } from '../../src/contract/envelopes.ts';
import type { Delivery, HostName } from '../../src/contract/hosts.ts';
import { Scheduler } from '../scheduler.ts';
import { Rng } from '../random.ts';
import { Trace } from '../../src/trace/trace.ts';
import type { Workspace } from '../../src/ports/workspace.ts';
import type { Agent, CallResult, TurnContext, TurnInput } from '../../src/ports/agent.ts';
import type { Item, SimThread, SimTurn } from './types.ts';
import { AutomationBook, type Automation } from '../../src/contract/automation-book.ts';

/** Hooks a fault plan uses to bend delivery and tool calls. The default bends nothing. */
export interface FaultHooks {
  /** Decide the fate of one message: deliver after `delayMs`, zero or more times. */
  onMessage?(world: World, msg: { id: string; from: string; to: string; text: string }): { copies: number; delayMs: number; reason?: string; text?: string };
  /** The content a file write really leaves on disk (a fault may rewrite it). */
  onWrite?(world: World, write: { actor: string; dir: string; path: string; content: string }): string;
  /** Return an error text to make this tool call fail as the real tool would on an outage. */
  onToolCall?(world: World, call: { thread: string; tool: string; args: unknown }): string | null;
}

export interface WorldOptions {
  seed: number;
  workspace: Workspace;
  projectId: string;
  /** Wall-clock instant of virtual time 0 (for ISO timestamps the agents see). */
  epochMs: number;
  /** Tools the build exposes; a missing one answers "unknown tool". */
  tools: ReadonlySet<string>;
  /** create_thread with a worktree target answers pendingWorktreeId and creates the thread later. */
  pendingWorktreeMs: number | null;
  /** Makes the agent for a thread this world creates (workers, forks). */
  spawnAgent(world: World, thread: SimThread): Agent;
  faults?: FaultHooks;
  /** Virtual time one model step takes before each tool call of an agent. */
  stepMs: number;
  /** Delay between a message being sent and it reaching the target's inbox. */
  latencyMs: number;
  hooks?: WorldHooks;
  /** Writes whose text the trace keeps (the journal), by path relative to the checkout. */
  recordContent?: (path: string) => boolean;
  /** Where create_thread makes worktrees (a real scratch directory for a disk workspace). */
  worktreeRoot?: string;
  /**
   * A thread's message to a thread whose turn is running: held for its next turn
   * (`next-turn`, the default), or steered into the running turn (`steer`: what Codex's
   * `turn/start` does on a running thread, and so what its own thread tools do).
   */
  delivery?: Delivery;
  /** Whose thread tools the world answers as: the desktop app's (the default) or the terminal UI's. */
  host?: HostName;
}

export type { Delivery } from '../../src/contract/hosts.ts';

/** Points where a scenario's user script and fault plan act on the run. */
export interface WorldHooks {
  /** Before a turn starts: the place to swap an agent (a leader losing its context). */
  beforeTurn?(world: World, thread: SimThread, inputs: TurnInput[]): void;
  afterTurn?(world: World, thread: SimThread, turn: SimTurn): void;
}

interface RunningTurn {
  turn: SimTurn;
  interrupted: boolean;
  /** Wakes the turn's current sleep early, so an archived or failed thread stops at once. */
  cancelSleep: (() => void) | null;
  /** Inputs steered into this turn that its agent has not been handed yet. */
  steered: TurnInput[];
}

/**
 * The World's two helpers that read the World back (the tool handlers, the traced workspace),
 * handed in by `createWorld` (sim/world/create.ts) so this file need not import them.
 */
export interface WorldParts {
  handleTool(w: World, caller: string, tool: string, args: unknown): Promise<CallResult>;
  tracedWorkspace(world: World, actor: string, check: () => void, inner?: Workspace): Workspace;
}

export class TurnInterrupted extends Error {
  override name = 'TurnInterrupted';
}

export class World {
  readonly sched: Scheduler;
  readonly rng: Rng;
  readonly trace: Trace;
  readonly threads = new Map<string, SimThread>();
  /** Heartbeats and crons, kept by the rules every host shares. */
  readonly book: AutomationBook;
  /** Roles workers announced (from their registration or dispatch), by thread. */
  readonly roles = new Map<string, string>();
  private readonly ids: Rng;
  private msgSeq = 0;
  private turnSeq = 0;
  private autoSeq = 0;
  private tickQueued = false;
  /** The turn each thread is running, with its interruption flag. */
  private readonly running = new Map<string, RunningTurn>();

  constructor(
    readonly opts: WorldOptions,
    private readonly parts: WorldParts,
  ) {
    this.sched = new Scheduler(0);
    this.rng = new Rng(opts.seed);
    this.ids = this.rng.fork('ids');
    this.trace = new Trace(() => this.sched.now());
    this.book = new AutomationBook({
      now: () => this.now(),
      secs: (t) => this.secs(t),
      threadProblem: (id) => (this.threads.has(id) ? null : `thread not found: ${id}`),
      newId: () => this.newAutomationId(),
    });
  }

  get automations(): ReadonlyMap<string, Automation> {
    return this.book.all;
  }

  get ws(): Workspace {
    return this.opts.workspace;
  }

  now(): number {
    return this.sched.now();
  }

  iso(t = this.now()): string {
    // Asked for many times at one simulated moment (every journal line, every envelope).
    if (t !== this.isoAt) {
      this.isoAt = t;
      this.isoText = new Date(this.opts.epochMs + t).toISOString();
    }
    return this.isoText;
  }
  private isoAt = Number.NaN;
  private isoText = '';

  /** Whole Unix seconds, as the thread tools give timestamps. */
  secs(t = this.now()): number {
    return Math.floor((this.opts.epochMs + t) / 1000);
  }

  newThreadId(): string {
    return this.ids.uuid();
  }

  newMessageId(): string {
    return `m${++this.msgSeq}`;
  }

  newAutomationId(): string {
    return `auto-${++this.autoSeq}`;
  }

  thread(id: string): SimThread | undefined {
    return this.threads.get(id);
  }

  // ---- threads -------------------------------------------------------------------------

  addThread(init: {
    id?: string;
    cwd: string;
    title?: string;
    projectId?: string | null;
    model?: string | null;
    thinking?: string | null;
    createdBy?: string | null;
    agent?: Agent | null;
    worktree?: SimThread['worktree'];
  }): SimThread {
    const t: SimThread = {
      id: init.id ?? this.newThreadId(),
      title: init.title ?? '',
      preview: '',
      cwd: init.cwd,
      // null is a projectless thread, not a missing value.
      projectId: init.projectId === undefined ? this.opts.projectId : init.projectId,
      createdAt: this.now(),
      updatedAt: this.now(),
      status: 'idle',
      archived: false,
      pinned: false,
      model: init.model ?? null,
      thinking: init.thinking ?? null,
      createdBy: init.createdBy ?? null,
      turns: [],
      inbox: [],
      version: 0,
      agent: null,
      startQueued: false,
      worktree: init.worktree ?? null,
    };
    this.threads.set(t.id, t);
    t.agent = init.agent === undefined ? this.opts.spawnAgent(this, t) : init.agent;
    return t;
  }

  /** The agent behind a thread changes (a leader that lost its context). */
  replaceAgent(threadId: string, agent: Agent): void {
    const t = this.mustThread(threadId);
    t.agent = agent;
  }

  touch(t: SimThread): void {
    t.version++;
    t.updatedAt = this.now();
    this.notifyWaiters(t.id);
  }

  setStatus(t: SimThread, status: SimThread['status']): void {
    if (t.status === status) return;
    t.status = status;
    this.trace.emit({ kind: 'thread.status', thread: t.id, status });
    this.touch(t);
    if (status === 'systemError') this.interrupt(t.id);
  }

  archive(t: SimThread, archived: boolean): void {
    t.archived = archived;
    this.trace.emit({ kind: 'thread.archived', thread: t.id, archived });
    if (archived) this.interrupt(t.id);
    this.touch(t);
    if (!archived) this.maybeStart(t);
  }

  private interrupt(threadId: string): void {
    const r = this.running.get(threadId);
    if (!r) return;
    r.interrupted = true;
    r.cancelSleep?.();
  }

  /** True while the thread runs a turn. */
  busy(threadId: string): boolean {
    return this.running.has(threadId);
  }

  mustThread(id: string): SimThread {
    const t = this.threads.get(id);
    if (!t) throw new Error(`no such thread ${id}`);
    return t;
  }

  // ---- inputs and turns ----------------------------------------------------------------

  /** A message from the person at the keyboard to a thread. */
  userSays(threadId: string, text: string, intent: 'task' | 'confirm' | 'decline' | 'status' | 'cancel' | 'other'): void {
    const t = this.mustThread(threadId);
    this.trace.emit({ kind: 'user.input', thread: threadId, text, intent });
    this.enqueue(t, { cause: 'user', text });
  }

  /** A thread-to-thread message, through the fault hooks and the delegation envelope. */
  sendMessage(from: string, to: string, text: string, via: TurnInput['via'] = 'send_message_to_thread'): string {
    const id = this.newMessageId();
    this.trace.emit({ kind: 'message.sent', msg: id, from, to, text });
    const fate = this.opts.faults?.onMessage?.(this, { id, from, to, text }) ?? { copies: 1, delayMs: 0 };
    const envelope = delegationEnvelope(from, fate.text ?? text);
    for (let c = 0; c < fate.copies; c++) {
      this.sched.after(this.opts.latencyMs + fate.delayMs, `deliver ${id}`, () => {
        const target = this.threads.get(to);
        if (!target) return;
        const input: TurnInput = { cause: 'delegation', text: envelope, from, msg: id, via };
        if (this.opts.delivery === 'steer' && this.steer(target, input)) return;
        this.enqueue(target, input);
      });
    }
    return id;
  }

  /**
   * Into the running turn of `t`, if it runs one: delivered at once, handed to its agent when the
   * agent's current step ends (the trace's turn.steer: what the agent did before it had not seen
   * the input), and recorded in the turn's items only then, after what that step said: Codex
   * records steered input when its next model request takes it (checked on the 0.163 binary by
   * test/live/verified-fake.test.ts).
   */
  private steer(t: SimThread, input: TurnInput): boolean {
    const r = this.running.get(t.id);
    if (!r || r.interrupted) return false;
    r.steered.push(input);
    if (input.msg) this.trace.emit({ kind: 'message.delivered', msg: input.msg, to: t.id, turn: r.turn.id });
    this.touch(t);
    return true;
  }

  enqueue(t: SimThread, input: TurnInput): void {
    t.inbox.push(input);
    this.maybeStart(t);
  }

  private canStart(t: SimThread): boolean {
    return !t.archived && t.status === 'idle' && !t.startQueued && !this.running.has(t.id) && t.agent !== null;
  }

  maybeStart(t: SimThread): void {
    if (t.inbox.length === 0 || !this.canStart(t)) return;
    t.startQueued = true;
    this.sched.after(0, `turn ${t.id}`, () => this.runTurn(t));
  }

  private async runTurn(t: SimThread): Promise<void> {
    t.startQueued = false;
    if (t.inbox.length === 0 || t.archived || t.status !== 'idle' || this.running.has(t.id) || !t.agent) return;
    const inputs = t.inbox.splice(0);
    this.opts.hooks?.beforeTurn?.(this, t, inputs);
    if (!t.agent) return;
    const turn: SimTurn = { id: `turn-${++this.turnSeq}`, status: 'inProgress', startedAt: this.now(), items: [] };
    for (const input of inputs) turn.items.push({ type: 'userMessage', text: input.text });
    if (!t.preview && inputs[0]) t.preview = inputs[0].text.slice(0, 200);
    t.turns.push(turn);
    const state: RunningTurn = { turn, interrupted: false, cancelSleep: null, steered: [] };
    this.running.set(t.id, state);
    this.trace.emit({
      kind: 'turn.start',
      thread: t.id,
      turn: turn.id,
      causes: inputs.map((i) => i.cause),
      inputs: inputs.map((i) => i.text),
    });
    for (const input of inputs) {
      if (input.msg) this.trace.emit({ kind: 'message.delivered', msg: input.msg, to: t.id, turn: turn.id });
    }
    this.setStatus(t, 'active');
    let error: string | undefined;
    try {
      const ctx = this.contextFor(t, state);
      await t.agent.turn(ctx, inputs);
      // The model goes on with what was steered in while it worked, in the same turn.
      while (state.steered.length > 0 && !state.interrupted) {
        const more = state.steered.splice(0);
        for (const input of more) turn.items.push({ type: 'userMessage', text: input.text });
        this.touch(t);
        this.trace.emit({ kind: 'turn.steer', thread: t.id, turn: turn.id, causes: more.map((i) => i.cause), inputs: more.map((i) => i.text) });
        await t.agent.turn(ctx, more);
      }
    } catch (e) {
      if (!(e instanceof TurnInterrupted)) error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    this.running.delete(t.id);
    // Steered input the turn ended before handling is not lost: the next turn gets it.
    if (state.steered.length > 0) t.inbox.unshift(...state.steered.splice(0));
    turn.status = state.interrupted ? 'interrupted' : error ? 'failed' : 'completed';
    this.trace.emit({ kind: 'turn.end', thread: t.id, turn: turn.id, status: turn.status, ...(error ? { error } : {}) });
    if ((t.status as SimThread['status']) === 'active') this.setStatus(t, 'idle');
    else this.touch(t);
    this.opts.hooks?.afterTurn?.(this, t, turn);
    this.maybeStart(t);
    this.queueTick();
  }

  addItem(threadId: string, item: Item): void {
    const r = this.running.get(threadId);
    const t = this.threads.get(threadId);
    if (!r || !t) return;
    r.turn.items.push(item);
    this.touch(t);
  }

  private contextFor(t: SimThread, state: RunningTurn): TurnContext {
    const check = () => {
      if (state.interrupted) throw new TurnInterrupted(`turn ${state.turn.id} of ${t.id} was interrupted`);
    };
    const rng = this.rng.fork(`agent:${t.id}:${state.turn.id}`);
    return {
      thread: t.id,
      turn: state.turn.id,
      rng,
      tools: [...this.opts.tools].sort(),
      host: this.opts.host ?? 'desktop',
      now: () => this.now(),
      nowIso: () => this.iso(),
      // Each handler answers with its tool's result payload (the contract tests check every one against its schema).
      call: (async (tool: string, args: unknown): Promise<CallResult> => {
        check();
        await this.sched.sleep(this.opts.stepMs);
        check();
        const result = await this.callTool(t.id, state.turn.id, tool, args);
        return result;
      }) as TurnContext['call'],
      ws: this.parts.tracedWorkspace(this, t.id, check),
      traced: (inner) => this.parts.tracedWorkspace(this, t.id, check, inner),
      record: (act) => {
        this.trace.emit({ kind: 'ws', actor: t.id, ok: true, ...act });
      },
      say: (text) => {
        check();
        state.turn.items.push({ type: 'agentMessage', text });
        this.trace.emit({ kind: 'assistant.message', thread: t.id, turn: state.turn.id, text });
        this.touch(t);
      },
      sleep: async (ms) => {
        check();
        const { promise, wake } = this.sched.block<void>('sleep');
        state.cancelSleep = () => wake();
        this.sched.after(ms, 'wake', () => wake());
        await promise;
        state.cancelSleep = null;
        check();
      },
    };
  }

  async callTool(thread: string, turn: string, tool: string, args: unknown): Promise<CallResult> {
    const outage = this.opts.faults?.onToolCall?.(this, { thread, tool, args }) ?? null;
    const result: CallResult = outage !== null ? { ok: false, error: outage } : await this.parts.handleTool(this, thread, tool, args);
    this.trace.emit({ kind: 'tool.call', thread, turn, tool, args, ok: result.ok, result: result.ok ? result.payload : result.error });
    this.addItem(thread, {
      type: 'dynamicToolCall',
      namespace: tool === 'automation_update' ? undefined : this.opts.host === 'tui' ? 'codex_tui' : 'codex_app',
      tool,
      arguments: args,
      success: result.ok,
      output: result.ok ? JSON.stringify(result.payload) : result.error,
    });
    return result;
  }

  // ---- waiting on threads (wait_threads) -----------------------------------------------

  private waiters: { threads: Set<string>; wake: () => void }[] = [];

  /** Suspend until one of `threads` changes or `timeoutMs` passes; true when woken by a change. */
  async waitForChange(threads: string[], timeoutMs: number): Promise<boolean> {
    const { promise, wake } = this.sched.block<boolean>('wait_threads');
    const w = { threads: new Set(threads), wake: () => wake(true) };
    this.waiters.push(w);
    this.sched.after(timeoutMs, 'wait_threads timeout', () => wake(false));
    const changed = await promise;
    this.waiters = this.waiters.filter((x) => x !== w);
    return changed;
  }

  private notifyWaiters(threadId: string): void {
    for (const w of this.waiters) if (w.threads.has(threadId)) w.wake();
  }

  // ---- automations ---------------------------------------------------------------------

  queueTick(): void {
    if (this.tickQueued) return;
    if (![...this.automations.values()].some((a) => a.status === 'ACTIVE' && a.kind === 'heartbeat')) return;
    this.tickQueued = true;
    const next = (Math.floor(this.now() / TICK_MS) + 1) * TICK_MS;
    this.sched.at(next, 'automation tick', () => this.tick());
  }

  private tick(): void {
    this.tickQueued = false;
    let runs = 0;
    const due = this.book.due(this.now());
    for (const a of due) {
      if (runs >= RUNS_PER_TICK) break;
      const t = this.threads.get(a.thread);
      if (!t || !this.canStart(t) || t.inbox.length > 0) continue;
      runs++;
      this.book.fired(a, this.now());
      this.trace.emit({ kind: 'automation', op: 'fire', id: a.id, thread: a.thread, status: a.status, rrule: a.rrule });
      const text = heartbeatEnvelope(a.id, this.iso(), a.prompt);
      this.enqueue(t, { cause: 'heartbeat', text, automation: a.id });
    }
    this.queueTick();
  }

  // ---- running ---------------------------------------------------------------------------

  async run(opts: { horizonMs: number; stop?: () => boolean }): Promise<'stopped' | 'empty' | 'horizon'> {
    return this.sched.run({ horizon: opts.horizonMs, stop: opts.stop });
  }
}
