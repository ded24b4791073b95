// The in-memory workspace: a git repository with linked worktrees, kept as plain maps.
//
// Objects are real git objects (git-objects.ts: the same bytes, so the same SHAs as git), refs a
// map of branch names, and each checkout its HEAD, its files (path -> text) and its index
// (path -> blob SHA). Every rule `git worktree` enforces (one checkout per branch, no deleting a
// checked-out branch, no removing a dirty worktree) is enforced here. The shared suite
// (test/support/workspace-suite.ts) holds this and the git CLI workspace to one behaviour, and
// `exportGit` writes the repository out for real git to check.
//
// Deterministic: commit times come from `now()` (the simulated clock); nothing reads the real
// clock or randomness, so the same operations give the same SHAs.
//
// Before, this was memfs with isomorphic-git on top: the same objects, at thirty times the cost
// (a run spent most of its time walking a simulated disk, inflating objects and throwing
// not-found errors). The trees, commits, merges and conflict texts it produced are unchanged.

import ignoreRules, { type Ignore } from 'ignore';
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
import { DEFAULT_AUTHOR, INITIAL_COMMIT_MESSAGE, checkoutDir, checkoutPath, sortedChanges, sortedStrings } from './checkout-paths.ts';
import { ObjectStore, type Files } from './git-objects.ts';
import { MergeNotSupported, mergeTrees } from './three-way.ts';

/** A whole workspace frozen: restore it with `createMemoryWorkspace({snapshot})`. */
export interface MemorySnapshot {
  readonly root: string;
  /** Never changed once made: every restore copies what it will change. */
  readonly state: State;
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
  /** A copy of the whole workspace (objects included), for fixtures: restoring it costs microseconds. */
  snapshot(): MemorySnapshot;
  /**
   * The repository as git keeps it on disk, absolute path -> bytes: the `.git` directory (loose
   * objects, refs, HEADs, the exclude file, each linked worktree's admin files) and each linked
   * checkout's `.git` file. No index: git rebuilds one with `git reset`.
   */
  exportGit(): Map<string, Buffer>;
}

export function createMemoryWorkspace(opts: MemoryWorkspaceOptions): MemoryWorkspace {
  return new MemoryGitWorkspace(opts);
}

type Head = { readonly branch: string } | { readonly detached: Sha };

/** One checkout: the main one or a linked worktree. */
interface Checkout {
  readonly dir: string;
  /** Its git dir: `<root>/.git`, or `<root>/.git/worktrees/NAME` for a linked one. */
  readonly admin: string;
  head: Head;
  /** The working tree: path -> text. Directories exist only as the paths of their files. */
  files: Map<string, string>;
  /** Stage 0 entries: path -> blob SHA. */
  index: Map<string, Sha>;
  /** Paths a conflicted merge left unmerged (git's stages 1-3): tracked, with no stage 0 entry. */
  unmerged: Set<string>;
  merge: { readonly theirs: Sha; readonly message: string } | null;
}

interface State {
  store: ObjectStore;
  branches: Map<string, Sha>;
  /** Main checkout first, then linked ones in the order they were made. Empty before init. */
  checkouts: Checkout[];
  /** The repository's `info/exclude`, shared by every checkout. */
  exclude: string;
  /** Directories made for checkouts, which stay when a worktree inside them is removed. */
  dirs: Set<string>;
}

function copyState(s: State): State {
  return {
    store: new ObjectStore(s.store),
    branches: new Map(s.branches),
    checkouts: s.checkouts.map((c) => ({ ...c, files: new Map(c.files), index: new Map(c.index), unmerged: new Set(c.unmerged) })),
    exclude: s.exclude,
    dirs: new Set(s.dirs),
  };
}

class MemoryGitWorkspace implements MemoryWorkspace {
  readonly root: string;
  private readonly s: State;
  private readonly now: () => number;
  private readonly author: { name: string; email: string };
  private readonly commands: Record<string, MemoryCommand>;
  /** Compiled ignore rules, by the pattern text they were compiled from. */
  private readonly rules = new Map<string, Ignore>();

