// The workspace port on a real directory, through the git CLI: what live runs and real Codex
// workers use. It behaves like the in-memory workspace (src/workspace/memory.ts); where git
// itself would act differently (it checks out a dirty tree when it can, it reports
// refusals as exit codes and prose), the rules are checked here first and reported as the
// same WorkspaceError codes.
//
// Git runs without a shell, with no user or system config, no hooks, a fixed identity and
// the C locale, so the user's setup cannot leak into a run.

import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  WorkspaceError,
  type CommandResult,
  notAllowed,
  type CommitInfo,
  type FileChange,
  type MergeResult,
  type Sha,
  type Workspace,
  type WorktreeInfo,
} from '../ports/workspace.ts';
import { execFileOwned, spawnOwned, TearingDownError } from '../core/teardown.ts';
import { DEFAULT_AUTHOR, INITIAL_COMMIT_MESSAGE, checkoutPath, sortedChanges, sortedStrings } from './checkout-paths.ts';

import { lines, orderWorktrees, parseNameStatus, parseWorktreePorcelain } from './git-output.ts';

export interface DiskWorkspaceOptions {
  /** Absolute directory of the main checkout (created by `init`). */
  root: string;
  /** Logical command -> shell command for `run`. A command not listed is refused (exit 127)... */
  commands?: Record<string, string>;
  /** ...unless this is set: then it runs as given, in a shell (`--allow-exec`). */
  allowExec?: boolean;
  /** Extra environment for git and for `run`, applied last (e.g. GIT_AUTHOR_DATE). */
  env?: Record<string, string>;
  author?: { name: string; email: string };
  /** Unix seconds stamped on every commit (a simulated clock): the same work, the same SHAs. */
  clock?: () => number;
}

export function createDiskWorkspace(opts: DiskWorkspaceOptions): Workspace {
  return new DiskWorkspace(opts);
}

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

interface ListedWorktree {
  path: string;
  real: string;
  head: Sha;
  branch: string | null;
}

/** A checkout that `git worktree list` knows, addressed by the dir the caller used. */
interface DiskCheckout {
  dir: string;
  isMain: boolean;
}

class DiskWorkspace implements Workspace {
  readonly root: string;
  private readonly commands: Record<string, string>;
  private readonly allowExec: boolean;
  private readonly clock: (() => number) | undefined;
  private readonly gitEnv: NodeJS.ProcessEnv;
  private readonly runEnv: NodeJS.ProcessEnv;
  private readonly config: string[];
  /** Linked worktrees added through this object, in creation order (git lists them by path). */
  private readonly added: string[] = [];

  constructor(opts: DiskWorkspaceOptions) {
    if (!path.isAbsolute(opts.root)) throw new Error(`disk workspace root must be absolute: ${opts.root}`);
    this.root = path.resolve(opts.root);
    this.commands = opts.commands ?? {};
    this.allowExec = opts.allowExec ?? false;
    this.clock = opts.clock;
    const author = opts.author ?? DEFAULT_AUTHOR;
    const clean = withoutGitVariables(process.env);
    this.gitEnv = {
      ...clean,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_TERMINAL_PROMPT: '0',
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_COMMITTER_NAME: author.name,
      GIT_COMMITTER_EMAIL: author.email,
      LC_ALL: 'C',
      ...opts.env,
    };
    this.runEnv = { ...clean, ...opts.env };
    this.config = [
      `user.name=${author.name}`,
      `user.email=${author.email}`,
      'core.hooksPath=/dev/null',
      'init.defaultBranch=main',
      'commit.gpgSign=false',
      'core.autocrlf=false',
      'core.quotePath=false',
      'merge.conflictStyle=merge',
      'advice.detachedHead=false',
    ].flatMap((c) => ['-c', c]);
  }

  // ---- repository and worktrees -------------------------------------------------------

  async init(files: Record<string, string>, branch: string): Promise<Sha> {
    if (await exists(path.join(this.root, '.git'))) {
      throw new WorkspaceError('dir-exists', `${this.root} already holds a repository`);
    }
    await fsp.mkdir(this.root, { recursive: true });
    await this.git(this.root, ['init', '-q', `--initial-branch=${branch}`]);
    for (const [p, content] of Object.entries(files)) await writeUnder(this.root, checkoutPath(p), content);
    await this.git(this.root, ['add', '-A']);
    await this.git(this.root, ['commit', '-q', '--allow-empty', '-m', INITIAL_COMMIT_MESSAGE]);
    return this.head(this.root);
  }

