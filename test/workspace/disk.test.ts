import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'vitest';
import { createDiskWorkspace } from '../../src/workspace/disk.ts';
import { checkoutsIn, type SuiteCommand, withGitWithoutZ, failedListIn, workspaceSuite } from '../support/workspace-suite.ts';

const scratch: string[] = [];

afterEach(async () => {
  await Promise.all(scratch.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function toShell(spec: SuiteCommand): string {
  const fail = quote(`FAIL: ${spec.file} does not contain ${spec.contains}`);
  return `grep -qF -- ${quote(spec.contains)} ${quote(spec.file)} 2>/dev/null && echo ok || { echo ${fail}; exit 1; }`;
}

workspaceSuite(
  'disk',
  async (commands) => {
    const dir = await mkdtemp(join(tmpdir(), 'workspace-'));
    scratch.push(dir);
    return createDiskWorkspace({
      root: join(dir, 'repo'),
      commands: Object.fromEntries(Object.entries(commands).map(([name, spec]) => [name, toShell(spec)])),
    });
  },
  async (_ws, path) => readFile(path, 'utf8').catch(() => null),
);

describe('disk workspace', () => {
  it('knows its checkouts when their folders have a newline in their names', async () => {
    // git lists worktrees a line per field; a newline in a path would cut it in two, so the list
    // is asked for with NUL separators.
    const dir = await mkdtemp(join(tmpdir(), 'workspace-'));
    scratch.push(dir);
    await checkoutsIn((root) => createDiskWorkspace({ root }), dir);
  });

  it('lists its checkouts a line each with a git older than 2.36, which knows no -z', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'workspace-'));
    scratch.push(dir);
    await withGitWithoutZ(dir, () => checkoutsIn((root) => createDiskWorkspace({ root }), dir, 'plain'));
  });

  it('reports a git older than 2.36 that fails to list its checkouts, instead of listing none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'workspace-'));
    scratch.push(dir);
    await failedListIn((root) => createDiskWorkspace({ root }), dir);
  });
});
