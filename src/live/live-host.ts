// A host of the thread tools over one real `codex app-server`: what the desktop app does for
// its threads, done for real Codex threads, as Codex's own terminal UI does it for its twin of
// the tools. Each thread is an app-server thread; create_thread makes a real git worktree (on
// the Workspace port) and a real thread in it; messages are delivered as the hosts deliver them
// (src/live/delivery.ts); heartbeats come from a scheduler of our own, because the 0.163 binary
// has neither automation_update nor its scheduler.
//
// The answers have the shapes the simulator's World gives (sim/world/tools.ts): the same
// contract validates both, and a differential test runs one script against both and lists
// every difference (docs/codex-fidelity.md).
//
// Time is real while any thread runs a turn. When every thread is idle and only heartbeats
// are left to happen, the clock jumps to the next one (unless `realTime`), so an offline run
// does not sleep through two-minute heartbeats; the answers' timestamps follow that clock.

import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import {
  firstLine,
  listThreadsAnswer,
  type ThreadStatusName,
  matchesQuery,
  pollAnswer,
  readThreadAnswer,
  repoName,
  revOf,
  turnPage,
  wakeReason,
} from '../contract/answers.ts';
import { type Automation, AutomationBook } from '../contract/automation-book.ts';
import { delegationEnvelope, heartbeatEnvelope } from '../contract/envelopes.ts';
import type { Delivery } from '../contract/hosts.ts';
import { CODEX_APP_NAMESPACE, dynamicTools, type ArgsOf, type ToolName, validateArgs } from '../contract/index.ts';
import type { CallResult } from '../ports/agent.ts';
import type { Workspace } from '../ports/workspace.ts';
import type { AppServer } from './app-server.ts';
import type { DynamicToolCallParams, DynamicToolCallResponse, RpcNotification, ThreadStartParams, TurnStartParams } from './app-server-protocol.ts';
import { HEARTBEAT_TRIGGER } from './delivery.ts';

export interface LiveHostOptions {
  app: AppServer;
  /** The project's checkout, on disk: worktrees are made from it. */
  ws: Workspace;
  projectId: string;
  /** Where create_thread makes worktrees and projectless folders. */
  worktreeRoot: string;
  delivery?: Delivery;
  /** Real time throughout: no jump to the next heartbeat when every thread is idle. */
  realTime?: boolean;
  /** Added to every thread/start (sandbox, approvals, instructions). */
  threadDefaults?: Partial<ThreadStartParams>;
}

type Status = ThreadStatusName;

interface HostThread {
  id: string;
  title: string;
  cwd: string;
  projectId: string | null;
  createdBy: string | null;
  createdAtMs: number;
  updatedAtMs: number;
  status: Status;
  archived: boolean;
  pinned: boolean;
  worktree: { dir: string; branch: string; base: string } | null;
  /** Bumped on every change seen; wait_threads cursors compare against it. */
  version: number;
  /** The turn running now, if any. */
  running: string | null;
  /** Inputs in app-server's queue for it: each will start a turn by itself. */
  queued: number;
}

/** What teardown left behind: every count must be zero. */
export interface LeakReport {
  threadsNotArchived: string[];
  automationsNotDeleted: string[];
  worktreesLeft: string[];
}

const ok = (payload: unknown): CallResult => ({ ok: true, payload });
const fail = (error: string): CallResult => ({ ok: false, error });

export class LiveHost {
  private readonly threads = new Map<string, HostThread>();
  private readonly book: AutomationBook;
  private readonly waiters = new Set<{ threads: Set<string>; wake: () => void }>();
  private skewMs = 0;
  private autoSeq = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly unsubscribe: () => void;
  private readonly delivery: Delivery;

  constructor(private readonly opts: LiveHostOptions) {
    this.delivery = opts.delivery ?? 'next-turn';
    this.book = new AutomationBook({
      now: () => this.now(),
      secs: (t) => Math.floor(t / 1000),
      threadProblem: (id) => (this.threads.has(id) ? null : `thread not found: ${id}`),
      newId: () => `auto-${++this.autoSeq}`,
    });
    this.unsubscribe = opts.app.onNotification((n) => this.onNotification(n));
    opts.app.onToolCall((call) => this.onToolCall(call));
  }

  /** The host's clock: Unix ms, moved on by the jumps to the next heartbeat. */
  now(): number {
    return Date.now() + this.skewMs;
  }