  async worktreeAdd(dir: string, branch: string, base: string): Promise<Sha> {
    if (!path.isAbsolute(dir)) throw new WorkspaceError('outside-checkout', `worktree dir ${dir} is not absolute`);
    const target = path.resolve(dir);
    await this.requireRepository();
    if (await exists(target)) throw new WorkspaceError('dir-exists', `${target} already exists`);
    if (await this.branchExists(branch)) throw new WorkspaceError('branch-exists', `branch ${branch} already exists`);
    const baseSha = await this.resolve(base);
    await this.git(this.root, ['worktree', 'add', '-q', '-b', branch, target, baseSha]);
    this.added.push(target);
    return baseSha;
  }

  async worktreeRemove(dir: string, opts: { force?: boolean } = {}): Promise<void> {
    const co = await this.checkout_(dir);
    if (co.isMain) throw new WorkspaceError('not-a-checkout', `${dir} is the main checkout, not a linked worktree`);
    if (!opts.force && ((await this.mergeInProgress(co.dir)) || (await this.status(co.dir)).length > 0)) {
      throw new WorkspaceError('dirty', `${dir} has uncommitted changes; remove it with force`);
    }
    await this.git(this.root, ['worktree', 'remove', ...(opts.force ? ['--force'] : []), co.dir]);
    const at = this.added.indexOf(co.dir);
    if (at >= 0) this.added.splice(at, 1);
  }

  async worktrees(): Promise<WorktreeInfo[]> {
    const listed = await this.list();
    const ours = await Promise.all(this.added.map(async (dir) => ({ dir, real: await realpathOr(dir) })));
    return orderWorktrees(this.root, listed, ours);
  }

  // ---- refs ---------------------------------------------------------------------------

  async branches(): Promise<string[]> {
    await this.requireRepository();
    const { stdout } = await this.git(this.root, ['for-each-ref', '--format=%(refname:short)', 'refs/heads/']);
    return sortedStrings(lines(stdout));
  }

