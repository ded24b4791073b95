// The processes a process started, found by parent links rather than by process group.
//
// Codex runs each shell command in a terminal of its own, which makes the command the leader
// of a new session and process group: a signal to the app-server's group never reaches it. A
// command caught mid-way by an interrupt can then outlive the server and write into a
// worktree after the worktree was removed. And a git of ours waits on the git it started (a
// `git worktree add` on its `git reset`), which is orphaned once its parent dies. Walking the
// parent links while the tree still hangs together finds them all, so they can be stopped
// before the folders they work in are removed (app-server.ts, teardown.ts).
//
// Linux only (/proc); elsewhere the tree reads empty and the group signal is all there is.

import { readdir, readFile } from 'node:fs/promises';

export interface ProcessRef {
  pid: number;
  /** Start time in clock ticks since boot: tells the same process from a later one reusing its pid. */
  start: string;
}

export interface Stat {
  /** `R`, `S`, …; `Z` a zombie, `X` dead. */
  state: string;
  ppid: number;
  pgrp: number;
  start: string;
  /** Processor seconds of the process itself (user and system). */
  cpu: number;
  /** Processor seconds of the children it has waited for, and of theirs. */
  childrenCpu: number;
}

/** `/proc` counts time in ticks of 1/100 s (USER_HZ, 100 on Linux whatever the kernel's own rate). */
const TICKS = 100;

/** The fields of a `/proc/PID/stat` line that tell where a process hangs, whether it runs and what it cost. */
export function parseStat(text: string): Stat {
  // Fields after the command name (which may hold spaces and parentheses): state is the 3rd
  // field of the line, ppid the 4th, pgrp the 5th, utime to cstime the 14th to 17th, the start
  // time the 22nd.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    state: f[0]!,
    ppid: Number(f[1]),
    pgrp: Number(f[2]),
    start: f[19]!,
    cpu: (Number(f[11]) + Number(f[12])) / TICKS,
    childrenCpu: (Number(f[13]) + Number(f[14])) / TICKS,
  };
}

async function statOf(pid: number): Promise<Stat | null> {
  try {
    return parseStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** The process `pid` as it stands now (null once it is gone), to be told from a later one reusing its pid. */
export async function processOf(pid: number): Promise<ProcessRef | null> {
  const s = await statOf(pid);
  return s ? { pid, start: s.start } : null;
}

/** Every process below `root` (children, their children, …), as they stand now. */
export async function descendants(root: number): Promise<ProcessRef[]> {
  let names: string[];
  try {
    names = await readdir('/proc');
  } catch {
    return [];
  }
  const stats = await Promise.all(names.filter((n) => /^\d+$/.test(n)).map(async (n) => ({ pid: Number(n), stat: await statOf(Number(n)) })));
  const children = new Map<number, ProcessRef[]>();
  for (const { pid, stat } of stats) {
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push({ pid, start: stat.start });
    children.set(stat.ppid, list);
  }
  const out: ProcessRef[] = [];
  const queue = [root];
  while (queue.length) {
    for (const c of children.get(queue.shift()!) ?? []) {
      out.push(c);
      queue.push(c.pid);
    }
  }
  return out;
}

/** Whether the process is still the one that was found (not gone, not a zombie, pid not reused). */
async function alive(p: ProcessRef): Promise<boolean> {
  const s = await statOf(p.pid);
  return s !== null && s.start === p.start && s.state !== 'Z' && s.state !== 'X';
}

/**
 * SIGKILL each process still alive, then wait (up to `waitMs`) until none is: a process killed
 * inside a write finishes that write first, so "signalled" is not yet "done writing".
 */
export async function killProcesses(procs: readonly ProcessRef[], waitMs = 2_000): Promise<void> {
  const live = async () => (await Promise.all(procs.map(async (p) => ((await alive(p)) ? p : null)))).filter((p) => p !== null);
  for (const p of await live()) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // ESRCH: it ended meanwhile.
    }
  }
  const deadline = Date.now() + waitMs;
  while ((await live()).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}
