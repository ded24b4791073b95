// Ctrl-C and SIGTERM in the middle of a run: the real command, in a process group of its own,
// with its own temporary folder. Whatever it made (scratch repositories, a Codex home, Codex,
// explore jobs) is gone afterwards; it exits 130 or 143 with one line, and explore says which
// seed it was exploring and how far it got.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findCodexBinary } from '../../src/live/codex-binary.ts';
import { group, until, workingIn } from '../support/processes.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/thread-team-sim.js');
const scratch: string[] = [];
afterAll(async () => {
  for (const d of scratch) await rm(d, { recursive: true, force: true });
});

/** Which of `pids` are explore jobs. */
const jobs = (pids: number[]) =>
  pids.filter((p) => {
    try {
      return execFileSync('ps', ['-o', 'args=', '-p', String(p)], { encoding: 'utf8' }).match(/explore\/job\.ts|dist\/job\.mjs/) !== null;
    } catch {
      return false;
    }
  });

/**
 * Starts the CLI in its own process group and temporary folder, waits for `ready`, sends
 * `signal` to the whole group (as a terminal's Ctrl-C does) or to the command alone, and
 * returns what it said and left.
 */
async function interrupt(
  args: string[],
  signal: NodeJS.Signals,
  ready: (tmp: string, pids: number[]) => Promise<boolean>,
  opts: { toGroup: boolean; target?: (pids: number[], leader: number) => number },
) {
  const tmp = await mkdtemp(join(tmpdir(), 'interrupt-'));
  scratch.push(tmp);
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, detached: true, env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  let gone: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      gone = code;
      resolve(code);
    }),
  );
  // Two test files run side by side, some of them Codex runs too: getting going can be slow. A
  // command that ends before it is ready is a failure of its own, said with what it printed.
  await until(
    'the command to get going',
    async () => {
      if (gone !== undefined) throw new Error(`the command ended (exit ${gone}) before it was ready to interrupt:\n${stdout}\n${stderr}`);
      return ready(tmp, group(child.pid!));
    },
    200_000,
  );
  process.kill(opts.target ? opts.target(group(child.pid!), child.pid!) : opts.toGroup ? -child.pid! : child.pid!, signal);
  const code = await exited;
  await until('the process group to empty', () => group(child.pid!).length === 0, 20_000).catch(() => undefined);
  // tsx keeps its compile cache in the temporary folder (`tsx-UID`): a cache meant to outlive
  // runs, not something the run made.
  const left = (await readdir(tmp)).filter((n) => !/^tsx-\d+$/.test(n));
  return { code, stderr, stdout, left, processes: group(child.pid!), strays: workingIn(tmp) };
}

describe('explore --jobs 2, interrupted', () => {
  it.each([
    ['SIGINT', 130, true],
    ['SIGTERM', 143, false],
  ] as const)('%s: exit %d, the seed and progress printed, no job left, no stack trace', { timeout: 240_000 }, async (signal, exit, toGroup) => {
    const r = await interrupt(['explore', '--runs', '2000', '--seed', '77', '--jobs', '2'], signal, async (_, pids) => jobs(pids).length === 2, { toGroup });
    expect(r.code).toBe(exit);
    expect(r.stderr).toMatch(/explore: interrupted after \d+ of 2000 runs \(seed 77\); run them again with: thread-team-sim explore --runs 2000 --seed 77/);
    expect(r.stderr).toMatch(/thread-team-sim: (interrupted|terminated); nothing it made is left behind/);
    expect(r.stderr).not.toMatch(/\n\s+at |EPIPE|Error/);
    expect(r.processes).toEqual([]);
    expect(r.left).toEqual([]);
  });
});

describe('explore --jobs 2, one job killed from outside', () => {
  it('exit 143, one line naming the job, the other job stopped, nothing left', { timeout: 240_000 }, async () => {
    const r = await interrupt(['explore', '--runs', '2000', '--seed', '77', '--jobs', '2'], 'SIGTERM', async (_, pids) => jobs(pids).length === 2, {
      toGroup: false,
      target: (pids) => jobs(pids)[0]!,
    });
    expect(r.code).toBe(143);
    expect(r.stderr).toMatch(/thread-team-sim: explore job \d was stopped by SIGTERM from outside; nothing it made is left behind/);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.processes).toEqual([]);
    expect(r.left).toEqual([]);
  });
});

const binary = findCodexBinary();
if (!binary) console.log('skipped: the codex binary is not installed (optional dependency @openai/codex): no interrupted Codex run to test');

describe.skipIf(!binary)('run --leader codex, interrupted', () => {
  /** Ready once Codex runs, the run's repository and Codex home exist, and `worktrees` workers have theirs. */
  const readyWith = (worktrees: number) => async (tmp: string, pids: number[]) => {
    const names = await readdir(tmp);
    const run = names.find((n) => n.startsWith('thread-team-sim-'));
    const made = run ? await readdir(join(tmp, run, 'worktrees')).catch(() => []) : [];
    return codexRunsUnder(pids) && run !== undefined && names.some((n) => n.startsWith('codex-live-')) && made.length >= worktrees;
  };
  /**
   * Codex's app-server is running, started by the command. It runs in a session of its own
   * (detached, so that a signal to the command's group is the command's to pass on), so it is
   * found by its parent, not in the command's group.
   */
  const codexRunsUnder = (pids: number[]) =>
    execFileSync('ps', ['-eo', 'ppid=,args='], { encoding: 'utf8' })
      .split('\n')
      .some((l) => {
        const m = /^\s*(\d+)\s+(.*)$/.exec(l);
        return m !== null && pids.includes(Number(m[1])) && /\bapp-server\b/.test(m[2]!);
      });
  it.each([
    ['SIGINT', 130, [], true],
    ['SIGTERM', 143, [], false],
    // Every thread a Codex thread: interrupted with two workers at work in their worktrees.
    ['SIGINT', 130, ['--workers', 'codex'], true],
  ] as const)(
    '%s: exit %d (extra flags %j); no scratch repository, worktree, Codex home or Codex process is left',
    { timeout: 300_000 },
    async (signal, exit, extra, toGroup) => {
      const r = await interrupt(['run', 'scenarios/stalls-mid-task.yaml', '--leader', 'codex', ...extra], signal, readyWith(extra.length ? 2 : 0), { toGroup });
      expect(r.code, r.stderr).toBe(exit);
      expect(r.stderr).toMatch(/thread-team-sim: (interrupted|terminated); nothing it made is left behind/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.processes).toEqual([]);
      // Nor a command Codex ran in a terminal (a session) of its own, outside the group.
      expect(r.strays).toEqual([]);
      expect(r.left).toEqual([]);
    },
  );
});