  async resolve(ref: string): Promise<Sha> {
    await this.requireRepository();
    const unknown = new WorkspaceError('unknown-ref', `unknown revision ${JSON.stringify(ref)}`);
    if (ref === '' || ref.startsWith('-')) throw unknown;
    const { code, stdout } = await this.git(this.root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], [0, 1, 128]);
    if (code !== 0) throw unknown;
    return stdout.trim();
  }

  async currentBranch(dir: string): Promise<string | null> {
    const co = await this.checkout_(dir);
    const { code, stdout } = await this.git(co.dir, ['symbolic-ref', '--quiet', '--short', 'HEAD'], [0, 1]);
    return code === 0 ? stdout.trim() : null;
  }

  async setBranch(branch: string, sha: Sha): Promise<void> {
    const target = await this.resolve(sha);
    // update-ref, not `branch -f`: a fault moves the ref under a checkout, as git allows.
    await this.git(this.root, ['update-ref', `refs/heads/${branch}`, target]);
  }

  async deleteBranch(branch: string): Promise<void> {
    await this.requireRepository();
    if (!(await this.branchExists(branch))) throw new WorkspaceError('unknown-ref', `no branch ${branch}`);
    const holder = (await this.list()).find((w) => w.branch === branch);
    if (holder) throw new WorkspaceError('branch-checked-out', `branch ${branch} is checked out at ${holder.path}`);
    await this.git(this.root, ['branch', '-q', '-D', branch]);
  }

  // ---- files --------------------------------------------------------------------------

  async readFile(dir: string, p: string): Promise<string | null> {
    const co = await this.checkout_(dir);
    try {
      return await fsp.readFile(path.join(co.dir, checkoutPath(p)), 'utf8');
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async writeFile(dir: string, p: string, content: string): Promise<void> {
    const co = await this.checkout_(dir);
    await writeUnder(co.dir, checkoutPath(p), content);
  }

  async removeFile(dir: string, p: string): Promise<void> {
    const co = await this.checkout_(dir);
    await fsp.rm(path.join(co.dir, checkoutPath(p)), { force: true });
  }

  async listFiles(dir: string): Promise<string[]> {
    const co = await this.checkout_(dir);
    const out: string[] = [];
    const walk = async (abs: string, rel: string): Promise<void> => {
      for (const entry of await fsp.readdir(abs, { withFileTypes: true })) {
        if (rel === '' && entry.name === '.git') continue;
        const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
        if (entry.isDirectory()) await walk(path.join(abs, entry.name), childRel);
        else if (entry.isFile()) out.push(childRel);
      }
    };
    await walk(co.dir, '');
    return sortedStrings(out);
  }

  async status(dir: string): Promise<FileChange[]> {
    const co = await this.checkout_(dir);
    // HEAD against the working tree (staged or not), then untracked files not excluded.
    const tracked = await this.git(co.dir, ['diff', 'HEAD', '--name-status', '--no-renames', '-z']);
    const untracked = await this.git(co.dir, ['ls-files', '--others', '--exclude-standard', '-z']);
    const changes = parseNameStatus(tracked.stdout);
    for (const p of untracked.stdout.split('\0').filter(Boolean)) changes.push({ path: p, kind: 'added' });
    return sortedChanges(changes);
  }

  // ---- history ------------------------------------------------------------------------

  async commitAll(dir: string, message: string): Promise<Sha | null> {
    const co = await this.checkout_(dir);
    await this.refuseMergeInProgress(co, 'commit');
    await this.git(co.dir, ['add', '-A']);
    const staged = await this.git(co.dir, ['diff', '--cached', '--quiet'], [0, 1]);
    if (staged.code === 0) return null;
    await this.git(co.dir, ['commit', '-q', '--no-verify', '-m', message]);
    return this.head(co.dir);
  }

  async changedFiles(from: string, to: string): Promise<FileChange[]> {
    const [a, b] = [await this.resolve(from), await this.resolve(to)];
    const { stdout } = await this.git(this.root, ['diff', '--name-status', '--no-renames', '-z', a, b]);
    return sortedChanges(parseNameStatus(stdout));
  }

  async log(ref: string, limit?: number): Promise<CommitInfo[]> {
    const sha = await this.resolve(ref);
    const args = ['log', '-z', '--format=%H%x1f%P%x1f%B', ...(limit === undefined ? [] : [`-n${limit}`]), sha];
    const { stdout } = await this.git(this.root, args);
    return stdout
      .split('\0')
      .filter((record) => record.trim() !== '')
      .map((record) => {
        const [commit = '', parents = '', body = ''] = record.split('\x1f');
        return { sha: commit.trim(), message: body.replace(/\n+$/, ''), parents: parents.split(' ').filter(Boolean) };
      });
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const [a, d] = [await this.resolve(ancestor), await this.resolve(descendant)];
    return (await this.git(this.root, ['merge-base', '--is-ancestor', a, d], [0, 1])).code === 0;
  }

  async mergeBase(a: string, b: string): Promise<Sha | null> {
    const [x, y] = [await this.resolve(a), await this.resolve(b)];
    const { code, stdout } = await this.git(this.root, ['merge-base', x, y], [0, 1]);
    return code === 0 ? stdout.trim() : null;
  }

  // ---- merging and checkout ------------------------------------------------------------

  async merge(dir: string, ref: string, message: string): Promise<MergeResult> {
    const co = await this.checkout_(dir);
    await this.refuseMergeInProgress(co, 'merge');
    await this.refuseDirty(co, 'merge');
    const theirs = await this.resolve(ref);
    const ours = await this.head(co.dir);
    if (await this.isAncestor(theirs, ours)) return { kind: 'up-to-date', sha: ours };
    const fastForward = await this.isAncestor(ours, theirs);
    // By branch name when it is one, so conflict markers and messages name it as git would.
    const theirsArg = (await this.branchExists(ref)) ? ref : theirs;
    const result = await this.git(co.dir, ['merge', '--no-edit', '-m', message, theirsArg], [0, 1]);
    if (result.code === 0) return { kind: fastForward ? 'fast-forward' : 'merged', sha: await this.head(co.dir) };
    const conflicted = await this.git(co.dir, ['diff', '--name-only', '--diff-filter=U', '-z']);
    const paths = sortedStrings(conflicted.stdout.split('\0').filter(Boolean));
    if (paths.length === 0) throw new Error(`git merge ${theirsArg} in ${co.dir} failed: ${(result.stderr || result.stdout).trim()}`);
    return { kind: 'conflict', paths };
  }

  async commitMerge(dir: string, message: string): Promise<Sha> {
    const co = await this.checkout_(dir);
    if (!(await this.mergeInProgress(co.dir))) throw new WorkspaceError('no-merge-in-progress', `no merge in progress in ${dir}`);
    await this.git(co.dir, ['add', '-A']);
    await this.git(co.dir, ['commit', '-q', '--no-verify', '-m', message]);
    return this.head(co.dir);
  }

  async abortMerge(dir: string): Promise<void> {
    const co = await this.checkout_(dir);
    if (!(await this.mergeInProgress(co.dir))) throw new WorkspaceError('no-merge-in-progress', `no merge in progress in ${dir}`);
    await this.git(co.dir, ['merge', '--abort']);
  }

  async discardChanges(dir: string): Promise<void> {
    const co = await this.checkout_(dir);
    await this.refuseMergeInProgress(co, 'discardChanges');
    await this.git(co.dir, ['reset', '--hard', '-q']);
    // -fd without -x: excluded files (journal, notes, reports) stay.
    await this.git(co.dir, ['clean', '-fdq']);
  }

  async mergeInProgress(dir: string): Promise<boolean> {
    const co = await this.checkout_(dir);
    return (await this.git(co.dir, ['rev-parse', '-q', '--verify', 'MERGE_HEAD'], [0, 1])).code === 0;
  }

  async checkout(dir: string, ref: string): Promise<void> {
    const co = await this.checkout_(dir);
    await this.refuseMergeInProgress(co, 'checkout');
    await this.refuseDirty(co, 'checkout');
    if (await this.branchExists(ref)) {
      const holder = (await this.list()).find((w) => w.branch === ref);
      if (holder && holder.real !== (await realpathOr(co.dir))) {
        throw new WorkspaceError('branch-checked-out', `branch ${ref} is checked out at ${holder.path}`);
      }
      await this.git(co.dir, ['checkout', '-q', ref, '--']);
    } else {
      await this.git(co.dir, ['checkout', '-q', '--detach', await this.resolve(ref), '--']);
    }
  }

  // ---- excludes and commands ------------------------------------------------------------

  async excludeFile(dir: string): Promise<string> {
    const co = await this.checkout_(dir);
    const { stdout } = await this.git(co.dir, ['rev-parse', '--git-path', 'info/exclude']);
    return path.resolve(co.dir, stdout.trim());
  }

  async addExclude(dir: string, pattern: string): Promise<void> {
    const file = await this.excludeFile(dir);
    let current = '';
    try {
      current = await fsp.readFile(file, 'utf8');
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
    if (current.split('\n').includes(pattern)) return;
    await fsp.mkdir(path.dirname(file), { recursive: true });
    const separator = current === '' || current.endsWith('\n') ? '' : '\n';
    await fsp.appendFile(file, `${separator}${pattern}\n`);
  }

  async run(dir: string, command: string): Promise<CommandResult> {
    const co = await this.checkout_(dir);
    const script = this.commands[command] ?? (this.allowExec ? command : null);
    if (script === null) return notAllowed(command);
    const child = spawnOwned('/bin/sh', ['-c', script], { cwd: co.dir, env: this.runEnv });
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.stderr.on('data', (c: Buffer) => chunks.push(c));
      child.on('error', reject);
      child.on('close', (code, signal) => {
        const exitCode = code ?? 128 + (signal ? signalNumber(signal) : 0);
        resolve({ exitCode, output: Buffer.concat(chunks).toString('utf8') });
      });
    });
  }

  // ---- internals ------------------------------------------------------------------------

  private async git(cwd: string, args: string[], accept: number[] = [0]): Promise<GitResult> {
    try {
      const date = this.clock ? `@${this.clock()} +0000` : undefined;
      const { stdout, stderr } = await execFileOwned('git', [...this.config, ...args], {
        cwd,
        env: date ? { ...this.gitEnv, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : this.gitEnv,
        maxBuffer: 256 * 1024 * 1024,
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      if (err instanceof TearingDownError) throw err;
      const e = err as { code?: unknown; stdout?: string; stderr?: string; message?: string };
      const code = typeof e.code === 'number' ? e.code : -1;
      const result = { code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
      if (accept.includes(code)) return result;
      const detail = (result.stderr || result.stdout || e.message || '').trim();
      throw new Error(`git ${args.join(' ')} (in ${cwd}) failed with exit ${code}: ${detail}`, { cause: err });
    }
  }

  private async requireRepository(): Promise<void> {
    if (!(await exists(path.join(this.root, '.git')))) {
      throw new WorkspaceError('not-a-checkout', `no repository at ${this.root}`);
    }
  }

  /** `git worktree list`, main checkout first. */
  private async list(): Promise<ListedWorktree[]> {
    await this.requireRepository();
    // NUL-separated, since a path may hold a newline; a git older than 2.36 knows no -z (exit 129)
    // and is asked for lines.
    const z = await this.git(this.root, ['worktree', 'list', '--porcelain', '-z'], [0, 129]);
    const listed =
      z.code === 0 ? parseWorktreePorcelain(z.stdout, '\0') : parseWorktreePorcelain((await this.git(this.root, ['worktree', 'list', '--porcelain'])).stdout);
    const out: ListedWorktree[] = [];
    for (const w of listed) out.push({ ...w, real: await realpathOr(w.path) });
    return out;
  }

  private async checkout_(dir: string): Promise<DiskCheckout> {
    const target = path.resolve(dir);
    const real = await realpathOr(target);
    const listed = await this.list().catch((err: unknown) => {
      if (err instanceof WorkspaceError) throw new WorkspaceError('not-a-checkout', `${dir} is not a checkout of ${this.root}`);
      throw err;
    });
    const at = listed.findIndex((w) => w.real === real);
    if (at < 0 || !(await exists(target))) throw new WorkspaceError('not-a-checkout', `${dir} is not a checkout of ${this.root}`);
    return { dir: target, isMain: at === 0 };
  }

  private async head(dir: string): Promise<Sha> {
    return (await this.git(dir, ['rev-parse', 'HEAD'])).stdout.trim();
  }

  private async branchExists(branch: string): Promise<boolean> {
    if (branch === '' || branch.startsWith('-')) return false;
    return (await this.git(this.root, ['show-ref', '--verify', '--quiet', `refs/heads/${branch}`], [0, 1])).code === 0;
  }

  private async refuseMergeInProgress(co: DiskCheckout, what: string): Promise<void> {
    if (await this.mergeInProgress(co.dir)) {
      throw new WorkspaceError('merge-in-progress', `cannot ${what} in ${co.dir}: a merge is in progress`);
    }
  }

  private async refuseDirty(co: DiskCheckout, what: string): Promise<void> {
    const changes = await this.status(co.dir);
    if (changes.length > 0) {
      throw new WorkspaceError('dirty', `cannot ${what} in ${co.dir}: uncommitted changes in ${changes.map((c) => c.path).join(', ')}`);
    }
  }
}

function withoutGitVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // A GIT_DIR or GIT_INDEX_FILE inherited from a hook or a wrapper would redirect every call.
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('GIT_')));
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.lstat(p);
    return true;
  } catch (err) {
    if (isMissing(err)) return false;
    throw err;
  }
}

async function realpathOr(p: string): Promise<string> {
  try {
    return await fsp.realpath(p);
  } catch {
    return p;
  }
}

async function writeUnder(dir: string, rel: string, content: string): Promise<void> {
  const full = path.join(dir, rel);
  await fsp.mkdir(path.dirname(full), { recursive: true });
  await fsp.writeFile(full, content);
}

function isMissing(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

function signalNumber(signal: NodeJS.Signals): number {
  return os.constants.signals[signal] ?? 0;
}
