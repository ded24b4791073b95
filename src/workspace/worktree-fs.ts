// The file system isomorphic-git sees: a memfs volume behind synchronous calls, with git's
// linked-worktree layout folded in.
//
// Synchronous underneath because memfs's own promise API defers every call through
// setImmediate: thousands of macrotask hops per simulated run, for nothing.
//
// isomorphic-git has no worktree support but follows a `.git` file, and opens everything
// (HEAD, index, objects, refs, config) under the one gitdir it is given. Git splits a linked
// worktree's gitdir `<root>/.git/worktrees/NAME` into private files (HEAD, index, MERGE_HEAD…)
// and the common dir `<root>/.git` (objects, refs, config…). `WorktreeLayout.map` does that
// split on every path, so each checkout keeps its own HEAD and index while all share objects
// and branches.

import type { PromiseFsClient } from 'isomorphic-git';
import { Volume, type IProcess } from 'memfs';

// memfs asks `process` for uid and gid (a syscall each) on every path lookup: a fifth of a
// simulated run's CPU in a profile. A volume's own lookups use the `process` it was given,
// which can answer from memory (file nodes still ask the real one, about a third of the
// calls). The ids cannot change while we run.
const UID = process.getuid?.() ?? 0;
const GID = process.getgid?.() ?? 0;
const VOLUME_PROCESS: IProcess = {
  getuid: () => UID,
  getgid: () => GID,
  cwd: () => '/',
  platform: 'linux',
  emitWarning: () => {},
  env: {},
};

/** An empty memfs volume that does not make syscalls on each lookup. */
export function createVolume(): Volume {
  return Volume.fromJSON({}, '/', { process: VOLUME_PROCESS });
}

/** Entries of a linked worktree's gitdir that really live in the common dir. */
const SHARED = new Set(['objects', 'refs', 'config', 'packed-refs', 'info', 'hooks', 'shallow', 'description']);

export class WorktreeLayout {
  readonly commonDir: string;
  private readonly adminPrefix: string;
  /** Linked checkout dir -> its admin dir, `<root>/.git/worktrees/NAME`. */
  private readonly linked = new Map<string, string>();

  constructor(readonly root: string) {
    this.commonDir = `${root}/.git`;
    this.adminPrefix = `${this.commonDir}/worktrees/`;
  }

  link(dir: string, adminDir: string): void {
    this.linked.set(dir, adminDir);
  }

  unlink(dir: string): void {
    this.linked.delete(dir);
  }

  /** Linked checkout dirs in the order they were linked. */
  linkedDirs(): string[] {
    return [...this.linked.keys()];
  }

  /** The gitdir of a checkout, or undefined when `dir` is not one. */
  gitdir(dir: string): string | undefined {
    return dir === this.root ? this.commonDir : this.linked.get(dir);
  }

  map(path: string): string {
    // isomorphic-git sometimes derives paths as `join(dir, '.git', …)` without following the
    // `.git` file (it looks for `info/exclude` that way): resolve through the file ourselves.
    const dotGit = path.indexOf('/.git/');
    if (dotGit > 0) {
      const admin = this.linked.get(path.slice(0, dotGit));
      if (admin !== undefined) path = admin + path.slice(dotGit + 5);
    }
    if (!path.startsWith(this.adminPrefix)) return path;
    const nameEnd = path.indexOf('/', this.adminPrefix.length);
    if (nameEnd < 0) return path;
    const rest = path.slice(nameEnd + 1);
    const slash = rest.indexOf('/');
    const first = slash < 0 ? rest : rest.slice(0, slash);
    // logs/HEAD is per worktree, logs/refs/… is shared, as in git.
    const shared = SHARED.has(first) || (first === 'logs' && rest.startsWith('logs/refs/'));
    return shared ? `${this.commonDir}/${rest}` : path;
  }
}

const NOT_A_PATH: Promise<never> = Promise.reject(Object.assign(new Error('no path given'), { code: 'EINVAL' }));
NOT_A_PATH.catch(() => {});

/** A promise-style fs client for isomorphic-git over `vol`, optionally remapping paths. */
export function syncPromiseFs(vol: Volume, map: (path: string) => string = (p) => p): PromiseFsClient {
  // `any` at this seam: isomorphic-git passes node-style option bags through untouched.
  // biome-ignore-start lint/suspicious/noExplicitAny: isomorphic-git passes memfs's options through, whose types differ per overload
  return {
    promises: {
      // isomorphic-git probes every fs it is handed with a bare `readFile()` (one per API
      // call) to see whether it returns a promise: answer without building an Error each time.
      readFile: (p: string, o?: any) => (typeof p === 'string' ? new Promise((ok) => ok(vol.readFileSync(map(p), o))) : NOT_A_PATH),
      writeFile: async (p: string, d: any, o?: any) => vol.writeFileSync(map(p), d, o),
      unlink: async (p: string) => vol.unlinkSync(map(p)),
      readdir: async (p: string, o?: any) => vol.readdirSync(map(p), o),
      mkdir: async (p: string, o?: any) => vol.mkdirSync(map(p), o),
      rmdir: async (p: string) => vol.rmdirSync(map(p)),
      rm: async (p: string, o?: any) => vol.rmSync(map(p), o),
      stat: async (p: string, o?: any) => vol.statSync(map(p), o),
      lstat: async (p: string, o?: any) => vol.lstatSync(map(p), o),
      readlink: async (p: string, o?: any) => vol.readlinkSync(map(p), o),
      symlink: async (t: string, p: string) => vol.symlinkSync(t, map(p)),
      chmod: async (p: string, m: any) => vol.chmodSync(map(p), m),
      // biome-ignore-end lint/suspicious/noExplicitAny: the overloads end here
    },
  } as PromiseFsClient;
}