  constructor(opts: MemoryWorkspaceOptions) {
    this.root = checkoutDir(opts.snapshot?.root ?? opts.root ?? '/repo');
    this.now = opts.now;
    this.author = opts.author ?? DEFAULT_AUTHOR;
    this.commands = opts.commands ?? {};
    this.s = opts.snapshot ? copyState(opts.snapshot.state) : { store: new ObjectStore(), branches: new Map(), checkouts: [], exclude: '', dirs: new Set() };
  }

  snapshot(): MemorySnapshot {
    return { root: this.root, state: copyState(this.s) };
  }

  private get commonDir(): string {
    return `${this.root}/.git`;
  }

  // ---- repository and worktrees -------------------------------------------------------

  async init(files: Record<string, string>, branch: string): Promise<Sha> {
    if (this.s.checkouts.length > 0) throw new WorkspaceError('dir-exists', `${this.root} already holds a repository`);
    const co: Checkout = { dir: this.root, admin: this.commonDir, head: { branch }, files: new Map(), index: new Map(), unmerged: new Set(), merge: null };
    for (const [path, content] of Object.entries(files)) co.files.set(checkoutPath(path), content);
    this.s.checkouts.push(co);
    this.madeDir(this.root);
    this.stageAll(co);
    return this.commit(co, INITIAL_COMMIT_MESSAGE, []);
  }

  async worktreeAdd(dir: string, branch: string, base: string): Promise<Sha> {
    const target = checkoutDir(dir);
    if (!posix.isAbsolute(target)) throw new WorkspaceError('outside-checkout', `worktree dir ${dir} is not absolute`);
    this.checkout_(this.root);
    if (this.exists(target)) throw new WorkspaceError('dir-exists', `${target} already exists`);
    if (this.s.branches.has(branch)) throw new WorkspaceError('branch-exists', `branch ${branch} already exists`);
    const baseSha = await this.resolve(base);
    validBranchName(branch);
    this.s.branches.set(branch, baseSha);
    const files = this.treeOf(baseSha);
    this.s.checkouts.push({
      dir: target,
      admin: this.freeAdminDir(target),
      head: { branch },
      files: new Map([...files].map(([path, sha]) => [path, this.s.store.text(sha)])),
      index: new Map(files),
      unmerged: new Set(),
      merge: null,
    });
    this.madeDir(target);
    return baseSha;
  }

  async worktreeRemove(dir: string, opts: { force?: boolean } = {}): Promise<void> {
    const target = checkoutDir(dir);
    const at = this.s.checkouts.findIndex((c) => c.dir === target);
    if (target === this.root || at < 0) throw new WorkspaceError('not-a-checkout', `${dir} is not a linked worktree`);
    const co = this.s.checkouts[at]!;
    if (!opts.force && (co.merge !== null || this.changes(co).length > 0)) {
      throw new WorkspaceError('dirty', `${dir} has uncommitted changes; remove it with force`);
    }
    this.s.checkouts.splice(at, 1);
    // Its parent directories stay, as on a disk.
    this.s.dirs.delete(target);
  }

  async worktrees(): Promise<WorktreeInfo[]> {
    this.checkout_(this.root);
    return this.s.checkouts.map((co) => ({ dir: co.dir, branch: branchOf(co), head: this.head(co) }));
  }

  // ---- refs ---------------------------------------------------------------------------

  async branches(): Promise<string[]> {
    return sortedStrings([...this.s.branches.keys()]);
  }

  async resolve(ref: string): Promise<Sha> {
    const unknown = () => new WorkspaceError('unknown-ref', `unknown revision ${JSON.stringify(ref)}`);
    if (this.s.checkouts.length === 0) throw new WorkspaceError('not-a-checkout', `no repository at ${this.root}`);
    if (ref === '' || ref.includes('..') || ref.startsWith('/')) throw unknown();
    if (ref === 'HEAD') return this.head(this.s.checkouts[0]!);
    // A branch first, then a full ref name, then an object name (a prefix of one, unambiguous).
    const branch = this.s.branches.get(ref) ?? (ref.startsWith('refs/heads/') ? this.s.branches.get(ref.slice('refs/heads/'.length)) : undefined);
    if (branch !== undefined) return branch;
    if (/^[0-9a-f]{4,40}$/.test(ref)) {
      const named = this.s.store.named(ref);
      if (named.length !== 1) throw unknown();
      if (this.s.store.kindOf(named[0]!) !== 'commit') throw new WorkspaceError('unknown-ref', `${named[0]} is not a commit`);
      return named[0]!;
    }
    throw unknown();
  }

