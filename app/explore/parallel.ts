import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Flaw } from '../../src/core/flaws.ts';
import { add, blocksOf, emptyReport, type ExploreReport } from './explore.ts';
import { onTeardown, StoppedError } from '../../src/core/teardown.ts';
import { BUILT, projectPath } from '../../src/core/project.ts';

// `explore --jobs N`: N child processes sharing the exploration's blocks (see explore.ts),
// handed out one at a time in block order as each job asks, so a job slowed down (a busy core)
// takes fewer and none waits for another at the end. The first job to find a violation shrinks
// it; the others are stopped. Its seed and path replay the case with --jobs 1.

const JOB = BUILT ? projectPath('dist/job.mjs') : fileURLToPath(new URL('./job.ts', import.meta.url));
const JOB_ARGV = BUILT ? [] : ['--import', import.meta.resolve('tsx')];

export interface ParallelOptions {
  jobs: number;
  runs: number;
  seed: number;
  skill: string;
  flaws: Flaw[];
  /** The blocks to explore (a shard's share); default all of them. */
  blocks?: readonly number[];
  onProgress?(p: { done: number; total: number; shrinking: boolean }): void;
}

export async function exploreParallel(opts: ParallelOptions): Promise<ExploreReport> {
  const children: ChildProcess[] = [];
  const done = new Array<number>(opts.jobs).fill(0);
  const blocks = blocksOf(opts.runs)
    .map((b) => b.index)
    .filter((b) => !opts.blocks || opts.blocks.includes(b));
  const queue = [...blocks];
  const total = blocksOf(opts.runs)
    .filter((b) => blocks.includes(b.index))
    .reduce((a, b) => a + b.runs, 0);
  let shrinking = false;
  /** The earliest block a job found a failure in, and the block each job is at. */
  let earliest = Number.POSITIVE_INFINITY;
  const at = new Array<number>(opts.jobs).fill(-1);
  // An interrupt ends the jobs with the parent: none outlives the command.
  const forget = onTeardown('explore jobs', () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });
  try {
    const reports = await Promise.all(
      Array.from(
        { length: opts.jobs },
        (_, j) =>
          new Promise<ExploreReport | null>((resolve, reject) => {
            const child = fork(JOB, [], { execArgv: JOB_ARGV, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
            children.push(child);
            let settled = false;
            child.on('message', (m: { type: string; report?: ExploreReport; message?: string; phase?: string; done?: number; block?: number }) => {
              if (m.type === 'progress') {
                at[j] = m.block ?? at[j]!;
                if (m.phase === 'shrink' && m.block! < earliest) {
                  shrinking = true;
                  earliest = m.block!;
                  // The earliest block's failure is the case (as one process would find it): a job
                  // past that block stops now, one before it finishes its block and is handed no other.
                  children.forEach((c, k) => {
                    if (k !== j && c.exitCode === null && at[k]! > earliest) c.kill();
                  });
                } else if (at[j]! > earliest) child.kill();
                if (m.phase === 'explore') done[j] = m.done ?? 0;
                opts.onProgress?.({ done: done.reduce((a, b) => a + b, 0), total, shrinking });
              } else if (m.type === 'next') {
                // In block order, and none past a failure's block.
                const block = queue.length > 0 && queue[0]! < earliest ? queue.shift()! : null;
                if (block !== null) at[j] = block;
                if (child.connected) child.send({ type: 'block', block });
              } else if (m.type === 'done') {
                settled = true;
                resolve(m.report!);
              } else if (m.type === 'error') {
                settled = true;
                reject(new Error(`explore job ${j} failed: ${m.message}`));
              }
            });
            child.on('exit', (code, signal) => {
              if (settled) return;
              if (shrinking) resolve(null);
              // A job killed by a signal we did not send: someone stopped it (usually Ctrl-C on
              // the whole process group, whose interrupt reaches this process a moment later).
              // (A job ends itself with 130/143 on SIGINT/SIGTERM, so as not to print a trace.)
              else if (signal || code === 130 || code === 143) {
                const by = signal ?? (code === 130 ? 'SIGINT' : 'SIGTERM');
                reject(new StoppedError(`explore job ${j} was stopped by ${by}`, by));
              } else reject(new Error(`explore job ${j} exited with code ${code}`));
            });
            child.send({ type: 'start', runs: opts.runs, seed: opts.seed, skill: opts.skill, flaws: opts.flaws });
          }),
      ),
    );
    return merge(
      reports.filter((r): r is ExploreReport => r !== null),
      opts.seed,
    );
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill();
    forget();
  }
}

/** The jobs' reports as one: their tallies summed, and the failure of the earliest block. */
export function merge(reports: ExploreReport[], seed: number): ExploreReport {
  const out = emptyReport(seed);
  for (const r of reports) add(out, r);
  // Jobs run side by side: the exploration took as long as the longest.
  out.exploreMs = Math.max(0, ...reports.map((r) => r.exploreMs));
  const failing = reports.filter((r) => r.failed).sort((a, b) => (a.block ?? 0) - (b.block ?? 0))[0];
  if (!failing) return out;
  const { seed: at, path, counterexample, violations, shrinks, shrinkMs, block } = failing;
  return { ...out, seed: at, failed: true, path, counterexample, violations, shrinks, shrinkMs, block };
}
