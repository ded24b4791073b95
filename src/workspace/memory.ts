// The in-memory workspace: a memfs volume and isomorphic-git, with git's linked worktrees
// rebuilt on top (see worktree-fs.ts). isomorphic-git knows nothing of worktrees, so every
// rule that `git worktree` enforces (one checkout per branch, no deleting a checked-out
// branch, no removing a dirty worktree) is enforced here, before isomorphic-git is called.
//
// Deterministic: commit times come from `now()` (the simulated clock), nothing reads the real
// clock or randomness, so the same operations give the same SHAs. memfs stamps files with the
// real time, but those stamps only reach the index's stat cache, never an object.

import './uid-memo.ts';
import type { PromiseFsClient } from 'isomorphic-git';
import type { Volume } from 'memfs';
import { posix } from 'node:path';
import {
  WorkspaceError,
  type CommandResult,
  type CommitInfo,
  type FileChange,
  type MergeResult,
  type Sha,
  type Workspace,
  type WorktreeInfo,
} from '../ports/workspace.ts';
import { git, preferSyncCodecs } from './fast-git.ts';
import { createVolume, syncPromiseFs, WorktreeLayout } from './worktree-fs.ts';
import { DEFAULT_AUTHOR, INITIAL_COMMIT_MESSAGE, checkoutDir, checkoutPath, sortedChanges, sortedStrings } from './checkout-paths.ts';

export type VolumeSnapshot = ReturnType<Volume['toSnapshot']>;

/** A whole workspace frozen: restore it with `createMemoryWorkspace({snapshot})`. */
export interface MemorySnapshot {
  readonly root: string;
  readonly volume: VolumeSnapshot;
  /** Linked worktrees in creation order. */
  readonly linked: readonly { readonly dir: string; readonly admin: string }[];
}

/** A verification command: judges the working tree (path -> content, without `.git`). */
export type MemoryCommand = (files: Record<string, string>) => CommandResult;

export interface MemoryWorkspaceOptions {
  /** Main checkout; default `/repo`. Ignored when restoring a snapshot (it has its own). */
  root?: string;
  /** Simulated seconds since the epoch, stamped on every commit. */
  now: () => number;
  author?: { name: string; email: string };
  /** Keyed by the exact command string passed to `run`. */
  commands?: Record<string, MemoryCommand>;
  snapshot?: MemorySnapshot;
}

export interface MemoryWorkspace extends Workspace {
  /** The simulated disk, for tests and fixtures. */
  readonly vol: Volume;
  /** Binary-safe copy of the whole workspace (objects included), ~1 ms for a small repo. */
  snapshot(): MemorySnapshot;
}

export function createMemoryWorkspace(opts: MemoryWorkspaceOptions): MemoryWorkspace {
  return new MemoryGitWorkspace(opts);
}

/** What isomorphic-git calls need to address one checkout. */
interface Checkout {
  fs: PromiseFsClient;
  cache: object;
  dir: string;
  gitdir: string;
}

/** statusMatrix row: [path, head, workdir, stage] (see isomorphic-git's statusMatrix). */
type Row = [string, 0 | 1, 0 | 1 | 2, 0 | 1 | 2 | 3];

/** Logical mtime (seconds) of the last file write, process-wide and only increasing (see write). */
let writeStamp = 0;

const MERGE_HEAD = 'MERGE_HEAD';
const MERGE_MSG = 'MERGE_MSG';

class MemoryGitWorkspace implements MemoryWorkspace {
  /**
   * Resolved refs, as a leader and its workers ask for the same few many times a pass. Every
   * operation that can move a ref goes through this object and clears it first.
   */
  private readonly refs = new Map<string, Sha>();
  readonly root: string;
  readonly vol: Volume;
  private readonly layout: WorktreeLayout;
  private readonly fs: PromiseFsClient;
  /** isomorphic-git's parsed-index and object caches, private to this workspace. */
  private cache: object = {};
  private readonly now: () => number;
  private readonly author: { name: string; email: string };
  private readonly commands: Record<string, MemoryCommand>;

