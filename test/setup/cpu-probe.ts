// A Vitest setup file, loaded only when THREAD_TEAM_SIM_CPU_LOG names a file
// (`npm run bench -- npm-test` sets it): for each test file, the processor seconds its worker
// spent on it and those of the processes it started and waited for (Codex, git, the CLI), one
// JSON line each. On two cores the suite is bound by processor time, so this is where its wall
// time goes. Linux only (/proc); elsewhere nothing is written.

import { appendFileSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { parseStat } from '../../src/core/process-tree.ts';

/** Processor seconds of this process and of the children it has waited for, or null off Linux. */
function cpu(): { own: number; children: number } | null {
  try {
    const stat = parseStat(readFileSync('/proc/self/stat', 'utf8'));
    return { own: stat.cpu, children: stat.childrenCpu };
  } catch {
    return null;
  }
}

const log = process.env.THREAD_TEAM_SIM_CPU_LOG;
let start: { own: number; children: number } | null = null;
let wallStart = 0;

beforeAll(() => {
  start = cpu();
  wallStart = performance.now();
});

afterAll(() => {
  const end = cpu();
  if (!log || !start || !end) return;
  const file = relative(process.cwd(), expect.getState().testPath ?? '?');
  const line = {
    file,
    own: +(end.own - start.own).toFixed(2),
    children: +(end.children - start.children).toFixed(2),
    wall: +((performance.now() - wallStart) / 1000).toFixed(1),
  };
  appendFileSync(log, `${JSON.stringify(line)}\n`);
});
