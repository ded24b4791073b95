import { validateArgs } from '../../src/contract/index.ts';
import {
  firstLine,
  type LastTurnView,
  listThreadsAnswer,
  matchesQuery,
  pollAnswer,
  readThreadAnswer,
  repoName,
  revOf,
  turnPage,
  wakeReason,
} from '../../src/contract/answers.ts';
import type { ArgsOf, ToolName } from '../../src/contract/registry.ts';
import type { CallResult } from '../../src/ports/agent.ts';
import type { Item, SimThread } from './types.ts';
import type { World } from './world.ts';

// The World's answers to the thread tools and automation_update, in the payload shapes of
// the contract, with the refusals the real tools make. Arguments are validated by the
// contract first, so the handlers can trust their shapes.

const ok = (payload: unknown): CallResult => ({ ok: true, payload });
const fail = (error: string): CallResult => ({ ok: false, error });

/** A tool's handler, typed by its contract: its arguments were checked by the tool's zod schema before it runs. */
type Handlers = { [N in ToolName]: (w: World, caller: string, args: ArgsOf<N>) => CallResult | Promise<CallResult> };

const threadRef = (w: World, id: string): SimThread | string => {
  const t = w.thread(id);
  if (!t) return `thread not found: ${id}`;
  return t;
};

/** A thread as the shared answers (src/contract/answers.ts) see it. */
const viewOf = (w: World, t: SimThread) => ({
  id: t.id,
  title: t.title,
  preview: t.preview,
  status: t.status,
  archived: t.archived,
  cwd: t.cwd,
  projectId: t.projectId,
  createdAt: w.secs(t.createdAt),
  updatedAt: w.secs(t.updatedAt),
  updatedAtRaw: t.updatedAt,
  version: t.version,
});

function itemOut(item: Item, include: boolean, max: number): Record<string, unknown> {
  if (item.type === 'dynamicToolCall' || item.type === 'commandExecution') {
    const { output, ...rest } = item;
    return include ? { ...rest, output: output.slice(0, max) } : rest;
  }
  return { ...item };
}

function lastTurnOf(t: SimThread): LastTurnView | null {
  const last = t.turns.at(-1);
  return last ? { id: last.id, status: last.status, error: last.status === 'failed' ? 'turn failed' : null } : null;
}

function latestAssistant(t: SimThread): string | null {
  for (let i = t.turns.length - 1; i >= 0; i--) {
    const items = t.turns[i]!.items;
    for (let j = items.length - 1; j >= 0; j--) {
      const it = items[j]!;
      if (it.type === 'agentMessage') return it.text;
    }
  }
  return null;
}

function latestToolMarker(t: SimThread): string | null {
  const last = t.turns.at(-1);
  if (!last) return null;
  for (let j = last.items.length - 1; j >= 0; j--) {
    const it = last.items[j]!;
    if (it.type === 'dynamicToolCall') return it.tool;
    if (it.type === 'commandExecution') return it.command;
  }
  return null;
}