  async currentBranch(dir: string): Promise<string | null> {
    return branchOf(this.checkout_(dir));
  }

  async setBranch(branch: string, sha: Sha): Promise<void> {
    const target = await this.resolve(sha);
    this.s.branches.set(branch, target);
  }

  async deleteBranch(branch: string): Promise<void> {
    this.checkout_(this.root);
    if (!this.s.branches.has(branch)) throw new WorkspaceError('unknown-ref', `no branch ${branch}`);
    const holder = this.s.checkouts.find((c) => branchOf(c) === branch);
    if (holder !== undefined) throw new WorkspaceError('branch-checked-out', `branch ${branch} is checked out at ${holder.dir}`);
    this.s.branches.delete(branch);
  }

  // ---- files --------------------------------------------------------------------------

  async readFile(dir: string, path: string): Promise<string | null> {
    return this.checkout_(dir).files.get(checkoutPath(path)) ?? null;
  }

  async writeFile(dir: string, path: string, content: string): Promise<void> {
    const co = this.checkout_(dir);
    const rel = checkoutPath(path);
    // As a file system would refuse: a file where a directory is, or under a file.
    if (isDir(co.files, rel)) throw fsError('EISDIR', `illegal operation on a directory, open '${co.dir}/${rel}'`);
    for (let i = rel.indexOf('/'); i > 0; i = rel.indexOf('/', i + 1)) {
      if (co.files.has(rel.slice(0, i))) throw fsError('ENOTDIR', `not a directory, open '${co.dir}/${rel}'`);
    }
    co.files.set(rel, content);
  }

  async removeFile(dir: string, path: string): Promise<void> {
    const co = this.checkout_(dir);
    const rel = checkoutPath(path);
    if (isDir(co.files, rel)) throw fsError('EISDIR', `Path is a directory: rm returned EISDIR (is a directory) ${co.dir}/${rel}`);
    co.files.delete(rel);
  }

  async listFiles(dir: string): Promise<string[]> {
    return sortedStrings([...this.checkout_(dir).files.keys()]);
  }

  async status(dir: string): Promise<FileChange[]> {
    return this.changes(this.checkout_(dir));
  }

  // ---- history ------------------------------------------------------------------------

  async commitAll(dir: string, message: string): Promise<Sha | null> {
    const co = this.checkout_(dir);
    this.refuseMergeInProgress(co, 'commit');
    if (this.changes(co).length === 0) return null;
    this.stageAll(co);
    return this.commit(co, message, [this.head(co)]);
  }

  async changedFiles(from: string, to: string): Promise<FileChange[]> {
    const [a, b] = [this.treeOf(await this.resolve(from)), this.treeOf(await this.resolve(to))];
    const changes: FileChange[] = [];
    for (const [path, sha] of a) {
      const after = b.get(path);
      if (after === undefined) changes.push({ path, kind: 'deleted' });
      else if (after !== sha) changes.push({ path, kind: 'modified' });
    }
    for (const path of b.keys()) if (!a.has(path)) changes.push({ path, kind: 'added' });
    return sortedChanges(changes);
  }

  async log(ref: string, limit?: number): Promise<CommitInfo[]> {
    // Newest first by commit time, the way isomorphic-git's log walked it (and the simulator's
    // traces recorded it): a list of tips, the newest taken next, its parents added unless
    // already waiting. A commit reached again after it was taken is listed again, as there.
    const store = this.s.store;
    const out: CommitInfo[] = [];
    const tips = [await this.resolve(ref)];
    while (tips.length > 0) {
      const sha = tips.pop()!;
      const c = store.commit(sha);
      out.push({ sha, message: c.message.replace(/\n+$/, ''), parents: [...c.parents] });
      if (limit !== undefined && out.length === limit) break;
      for (const p of c.parents) if (!tips.includes(p)) tips.push(p);
      tips.sort((x, y) => store.commit(x).time - store.commit(y).time);
    }
    return out;
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const [a, d] = [await this.resolve(ancestor), await this.resolve(descendant)];
    if (a === d) return true;
    const seen = new Set<Sha>();
    const queue = [d];
    while (queue.length > 0) {
      for (const p of this.s.store.commit(queue.shift()!).parents) {
        if (p === a) return true;
        if (!seen.has(p)) {
          seen.add(p);
          queue.push(p);
        }
      }
    }
    return false;
  }