  constructor(opts: MemoryWorkspaceOptions) {
    this.root = checkoutDir(opts.snapshot?.root ?? opts.root ?? '/repo');
    this.now = opts.now;
    this.author = opts.author ?? DEFAULT_AUTHOR;
    this.commands = opts.commands ?? {};
    this.vol = createVolume();
    this.layout = new WorktreeLayout(this.root);
    if (opts.snapshot) {
      this.vol.fromSnapshot(opts.snapshot.volume, '/');
      for (const { dir, admin } of opts.snapshot.linked) this.layout.link(dir, admin);
    }
    this.fs = syncPromiseFs(this.vol, (p) => this.layout.map(p));
  }

  snapshot(): MemorySnapshot {
    return {
      root: this.root,
      volume: this.vol.toSnapshot('/'),
      linked: this.layout.linkedDirs().map((dir) => ({ dir, admin: this.layout.gitdir(dir)! })),
    };
  }

  // ---- repository and worktrees -------------------------------------------------------

  async init(files: Record<string, string>, branch: string): Promise<Sha> {
    this.refs.clear();
    await preferSyncCodecs();
    if (this.vol.existsSync(this.layout.commonDir)) {
      throw new WorkspaceError('dir-exists', `${this.root} already holds a repository`);
    }
    this.vol.mkdirSync(this.root, { recursive: true });
    await git.init({ fs: this.fs, dir: this.root, defaultBranch: branch });
    // What `git init` leaves that isomorphic-git's does not: an exclude file, and (as after any
    // `git gc`) a packed-refs file, without which every ref lookup first fails to open it.
    this.vol.mkdirSync(`${this.layout.commonDir}/info`, { recursive: true });
    if (!this.vol.existsSync(`${this.layout.commonDir}/info/exclude`)) this.vol.writeFileSync(`${this.layout.commonDir}/info/exclude`, '');
    this.vol.writeFileSync(`${this.layout.commonDir}/packed-refs`, '');
    const co = this.checkout_(this.root);
    for (const [path, content] of Object.entries(files)) this.write(co, checkoutPath(path), content);
    await this.stage(co, await this.matrix(co));
    return this.commit(co, INITIAL_COMMIT_MESSAGE);
  }

  async worktreeAdd(dir: string, branch: string, base: string): Promise<Sha> {
    this.refs.clear();
    await preferSyncCodecs();
    const target = checkoutDir(dir);
    if (!posix.isAbsolute(target)) throw new WorkspaceError('outside-checkout', `worktree dir ${dir} is not absolute`);
    this.checkout_(this.root);
    if (this.vol.existsSync(target)) throw new WorkspaceError('dir-exists', `${target} already exists`);
    if (await this.branchExists(branch)) throw new WorkspaceError('branch-exists', `branch ${branch} already exists`);
    const baseSha = await this.resolve(base);
    await git.branch({ fs: this.fs, gitdir: this.layout.commonDir, ref: branch, object: baseSha });

    // The layout `git worktree add` leaves behind, so both sides read the same way.
    const admin = this.freeAdminDir(target);
    this.vol.mkdirSync(admin, { recursive: true });
    this.vol.writeFileSync(`${admin}/HEAD`, `ref: refs/heads/${branch}\n`);
    this.vol.writeFileSync(`${admin}/gitdir`, `${target}/.git\n`);
    this.vol.writeFileSync(`${admin}/commondir`, '../..\n');
    this.vol.mkdirSync(target, { recursive: true });
    this.vol.writeFileSync(`${target}/.git`, `gitdir: ${admin}\n`);
    this.layout.link(target, admin);

    const co = this.checkout_(target);
    await git.checkout({ ...co, ref: `refs/heads/${branch}`, force: true });
    return baseSha;
  }

