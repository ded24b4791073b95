// The CLI as a user runs it, in a child process, and the processes it leaves: shared by the
// tests that run it against a stand-in endpoint answering from the test's own process (so the
// child must not block it) and by those that interrupt it.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseStat } from '../../src/core/process-tree.ts';

const BIN = fileURLToPath(new URL('../../bin/thread-team-sim.js', import.meta.url));

/** The CLI in a child process, without blocking this one. */
export function cliChild(
  args: string[],
  opts: { cwd: string; env?: Record<string, string> },
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

interface ProcessRow {
  pid: number;
  ppid: number;
  pgrp: number;
}

/**
 * Every process that runs (a zombie does not), from /proc: a scan costs about a millisecond,
 * where starting `ps` from a test process of several hundred MB cost ten times that, and the
 * fuzz asks twice per case. `ps` where there is no /proc.
 */
function processTable(): ProcessRow[] {
  let names: string[];
  try {
    names = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return execFileSync('ps', ['-eo', 'pid=,ppid=,pgid=,stat='], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f.length === 4 && !f[3]!.startsWith('Z'))
      .map(([pid, ppid, pgrp]) => ({ pid: Number(pid), ppid: Number(ppid), pgrp: Number(pgrp) }));
  }
  return names.flatMap((n) => {
    try {
      const { state, ppid, pgrp } = parseStat(readFileSync(`/proc/${n}/stat`, 'utf8'));
      return state === 'Z' || state === 'X' ? [] : [{ pid: Number(n), ppid, pgrp }];
    } catch {
      return [];
    }
  });
}

/** The processes of a process group (none once everything is gone). */
export function group(pgid: number): number[] {
  return processTable()
    .filter((p) => p.pgrp === pgid)
    .map((p) => p.pid);
}

/** The processes `ppid` started that still run. */
export function childrenOf(ppid: number): number[] {
  return processTable()
    .filter((p) => p.ppid === ppid)
    .map((p) => p.pid);
}

/** Every process this user may look at, with its working directory (Linux /proc; none elsewhere). */
export function processesWithCwd(): { pid: number; cwd: string }[] {
  let names: string[];
  try {
    names = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    try {
      return [{ pid: Number(n), cwd: readlinkSync(`/proc/${n}/cwd`) }];
    } catch {
      return [];
    }
  });
}

/**
 * The processes, in any group or session, whose working directory is `dir` or below it: a
 * command Codex ran in a terminal of its own is in no group of ours.
 */
export function workingIn(dir: string): number[] {
  return processesWithCwd()
    .filter(({ cwd }) => cwd === dir || cwd.startsWith(dir + sep))
    .map((p) => p.pid);
}

/** Whether a process runs (Linux /proc): a zombie, or a pid gone, does not. */
export function running(pid: number): boolean {
  try {
    const { state } = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export async function until(what: string, test: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