  async mergeBase(a: string, b: string): Promise<Sha | null> {
    return this.mergeBases(await this.resolve(a), await this.resolve(b))[0] ?? null;
  }

  // ---- merging and checkout ------------------------------------------------------------

  async merge(dir: string, ref: string, message: string): Promise<MergeResult> {
    const co = this.checkout_(dir);
    this.refuseMergeInProgress(co, 'merge');
    this.refuseDirty(co, 'merge');
    const theirs = await this.resolve(ref);
    const ours = this.head(co);
    const bases = this.mergeBases(ours, theirs);
    if (theirs === ours || bases.includes(theirs)) return { kind: 'up-to-date', sha: ours };
    if (bases.includes(ours)) {
      this.moveHead(co, theirs);
      this.follow(co, theirs);
      return { kind: 'fast-forward', sha: theirs };
    }
    if (bases.length !== 1) {
      throw new Error(`cannot merge ${ref} into ${co.dir} in memory: only histories with a single merge base are merged (criss-cross history?)`);
    }
    // Named as git names them in conflict markers: the branches, or HEAD and a SHA.
    const branch = branchOf(co);
    const names = { ours: branch ?? 'HEAD', theirs: this.s.branches.has(ref) ? ref : theirs };
    const store = this.s.store;
    let result: ReturnType<typeof mergeTrees>;
    try {
      result = mergeTrees({ base: this.treeOf(bases[0]!), ours: this.treeOf(ours), theirs: this.treeOf(theirs) }, store, names);
    } catch (err) {
      if (err instanceof MergeNotSupported) throw new Error(`cannot merge ${ref} into ${co.dir} in memory: ${err.message}`, { cause: err });
      throw err;
    }
    if (result.conflicts.length === 0) {
      const sha = store.writeCommit({ tree: store.writeTree(result.files), parents: [ours, theirs], author: this.signature(), message });
      this.moveHead(co, sha);
      this.follow(co, sha);
      return { kind: 'merged', sha };
    }
    // Git's conflicted state: the merged tree in the working tree (markers in the conflicted
    // files), the files theirs deleted cleanly gone, and the merge left open.
    const before = this.treeOf(ours);
    for (const [path, sha] of result.files) co.files.set(path, store.text(sha));
    for (const path of before.keys()) {
      if (result.files.has(path)) continue;
      co.files.delete(path);
      co.index.delete(path);
    }
    for (const path of result.merged) co.index.set(path, result.files.get(path)!);
    for (const path of result.conflicts) {
      co.index.delete(path);
      co.unmerged.add(path);
    }
    co.merge = { theirs, message };
    return { kind: 'conflict', paths: sortedStrings([...result.conflicts]) };
  }

  async commitMerge(dir: string, message: string): Promise<Sha> {
    const co = this.checkout_(dir);
    if (co.merge === null) throw new WorkspaceError('no-merge-in-progress', `no merge in progress in ${dir}`);
    this.stageAll(co);
    const sha = this.commit(co, message, [this.head(co), co.merge.theirs]);
    co.merge = null;
    return sha;
  }

  async abortMerge(dir: string): Promise<void> {
    const co = this.checkout_(dir);
    if (co.merge === null) throw new WorkspaceError('no-merge-in-progress', `no merge in progress in ${dir}`);
    this.reset(co, this.head(co), { clean: true });
    co.merge = null;
  }

  async discardChanges(dir: string): Promise<void> {
    const co = this.checkout_(dir);
    this.refuseMergeInProgress(co, 'discardChanges');
    this.reset(co, this.head(co), { clean: true });
  }

  async mergeInProgress(dir: string): Promise<boolean> {
    return this.checkout_(dir).merge !== null;
  }

