import type { Workspace } from '../../src/ports/workspace.ts';
import type { World } from './world.ts';

// Every workspace operation of an agent is recorded with the thread that did it and the
// directory it touched: this is what makes a shared checkout (W1) visible in the trace.
// Reads are recorded too (without adding transcript items), since the invariants ask
// whether the leader read a worker's report before merging it.

type Recorder = (result: unknown, args: unknown[]) => { dir: string; paths?: string[]; ref?: string; sha?: string | null; detail?: string };

const RECORD: Partial<Record<keyof Workspace, Recorder>> = {
  init: (sha) => ({ dir: '', sha: sha as string }),
  worktreeAdd: (sha, [dir, branch, base]) => ({ dir: dir as string, ref: branch as string, sha: sha as string, detail: `base ${String(base)}` }),
  worktreeRemove: (_r, [dir, o]) => ({ dir: dir as string, detail: (o as { force?: boolean } | undefined)?.force ? 'force' : undefined }),
  worktrees: () => ({ dir: '' }),
  branches: () => ({ dir: '' }),
  resolve: (sha, [ref]) => ({ dir: '', ref: ref as string, sha: sha as string }),
  currentBranch: (b, [dir]) => ({ dir: dir as string, ref: (b as string | null) ?? undefined }),
  setBranch: (_r, [branch, sha]) => ({ dir: '', ref: branch as string, sha: sha as string }),
  deleteBranch: (_r, [branch]) => ({ dir: '', ref: branch as string }),
  readFile: (_r, [dir, path]) => ({ dir: dir as string, paths: [path as string] }),
  writeFile: (_r, [dir, path]) => ({ dir: dir as string, paths: [path as string] }),
  removeFile: (_r, [dir, path]) => ({ dir: dir as string, paths: [path as string] }),
  listFiles: (_r, [dir]) => ({ dir: dir as string }),
  status: (r, [dir]) => ({ dir: dir as string, paths: (r as { path: string }[]).map((c) => c.path) }),
  commitAll: (sha, [dir, message]) => ({ dir: dir as string, sha: sha as string | null, detail: message as string }),
  changedFiles: (r, [from, to]) => ({ dir: '', ref: `${String(from)}..${String(to)}`, paths: (r as { path: string }[]).map((c) => c.path) }),
  log: (_r, [ref]) => ({ dir: '', ref: ref as string }),
  isAncestor: (r, [a, b]) => ({ dir: '', ref: `${String(a)}..${String(b)}`, detail: String(r) }),
  mergeBase: (sha, [a, b]) => ({ dir: '', ref: `${String(a)}...${String(b)}`, sha: sha as string | null }),
  merge: (r, [dir, ref]) => {
    const m = r as { kind: string; sha?: string; paths?: string[] };
    return { dir: dir as string, ref: ref as string, sha: m.sha ?? null, paths: m.paths, detail: m.kind };
  },
  commitMerge: (sha, [dir]) => ({ dir: dir as string, sha: sha as string }),
  abortMerge: (_r, [dir]) => ({ dir: dir as string }),
  discardChanges: (_r, [dir]) => ({ dir: dir as string }),
  mergeInProgress: (r, [dir]) => ({ dir: dir as string, detail: String(r) }),
  checkout: (_r, [dir, ref]) => ({ dir: dir as string, ref: ref as string }),
  excludeFile: (_r, [dir]) => ({ dir: dir as string }),
  addExclude: (_r, [dir, pattern]) => ({ dir: dir as string, detail: pattern as string }),
  run: (r, [dir, command]) => {
    const c = r as { exitCode: number };
    return { dir: dir as string, detail: `${String(command)} -> exit ${c.exitCode}` };
  },
};

/** `inner` is the workspace the actor really acts on (the World's, or a live leader's own). */
export function tracedWorkspace(world: World, actor: string, check: () => void, inner: Workspace = world.ws): Workspace {
  const wrapped: Record<string, unknown> = { root: inner.root };
  for (const name of Object.keys(RECORD) as (keyof Workspace)[]) {
    const rec = RECORD[name]!;
    wrapped[name] = async (...args: unknown[]) => {
      check();
      if (name === 'writeFile' && world.opts.faults?.onWrite) {
        // What reaches the disk: a fault may rewrite it on the way (a model's own wording).
        args = [args[0], args[1], world.opts.faults.onWrite(world, { actor, dir: args[0] as string, path: args[1] as string, content: args[2] as string })];
      }
      let result: unknown;
      try {
        result = await (inner[name] as (...a: unknown[]) => Promise<unknown>).apply(inner, args);
      } catch (e) {
        const dir = typeof args[0] === 'string' && args[0].startsWith('/') ? args[0] : '';
        world.trace.emit({ kind: 'ws', op: name, actor, dir, ok: false, detail: e instanceof Error ? e.message : String(e) });
        throw e;
      }
      const r = rec(result, args);
      if ((name === 'commitAll' || name === 'commitMerge') && typeof result === 'string') {
        // Which paths a commit carried, so a commit of .thread-team/ (J3) shows.
        const parent = (await inner.log(result, 1))[0]?.parents[0];
        r.paths = parent ? (await inner.changedFiles(parent, result)).map((c) => c.path) : [];
      }
      const ev = { kind: 'ws' as const, op: name, actor, dir: r.dir, ok: true };
      world.trace.emit({
        ...ev,
        ...(r.paths ? { paths: r.paths } : {}),
        ...(r.ref !== undefined ? { ref: r.ref } : {}),
        ...(r.sha !== undefined ? { sha: r.sha } : {}),
        ...(r.detail !== undefined ? { detail: r.detail } : {}),
        ...(name === 'writeFile' && world.opts.recordContent?.(args[1] as string) ? { content: args[2] as string } : {}),
      });
      if (name === 'writeFile' || name === 'removeFile') {
        world.addItem(actor, { type: 'fileChange', changes: [{ path: args[1] as string, kind: name === 'removeFile' ? 'delete' : 'update' }] });
      } else if (name === 'run') {
        const c = result as { exitCode: number; output: string };
        world.addItem(actor, { type: 'commandExecution', command: args[1] as string, cwd: args[0] as string, exitCode: c.exitCode, output: c.output });
      } else if (name === 'commitAll' || name === 'merge' || name === 'commitMerge' || name === 'worktreeAdd' || name === 'worktreeRemove') {
        world.addItem(actor, { type: 'commandExecution', command: `git ${name}`, cwd: r.dir, exitCode: 0, output: r.sha ?? '' });
      }
      return result;
    };
  }
  return wrapped as unknown as Workspace;
}