const handlers: Handlers = {
  list_projects: (w) => ok([{ projectId: w.opts.projectId, projectKind: 'local', hostId: 'local', path: w.ws.root }]),

  create_thread: async (w, caller, a) => {
    const target = a.target;
    let cwd: string;
    let worktree: SimThread['worktree'] = null;
    const id = w.newThreadId();
    const short = id.slice(-8);
    if (target.type === 'project') {
      if (target.projectId !== w.opts.projectId) return fail(`project not found: ${target.projectId}`);
      if (target.environment.type === 'local') {
        cwd = w.ws.root;
      } else {
        cwd = `${w.opts.worktreeRoot ?? '/worktrees'}/${short}/${repoName(w.ws.root)}`;
        const base = target.environment.startingState?.type === 'branch' ? target.environment.startingState.branchName : 'HEAD';
        const branch = `codex/${short}`;
        try {
          const baseSha = await w.ws.resolve(base);
          if (w.opts.pendingWorktreeMs === null) await addWorktree(w, caller, cwd, branch, baseSha);
          worktree = { dir: cwd, branch, base: baseSha };
        } catch (e) {
          return fail(`could not create worktree: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    } else {
      cwd = `${w.opts.worktreeRoot ?? ''}/projectless/${target.directoryName ?? short}`;
    }
    const make = () => {
      const t = w.addThread({
        id,
        cwd,
        title: firstLine(a.prompt).slice(0, 80),
        projectId: target.type === 'project' ? target.projectId : null,
        model: a.model ?? null,
        thinking: a.thinking ?? null,
        createdBy: caller,
        worktree,
      });
      w.trace.emit({
        kind: 'thread.created',
        thread: t.id,
        by: caller,
        cwd,
        model: t.model,
        thinking: t.thinking,
        worktree: worktree ? { branch: worktree.branch, base: worktree.base } : null,
      });
      w.sendMessage(caller, t.id, a.prompt, 'create_thread');
      return t;
    };
    if (worktree && w.opts.pendingWorktreeMs !== null) {
      const pendingWorktreeId = `pending-${short}`;
      const wt = worktree;
      w.sched.after(w.opts.pendingWorktreeMs, `worktree ready ${pendingWorktreeId}`, async () => {
        await addWorktree(w, caller, wt.dir, wt.branch, wt.base);
        make();
      });
      return ok({ pendingWorktreeId });
    }
    make();
    return ok({ threadId: id });
  },

  send_message_to_thread: (w, caller, a) => {
    const t = threadRef(w, a.threadId);
    if (typeof t === 'string') return fail(t);
    if (t.archived) return fail(`thread is archived: ${t.id}`);
    w.sendMessage(caller, t.id, a.prompt);
    return ok({ threadId: t.id });
  },

  read_thread: (w, _caller, a) => {
    const t = threadRef(w, a.threadId);
    if (typeof t === 'string') return fail(t);
    const page = turnPage(t.turns.length, a);
    if (typeof page === 'string') return fail(page);
    const include = a.includeOutputs ?? false;
    const max = a.maxOutputCharsPerItem ?? 2000;
    const turns = t.turns
      .slice(page.start, page.end)
      .reverse()
      .map((turn) => ({ id: turn.id, status: turn.status, startedAt: w.secs(turn.startedAt), items: turn.items.map((i) => itemOut(i, include, max)) }));
    return ok(readThreadAnswer(viewOf(w, t), page, turns));
  },

  list_threads: (w, _caller, a) => {
    const all = [...w.threads.values()]
      .filter((t) => !t.archived && matchesQuery(t, a.query))
      .sort((x, y) => y.updatedAt - x.updatedAt || x.id.localeCompare(y.id));
    return ok(listThreadsAnswer(all.slice(0, a.limit ?? 50).map((t) => ({ ...viewOf(w, t), pinned: t.pinned }))));
  },

  wait_threads: async (w, _caller, a) => {
    const since = w.now();
    const targets: { threadId: string; afterCursor?: string }[] = a.targets;
    const errors: { threadId: string; message: string }[] = [];
    const live = targets.filter((x) => {
      if (!w.thread(x.threadId)) {
        errors.push({ threadId: x.threadId, message: 'thread not found' });
        return false;
      }
      return true;
    });
    if (live.length === 0) return fail(`no waitable targets: ${errors.map((e) => e.threadId).join(', ')}`);
    const check = () => {
      for (const x of live) {
        const t = w.thread(x.threadId)!;
        const r = wakeReason(viewOf(w, t), revOf(x.afterCursor), since, lastTurnOf(t));
        if (r) return { threadId: x.threadId, ...r };
      }
      return null;
    };
    let wake = check();
    let remaining = a.timeoutMs as number;
    while (!wake && remaining > 0) {
      const started = w.now();
      await w.waitForChange(
        live.map((x) => x.threadId),
        remaining,
      );
      remaining -= w.now() - started;
      wake = check();
    }
    return ok({
      timedOut: wake === null,
      wake,
      polls: live.map((x) => {
        const t = w.thread(x.threadId)!;
        return pollAnswer(viewOf(w, t), revOf(x.afterCursor), lastTurnOf(t), latestAssistant(t), latestToolMarker(t));
      }),
      ...(errors.length ? { errors } : {}),
    });
  },

  fork_thread: async (w, caller, a) => {
    const src = threadRef(w, a.threadId ?? caller);
    if (typeof src === 'string') return fail(src);
    const id = w.newThreadId();
    let cwd = src.cwd;
    let worktree: SimThread['worktree'] = null;
    if (a.environment?.type === 'worktree') {
      const short = id.slice(-8);
      cwd = `${w.opts.worktreeRoot ?? '/worktrees'}/${short}/${repoName(w.ws.root)}`;
      const base = await w.ws.resolve('HEAD');
      try {
        await addWorktree(w, caller, cwd, `codex/${short}`, base);
      } catch (e) {
        return fail(`could not create worktree: ${e instanceof Error ? e.message : String(e)}`);
      }
      worktree = { dir: cwd, branch: `codex/${short}`, base };
    }
    const t = w.addThread({ id, cwd, title: src.title, projectId: src.projectId, model: src.model, thinking: src.thinking, createdBy: caller, worktree });
    t.turns = src.turns.filter((x) => x.status !== 'inProgress').map((x) => ({ ...x, items: [...x.items] }));
    w.trace.emit({
      kind: 'thread.created',
      thread: id,
      by: caller,
      cwd,
      model: t.model,
      thinking: t.thinking,
      worktree: worktree ? { branch: worktree.branch, base: worktree.base } : null,
    });
    return ok({ threadId: id });
  },

  set_thread_archived: (w, caller, a) => {
    const id = a.threadId ?? caller;
    if (id === caller && a.archived) return fail('cannot archive the calling thread');
    const t = threadRef(w, id);
    if (typeof t === 'string') return fail(t);
    w.archive(t, a.archived);
    return ok({ threadId: t.id, archived: a.archived });
  },

  set_thread_title: (w, _caller, a) => {
    const t = threadRef(w, a.threadId);
    if (typeof t === 'string') return fail(t);
    t.title = a.title;
    w.touch(t);
    return ok({ threadId: t.id, title: t.title });
  },

  set_thread_pinned: (w, _caller, a) => {
    const t = threadRef(w, a.threadId);
    if (typeof t === 'string') return fail(t);
    t.pinned = a.pinned;
    w.touch(t);
    return ok({ threadId: t.id, pinned: t.pinned });
  },

  automation_update: (w, caller, a) => {
    const r = w.book.update(caller, a);
    if (!r.ok) return fail(r.error);
    if (r.change) {
      w.trace.emit({ kind: 'automation', ...r.change });
      if (r.change.op !== 'delete') w.queueTick();
    }
    return ok(r.payload);
  },
};

async function addWorktree(w: World, caller: string, dir: string, branch: string, base: string): Promise<void> {
  await w.ws.worktreeAdd(dir, branch, base);
  w.trace.emit({ kind: 'ws', op: 'worktreeAdd', actor: `codex-app:${caller}`, dir, ref: branch, sha: base, ok: true, detail: 'created by create_thread' });
}

export async function handleTool(w: World, caller: string, tool: string, raw: unknown): Promise<CallResult> {
  if (!w.opts.tools.has(tool)) return fail(`unknown tool: ${tool}`);
  if (!Object.hasOwn(handlers, tool)) return fail(`unknown tool: ${tool}`);
  const name = tool as ToolName;
  const v = validateArgs(name, raw);
  if (!v.ok) return fail(v.error);
  // The schema and the handler are looked up by the same name: the value is that tool's arguments.
  return (handlers[name] as (w: World, caller: string, args: unknown) => CallResult | Promise<CallResult>)(w, caller, v.value);
}