  async checkout(dir: string, ref: string): Promise<void> {
    const co = this.checkout_(dir);
    this.refuseMergeInProgress(co, 'checkout');
    this.refuseDirty(co, 'checkout');
    if (this.s.branches.has(ref)) {
      const holder = this.s.checkouts.find((c) => c !== co && branchOf(c) === ref);
      if (holder !== undefined) throw new WorkspaceError('branch-checked-out', `branch ${ref} is checked out at ${holder.dir}`);
      co.head = { branch: ref };
    } else {
      co.head = { detached: await this.resolve(ref) };
    }
    this.reset(co, this.head(co), { clean: false });
  }

  // ---- excludes and commands ------------------------------------------------------------

  async excludeFile(dir: string): Promise<string> {
    this.checkout_(dir);
    return `${this.commonDir}/info/exclude`;
  }

  async addExclude(dir: string, pattern: string): Promise<void> {
    this.checkout_(dir);
    const current = this.s.exclude;
    if (current.split('\n').includes(pattern)) return;
    const separator = current === '' || current.endsWith('\n') ? '' : '\n';
    this.s.exclude = `${current}${separator}${pattern}\n`;
  }

  async run(dir: string, command: string): Promise<CommandResult> {
    const co = this.checkout_(dir);
    const judge = this.commands[command];
    if (judge === undefined) return { exitCode: 127, output: `${command}: command not found` };
    const files: Record<string, string> = {};
    for (const path of sortedStrings([...co.files.keys()])) files[path] = co.files.get(path)!;
    return judge(files);
  }

