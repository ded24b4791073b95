import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Flaw } from '../../src/core/flaws.ts';
import type { ExploreReport } from './explore.ts';
import { onTeardown, StoppedError } from '../../src/core/teardown.ts';

// `explore --jobs N`: N child processes, each exploring runs/N scenarios with a seed of its
// own (derived from the given one). The first job to find a violation shrinks it; the others
// are stopped. Its seed and path replay the case with --jobs 1.

const JOB = fileURLToPath(new URL('./job.ts', import.meta.url));
/** tsx's loader by its own path: a job must start wherever the user stands, not only in this repository. */
const TSX = import.meta.resolve('tsx');

/** The seed of job `j`: job 0 keeps the given seed, so --jobs 1 and job 0 explore the same cases. */
export const jobSeed = (seed: number, j: number) => ((seed + j * 0x9e3779b1) >>> 0) & 0x7fffffff;

export interface ParallelOptions {
  jobs: number;
  runs: number;
  seed: number;
  skill: string;
  flaws: Flaw[];
  onProgress?(p: { done: number; total: number; shrinking: boolean }): void;
}

export async function exploreParallel(opts: ParallelOptions): Promise<ExploreReport> {
  const children: ChildProcess[] = [];
  const done = new Array<number>(opts.jobs).fill(0);
  const per = (j: number) => Math.floor(opts.runs / opts.jobs) + (j < opts.runs % opts.jobs ? 1 : 0);
  let shrinking = false;
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
            const child = fork(JOB, [], { execArgv: ['--import', TSX], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
            children.push(child);
            let settled = false;
            child.on('message', (m: { type: string; report?: ExploreReport; message?: string; phase?: string; done?: number }) => {
              if (m.type === 'progress') {
                if (m.phase === 'shrink' && !shrinking) {
                  shrinking = true;
                  // One failure is enough: the other jobs stop, this one shrinks it.
                  children.forEach((c, k) => {
                    if (k !== j) c.kill();
                  });
                }
                if (m.phase === 'explore') done[j] = m.done ?? 0;
                opts.onProgress?.({ done: done.reduce((a, b) => a + b, 0), total: opts.runs, shrinking });
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
            child.send({ runs: per(j), seed: jobSeed(opts.seed, j), skill: opts.skill, flaws: opts.flaws });
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

function merge(reports: ExploreReport[], seed: number): ExploreReport {
  const failing = reports.find((r) => r.failed);
  const sum = (k: 'faultsFired' | 'familiesOn' | 'deliveries' | 'outcomes' | 'violationsByRule') => {
    const out: Record<string, number> = {};
    for (const r of reports) for (const [key, v] of Object.entries(r[k])) out[key] = (out[key] ?? 0) + v;
    return out;
  };
  return {
    runs: reports.reduce((a, r) => a + r.runs, 0),
    seed: failing?.seed ?? seed,
    failed: Boolean(failing),
    path: failing?.path ?? null,
    counterexample: failing?.counterexample ?? null,
    violations: failing?.violations ?? [],
    shrinks: failing?.shrinks ?? 0,
    faultsFired: sum('faultsFired'),
    familiesOn: sum('familiesOn'),
    deliveries: sum('deliveries'),
    outcomes: sum('outcomes'),
    violationsByRule: sum('violationsByRule'),
    exploreMs: Math.max(...reports.map((r) => r.exploreMs)),
    shrinkMs: failing?.shrinkMs ?? 0,
  };
}