  async worktreeRemove(dir: string, opts: { force?: boolean } = {}): Promise<void> {
    this.refs.clear();
    await preferSyncCodecs();
    const target = checkoutDir(dir);
    const admin = target === this.root ? undefined : this.layout.gitdir(target);
    if (admin === undefined) throw new WorkspaceError('not-a-checkout', `${dir} is not a linked worktree`);
    if (!opts.force) {
      const co = this.checkout_(target);
      if (this.mergeHead(co) !== null || (await this.changes(co)).length > 0) {
        throw new WorkspaceError('dirty', `${dir} has uncommitted changes; remove it with force`);
      }
    }
    this.vol.rmSync(target, { recursive: true, force: true });
    this.vol.rmSync(admin, { recursive: true, force: true });
    this.layout.unlink(target);
    // A later worktree may reuse the admin dir name; its index must not come from the cache.
    this.cache = {};
  }

  async worktrees(): Promise<WorktreeInfo[]> {
    await preferSyncCodecs();
    const infos: WorktreeInfo[] = [];
    for (const dir of [this.root, ...this.layout.linkedDirs()]) {
      const co = this.checkout_(dir);
      infos.push({ dir, branch: await this.branchOf(co), head: await this.head(co) });
    }
    return infos;
  }

  // ---- refs ---------------------------------------------------------------------------

  async branches(): Promise<string[]> {
    await preferSyncCodecs();
    return sortedStrings(await git.listBranches({ fs: this.fs, gitdir: this.layout.commonDir }));
  }

  async resolve(ref: string): Promise<Sha> {
    const known = this.refs.get(ref);
    if (known !== undefined) return known;
    const sha = await this.resolveUncached(ref);
    this.refs.set(ref, sha);
    return sha;
  }

  private async resolveUncached(ref: string): Promise<Sha> {
    await preferSyncCodecs();
    const gitdir = this.layout.commonDir;
    const unknown = () => new WorkspaceError('unknown-ref', `unknown revision ${JSON.stringify(ref)}`);
    if (!this.vol.existsSync(gitdir)) throw new WorkspaceError('not-a-checkout', `no repository at ${this.root}`);
    // Ref names become paths under the gitdir: `..` would read any file there as a ref.
    if (ref === '' || ref.includes('..') || ref.startsWith('/')) throw unknown();
    // Branches first and only then raw names: isomorphic-git would otherwise read a branch
    // called `config` or `index` straight out of the gitdir.
    const candidates = ref === 'HEAD' ? ['HEAD'] : [`refs/heads/${ref}`, ...(ref.startsWith('refs/') ? [ref] : [])];
    for (const candidate of candidates) {
      try {
        return await this.commitSha(await git.resolveRef({ fs: this.fs, gitdir, ref: candidate }));
      } catch (err) {
        if (!(err instanceof git.Errors.NotFoundError)) throw err;
      }
    }
    if (/^[0-9a-f]{4,40}$/.test(ref)) {
      try {
        return await this.commitSha(await git.expandOid({ fs: this.fs, cache: this.cache, gitdir, oid: ref }));
      } catch (err) {
        if (err instanceof git.Errors.NotFoundError || err instanceof git.Errors.AmbiguousError) throw unknown();
        throw err;
      }
    }
    throw unknown();
  }

  async currentBranch(dir: string): Promise<string | null> {
    await preferSyncCodecs();
    return this.branchOf(this.checkout_(dir));
  }

  async setBranch(branch: string, sha: Sha): Promise<void> {
    this.refs.clear();
    await preferSyncCodecs();
    const target = await this.resolve(sha);
    await git.writeRef({ fs: this.fs, gitdir: this.layout.commonDir, ref: `refs/heads/${branch}`, value: target, force: true });
  }

  async deleteBranch(branch: string): Promise<void> {
    this.refs.clear();
    await preferSyncCodecs();
    if (!(await this.branchExists(branch))) throw new WorkspaceError('unknown-ref', `no branch ${branch}`);
    const holder = await this.checkoutOf(branch);
    if (holder !== null) throw new WorkspaceError('branch-checked-out', `branch ${branch} is checked out at ${holder}`);
    await git.deleteBranch({ fs: this.fs, gitdir: this.layout.commonDir, ref: branch });
  }

  // ---- files --------------------------------------------------------------------------