  exportGit(): Map<string, Buffer> {
    const out = new Map<string, Buffer>();
    const put = (path: string, text: string | Buffer) => out.set(path, typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
    const headText = (h: Head) => ('branch' in h ? `ref: refs/heads/${h.branch}\n` : `${h.detached}\n`);
    put(`${this.commonDir}/config`, '[core]\n\trepositoryformatversion = 0\n\tfilemode = false\n\tbare = false\n');
    put(`${this.commonDir}/info/exclude`, this.s.exclude);
    put(`${this.commonDir}/packed-refs`, '');
    for (const [name, sha] of this.s.branches) put(`${this.commonDir}/refs/heads/${name}`, `${sha}\n`);
    for (const [path, bytes] of this.s.store.exportObjects()) put(`${this.commonDir}/${path}`, bytes);
    for (const co of this.s.checkouts) {
      put(`${co.admin}/HEAD`, headText(co.head));
      if (co.merge) {
        put(`${co.admin}/MERGE_HEAD`, `${co.merge.theirs}\n`);
        put(`${co.admin}/MERGE_MSG`, `${co.merge.message}\n`);
      }
      if (co.dir === this.root) continue;
      put(`${co.admin}/gitdir`, `${co.dir}/.git\n`);
      put(`${co.admin}/commondir`, '../..\n');
      put(`${co.dir}/.git`, `gitdir: ${co.admin}\n`);
    }
    return out;
  }

  // ---- internals ------------------------------------------------------------------------

  /** Named with a trailing underscore: `checkout` is the port's operation. */
  private checkout_(dir: string): Checkout {
    const canonical = checkoutDir(dir);
    const co = this.s.checkouts.find((c) => c.dir === canonical);
    if (co === undefined) throw new WorkspaceError('not-a-checkout', `${dir} is not a checkout of ${this.root}`);
    return co;
  }

  private signature() {
    return { ...this.author, time: Math.floor(this.now()) };
  }

  private head(co: Checkout): Sha {
    if ('detached' in co.head) return co.head.detached;
    const sha = this.s.branches.get(co.head.branch);
    if (sha === undefined) throw new WorkspaceError('unknown-ref', `branch ${co.head.branch} of ${co.dir} has no commit`);
    return sha;
  }

  private moveHead(co: Checkout, sha: Sha): void {
    if ('branch' in co.head) this.s.branches.set(co.head.branch, sha);
    else co.head = { detached: sha };
  }

  private treeOf(commit: Sha): Files {
    return this.s.store.files(this.s.store.commit(commit).tree);
  }

  /** The index written as a tree and committed on the checkout's HEAD. */
  private commit(co: Checkout, message: string, parents: Sha[]): Sha {
    const store = this.s.store;
    const sha = store.writeCommit({ tree: store.writeTree(co.index), parents, author: this.signature(), message });
    this.moveHead(co, sha);
    return sha;
  }

  /** `git add -A`: the index becomes the working tree, without untracked ignored files. */
  private stageAll(co: Checkout): void {
    const store = this.s.store;
    const head = this.headTreeOrEmpty(co);
    const index = new Map<string, Sha>();
    for (const [path, text] of co.files) {
      if (head.has(path) || co.index.has(path) || co.unmerged.has(path) || !this.ignored(path, co)) index.set(path, store.writeText(text));
    }
    co.index = index;
    co.unmerged.clear();
  }

  private headTreeOrEmpty(co: Checkout): Files {
    if ('branch' in co.head && !this.s.branches.has(co.head.branch)) return new Map();
    return this.treeOf(this.head(co));
  }

  /** HEAD against the working tree; untracked files the exclude rules match are left out. */
  private changes(co: Checkout): FileChange[] {
    const store = this.s.store;
    const head = this.headTreeOrEmpty(co);
    const changes: FileChange[] = [];
    for (const [path, sha] of head) {
      const text = co.files.get(path);
      if (text === undefined) changes.push({ path, kind: 'deleted' });
      else if (store.hashText(text) !== sha) changes.push({ path, kind: 'modified' });
    }
    for (const path of co.files.keys()) {
      if (head.has(path)) continue;
      if (co.index.has(path) || co.unmerged.has(path) || !this.ignored(path, co)) changes.push({ path, kind: 'added' });
    }
    return sortedChanges(changes);
  }

  /**
   * The working tree and index brought to `to`'s tree after a fast-forward or a clean merge:
   * only the files that differ are written or removed. Callers refused a dirty tree.
   */
  private follow(co: Checkout, to: Sha): void {
    this.reset(co, to, { clean: false });
  }

  /**
   * `git checkout --force` to `to`, and with `clean` also `git clean -fd` without `-x`: tracked
   * files become `to`'s, files tracked before but not in `to` go, untracked files stay (with
   * `clean`, only those the exclude rules match).
   */
  private reset(co: Checkout, to: Sha, opts: { clean: boolean }): void {
    const store = this.s.store;
    const target = this.treeOf(to);
    for (const path of [...co.files.keys()]) {
      if (target.has(path)) continue;
      const tracked = co.index.has(path) || co.unmerged.has(path);
      if (tracked || (opts.clean && !this.ignored(path, co))) co.files.delete(path);
    }
    for (const [path, sha] of target) {
      const text = store.text(sha);
      if (co.files.get(path) !== text) co.files.set(path, text);
    }
    co.index = new Map(target);
    co.unmerged.clear();
  }

  /**
   * Whether an untracked path is ignored, as isomorphic-git decided it for `git status`: the
   * exclude file and the root `.gitignore` against the whole path, each deeper `.gitignore`
   * against the path below its directory; a path under an ignored directory stays ignored.
   */
  private ignored(path: string, co: Checkout): boolean {
    if (this.s.exclude === '' && !hasGitignore(co.files)) return false;
    const pieces = path.split('/');
    let ignoredNow = false;
    for (let i = 0; i < pieces.length; i++) {
      const folder = pieces.slice(0, i).join('/');
      const rest = pieces.slice(i).join('/');
      const gitignore = co.files.get(folder === '' ? '.gitignore' : `${folder}/.gitignore`) ?? '';
      const rules = this.compiled(i === 0 ? `${this.s.exclude}\n${gitignore}` : gitignore);
      const parent = posix.dirname(rest);
      if (parent !== '.' && rules.ignores(parent)) return true;
      ignoredNow = ignoredNow ? !rules.test(rest).unignored : rules.test(rest).ignored;
    }
    return ignoredNow;
  }

  private compiled(patterns: string): Ignore {
    let rules = this.rules.get(patterns);
    if (rules === undefined) {
      rules = ignoreRules.default().add(patterns);
      this.rules.set(patterns, rules);
    }
    return rules;
  }

  /** The best common ancestors of two commits (none better than another), as isomorphic-git found them. */
  private mergeBases(a: Sha, b: Sha): Sha[] {
    const store = this.s.store;
    const oids = [a, b];
    const visits = new Map<Sha, Set<number>>();
    const common = new Set<Sha>();
    let heads = oids.map((oid, index) => ({ oid, index }));
    while (heads.length > 0) {
      for (const { oid, index } of heads) {
        const seen = visits.get(oid) ?? new Set<number>();
        visits.set(oid, seen);
        seen.add(index);
        if (seen.size === oids.length) common.add(oid);
      }
      const next = new Map<string, { oid: Sha; index: number }>();
      for (const { oid, index } of heads) {
        // The parents of a common ancestor cannot be better ones.
        if (common.has(oid)) continue;
        for (const parent of store.commit(oid).parents) {
          if (!visits.get(parent)?.has(index)) next.set(`${parent}:${index}`, { oid: parent, index });
        }
      }
      heads = [...next.values()];
    }
    if (common.size < 2) return [...common];
    const redundant = new Set<Sha>();
    for (const oid of common) {
      const stack = [...store.commit(oid).parents];
      const seen = new Set<Sha>();
      while (stack.length > 0) {
        const ancestor = stack.pop()!;
        if (seen.has(ancestor)) continue;
        seen.add(ancestor);
        if (common.has(ancestor)) redundant.add(ancestor);
        else stack.push(...store.commit(ancestor).parents);
      }
    }
    return [...common].filter((oid) => !redundant.has(oid));
  }

  private refuseMergeInProgress(co: Checkout, what: string): void {
    if (co.merge !== null) throw new WorkspaceError('merge-in-progress', `cannot ${what} in ${co.dir}: a merge is in progress`);
  }

  private refuseDirty(co: Checkout, what: string): void {
    const changes = this.changes(co);
    if (changes.length > 0) {
      throw new WorkspaceError('dirty', `cannot ${what} in ${co.dir}: uncommitted changes in ${changes.map((c) => c.path).join(', ')}`);
    }
  }

  /** Whether anything is at `path`: a checkout, a directory made for one, a file or directory in one. */
  private exists(path: string): boolean {
    if (path === '/') return true;
    for (const dir of this.s.dirs) if (dir === path || dir.startsWith(`${path}/`)) return true;
    for (const co of this.s.checkouts) {
      if (!path.startsWith(`${co.dir}/`)) continue;
      const rel = path.slice(co.dir.length + 1);
      if (rel === '.git' || rel.startsWith('.git/') || co.files.has(rel) || isDir(co.files, rel)) return true;
    }
    return false;
  }

  /** A directory made for a checkout, and its parents: they stay when the checkout goes. */
  private madeDir(dir: string): void {
    for (let d = dir; d !== '/' && !this.s.dirs.has(d); d = posix.dirname(d)) this.s.dirs.add(d);
  }

  /** `<root>/.git/worktrees/NAME`, NAME the directory's name made unique, as git does. */
  private freeAdminDir(target: string): string {
    const base = posix.basename(target).replace(/[^A-Za-z0-9._-]/g, '-') || 'worktree';
    const taken = new Set(this.s.checkouts.map((c) => c.admin));
    let name = base;
    for (let n = 1; taken.has(`${this.commonDir}/worktrees/${name}`); n++) name = `${base}${n}`;
    return `${this.commonDir}/worktrees/${name}`;
  }
}

function branchOf(co: Checkout): string | null {
  return 'branch' in co.head ? co.head.branch : null;
}

function isDir(files: ReadonlyMap<string, string>, rel: string): boolean {
  const prefix = `${rel}/`;
  for (const path of files.keys()) if (path.startsWith(prefix)) return true;
  return false;
}

function hasGitignore(files: ReadonlyMap<string, string>): boolean {
  for (const path of files.keys()) if (path === '.gitignore' || path.endsWith('/.gitignore')) return true;
  return false;
}

function fsError(code: string, message: string): Error {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

/** Git's rules for a branch name (`git check-ref-format --branch`), enough to refuse what git would. */
function validBranchName(name: string): void {
  const bad =
    name === '' ||
    name === '@' ||
    name.startsWith('-') ||
    name.startsWith('/') ||
    name.endsWith('/') ||
    name.endsWith('.') ||
    name.includes('..') ||
    name.includes('//') ||
    name.includes('@{') ||
    /[\0-\x20\x7f~^:?*[\\]/.test(name) ||
    name.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'));
  if (bad) throw new Error(`${JSON.stringify(name)} is not a valid branch name`);
}
