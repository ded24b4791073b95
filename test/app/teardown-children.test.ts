// An interrupt stops the child processes the command started, and every process they started,
// before it undoes anything (removes the folders they work in); and once it has begun, no new
// one starts. An interrupted run had left `git reset --hard` (started by a `git worktree add`
// of ours) spinning in a removed worktree for minutes.
// In a file of its own: teardownAll() ends this test process's whole teardown registry.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execFileOwned, onTeardown, ownChild, TearingDownError, teardownAll } from '../../src/core/teardown.ts';
import { createDiskWorkspace } from '../../src/workspace/disk.ts';
import { running, until } from '../support/processes.ts';
import { scratchFolder } from '../support/scratch-folder.ts';

const scratch = scratchFolder('teardown-children-');

describe('an interrupt and the child processes of the command', () => {
  it('stops each child and what it started before undoing anything, then starts none', { timeout: 30_000 }, async () => {
    // A child that starts a grandchild and waits, as `git worktree add` waits on its reset.
    const child = ownChild(spawn('/bin/sh', ['-c', 'sleep 60 & echo $!; wait'], { stdio: ['ignore', 'pipe', 'ignore'] }));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await until('the grandchild to start', () => /^\d+\n/.test(out), 10_000);
    const grandchild = Number(out.trim());
    expect(running(grandchild)).toBe(true);
    const seen: boolean[] = [];
    let undoRan = '';
    onTeardown('a folder the children work in', async () => {
      seen.push(running(child.pid!), running(grandchild));
      // An undo may start what it needs (a `git worktree prune`, say).
      undoRan = (await execFileOwned('echo', ['pruned'])).stdout;
    });

    expect(await teardownAll()).toEqual([]);
    expect(seen).toEqual([false, false]);
    expect(undoRan).toBe('pruned\n');

    // Outside an undo, nothing new starts now: not through execFileOwned, nor a workspace's git.
    await expect(execFileOwned('true', [])).rejects.toThrow(TearingDownError);
    const ws = createDiskWorkspace({ root: join(scratch(), 'repo'), commands: { test: 'true' } });
    await expect(ws.init({ 'a.txt': 'a' }, 'main')).rejects.toThrow(TearingDownError);
    expect(existsSync(join(scratch(), 'repo', '.git'))).toBe(false);

    // What is made once the teardown has begun (a scratch folder whose mkdtemp was under way when
    // the interrupt came) is undone at once: the teardown had already taken its list, and an
    // interrupted run once left such a folder behind.
    const late = join(scratch(), 'made-late');
    await mkdir(late);
    onTeardown('a folder made during the teardown', () => rm(late, { recursive: true }));
    await until('the folder made during the teardown to be removed', () => !existsSync(late), 5_000);
  });
});
