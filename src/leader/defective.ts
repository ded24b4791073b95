// What the leader does instead of a sound step under a deliberate defect (src/core/flaws.ts):
// the sound path asks `does(step)` (defects.ts) and, where the defect replaces the step rather
// than leaving it out, calls here. Never reached in real runs.

import { active, type WorkerRecord } from './state.ts';
import type { Turn } from './turn.ts';
import { dispatchText } from './values.ts';

/** M4 broken: a worker's whole report, and its dispatch, pasted to every other worker. */
export async function forwardReport(t: Turn, w: WorkerRecord, report: string): Promise<void> {
  const text = (await t.ws.readFile(w.dir, report)) ?? '';
  for (const o of active(t.run)) {
    if (o === w) continue;
    await t.send(o.thread, `FYI, ${w.role}'s report:\n${text}\nIts dispatch was:\n${dispatchText(t, w)}`);
    await t.save(`${o.role}: sent ${w.role}'s report`);
  }
}

/** R3 broken: the leader fixes the findings itself in the worker's worktree instead of sending rework. */
export async function fixDirectly(t: Turn, w: WorkerRecord): Promise<void> {
  for (const f of t.area(w.role).owns) {
    const text = await t.ws.readFile(w.dir, f);
    if (text !== null)
      await t.ws.writeFile(
        w.dir,
        f,
        text
          .split('\n')
          .filter((l) => !l.includes('BUG'))
          .join('\n'),
      );
  }
  w.sha = (await t.ws.commitAll(w.dir, `${w.role}: fixed by the leader`)) ?? w.sha;
  await t.save(`${w.role}: fixed the review findings myself`);
}

/** J5 broken: another leader's journal deleted. */
export async function removeForeignJournal(t: Turn, path: string): Promise<void> {
  await t.ws.removeFile(t.root, path);
}
