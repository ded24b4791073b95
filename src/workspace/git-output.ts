import type { FileChange, Sha, WorktreeInfo } from '../ports/workspace.ts';

// Parsers of git's machine-readable output, shared by the workspaces that drive the git CLI
// (directly on disk, or through a shell that Codex runs).

export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

/** `git diff --name-status -z` output: status NUL path NUL, repeated. */
export function parseNameStatus(out: string): FileChange[] {
  const parts = out.split('\0');
  const changes: FileChange[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const status = parts[i]!;
    const p = parts[i + 1]!;
    if (status === '') continue;
    const kind = status.startsWith('A') ? 'added' : status.startsWith('D') ? 'deleted' : 'modified';
    changes.push({ path: p, kind });
  }
  return changes;
}

export interface PorcelainWorktree {
  path: string;
  head: Sha;
  branch: string | null;
}

/** `git worktree list --porcelain` (with `-z`, its fields end in NUL), main checkout first. */
export function parseWorktreePorcelain(stdout: string, separator: '\n' | '\0' = '\n'): PorcelainWorktree[] {
  const out: PorcelainWorktree[] = [];
  for (const block of stdout.split(separator + separator)) {
    const fields = separator === '\n' ? lines(block) : block.split('\0');
    const worktree = fields.find((l) => l.startsWith('worktree '))?.slice('worktree '.length);
    if (worktree === undefined) continue;
    const head = fields.find((l) => l.startsWith('HEAD '))?.slice('HEAD '.length) ?? '';
    const branchRef = fields.find((l) => l.startsWith('branch '))?.slice('branch '.length);
    out.push({ path: worktree, head, branch: branchRef === undefined ? null : branchRef.replace(/^refs\/heads\//, '') });
  }
  return out;
}

/**
 * The port's worktree order: the main checkout first, then the worktrees this workspace made in
 * creation order (git lists by path), then anyone else's in git's order. `real` paths compare
 * checkouts whatever symlinks name them.
 */
export function orderWorktrees(
  root: string,
  listed: readonly (PorcelainWorktree & { real: string })[],
  ours: readonly { dir: string; real: string }[],
): WorktreeInfo[] {
  const [main, ...linked] = listed;
  if (main === undefined) return [];
  const infos: WorktreeInfo[] = [{ dir: root, branch: main.branch, head: main.head }];
  for (const { dir, real } of ours) {
    const entry = linked.find((w) => w.real === real);
    if (entry) infos.push({ dir, branch: entry.branch, head: entry.head });
  }
  for (const entry of linked) {
    if (!ours.some((k) => k.real === entry.real)) infos.push({ dir: entry.path, branch: entry.branch, head: entry.head });
  }
  return infos;
}