  async readFile(dir: string, path: string): Promise<string | null> {
    const co = this.checkout_(dir);
    const full = `${co.dir}/${checkoutPath(path)}`;
    if (!this.vol.existsSync(full) || !this.vol.statSync(full).isFile()) return null;
    return this.vol.readFileSync(full, 'utf8') as string;
  }

  async writeFile(dir: string, path: string, content: string): Promise<void> {
    this.write(this.checkout_(dir), checkoutPath(path), content);
  }

  async removeFile(dir: string, path: string): Promise<void> {
    const co = this.checkout_(dir);
    this.vol.rmSync(`${co.dir}/${checkoutPath(path)}`, { force: true });
  }

  async listFiles(dir: string): Promise<string[]> {
    return sortedStrings(this.files(this.checkout_(dir)));
  }

  async status(dir: string): Promise<FileChange[]> {
    await preferSyncCodecs();
    return this.changes(this.checkout_(dir));
  }

  // ---- history ------------------------------------------------------------------------

  async commitAll(dir: string, message: string): Promise<Sha | null> {
    this.refs.clear();
    await preferSyncCodecs();
    const co = this.checkout_(dir);
    this.refuseMergeInProgress(co, 'commit');
    const rows = await this.matrix(co);
    if (rowsToChanges(rows).length === 0) return null;
    await this.stage(co, rows);
    return this.commit(co, message);
  }

  async changedFiles(from: string, to: string): Promise<FileChange[]> {
    await preferSyncCodecs();
    const [a, b] = [await this.resolve(from), await this.resolve(to)];
    // Two commits differ the same way for ever: a leader polling a branch asks again and again.
    const key = `${a}..${b}`;
    let known = this.diffs.get(key);
    if (known === undefined) {
      known = sortedChanges(await this.treeChanges(a, b));
      this.diffs.set(key, known);
    }
    return known.map((c) => ({ ...c }));
  }

  /** changedFiles' answers, by the two commits' SHAs. */
  private readonly diffs = new Map<string, FileChange[]>();

  /** The files that differ between two commits' trees (equal subtrees are not entered). */
  private async treeChanges(a: Sha, b: Sha): Promise<FileChange[]> {
    const changes: FileChange[] = [];
    await git.walk({
      fs: this.fs,
      cache: this.cache,
      gitdir: this.layout.commonDir,
      trees: [git.TREE({ ref: a }), git.TREE({ ref: b })],
      map: async (path, [before, after]) => {
        const [tb, ta] = [await before?.type(), await after?.type()];
        if (tb === 'tree' && ta === 'tree' && (await before!.oid()) === (await after!.oid())) return null;
        if (path === '.') return true;
        const wasFile = tb === 'blob';
        const isFile = ta === 'blob';
        if (wasFile && isFile) {
          if ((await before!.oid()) !== (await after!.oid())) changes.push({ path, kind: 'modified' });
        } else if (wasFile) {
          changes.push({ path, kind: 'deleted' });
        } else if (isFile) {
          changes.push({ path, kind: 'added' });
        }
        return true;
      },
    });
    return changes;
  }

  async log(ref: string, limit?: number): Promise<CommitInfo[]> {
    await preferSyncCodecs();
    const sha = await this.resolve(ref);
    const entries = await git.log({
      fs: this.fs,
      cache: this.cache,
      gitdir: this.layout.commonDir,
      ref: sha,
      ...(limit === undefined ? {} : { depth: limit }),
    });
    return entries.map((e) => ({ sha: e.oid, message: e.commit.message.replace(/\n+$/, ''), parents: e.commit.parent }));
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    await preferSyncCodecs();
    return this.isAncestorSha(await this.resolve(ancestor), await this.resolve(descendant));
  }

  async mergeBase(a: string, b: string): Promise<Sha | null> {
    await preferSyncCodecs();
    return this.mergeBaseSha(await this.resolve(a), await this.resolve(b));
  }

  // ---- merging and checkout ------------------------------------------------------------

