import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiskWorkspace } from '../../src/workspace/disk.ts';
import { workspaceSuite, type SuiteCommand } from '../support/workspace-suite.ts';

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
    const base = join(dir, 'two\nlines');
    const ws = createDiskWorkspace({ root: join(base, 'repo') });
    await ws.init({ 'a.txt': 'a\n' }, 'main');
    const wt = join(base, 'wt');
    await ws.worktreeAdd(wt, 'feature', 'main');
    await ws.writeFile(wt, 'b.txt', 'b\n');
    expect(await ws.readFile(wt, 'b.txt')).toBe('b\n');
    expect(await ws.commitAll(wt, 'b')).toMatch(/^[0-9a-f]{40}$/);
    expect((await ws.worktrees()).map((w) => [w.dir, w.branch])).toEqual([
      [join(base, 'repo'), 'main'],
      [wt, 'feature'],
    ]);
    await expect(ws.readFile(base, 'a.txt')).rejects.toMatchObject({ code: 'not-a-checkout' });
  });

  it('lists its checkouts a line each with a git older than 2.36, which knows no -z', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'workspace-'));
    scratch.push(dir);
    // A git that refuses -z as an unknown switch does (exit 129), and is the real one otherwise.
    const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const bin = join(dir, 'bin');
    await mkdir(bin);
    await writeFile(
      join(bin, 'git'),
      `#!/bin/sh\nfor a; do [ "$a" = -z ] && { echo "error: unknown switch \\\`z'" >&2; exit 129; }; done\nexec ${real} "$@"\n`,
      {
        mode: 0o755,
      },
    );
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    let ws: ReturnType<typeof createDiskWorkspace>;
    try {
      ws = createDiskWorkspace({ root: join(dir, 'repo') });
    } finally {
      process.env.PATH = path;
    }
    await ws.init({ 'a.txt': 'a\n' }, 'main');
    await ws.worktreeAdd(join(dir, 'wt'), 'feature', 'main');
    expect((await ws.worktrees()).map((w) => [w.dir, w.branch])).toEqual([
      [join(dir, 'repo'), 'main'],
      [join(dir, 'wt'), 'feature'],
    ]);
    expect(await ws.readFile(join(dir, 'wt'), 'a.txt')).toBe('a\n');
  });
});
