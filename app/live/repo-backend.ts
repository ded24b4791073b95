import { mkdir, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createDiskWorkspace } from '../../src/workspace/disk.ts';
import type { Backend } from '../../sim/run.ts';
import { execFileOwned, onTeardown, removeTree, scratchDir } from '../../src/core/teardown.ts';

// The repository of a live run: the user's own. It is never touched except through a clone made
// for the run (the clone, with the branches the team left, is the user's to take back), or, when
// asked (`--in-place`), directly, and then only from a clean tree.

/** The user's repository cannot be used as it is (not a repository, uncommitted changes, …). */
export class RepoError extends Error {
  override name = 'RepoError';
}

const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };

async function git(dir: string, args: string[]): Promise<string> {
  const { stdout } = await execFileOwned('git', ['-C', dir, ...args], { env: GIT_ENV });
  return stdout;
}

/** The repository at `path`: its root, current branch and whether its tree is clean; one line when it is not usable. */
export async function inspectRepo(path: string, shown = path): Promise<{ root: string; branch: string; clean: boolean }> {
  const dir = resolve(path);
  const st = await stat(dir).catch(() => null);
  if (!st?.isDirectory()) throw new RepoError(`--repo ${shown}: no such directory`);
  const root = (await git(dir, ['rev-parse', '--show-toplevel']).catch(() => '')).trim();
  if (!root) throw new RepoError(`--repo ${shown}: not a git repository`);
  if (!(await git(root, ['rev-parse', '--verify', '-q', 'HEAD']).catch(() => '')).trim())
    throw new RepoError(`--repo ${shown}: the repository has no commit yet`);
  const branch = (await git(root, ['branch', '--show-current'])).trim();
  if (!branch) throw new RepoError(`--repo ${shown}: HEAD is detached; check out the branch the team should work from`);
  const clean = (await git(root, ['status', '--porcelain', '--untracked-files=normal'])).trim() === '';
  return { root, branch, clean };
}

/** `dir` is a folder to keep a run in: new or empty (a run never writes over what is there). Makes nothing. */
export async function checkFreshDir(dir: string, shown = dir): Promise<void> {
  const entries = await readdir(resolve(dir)).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw new RepoError(e.code === 'ENOTDIR' ? `--out ${shown}: a file, not a folder` : `--out ${shown}: cannot read it (${e.code ?? e.message})`);
  });
  if (entries?.length) throw new RepoError(`--out ${shown}: not empty (a run never writes over what is there)`);
}

/** `out`, checked by checkFreshDir, then made. */
export async function claimOutDir(out: string, shown = out): Promise<string> {
  await checkFreshDir(out, shown);
  const dir = resolve(out);
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * A live run's repository. By default a clone of `source` at `into/repo` (its remote removed, so
 * nothing the team does reaches the user's repository, not even a push), worktrees beside it.
 * `inPlace`: the user's repository itself (its tree must be clean), worktrees in a scratch
 * directory. The verification command runs as written: in a live run the model runs it.
 */
export function repoBackend(opts: { source: string; into: string; inPlace?: boolean; verify: string; keep?: boolean }): Backend {
  return {
    name: 'repo',
    async prepare(_s, now) {
      const repo = await inspectRepo(opts.source);
      const commands = { [opts.verify]: opts.verify };
      if (opts.inPlace) {
        if (!repo.clean) throw new RepoError(`--in-place: ${repo.root} has uncommitted changes; commit or stash them first`);
        const scratch = await scratchDir('thread-team-live-worktrees-');
        const ws = createDiskWorkspace({ root: repo.root, clock: now, commands });
        return {
          ws,
          repoRoot: repo.root,
          worktreeRoot: scratch.path,
          commands,
          dispose: async () => {
            if (opts.keep) return scratch.keep();
            await scratch.remove();
            await git(repo.root, ['worktree', 'prune']).catch(() => undefined);
          },
        };
      }
      const root = join(opts.into, 'repo');
      const forget = onTeardown(`clone ${root}`, () => removeTree(root));
      try {
        await execFileOwned('git', ['clone', '-q', '--no-hardlinks', '--branch', repo.branch, repo.root, root], { env: GIT_ENV });
        await git(root, ['remote', 'remove', 'origin']);
      } catch (e) {
        await removeTree(root);
        forget();
        throw new RepoError(`--repo ${opts.source}: could not clone it (${(e as Error).message.split('\n')[0]})`);
      }
      // The clone is the run's result: it stays (the user takes the integration branch from it).
      // Worktrees the team left are not: they go at the end and on an interrupt, unless kept.
      forget();
      const worktreeRoot = join(opts.into, 'worktrees');
      const dropWorktrees = async () => {
        await removeTree(worktreeRoot);
        await git(root, ['worktree', 'prune']).catch(() => undefined);
      };
      const forgetWorktrees = opts.keep ? () => {} : onTeardown(`worktrees ${worktreeRoot}`, dropWorktrees);
      const ws = createDiskWorkspace({ root, clock: now, commands });
      return {
        ws,
        repoRoot: root,
        worktreeRoot,
        commands,
        dispose: async () => {
          if (opts.keep) return;
          await dropWorktrees();
          forgetWorktrees();
        },
      };
    },
  };
}
