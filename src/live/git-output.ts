import type { FileChange, Sha } from '../../sim/workspace/port.ts';

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

/** `git worktree list --porcelain`, main checkout first. */
export function parseWorktreePorcelain(stdout: string): PorcelainWorktree[] {
  const out: PorcelainWorktree[] = [];
  for (const block of stdout.split('\n\n')) {
    const fields = lines(block);
    const worktree = fields.find((l) => l.startsWith('worktree '))?.slice('worktree '.length);
    if (worktree === undefined) continue;
    const head = fields.find((l) => l.startsWith('HEAD '))?.slice('HEAD '.length) ?? '';
    const branchRef = fields.find((l) => l.startsWith('branch '))?.slice('branch '.length);
    out.push({ path: worktree, head, branch: branchRef === undefined ? null : branchRef.replace(/^refs\/heads\//, '') });
  }
  return out;
}
