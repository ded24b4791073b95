// A host whose create_thread makes no worktree (the terminal UI's: the new thread works in the
// caller's folder): the leader makes each worker's worktree itself, journals it, and names it in
// the registration, so the worker still has a checkout of its own (W1, W2).

import type { WorkerRecord } from './state.ts';
import { workerIntro } from './texts.ts';
import type { Turn } from './turn.ts';

/** Where the leader puts worker worktrees: beside its checkout, never inside it. */
export function ownWorktreeDir(root: string, role: string, n: number): string {
  return `${root.replace(/\/+$/, '')}.worktrees/${role}-${n}`;
}

/** Make the worktree, then the thread; the thread's id, or the refusal that stopped it. */
export async function createInOwnWorktree(t: Turn, w: WorkerRecord): Promise<{ ok: true; thread: string } | { ok: false; error: string }> {
  const st = t.run;
  if (!w.dir) {
    const dir = ownWorktreeDir(t.root, w.role, w.n);
    const branch = `thread-team/${w.role}-${w.n}`;
    const base = await t.ws.resolve(st.integration);
    await t.ws.worktreeAdd(dir, branch, base);
    w.dir = dir;
    w.branch = branch;
    w.base = base;
    await t.save(`${w.role} #${w.n}: worktree ${dir} on ${branch} (base ${base.slice(0, 12)}) made by the leader: this host's create_thread makes none`);
  }
  // The terminal UI's create_thread takes a prompt, a title and a model: no target, no thinking.
  const r = await t.callRetried('create_thread', { prompt: workerIntro(t.header(), w.role), model: t.settings().model });
  if (!r.ok) return r;
  const id = (r.payload as { threadId?: unknown }).threadId;
  return typeof id === 'string' ? { ok: true, thread: id } : { ok: false, error: 'create_thread answered without a threadId' };
}
