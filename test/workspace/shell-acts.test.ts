// A shell-workspace script announces its operation in its output (src/workspace/shell-acts.ts),
// so the import can read a run's workspace acts from its rollouts alone. Each act read back from
// the real outputs of real scripts must say what the operation was and how it went.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { actLine, readShellAct } from '../../src/workspace/shell-acts.ts';
import { createShellWorkspace } from '../../src/workspace/shell.ts';
import { localExec, type ShellExecLog } from '../support/shell-exec.ts';

const scratch: string[] = [];
afterAll(() => Promise.all(scratch.map((d) => rm(d, { recursive: true, force: true }))));

describe('shell acts', () => {
  it('every operation the invariants read is announced, with how it went', { timeout: 60_000 }, async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'shell-acts-'));
    scratch.push(tmp);
    const root = join(tmp, 'repo');
    const log: ShellExecLog = { commands: [] };
    const ws = createShellWorkspace({ root, exec: localExec(log), commands: { 'npm test': 'echo testing; exit 3' } });
    const base = await ws.init({ 'a.txt': 'one\n' }, 'main');
    const wt = join(tmp, 'wt-api');
    await ws.worktreeAdd(wt, 'worker/api', base);
    await ws.writeFile(wt, 'a.txt', 'two\n');
    await ws.commitAll(wt, 'api work');
    await ws.readFile(wt, 'report.md');
    await ws.changedFiles(base, 'worker/api');
    await ws.merge(root, 'worker/api', 'merge api');
    await ws.merge(root, 'worker/api', 'merge api again');
    await ws.run(root, 'npm test');
    await ws.addExclude(root, '.thread-team/');
    // A write is announced by the script that finishes it; one refused before it began is not.
    await expect(ws.writeFile(root, '../outside.txt', 'x')).rejects.toThrow();
    await expect(ws.merge(join(tmp, 'nowhere'), 'worker/api', 'm')).rejects.toThrow();
    await ws.worktreeRemove(wt, { force: true });
    const acts = log.commands.map((c) => readShellAct(c.output)).filter((a) => a !== null);
    expect(acts).toEqual([
      { op: 'worktreeAdd', dir: wt, ref: 'worker/api', detail: `base ${base}`, ok: true },
      { op: 'writeFile', dir: wt, paths: ['a.txt'], ok: true },
      { op: 'commitAll', dir: wt, detail: 'api work', ok: true },
      { op: 'readFile', dir: wt, paths: ['report.md'], ok: true },
      { op: 'changedFiles', dir: '', ref: `${base}..worker/api`, ok: true },
      { op: 'merge', dir: root, ref: 'worker/api', detail: 'fast-forward', ok: true },
      { op: 'merge', dir: root, ref: 'worker/api', detail: 'up-to-date', ok: true },
      { op: 'run', dir: root, detail: 'npm test -> exit 3', ok: true },
      { op: 'addExclude', dir: root, detail: '.thread-team/', ok: true },
      { op: 'merge', dir: join(tmp, 'nowhere'), ref: 'worker/api', ok: false, detail: `${join(tmp, 'nowhere')} is not a checkout of ${root}` },
      { op: 'worktreeRemove', dir: wt, detail: 'force', ok: true },
    ]);
    // Reads the invariants do not use announce nothing.
    expect(log.commands.length).toBeGreaterThan(acts.length);
  });

  it('a conflicted merge, and a script stopped before it finished', () => {
    const act = actLine({ op: 'merge', dir: '/r', ref: 'b' });
    const printed = (line: string) => line.replace(/^printf '\\n(.*)\\n' '(.*)'$/, '\n$1').replace('%s', line.split("'").at(-2)!);
    const head = printed(act);
    expect(head).toMatch(/^\n@@TT@@ act [A-Za-z0-9+/=]+$/);
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    expect(readShellAct(`${head}\n@@TT@@ conflicts ${b64('a.txt')}\n@@TT@@ done\n`)).toEqual({
      op: 'merge',
      dir: '/r',
      ref: 'b',
      ok: true,
      detail: 'conflict',
    });
    expect(readShellAct(`${head}\nfatal: something\n`)).toEqual({ op: 'merge', dir: '/r', ref: 'b', ok: false });
    const write = printed(actLine({ op: 'writeFile', dir: '/r', paths: ['j.md'] }));
    expect(readShellAct(`${write}\n`)).toEqual({ op: 'writeFile', dir: '/r', paths: ['j.md'], ok: false });
    const run = printed(actLine({ op: 'run', dir: '/r', detail: 'make' }));
    expect(readShellAct(`${run}\n@@TT@@ run\nout\n`)).toEqual({ op: 'run', dir: '/r', detail: 'make', ok: false });
  });

  it('output without an act, or with a garbled one, is no act', () => {
    expect(readShellAct('Merge made by the ort strategy.\n')).toBeNull();
    expect(readShellAct('\n@@TT@@ act bm90IGpzb24=\n@@TT@@ done\n')).toBeNull();
    expect(readShellAct(`\n@@TT@@ act ${Buffer.from('{"op":1}').toString('base64')}\n@@TT@@ done\n`)).toBeNull();
  });
});