  async merge(dir: string, ref: string, message: string): Promise<MergeResult> {
    this.refs.clear();
    await preferSyncCodecs();
    const co = this.checkout_(dir);
    this.refuseMergeInProgress(co, 'merge');
    await this.refuseDirty(co, 'merge');
    const theirs = await this.resolve(ref);
    const ours = await this.head(co);
    const branch = await this.branchOf(co);
    const oursRef = branch === null ? 'HEAD' : `refs/heads/${branch}`;

    // One merge-base walk answers both "already merged?" and "fast-forward?".
    const bases = await git.findMergeBase({ fs: this.fs, cache: this.cache, gitdir: this.layout.commonDir, oids: [ours, theirs] });
    if (theirs === ours || bases.includes(theirs)) return { kind: 'up-to-date', sha: ours };
    if (bases.includes(ours)) {
      await git.writeRef({ fs: this.fs, gitdir: co.gitdir, ref: oursRef, value: theirs, force: true });
      // isomorphic-git's merge and writeRef move refs only; the working tree follows here.
      if (branch === null) await git.checkout({ ...co, ref: theirs, force: true });
      else await this.follow(co, ours, theirs);
      return { kind: 'fast-forward', sha: theirs };
    }

    // Named like git names them in conflict markers: the branch when `ref` is one.
    const theirsName = (await this.branchExists(ref)) ? ref : theirs;
    const sig = this.signature();
    try {
      const result = await git.merge({
        ...co,
        ours: oursRef,
        theirs: theirsName,
        message,
        author: sig,
        committer: sig,
        fastForward: false,
        abortOnConflict: false,
      });
      if (branch === null) await git.checkout({ ...co, ref: result.oid!, force: true });
      else await this.follow(co, ours, result.oid!);
      return { kind: 'merged', sha: result.oid! };
    } catch (err) {
      if (err instanceof git.Errors.MergeConflictError) {
        await this.applyCleanDeletions(co, ours, theirs);
        this.vol.writeFileSync(`${co.gitdir}/${MERGE_HEAD}`, `${theirs}\n`);
        this.vol.writeFileSync(`${co.gitdir}/${MERGE_MSG}`, `${message}\n`);
        return { kind: 'conflict', paths: sortedStrings([...err.data.filepaths]) };
      }
      if (err instanceof git.Errors.MergeNotSupportedError) {
        throw new Error(
          `cannot merge ${ref} into ${co.dir} in memory: isomorphic-git merges only histories with a ` +
            `single merge base and no add/add of directories (criss-cross history?)`,
          { cause: err },
        );
      }
      throw err;
    }
  }

  async commitMerge(dir: string, message: string): Promise<Sha> {
    this.refs.clear();
    await preferSyncCodecs();
    const co = this.checkout_(dir);
    const theirs = this.mergeHead(co);
    if (theirs === null) throw new WorkspaceError('no-merge-in-progress', `no merge in progress in ${dir}`);
    const ours = await this.head(co);
    // Everything, not only what differs: adding a path is what clears its conflict stages.
    const rows = await this.matrix(co);
    const present = rows.filter(([, , work]) => work !== 0).map(([path]) => path);
    if (present.length > 0) await git.add({ ...co, filepath: present, force: true });
    for (const [path, , work, stage] of rows) {
      if (work === 0 && stage !== 0) await git.remove({ ...co, filepath: path });
    }
    const sha = await this.commit(co, message, [ours, theirs]);
    this.clearMergeState(co);
    return sha;
  }

  async abortMerge(dir: string): Promise<void> {
    this.refs.clear();
    await preferSyncCodecs();
    const co = this.checkout_(dir);
    if (this.mergeHead(co) === null) throw new WorkspaceError('no-merge-in-progress', `no merge in progress in ${dir}`);
    const branch = await this.branchOf(co);
    await git.checkout({ ...co, ref: branch === null ? await this.head(co) : `refs/heads/${branch}`, force: true });
    // The merge started from a clean tree, so every untracked, unexcluded file is its doing.
    for (const [path, head, , stage] of await this.matrix(co)) {
      if (head === 0 && stage === 0) this.vol.rmSync(`${co.dir}/${path}`, { force: true });
    }
    this.clearMergeState(co);
  }

