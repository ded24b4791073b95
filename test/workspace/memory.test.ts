import { describe, expect, it } from 'vitest';
import { createMemoryWorkspace, type MemoryCommand, type MemoryWorkspace } from '../../src/workspace/memory.ts';
import { workspaceSuite, type SuiteCommand } from '../support/workspace-suite.ts';

/** A simulated clock that ticks one second per commit-worthy call. */
function clock(start = 1_700_000_000) {
  let t = start;
  return () => t++;
}

function toMemoryCommand(spec: SuiteCommand): MemoryCommand {
  return (files) =>
    files[spec.file]?.includes(spec.contains)
      ? { exitCode: 0, output: 'ok\n' }
      : { exitCode: 1, output: `FAIL: ${spec.file} does not contain ${spec.contains}\n` };
}

workspaceSuite(
  'memory',
  async (commands) =>
    createMemoryWorkspace({
      now: clock(),
      commands: Object.fromEntries(Object.entries(commands).map(([name, spec]) => [name, toMemoryCommand(spec)])),
    }),
  async (ws, path) => (ws as MemoryWorkspace).exportGit().get(path)?.toString('utf8') ?? null,
);

/** A fixed little history: init, a worktree with a commit, a conflicting main, a merge. */
async function story(ws: MemoryWorkspace): Promise<string[]> {
  const shas = [await ws.init({ 'a.txt': 'a\n', 'b.txt': 'b\n' }, 'main')];
  await ws.worktreeAdd('/wt/one', 'one', 'main');
  await ws.writeFile('/wt/one', 'a.txt', 'a from one\n');
  shas.push((await ws.commitAll('/wt/one', 'one edits a'))!);
  await ws.writeFile('/repo', 'b.txt', 'b from main\n');
  shas.push((await ws.commitAll('/repo', 'main edits b'))!);
  const merged = await ws.merge('/repo', 'one', 'merge one');
  if (merged.kind !== 'merged') throw new Error(`expected a merge, got ${merged.kind}`);
  shas.push(merged.sha);
  return shas;
}

describe('workspace: memory only', () => {
  it('gives the same SHAs for the same operations and clock', async () => {
    const first = await story(createMemoryWorkspace({ now: clock() }));
    const second = await story(createMemoryWorkspace({ now: clock() }));
    const later = await story(createMemoryWorkspace({ now: clock(1_800_000_000) }));
    expect(second).toEqual(first);
    expect(later[0]).not.toBe(first[0]);
  });

  it('clones from a snapshot independently of the original', async () => {
    const original = createMemoryWorkspace({ now: clock() });
    const shas = await story(original);
    const snap = original.snapshot();
    const clone = createMemoryWorkspace({ now: clock(1_750_000_000), snapshot: snap });

    expect(await clone.worktrees()).toEqual(await original.worktrees());
    expect(await clone.readFile('/wt/one', 'a.txt')).toBe('a from one\n');
    expect(await clone.resolve('main')).toBe(shas[3]);

    await clone.writeFile('/repo', 'c.txt', 'clone only\n');
    const cloneTip = await clone.commitAll('/repo', 'clone commit');
    await clone.worktreeRemove('/wt/one');
    await clone.deleteBranch('one');

    expect(await original.resolve('main')).toBe(shas[3]);
    expect(await original.readFile('/repo', 'c.txt')).toBeNull();
    expect(await original.branches()).toEqual(['main', 'one']);
    expect((await original.worktrees()).map((w) => w.dir)).toEqual(['/repo', '/wt/one']);

    await original.writeFile('/repo', 'd.txt', 'original only\n');
    await original.commitAll('/repo', 'original commit');
    expect(await clone.readFile('/repo', 'd.txt')).toBeNull();
    expect(await clone.resolve('main')).toBe(cloneTip);

    // The snapshot itself is untouched by both: a second clone sees the story's end.
    const again = createMemoryWorkspace({ now: clock(), snapshot: snap });
    expect(await again.resolve('main')).toBe(shas[3]);
    expect(await again.branches()).toEqual(['main', 'one']);
    expect(await again.status('/wt/one')).toEqual([]);
  });

  it("exports each worktree's HEAD in its admin dir and the objects and refs in the common dir, as git lays them out", async () => {
    const ws = createMemoryWorkspace({ now: clock() });
    await ws.init({ 'a.txt': 'a\n' }, 'main');
    await ws.worktreeAdd('/wt/one', 'one', 'main');
    const admin = '/repo/.git/worktrees/one';
    const text = (path: string) => ws.exportGit().get(path)?.toString('utf8');
    expect(text('/wt/one/.git')).toBe(`gitdir: ${admin}\n`);
    expect(text(`${admin}/HEAD`)).toBe('ref: refs/heads/one\n');
    expect(text(`${admin}/gitdir`)).toBe('/wt/one/.git\n');
    expect([...ws.exportGit().keys()].filter((p) => p.startsWith(`${admin}/`) && !/\/(HEAD|gitdir|commondir)$/.test(p))).toEqual([]);
    await ws.writeFile('/wt/one', 'b.txt', 'b\n');
    const sha = (await ws.commitAll('/wt/one', 'b'))!;
    expect(text('/repo/.git/refs/heads/one')).toBe(`${sha}\n`);
    expect(ws.exportGit().has(`/repo/.git/objects/${sha.slice(0, 2)}/${sha.slice(2)}`)).toBe(true);
  });

  it('refuses, in one sentence, a merge where a path is a file on one side and a directory on the other', async () => {
    const ws = createMemoryWorkspace({ now: clock() });
    await ws.init({ 'a.txt': 'a\n', notes: 'one\n' }, 'main');
    await ws.worktreeAdd('/wt/one', 'one', 'main');
    await ws.removeFile('/wt/one', 'notes');
    await ws.writeFile('/wt/one', 'notes/today.txt', 'two\n');
    await ws.commitAll('/wt/one', 'notes becomes a folder');
    await ws.writeFile('/repo', 'notes', 'one, edited\n');
    await ws.commitAll('/repo', 'main edits notes');
    await expect(ws.merge('/repo', 'one', 'merge one')).rejects.toThrow(
      /^cannot merge one into \/repo in memory: notes is a file on one side and a directory on the other$/,
    );
    expect(await ws.status('/repo')).toEqual([]);
    expect(await ws.mergeInProgress('/repo')).toBe(false);
  });
});
