// Path rules both workspace implementations share, so that they refuse the same inputs.

import { posix } from 'node:path';
import { WorkspaceError, type FileChange } from '../ports/workspace.ts';

/** A checkout directory in canonical form: absolute, normalised, no trailing slash. */
export function checkoutDir(dir: string): string {
  const normal = posix.normalize(dir);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

/** A path relative to a checkout, normalised; refuses anything that leaves it or enters `.git`. */
export function checkoutPath(path: string): string {
  const normal = posix.normalize(path);
  const first = normal.split('/')[0];
  if (posix.isAbsolute(normal) || normal === '.' || first === '..' || first === '.git' || normal.endsWith('/')) {
    throw new WorkspaceError('outside-checkout', `path ${JSON.stringify(path)} is not a file inside the checkout`);
  }
  return normal;
}

/** Code-unit order, the same on every platform and locale (git sorts by bytes; ASCII agrees). */
export function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

export function sortedChanges(changes: FileChange[]): FileChange[] {
  return changes.sort(byPath);
}

export function sortedStrings(values: string[]): string[] {
  return values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export const DEFAULT_AUTHOR = { name: 'thread-team-sim', email: 'sim@thread-team.invalid' } as const;

export const INITIAL_COMMIT_MESSAGE = 'Initial commit';
