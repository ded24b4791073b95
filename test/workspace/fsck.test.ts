// Fidelity of the in-memory repository: after a finished run (worktrees, commits, merges with
// and without conflicts, removals), its .git written to disk byte for byte passes real git's
// `git fsck --full --strict`, and real git reads the same history the run reported.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryBackend, runScenario, type Backend } from '../../sim/run.ts';
import { ReferenceLeader } from '../../src/leader/index.ts';
import { loadSkill } from '../../src/skill/index.ts';
import type { MemoryWorkspace } from '../../src/workspace/memory.ts';
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
  const walk = (dir: string): void => {
    for (const name of ws!.vol.readdirSync(dir) as string[]) {
      const path = `${dir}/${name}`;
      if (ws!.vol.statSync(path).isDirectory()) walk(path);
      else {
        const target = join(out, path.slice(ws!.root.length));
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, ws!.vol.readFileSync(path) as Buffer);
      }
    }
  };
  walk(`${ws!.root}/.git`);
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
