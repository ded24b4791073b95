// The workspace port: every git and file operation a leader or a worker performs.
// Three implementations share one behaviour: in memory (git's objects in maps, for the
// simulator), on disk (git CLI, for live runs) and through a shell (the scripts Codex runs). Paths passed as `dir` are absolute
// checkout directories (the main checkout or a linked worktree); `path` arguments are
// relative to that checkout, POSIX style.

export type Sha = string;

export interface FileChange {
  path: string;
  kind: 'added' | 'modified' | 'deleted';
}

export type MergeResult = { kind: 'up-to-date' | 'fast-forward' | 'merged'; sha: Sha } | { kind: 'conflict'; paths: string[] };

export interface CommandResult {
  exitCode: number;
  output: string;
}

export interface WorktreeInfo {
  dir: string;
  branch: string | null;
  head: Sha;
}

export interface CommitInfo {
  sha: Sha;
  message: string;
  parents: Sha[];
}

/** Raised for every refused operation; `code` is stable for tests and callers. */
export class WorkspaceError extends Error {
  constructor(
    readonly code:
      | 'not-a-checkout'
      | 'dir-exists'
      | 'branch-exists'
      | 'branch-checked-out'
      | 'unknown-ref'
      | 'dirty'
      | 'merge-in-progress'
      | 'no-merge-in-progress'
      | 'unknown-command'
      | 'outside-checkout',
    message: string,
  ) {
    super(message);
    this.name = 'WorkspaceError';
  }
}

export interface Workspace {
  /** Absolute path of the main checkout. */
  readonly root: string;

  /** Create the repository at `root` with `files`, commit them on `branch`; returns the commit. */
  init(files: Record<string, string>, branch: string): Promise<Sha>;

  /** `git worktree add -b BRANCH DIR BASE`: new branch at base, checked out in a new linked worktree.
   *  Refuses an existing dir, an existing branch, an unknown base. */
  worktreeAdd(dir: string, branch: string, base: string): Promise<Sha>;
  /** `git worktree remove [--force] DIR`: refuses uncommitted changes unless forced. Keeps the branch. */
  worktreeRemove(dir: string, opts?: { force?: boolean }): Promise<void>;
  /** Main checkout first, then linked worktrees in creation order. */
  worktrees(): Promise<WorktreeInfo[]>;

  branches(): Promise<string[]>;
  /** Branch name, `HEAD` of the main checkout, or a full SHA. */
  resolve(ref: string): Promise<Sha>;
  currentBranch(dir: string): Promise<string | null>;
  /** Move a branch ref (a fault: somebody else moved it). */
  setBranch(branch: string, sha: Sha): Promise<void>;
  /** Refuses a branch checked out in any worktree. */
  deleteBranch(branch: string): Promise<void>;

  readFile(dir: string, path: string): Promise<string | null>;
  writeFile(dir: string, path: string, content: string): Promise<void>;
  removeFile(dir: string, path: string): Promise<void>;
  /** Working-tree files, sorted, without `.git`. Includes excluded/ignored files. */
  listFiles(dir: string): Promise<string[]>;
  /** Files that differ from HEAD (untracked included), excluding git-excluded paths; sorted. */
  status(dir: string): Promise<FileChange[]>;

  /** `git add -A && git commit -m MESSAGE`; null when there is nothing to commit. */
  commitAll(dir: string, message: string): Promise<Sha | null>;
  /** Files changed between two commits, sorted by path. */
  changedFiles(from: string, to: string): Promise<FileChange[]>;
  log(ref: string, limit?: number): Promise<CommitInfo[]>;
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
  /** Newest common ancestor of two refs, or null. */
  mergeBase(a: string, b: string): Promise<Sha | null>;

  /** Merge `ref` into the branch checked out at `dir`; the working tree is updated.
   *  On conflict: conflict markers are written into the working tree, the merge stays
   *  in progress (finish with `commitMerge` or back out with `abortMerge`). */
  merge(dir: string, ref: string, message: string): Promise<MergeResult>;
  /** Finish an in-progress merge with the working tree as it is now. */
  commitMerge(dir: string, message: string): Promise<Sha>;
  abortMerge(dir: string): Promise<void>;
  mergeInProgress(dir: string): Promise<boolean>;
  /** `git reset --hard && git clean -fd`: the working tree and index back to HEAD. Git-excluded
   *  files (the journal, notes and reports) are kept. Refuses while a merge is in progress. */
  discardChanges(dir: string): Promise<void>;
  /** Check out a branch (or detach at a SHA) in `dir`; refuses a branch checked out elsewhere
   *  and a dirty working tree. */
  checkout(dir: string, ref: string): Promise<void>;

  /** What `git rev-parse --git-path info/exclude` prints in `dir`, as an absolute path. */
  excludeFile(dir: string): Promise<string>;
  /** Append a pattern to the exclude file of `dir`'s repository (idempotent). */
  addExclude(dir: string, pattern: string): Promise<void>;

  /** Run a verification command in `dir` (a build or test command). */
  run(dir: string, command: string): Promise<CommandResult>;
}

/**
 * What `run` answers for a command that is not one of the run's own (the scenario's
 * verification, which the harness turns into a check it wrote itself). Scenario text is data:
 * it reaches no shell unless the user says so (`--allow-exec`).
 */
export function notAllowed(command: string): CommandResult {
  return { exitCode: 127, output: `${command}: command not found (only the scenario's own verification runs here; --allow-exec runs other commands)` };
}