  async discardChanges(dir: string): Promise<void> {
    this.refs.clear();
    await preferSyncCodecs();
    const co = this.checkout_(dir);
    this.refuseMergeInProgress(co, 'discardChanges');
    const branch = await this.branchOf(co);
    await git.checkout({ ...co, ref: branch === null ? await this.head(co) : `refs/heads/${branch}`, force: true });
    for (const [path, head, , stage] of await this.matrix(co)) {
      if (head === 0 && stage === 0) this.vol.rmSync(`${co.dir}/${path}`, { force: true });
    }
  }

  async mergeInProgress(dir: string): Promise<boolean> {
    return this.mergeHead(this.checkout_(dir)) !== null;
  }

  async checkout(dir: string, ref: string): Promise<void> {
    this.refs.clear();
    await preferSyncCodecs();
    const co = this.checkout_(dir);
    this.refuseMergeInProgress(co, 'checkout');
    await this.refuseDirty(co, 'checkout');
    if (await this.branchExists(ref)) {
      const holder = await this.checkoutOf(ref);
      if (holder !== null && holder !== co.dir) {
        throw new WorkspaceError('branch-checked-out', `branch ${ref} is checked out at ${holder}`);
      }
      await git.checkout({ ...co, ref: `refs/heads/${ref}`, force: true });
    } else {
      await git.checkout({ ...co, ref: await this.resolve(ref), force: true });
    }
  }

  // ---- excludes and commands ------------------------------------------------------------

  async excludeFile(dir: string): Promise<string> {
    this.checkout_(dir);
    return `${this.layout.commonDir}/info/exclude`;
  }

  async addExclude(dir: string, pattern: string): Promise<void> {
    const file = await this.excludeFile(dir);
    const current = this.vol.existsSync(file) ? (this.vol.readFileSync(file, 'utf8') as string) : '';
    if (current.split('\n').includes(pattern)) return;
    this.vol.mkdirSync(posix.dirname(file), { recursive: true });
    const separator = current === '' || current.endsWith('\n') ? '' : '\n';
    this.vol.writeFileSync(file, `${current}${separator}${pattern}\n`);
  }

  async run(dir: string, command: string): Promise<CommandResult> {
    const co = this.checkout_(dir);
    const judge = this.commands[command];
    if (judge === undefined) return { exitCode: 127, output: `${command}: command not found` };
    const files: Record<string, string> = {};
    for (const path of sortedStrings(this.files(co))) {
      files[path] = this.vol.readFileSync(`${co.dir}/${path}`, 'utf8') as string;
    }
    return judge(files);
  }

  // ---- internals ------------------------------------------------------------------------

  /** Named with a trailing underscore: `checkout` is the port's operation. */
  private checkout_(dir: string): Checkout {
    const canonical = checkoutDir(dir);
    const gitdir = this.layout.gitdir(canonical);
    if (gitdir === undefined || !this.vol.existsSync(gitdir)) {
      throw new WorkspaceError('not-a-checkout', `${dir} is not a checkout of ${this.root}`);
    }
    return { fs: this.fs, cache: this.cache, dir: canonical, gitdir };
  }

  private signature() {
    return { ...this.author, timestamp: Math.floor(this.now()), timezoneOffset: 0 };
  }

  private async commit(co: Checkout, message: string, parent?: Sha[]): Promise<Sha> {
    const sig = this.signature();
    return git.commit({ ...co, message, author: sig, committer: sig, ...(parent ? { parent } : {}) });
  }

  private write(co: Checkout, path: string, content: string | Uint8Array): void {
    const full = `${co.dir}/${path}`;
    this.vol.mkdirSync(posix.dirname(full), { recursive: true });
    this.vol.writeFileSync(full, content);
    // memfs stamps the wall clock in milliseconds. isomorphic-git trusts an index entry whose
    // stat (mtime, ctime, size, inode) still matches the file ("racy git"): a same-size edit
    // within the millisecond of a checkout or commit went unseen by status and commitAll, and
    // whether it did depended on the wall clock. Every write gets a fresh stamp instead, never
    // seen before in this process, so a rewritten file is always re-hashed.
    const stamp = ++writeStamp;
    this.vol.utimesSync(full, stamp, stamp);
  }

