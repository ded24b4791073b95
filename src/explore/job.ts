// One slice of a parallel exploration, run in a child process (`explore --jobs N`): explores
// with its own seed, reports progress and its result to the parent over IPC.
import { loadSkill } from '../skill/index.ts';
import { explore } from './explore.ts';
import type { Flaw } from '../leader/flaws.ts';

interface JobRequest {
  runs: number;
  seed: number;
  skill: string;
  flaws: Flaw[];
}

const send = (msg: unknown) => process.send?.(msg);

process.once('message', (req: JobRequest) => {
  void (async () => {
    const { profile } = await loadSkill(req.skill);
    const report = await explore({
      runs: req.runs,
      seed: req.seed,
      profile: profile!,
      flaws: req.flaws,
      onProgress: (p) => send({ type: 'progress', ...p }),
    });
    send({ type: 'done', report });
    process.disconnect?.();
  })().catch((e: unknown) => {
    send({ type: 'error', message: e instanceof Error ? e.stack ?? e.message : String(e) });
    process.disconnect?.();
  });
});