  /** A thread the person starts (the leader): a real thread in `cwd`, no worktree of ours. */
  async startThread(cwd: string, title = ''): Promise<string> {
    const { thread } = await this.opts.app.threadStart({ ...this.threadParams(cwd, null, null) });
    this.register(thread.id, { cwd, title, createdBy: null, worktree: null, projectId: this.opts.projectId });
    return thread.id;
  }

  /** Answer one tool call as the desktop app would, `caller` being the calling thread. */
  async call(caller: string, tool: string, raw: unknown): Promise<CallResult> {
    if (this.closed) return fail('the host has shut down');
    if (!Object.hasOwn(this.handlers, tool)) return fail(`unknown tool: ${tool}`);
    const v = validateArgs(tool as ToolName, raw);
    if (!v.ok) return fail(v.error);
    try {
      return await (this.handlers[tool as ToolName] as (caller: string, args: unknown) => Promise<CallResult>)(caller, v.value);
    } catch (e) {
      return fail((e as Error).message);
    }
  }

  /** The app-server's item/tool/call: a Codex thread called one of our tools. */
  readonly onToolCall = async (call: DynamicToolCallParams): Promise<DynamicToolCallResponse> => {
    const r = await this.call(call.threadId, call.tool, call.arguments);
    return { contentItems: [{ type: 'inputText', text: r.ok ? JSON.stringify(r.payload) : r.error }], success: r.ok };
  };

  /** True while the thread runs a turn. */
  busy(thread: string): boolean {
    const t = this.threads.get(thread);
    return t !== undefined && (t.running !== null || t.queued > 0);
  }

  /** Resolves when no thread runs a turn (or after `timeoutMs`: false). */
  async settled(timeoutMs = 60_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while ([...this.threads.keys()].some((id) => this.busy(id))) {
      if (Date.now() > deadline) return false;
      await this.waitForAnyChange([...this.threads.keys()], Math.min(500, deadline - Date.now()));
    }
    return true;
  }