  /** Working-tree files relative to the checkout, unsorted, without `.git`. */
  private files(co: Checkout): string[] {
    const out: string[] = [];
    const walk = (abs: string, rel: string): void => {
      for (const entry of this.vol.readdirSync(abs, { withFileTypes: true }) as { name: string; isDirectory(): boolean; isFile(): boolean }[]) {
        const name = String(entry.name);
        if (rel === '' && name === '.git') continue;
        const childRel = rel === '' ? name : `${rel}/${name}`;
        if (entry.isDirectory()) walk(`${abs}/${name}`, childRel);
        else if (entry.isFile()) out.push(childRel);
      }
    };
    walk(co.dir, '');
    return out;
  }

  /** HEAD vs working tree, without excluded untracked files (statusMatrix filters them). */
  private async matrix(co: Checkout): Promise<Row[]> {
    return (await git.statusMatrix({ ...co })) as Row[];
  }

  private async changes(co: Checkout): Promise<FileChange[]> {
    return sortedChanges(rowsToChanges(await this.matrix(co)));
  }

  /** `git add -A`: make the index match the working tree for every row that differs. */
  private async stage(co: Checkout, rows: Row[]): Promise<void> {
    const add = rows.filter(([, , work, stage]) => work !== 0 && stage !== work).map(([path]) => path);
    // force: statusMatrix already left out excluded untracked files, and a tracked file
    // stays tracked even when it matches an exclude pattern, as in git.
    if (add.length > 0) await git.add({ ...co, filepath: add, force: true });
    for (const [path, , work, stage] of rows) {
      if (work === 0 && stage !== 0) await git.remove({ ...co, filepath: path });
    }
  }

  private async head(co: Checkout): Promise<Sha> {
    return git.resolveRef({ fs: this.fs, gitdir: co.gitdir, ref: 'HEAD' });
  }

  private async branchOf(co: Checkout): Promise<string | null> {
    return (await git.currentBranch({ fs: this.fs, gitdir: co.gitdir, fullname: false })) ?? null;
  }

  private async branchExists(branch: string): Promise<boolean> {
    try {
      await git.resolveRef({ fs: this.fs, gitdir: this.layout.commonDir, ref: `refs/heads/${branch}`, depth: 1 });
      return true;
    } catch (err) {
      if (err instanceof git.Errors.NotFoundError) return false;
      throw err;
    }
  }

  /** The checkout that has `branch` checked out, or null. */
  private async checkoutOf(branch: string): Promise<string | null> {
    for (const dir of [this.root, ...this.layout.linkedDirs()]) {
      if ((await this.branchOf(this.checkout_(dir))) === branch) return dir;
    }
    return null;
  }

  private async commitSha(oid: string): Promise<Sha> {
    try {
      await git.readCommit({ fs: this.fs, cache: this.cache, gitdir: this.layout.commonDir, oid });
      return oid;
    } catch (err) {
      if (err instanceof git.Errors.NotFoundError || err instanceof git.Errors.ObjectTypeError) {
        throw new WorkspaceError('unknown-ref', `${oid} is not a commit`);
      }
      throw err;
    }
  }

  private async isAncestorSha(ancestor: Sha, descendant: Sha): Promise<boolean> {
    if (ancestor === descendant) return true;
    return git.isDescendent({
      fs: this.fs,
      cache: this.cache,
      gitdir: this.layout.commonDir,
      oid: descendant,
      ancestor,
      depth: -1,
    });
  }

  private async mergeBaseSha(a: Sha, b: Sha): Promise<Sha | null> {
    const bases = await git.findMergeBase({ fs: this.fs, cache: this.cache, gitdir: this.layout.commonDir, oids: [a, b] });
    return (bases[0] as Sha | undefined) ?? null;
  }

