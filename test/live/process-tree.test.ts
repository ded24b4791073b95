// The processes a process started, found by parent links: what an app-server's teardown uses
// to stop the commands Codex ran in sessions of their own, outside its process group, and the
// command's teardown to stop what its own children started.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { descendants, killProcesses, parseStat, processOf } from '../../src/core/process-tree.ts';
import { childrenOf, group, running, workingIn } from '../support/processes.ts';

const linux = existsSync('/proc/self/stat');
if (!linux) console.log('[process-tree] no /proc here: the tree reads empty, these tests are skipped');

const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
});

/** A node process that starts `sleep` in a session of its own (as Codex starts a command in a terminal) and prints its pid. */
async function parentWithSessionChild(): Promise<{ parent: number; child: number }> {
  const script = `const c = require('node:child_process').spawn('sleep', ['30'], { detached: true, stdio: 'ignore' }); console.log(c.pid); setInterval(() => {}, 1000);`;
  const p = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(p.pid!);
  const [chunk] = (await once(p.stdout, 'data')) as [Buffer];
  const child = Number(chunk.toString().trim());
  started.push(child);
  return { parent: p.pid!, child };
}

describe('parseStat', () => {
  it('reads the fields after a command name holding spaces and parentheses, the processor times in seconds', () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime … starttime
    const line = '4242 (node (a) b) S 7 4242 4242 0 -1 4194304 10 0 0 0 250 31 1200 345 20 0 11 0 98765 1000 200\n';
    expect(parseStat(line)).toEqual({ state: 'S', ppid: 7, pgrp: 4242, start: '98765', cpu: 2.81, childrenCpu: 15.45 });
  });
});

describe.skipIf(!linux)('process tree', () => {
  it('finds a child in another session by its parent link, and its start time', async () => {
    const { parent, child } = await parentWithSessionChild();
    // The leader of a session of its own: a signal to the parent's process group does not reach it.
    expect(readFileSync(`/proc/${child}/stat`, 'utf8').split(') ')[1]!.split(' ')[3]).toBe(String(child));
    const tree = await descendants(parent);
    expect(tree.map((p) => p.pid)).toContain(child);
    expect(tree.find((p) => p.pid === child)!.start).toMatch(/^\d+$/);
    expect(await descendants(child)).toEqual([]);
  });

  it('kills what it found and returns once it is gone', async () => {
    const { parent, child } = await parentWithSessionChild();
    const tree = await descendants(parent);
    await killProcesses(tree);
    expect(running(child)).toBe(false);
  });

  it('leaves a process alone whose pid now belongs to a later process (another start time)', async () => {
    const { child } = await parentWithSessionChild();
    await killProcesses([{ pid: child, start: '1' }], 100);
    expect(running(child)).toBe(true);
  });

  it("the interrupt tests' check finds a process by where it works, whatever its group", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'process-tree-'));
    try {
      const p = spawn('sleep', ['30'], { cwd: dir, detached: true, stdio: 'ignore' });
      started.push(p.pid!);
      expect(workingIn(dir)).toEqual([p.pid]);
      expect(workingIn(join(dir, 'elsewhere'))).toEqual([]);
      await killProcesses([(await processOf(p.pid!))!]);
      expect(workingIn(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads an unknown process as no tree', async () => {
    expect(await descendants(2 ** 22 + 12345)).toEqual([]);
  });

  it("the tests' checks list a child that runs, by parent and by group, and not once it has exited", async () => {
    const p = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    started.push(p.pid!);
    expect(childrenOf(process.pid)).toContain(p.pid);
    expect(group(p.pid!)).toEqual([p.pid]);
    p.kill('SIGKILL');
    await once(p, 'exit');
    expect(childrenOf(process.pid)).not.toContain(p.pid);
    expect(group(p.pid!)).toEqual([]);
  });
});
