// Vitest's global setup: after the whole suite, no process the tests started may still run in
// the temporary folder or in a folder already removed. A git left behind by an interrupted run
// once spun at 81% of a core for minutes, slowing every file after it, and no test failed for it.
// Linux only (/proc); elsewhere there is nothing to list and nothing is checked.

import { readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { sep } from 'node:path';
import { processesWithCwd, running } from '../support/processes.ts';

interface Proc {
  pid: number;
  cwd: string;
  command: string;
}

/** Running processes whose working directory is under `root` or removed, but for the pids in `except`. */
function strays(root: string, except: ReadonlySet<number>): Proc[] {
  return processesWithCwd()
    .filter(({ pid, cwd }) => !except.has(pid) && (cwd === root || cwd.startsWith(root + sep) || cwd.endsWith(' (deleted)')) && running(pid))
    .map((p) => ({ ...p, command: commandOf(p.pid) }));
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '(gone)';
  }
}

/**
 * The root config and each project that extends it run this setup, each with a module of its
 * own: a mark on the process makes the check once.
 */
const CHECKED = Symbol.for('thread-team-sim: processes left checked');
const marks = globalThis as unknown as Record<symbol, boolean | undefined>;

export default function setup(): () => Promise<void> {
  const root = realpathSync(tmpdir());
  // What already ran in the temporary folder before the suite is not the suite's.
  const before = new Set(strays(root, new Set()).map((p) => p.pid));
  return async () => {
    if (marks[CHECKED]) return;
    marks[CHECKED] = true;
    // A process on its way out is given a few seconds to go.
    const end = Date.now() + 5_000;
    let left = strays(root, before);
    while (left.length > 0 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 200));
      left = strays(root, before);
    }
    if (left.length > 0) {
      // Vitest reports an error thrown here and still exits 0: the exit code is set instead.
      console.error(`the tests left ${left.length} process(es) running: ${left.map((p) => `${p.pid} in ${p.cwd}: ${p.command.slice(0, 120)}`).join('; ')}`);
      process.exitCode = 1;
    }
  };
}