  /**
   * The clean checkout `co`, at commit `from`, brought to commit `to` (its branch already moved
   * there): only the files that differ are written or removed, and only their index entries
   * updated. What `git.checkout --force` would leave, without walking and rewriting the whole
   * tree and index (most of a merge's time otherwise). Callers have refused a dirty tree, so
   * the working tree and the index are `from`'s exactly.
   */
  private async follow(co: Checkout, from: Sha, to: Sha): Promise<void> {
    const changed = await this.treeChanges(from, to);
    const written: string[] = [];
    for (const c of changed) {
      const full = `${co.dir}/${c.path}`;
      if (c.kind === 'deleted') {
        this.vol.rmSync(full, { force: true });
        await git.remove({ ...co, filepath: c.path });
        // git leaves no empty directory behind.
        for (let dir = posix.dirname(full); dir !== co.dir && (this.vol.readdirSync(dir) as string[]).length === 0; dir = posix.dirname(dir))
          this.vol.rmdirSync(dir);
      } else {
        const { blob } = await git.readBlob({ fs: this.fs, cache: this.cache, gitdir: this.layout.commonDir, oid: to, filepath: c.path });
        this.write(co, c.path, blob);
        written.push(c.path);
      }
    }
    if (written.length > 0) await git.add({ ...co, filepath: written, force: true });
  }

  /** After a conflicted merge isomorphic-git has written the merged files but not removed the
   *  files theirs deleted (and ours left alone); git removes them, so do the same. */
  private async applyCleanDeletions(co: Checkout, ours: Sha, theirs: Sha): Promise<void> {
    const base = await this.mergeBaseSha(ours, theirs);
    if (base === null) return;
    const doomed: string[] = [];
    await git.walk({
      fs: this.fs,
      cache: this.cache,
      gitdir: this.layout.commonDir,
      trees: [git.TREE({ ref: base }), git.TREE({ ref: ours }), git.TREE({ ref: theirs })],
      map: async (path, [b, o, t]) => {
        if (path === '.') return true;
        if (!t && b && o && (await b.type()) === 'blob' && (await o.type()) === 'blob') {
          if ((await b.oid()) === (await o.oid())) doomed.push(path);
        }
        return true;
      },
    });
    for (const path of doomed) {
      this.vol.rmSync(`${co.dir}/${path}`, { force: true });
      await git.remove({ ...co, filepath: path });
    }
  }

  private mergeHead(co: Checkout): Sha | null {
    const file = `${co.gitdir}/${MERGE_HEAD}`;
    return this.vol.existsSync(file) ? (this.vol.readFileSync(file, 'utf8') as string).trim() : null;
  }

  private clearMergeState(co: Checkout): void {
    this.vol.rmSync(`${co.gitdir}/${MERGE_HEAD}`, { force: true });
    this.vol.rmSync(`${co.gitdir}/${MERGE_MSG}`, { force: true });
  }

  private refuseMergeInProgress(co: Checkout, what: string): void {
    if (this.mergeHead(co) !== null) {
      throw new WorkspaceError('merge-in-progress', `cannot ${what} in ${co.dir}: a merge is in progress`);
    }
  }

  private async refuseDirty(co: Checkout, what: string): Promise<void> {
    const changes = await this.changes(co);
    if (changes.length > 0) {
      throw new WorkspaceError('dirty', `cannot ${what} in ${co.dir}: uncommitted changes in ${changes.map((c) => c.path).join(', ')}`);
    }
  }

  private freeAdminDir(target: string): string {
    const base = posix.basename(target).replace(/[^A-Za-z0-9._-]/g, '-') || 'worktree';
    let name = base;
    for (let n = 1; this.vol.existsSync(`${this.layout.commonDir}/worktrees/${name}`); n++) name = `${base}${n}`;
    return `${this.layout.commonDir}/worktrees/${name}`;
  }
}

/** HEAD vs working tree, read off statusMatrix rows. */
function rowsToChanges(rows: Row[]): FileChange[] {
  const changes: FileChange[] = [];
  for (const [path, head, work] of rows) {
    if (head === 0 && work === 2) changes.push({ path, kind: 'added' });
    else if (head === 1 && work === 0) changes.push({ path, kind: 'deleted' });
    else if (head === 1 && work === 2) changes.push({ path, kind: 'modified' });
  }
  return changes;
}