  /**
   * Tear everything down and say what is left: running turns interrupted, automations deleted,
   * threads archived, the worktrees the host made removed (unless `keepWorktrees`). Never throws.
   */
  async close(opts: { keepWorktrees?: boolean } = {}): Promise<LeakReport> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const app = this.opts.app;
    // The binary keeps no automations: the host's own are all there are.
    this.book.all.clear();
    for (const t of this.threads.values()) {
      if (t.running) await app.request('turn/interrupt', { threadId: t.id, turnId: t.running }).catch(() => undefined);
    }
    await this.settled(10_000);
    for (const t of this.threads.values()) {
      if (t.archived) continue;
      // A thread that never ran a turn has nothing on disk to archive: it is gone with the server.
      await app.request('thread/archive', { threadId: t.id }).then(
        () => (t.archived = true),
        () => (t.archived = !this.materialized(t)),
      );
    }
    if (!opts.keepWorktrees) {
      for (const t of this.threads.values()) {
        if (t.worktree) await this.opts.ws.worktreeRemove(t.worktree.dir, { force: true }).catch(() => undefined);
      }
    }
    this.unsubscribe();
    const made = new Set([...this.threads.values()].flatMap((t) => (t.worktree ? [t.worktree.dir] : [])));
    const left = opts.keepWorktrees ? [] : (await this.opts.ws.worktrees().catch(() => [])).map((w) => w.dir).filter((d) => made.has(d));
    return {
      threadsNotArchived: [...this.threads.values()].filter((t) => !t.archived).map((t) => t.id),
      automationsNotDeleted: [...this.book.all.keys()],
      worktreesLeft: left,
    };
  }

  // ---- the tools ------------------------------------------------------------------------

  private readonly handlers: { [N in ToolName]: (caller: string, args: ArgsOf<N>) => Promise<CallResult> } = {
    list_projects: async () => ok([{ projectId: this.opts.projectId, projectKind: 'local', hostId: 'local', path: this.opts.ws.root }]),

    create_thread: async (caller, a) => {
      const target = a.target;
      const short = randomUUID().replace(/-/g, '').slice(-8);
      let cwd: string;
      let worktree: HostThread['worktree'] = null;
      if (target.type === 'project') {
        if (target.projectId !== this.opts.projectId) return fail(`project not found: ${target.projectId}`);
        if (target.environment.type === 'local') cwd = this.opts.ws.root;
        else {
          const made = await this.worktree(short, target.environment.startingState?.type === 'branch' ? target.environment.startingState.branchName : 'HEAD');
          if (typeof made === 'string') return fail(made);
          worktree = made;
          cwd = made.dir;
        }
      } else {
        cwd = `${this.opts.worktreeRoot}/projectless/${target.directoryName ?? short}`;
        await mkdir(cwd, { recursive: true });
      }
      const { thread } = await this.opts.app.threadStart(this.threadParams(cwd, a.model ?? null, a.thinking ?? null));
      this.register(thread.id, {
        cwd,
        title: firstLine(a.prompt).slice(0, 80),
        createdBy: caller,
        worktree,
        projectId: target.type === 'project' ? target.projectId : null,
      });
      await this.deliver(caller, thread.id, a.prompt, 'create_thread');
      return ok({ threadId: thread.id });
    },

    send_message_to_thread: async (caller, a) => {
      const t = this.threads.get(a.threadId);
      if (!t) return fail(`thread not found: ${a.threadId}`);
      if (t.archived) return fail(`thread is archived: ${t.id}`);
      await this.deliver(caller, t.id, a.prompt, 'send_message_to_thread');
      return ok({ threadId: t.id });
    },

    read_thread: async (_caller, a) => {
      const t = this.threads.get(a.threadId);
      if (!t) return fail(`thread not found: ${a.threadId}`);
      const all = this.materialized(t) ? await this.turnsOf(t.id) : [];
      const page = turnPage(all.length, a);
      if (typeof page === 'string') return fail(page);
      const include = a.includeOutputs ?? false;
      const max = a.maxOutputCharsPerItem ?? 2000;
      const view = this.view(t);
      const turns = all
        .slice(page.start, page.end)
        .reverse()
        .map((turn) => ({
          id: turn.id,
          status: turn.status,
          startedAt: turn.startedAt ?? view.createdAt,
          items: turn.items.flatMap((i) => itemOut(i, include, max)),
        }));
      return ok(readThreadAnswer(view, page, turns));
    },

    list_threads: async (_caller, a) => {
      const all = [...this.threads.values()]
        .map((t) => ({ ...this.view(t), pinned: t.pinned, updatedAtMs: t.updatedAtMs }))
        .filter((t) => !t.archived && matchesQuery(t, a.query))
        .sort((x, y) => y.updatedAtMs - x.updatedAtMs || x.id.localeCompare(y.id));
      return ok(listThreadsAnswer(all.slice(0, a.limit ?? 50)));
    },

    wait_threads: async (caller, a) => {
      const sinceMs = this.now();
      const errors: { threadId: string; message: string }[] = [];
      const live = a.targets.filter((x) => {
        if (this.threads.has(x.threadId)) return true;
        errors.push({ threadId: x.threadId, message: 'thread not found' });
        return false;
      });
      if (live.length === 0) return fail(`no waitable targets: ${errors.map((e) => e.threadId).join(', ')}`);
      const check = () => {
        for (const x of live) {
          const r = wakeReason(this.view(this.threads.get(x.threadId)!), revOf(x.afterCursor), sinceMs, this.lastTurns.get(x.threadId) ?? null);
          if (r) return { threadId: x.threadId, ...r };
        }
        return null;
      };
      const deadline = this.now() + (a.timeoutMs as number);
      let wake = check();
      while (!wake && this.now() < deadline) {
        // Nothing but the waiting thread runs and no heartbeat is due in the window: nothing can
        // change, so the wait is over at once, on the host's clock.
        if (!this.opts.realTime && this.nothingCanChange(caller, deadline)) {
          this.skewMs += deadline - this.now();
          break;
        }
        await this.waitForAnyChange(
          live.map((x) => x.threadId),
          deadline - this.now(),
        );
        wake = check();
      }
      return ok({
        timedOut: wake === null,
        wake,
        polls: live.map((x) => {
          const last = this.lastTurns.get(x.threadId) ?? null;
          return pollAnswer(this.view(this.threads.get(x.threadId)!), revOf(x.afterCursor), last, last?.lastMessage ?? null, last?.lastMarker ?? null);
        }),
        ...(errors.length ? { errors } : {}),
      });
    },

    fork_thread: async (caller, a) => {
      const src = this.threads.get(a.threadId ?? caller);
      if (!src) return fail(`thread not found: ${a.threadId ?? caller}`);
      let cwd = src.cwd;
      let worktree: HostThread['worktree'] = null;
      if (a.environment?.type === 'worktree') {
        const made = await this.worktree(randomUUID().replace(/-/g, '').slice(-8), 'HEAD');
        if (typeof made === 'string') return fail(made);
        worktree = made;
        cwd = made.dir;
      }
      const { thread } = await this.opts.app.request<{ thread: { id: string } }>('thread/fork', { threadId: src.id, cwd });
      this.register(thread.id, { cwd, title: src.title, createdBy: caller, worktree, projectId: src.projectId });
      if (this.materialized(src)) this.onDisk.add(thread.id);
      return ok({ threadId: thread.id });
    },

    set_thread_archived: async (caller, a) => {
      const id = a.threadId ?? caller;
      if (id === caller && a.archived) return fail('cannot archive the calling thread');
      const t = this.threads.get(id);
      if (!t) return fail(`thread not found: ${id}`);
      if (a.archived && !t.archived) {
        if (t.running) await this.opts.app.request('turn/interrupt', { threadId: t.id, turnId: t.running }).catch(() => undefined);
        if (this.materialized(t)) await this.opts.app.request('thread/archive', { threadId: t.id });
      } else if (!a.archived && t.archived && this.materialized(t)) {
        await this.opts.app.request('thread/unarchive', { threadId: t.id });
      }
      t.archived = a.archived;
      this.touch(t);
      return ok({ threadId: t.id, archived: a.archived });
    },

    set_thread_title: async (_caller, a) => {
      const t = this.threads.get(a.threadId);
      if (!t) return fail(`thread not found: ${a.threadId}`);
      // Codex keeps names only for threads it has written to disk; the host keeps them all.
      if (this.materialized(t)) await this.opts.app.request('thread/name/set', { threadId: t.id, name: a.title }).catch(() => undefined);
      t.title = a.title;
      this.touch(t);
      return ok({ threadId: t.id, title: t.title });
    },

    set_thread_pinned: async (_caller, a) => {
      const t = this.threads.get(a.threadId);
      if (!t) return fail(`thread not found: ${a.threadId}`);
      t.pinned = a.pinned;
      this.touch(t);
      return ok({ threadId: t.id, pinned: t.pinned });
    },

    automation_update: async (caller, a) => {
      const r = this.book.update(caller, a);
      if (!r.ok) return fail(r.error);
      this.schedule();
      return ok(r.payload);
    },
  };

  // ---- delivery and turns ------------------------------------------------------------------

  /**
   * A thread's message, as Codex's own tools deliver it: a turn/start carrying the delegation
   * envelope as a tool output, which steers into a running turn. To hold it for the next turn
   * instead (`next-turn`), it goes through app-server's queue, which takes only user input: the
   * envelope then arrives as text (a difference listed in docs/codex-fidelity.md).
   */
  private async deliver(from: string, to: string, text: string, via: 'create_thread' | 'send_message_to_thread'): Promise<void> {
    const envelope = delegationEnvelope(from, text);
    const t = this.threads.get(to)!;
    if (!this.previews.has(to)) this.previews.set(to, envelope.slice(0, 200));
    if (t.running && this.delivery === 'next-turn') {
      await this.opts.app.request('thread/queue/add', {
        threadId: to,
        input: [{ type: 'text', text: envelope, text_elements: [] }],
        clientUserMessageId: randomUUID(),
      });
      t.queued++;
      return;
    }
    await this.startTurn(to, { input: [], toolOutput: { name: via, namespace: CODEX_APP_NAMESPACE, output: envelope, retain: false } });
  }

  private readonly previews = new Map<string, string>();
  /** The last turn of each thread, as app-server reported it, for wait_threads' polls. */
  private readonly lastTurns = new Map<string, LastTurn>();

  private async startTurn(thread: string, start: Omit<TurnStartParams, 'threadId'>): Promise<void> {
    const t = this.threads.get(thread);
    const { turn } = await this.opts.app.turnStart({ threadId: thread, ...start });
    if (t && !t.running) {
      t.running = turn.id;
      this.setStatus(t, 'active');
    }
  }

  private onNotification(n: RpcNotification): void {
    const p = (n.params ?? {}) as {
      threadId?: string;
      turn?: { id: string; status: string; error?: unknown };
      item?: Record<string, unknown>;
      status?: { type: Status };
    };
    const t = p.threadId ? this.threads.get(p.threadId) : undefined;
    if (!t) return;
    switch (n.method) {
      case 'turn/started':
        this.onDisk.add(t.id);
        // A turn that starts on an idle thread with input queued is the queue's.
        if (t.running === null && t.queued > 0) t.queued--;
        t.running = p.turn!.id;
        this.lastTurns.set(t.id, {
          id: p.turn!.id,
          status: 'inProgress',
          error: null,
          lastMessage: this.lastTurns.get(t.id)?.lastMessage ?? null,
          lastMarker: null,
        });
        this.setStatus(t, 'active');
        break;
      case 'turn/completed': {
        if (t.running === p.turn!.id) t.running = null;
        const last = this.lastTurns.get(t.id);
        const error = p.turn!.error ? JSON.stringify(p.turn!.error) : null;
        this.lastTurns.set(t.id, {
          id: p.turn!.id,
          status: p.turn!.status,
          error,
          lastMessage: last?.lastMessage ?? null,
          lastMarker: last?.lastMarker ?? null,
        });
        if (!t.running) this.setStatus(t, 'idle');
        this.touch(t);
        this.schedule();
        break;
      }
      case 'item/completed': {
        const item = p.item ?? {};
        const last = this.lastTurns.get(t.id);
        if (last) {
          if (item.type === 'agentMessage' && typeof item.text === 'string') last.lastMessage = item.text;
          if (item.type === 'dynamicToolCall') last.lastMarker = String(item.tool);
          if (item.type === 'commandExecution') last.lastMarker = String(item.command);
        }
        this.touch(t);
        break;
      }
      case 'thread/status/changed':
        if (p.status?.type === 'systemError') this.setStatus(t, 'systemError');
        break;
    }
  }

  // ---- heartbeats ---------------------------------------------------------------------------

  /**
   * Arm the timer for the next heartbeat. A heartbeat fires only on an idle thread with nothing
   * queued for it, one per thread, as the World's scheduler does.
   */
  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const next = this.book.nextDue();
    if (next === null) return;
    if (!this.opts.realTime && [...this.threads.keys()].every((id) => !this.busy(id)) && next > this.now()) this.skewMs += next - this.now();
    this.timer = setTimeout(() => void this.fire(), Math.max(0, next - this.now()));
    this.timer.unref?.();
  }

  private async fire(): Promise<void> {
    this.timer = null;
    const now = this.now();
    for (const a of this.book.due(now)) {
      const t = this.threads.get(a.thread);
      if (!t || t.archived || this.busy(t.id)) continue;
      this.book.fired(a, now);
      await this.startTurn(t.id, heartbeatTurn(a, new Date(now).toISOString())).catch(() => undefined);
    }
    // Heartbeats of busy threads wait: the next turn/completed re-arms the timer.
    if ([...this.threads.keys()].some((id) => this.busy(id)) && this.book.due(this.now()).length > 0) return;
    this.schedule();
  }

  // ---- bookkeeping ---------------------------------------------------------------------------

  private threadParams(cwd: string, model: string | null, thinking: string | null): ThreadStartParams {
    return {
      cwd,
      sandbox: 'danger-full-access',
      approvalPolicy: 'never',
      dynamicTools: dynamicTools(),
      ...(model ? { model } : {}),
      ...(thinking ? { config: { model_reasoning_effort: thinking } } : {}),
      ...this.opts.threadDefaults,
    } as ThreadStartParams;
  }

  private register(id: string, init: Pick<HostThread, 'cwd' | 'title' | 'createdBy' | 'worktree' | 'projectId'>): void {
    const now = this.now();
    this.threads.set(id, {
      id,
      ...init,
      createdAtMs: now,
      updatedAtMs: now,
      status: 'idle',
      archived: false,
      pinned: false,
      version: 0,
      running: null,
      queued: 0,
    });
  }

  /** Threads Codex has written to disk: at their first turn, or forked from one that was. */
  private readonly onDisk = new Set<string>();

  /** Codex writes a thread to disk at its first turn; before that it cannot be read, named or archived. */
  private materialized(t: HostThread): boolean {
    return this.onDisk.has(t.id);
  }

  private async turnsOf(thread: string): Promise<AppTurn[]> {
    const r = await this.opts.app.request<{ thread: { turns?: AppTurn[] } }>('thread/read', { threadId: thread, includeTurns: true });
    return r.thread.turns ?? [];
  }

  /** A new worktree on branch `codex/<short>` from `base`, as the desktop app makes them, or why it could not be made. */
  private async worktree(short: string, base: string): Promise<NonNullable<HostThread['worktree']> | string> {
    const dir = `${this.opts.worktreeRoot}/${short}/${repoName(this.opts.ws.root)}`;
    const branch = `codex/${short}`;
    try {
      const sha = await this.opts.ws.resolve(base);
      await this.opts.ws.worktreeAdd(dir, branch, sha);
      return { dir, branch, base: sha };
    } catch (e) {
      return `could not create worktree: ${(e as Error).message}`;
    }
  }

  /** A thread as the shared answers (src/contract/answers.ts) see it. */
  private view(t: HostThread) {
    return {
      id: t.id,
      title: t.title,
      preview: this.previews.get(t.id) ?? '',
      status: t.status,
      archived: t.archived,
      cwd: t.cwd,
      projectId: t.projectId,
      createdAt: Math.floor(t.createdAtMs / 1000),
      updatedAt: Math.floor(t.updatedAtMs / 1000),
      updatedAtRaw: t.updatedAtMs,
      version: t.version,
    };
  }

  private setStatus(t: HostThread, status: Status): void {
    if (t.status === status) return;
    t.status = status;
    this.touch(t);
  }

  private touch(t: HostThread): void {
    t.version++;
    t.updatedAtMs = this.now();
    for (const w of [...this.waiters]) if (w.threads.has(t.id)) w.wake();
  }

  /** No thread but the caller is busy and no heartbeat is due before `deadline`. */
  private nothingCanChange(caller: string, deadline: number): boolean {
    const othersBusy = [...this.threads.keys()].some((id) => id !== caller && this.busy(id));
    const next = this.book.nextDue();
    return !othersBusy && (next === null || next > deadline);
  }

  private waitForAnyChange(threads: string[], ms: number): Promise<void> {
    return new Promise((resolve) => {
      const w = {
        threads: new Set(threads),
        wake: () => {
          clearTimeout(timer);
          this.waiters.delete(w);
          resolve();
        },
      };
      const timer = setTimeout(w.wake, Math.max(0, ms));
      this.waiters.add(w);
    });
  }
}

