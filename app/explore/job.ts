// One slice of a parallel exploration, run in a child process (`explore --jobs N`): explores
// the blocks the parent hands it one at a time, reports progress and its result over IPC.
import { loadSkill } from '../../src/skill/index.ts';
import { explore } from './explore.ts';
import type { Flaw } from '../../src/core/flaws.ts';

interface JobRequest {
  runs: number;
  seed: number;
  skill: string;
  flaws: Flaw[];
}

// The parent decides when a job ends: a Ctrl-C that reaches the whole process group, or the
// parent going away, ends this job quietly (no stack trace, no half-written output).
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));
let finished = false;
process.on('disconnect', () => {
  if (!finished) process.exit(0);
});

const send = (msg: unknown) => {
  if (!process.connected) return;
  process.send?.(msg, (err: Error | null) => {
    if (err) process.exit(0);
  });
};

// The parent hands the blocks out one at a time, in order, and none past a block where a job
// found a failure (later ones are moot).
let handed: ((block: number | undefined) => void) | null = null;
const nextBlock = () =>
  new Promise<number | undefined>((resolve) => {
    handed = resolve;
    send({ type: 'next' });
  });

process.on('message', (m: { type?: string; block?: number | null } & Partial<JobRequest>) => {
  if (m.type === 'block') {
    const h = handed;
    handed = null;
    h?.(m.block ?? undefined);
  } else if (m.type === 'start') void start(m as JobRequest);
});

async function start(req: JobRequest): Promise<void> {
  try {
    const { profile } = await loadSkill(req.skill);
    const report = await explore({
      runs: req.runs,
      seed: req.seed,
      profile: profile!,
      flaws: req.flaws,
      nextBlock,
      onProgress: (p) => send({ type: 'progress', ...p }),
    });
    finished = true;
    send({ type: 'done', report });
    process.disconnect?.();
  } catch (e: unknown) {
    finished = true;
    send({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    process.disconnect?.();
  }
}
