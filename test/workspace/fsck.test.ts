// Fidelity of the in-memory repository: after a finished run (worktrees, commits, merges with
// and without conflicts, removals), its .git written to disk as exportGit gives it passes real git's
// `git fsck --full --strict`, and real git reads the same history the run reported. And the
// objects are git's own: the same files, author and second give the SHAs real git gives.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryBackend, runScenario, type Backend } from '../../sim/run.ts';
import { ReferenceLeader } from '../../src/leader/index.ts';
import { loadSkill } from '../../src/skill/index.ts';
import { createMemoryWorkspace, type MemoryWorkspace } from '../../src/workspace/memory.ts';
import { SKILL } from '../support/skills.ts';
import { scenarioOf } from '../support/run.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs a catalogue scenario and writes its repository's .git to a fresh folder on disk. */
async function exported(name: string): Promise<{ gitdir: string; ws: MemoryWorkspace }> {
  let ws: MemoryWorkspace | undefined;
  const keep: Backend = {
    name: 'memory',
    async prepare(s, now, seed) {
      const r = await memoryBackend.prepare(s, now, seed);
      ws = r.ws as MemoryWorkspace;
      return r;
    },
  };
  const { profile } = await loadSkill(SKILL);
  await runScenario({ scenario: await scenarioOf(name), profile: profile!, leader: (env) => new ReferenceLeader(env), backend: keep });
  const out = mkdtempSync(join(tmpdir(), 'fsck-'));
  dirs.push(out);
  for (const [path, bytes] of ws!.exportGit()) {
    if (!path.startsWith(`${ws!.root}/.git/`)) continue;
    const target = join(out, path.slice(ws!.root.length));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
  return { gitdir: join(out, '.git'), ws: ws! };
}

const git = (gitdir: string, ...args: string[]) =>
  execFileSync('git', [`--git-dir=${gitdir}`, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('the in-memory repository is a real git repository', () => {
  it.each(['happy-three', 'conflict-maker', 'stalls-mid-task'])(
    '%s: git fsck --full --strict finds nothing wrong, and git reads the same history',
    async (name) => {
      const { gitdir, ws } = await exported(name);
      expect(git(gitdir, 'fsck', '--full', '--strict', '--no-dangling')).toBe('');
      const main = await ws.resolve('main');
      expect(git(gitdir, 'rev-parse', 'main').trim()).toBe(main);
      const ours = (await ws.log('main')).map((c) => c.sha);
      expect(git(gitdir, 'rev-list', '--topo-order', 'main').trim().split('\n').sort()).toEqual([...ours].sort());
      // Merge commits are there, with two parents each.
      const merges = git(gitdir, 'rev-list', '--merges', 'main').trim().split('\n').filter(Boolean);
      expect(merges.length).toBeGreaterThan(0);
      for (const m of merges) expect(git(gitdir, 'rev-list', '--parents', '-n', '1', m).trim().split(' ')).toHaveLength(3);
      // The tree at main, as git reads it, is the files the workspace has checked out.
      const files = git(gitdir, 'ls-tree', '-r', '--name-only', 'main').trim().split('\n').sort();
      expect(files).toEqual(await ws.listFiles(ws.root).then((l) => l.filter((f) => !f.startsWith('.thread-team/'))));
    },
  );

  it('the check can fail: an object whose content no longer matches its name is found', async () => {
    const { gitdir, ws } = await exported('happy-three');
    const sha = await ws.resolve('main');
    // The commit object rewritten as a valid, but different, object under the same name.
    writeFileSync(join(gitdir, 'objects', sha.slice(0, 2), sha.slice(2)), deflateSync(Buffer.from('blob 5\0hello')));
    expect(() => git(gitdir, 'fsck', '--full', '--strict', '--no-dangling')).toThrow(/hash mismatch|sha1 mismatch|corrupt|mismatch/i);
  });
});

describe('the in-memory repository names objects as git does', () => {
  it('a commit and a merge get the SHAs real git gives the same files, author, message and second', async () => {
    const files = { 'README.md': '# demo\n', 'src/app.txt': 'one\ntwo\n', 'src/deep/x.txt': 'x\n', 'z.txt': '' };
    const ws = createMemoryWorkspace({ now: () => 1_700_000_000 });
    const initial = await ws.init(files, 'main');
    await ws.worktreeAdd('/wt/a', 'a', 'main');
    await ws.writeFile('/wt/a', 'src/app.txt', 'one\ntwo\nthree\n');
    const onA = await ws.commitAll('/wt/a', 'a adds a line');
    await ws.writeFile('/repo', 'src/deep/y.txt', 'y\n');
    await ws.removeFile('/repo', 'z.txt');
    const onMain = await ws.commitAll('/repo', '\nmain adds y, drops z\n\n');
    const merged = await ws.merge('/repo', 'a', 'merge a');

    const dir = mkdtempSync(join(tmpdir(), 'same-sha-'));
    dirs.push(dir);
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 'thread-team-sim',
      GIT_AUTHOR_EMAIL: 'sim@thread-team.invalid',
      GIT_COMMITTER_NAME: 'thread-team-sim',
      GIT_COMMITTER_EMAIL: 'sim@thread-team.invalid',
      GIT_AUTHOR_DATE: '1700000000 +0000',
      GIT_COMMITTER_DATE: '1700000000 +0000',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: dir,
    };
    const real = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    const put = (path: string, text: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    real('init', '-q', '-b', 'main');
    for (const [path, text] of Object.entries(files)) put(path, text);
    real('add', '-A');
    real('commit', '-q', '-m', 'Initial commit');
    expect(real('rev-parse', 'HEAD')).toBe(initial);
    real('checkout', '-q', '-b', 'a');
    put('src/app.txt', 'one\ntwo\nthree\n');
    real('commit', '-q', '-am', 'a adds a line');
    expect(real('rev-parse', 'HEAD')).toBe(onA);
    real('checkout', '-q', 'main');
    put('src/deep/y.txt', 'y\n');
    rmSync(join(dir, 'z.txt'));
    real('add', '-A');
    real('commit', '-q', '-m', '\nmain adds y, drops z\n\n');
    expect(real('rev-parse', 'HEAD')).toBe(onMain);
    real('merge', '-q', '--no-ff', '-m', 'merge a', 'a');
    expect(merged).toEqual({ kind: 'merged', sha: real('rev-parse', 'HEAD') });
  });
});