// ---- app-server shapes to the tools' shapes -------------------------------------------------

/** A thread's last turn as the notifications told it. */
interface LastTurn {
  id: string;
  status: string;
  error: string | null;
  lastMessage: string | null;
  lastMarker: string | null;
}

interface AppTurn {
  id: string;
  status: string;
  startedAt: number | null;
  items: Record<string, unknown>[];
}

function heartbeatTurn(a: Automation, nowIso: string): Omit<TurnStartParams, 'threadId'> {
  return { input: [{ type: 'text', text: heartbeatEnvelope(a.id, nowIso, a.prompt), text_elements: [] }], turnTrigger: HEARTBEAT_TRIGGER };
}

const textOf = (content: unknown): string =>
  Array.isArray(content)
    ? content.map((c) => (c && typeof c === 'object' && 'text' in c ? String((c as { text: unknown }).text) : '')).join('')
    : String(content ?? '');

/**
 * One app-server item as the thread tools show it, or nothing for kinds they do not show
 * (reasoning, plans). A delegation Codex recorded as a tool output is shown as the World shows
 * a delivered message: the envelope as user text.
 */
function itemOut(item: Record<string, unknown>, include: boolean, max: number): Record<string, unknown>[] {
  const out = (o: string) => (include ? { output: o.slice(0, max) } : {});
  switch (item.type) {
    case 'userMessage':
      return [{ type: 'userMessage', text: textOf(item.content) }];
    case 'functionCallOutput':
      return [{ type: 'userMessage', text: textOf(item.output) }];
    case 'agentMessage':
      return [{ type: 'agentMessage', text: String(item.text ?? '') }];
    case 'dynamicToolCall':
      return [
        {
          type: 'dynamicToolCall',
          namespace: item.namespace ?? undefined,
          tool: String(item.tool),
          arguments: item.arguments ?? null,
          success: item.success ?? null,
          ...out(textOf(item.contentItems)),
        },
      ];
    case 'commandExecution':
      return [
        {
          type: 'commandExecution',
          command: String(item.command),
          cwd: String(item.cwd ?? ''),
          exitCode: (item.exitCode as number | null) ?? null,
          ...out(String(item.aggregatedOutput ?? '')),
        },
      ];
    case 'fileChange':
      return [
        { type: 'fileChange', changes: ((item.changes as { path: string; kind: { type: string } }[]) ?? []).map((c) => ({ path: c.path, kind: c.kind.type })) },
      ];
    default:
      return [];
  }
}
