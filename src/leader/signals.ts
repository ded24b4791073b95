// What workers tell the leader: completion, a blocker, a status line. Processed first in a
// turn, before polling, so a signal is never mistaken for silence.

import { readForm } from '../skill/form-read.ts';
import { reportOf } from '../skill/views.ts';
import { announcedMinutes, blockedOn, waitCycle } from './decisions.ts';
import { forwardReport } from './defective.ts';
import type { WorkerSignal } from './messages.ts';
import { MINUTE_MS } from './policy.ts';
import { current, type WorkerRecord } from './state.ts';
import { unblockWaiters } from './team.ts';
import { cycleBrokenText, noPeerText } from './texts.ts';
import type { Turn } from './turn.ts';

export async function processSignals(t: Turn, signals: readonly WorkerSignal[]): Promise<void> {
  const seen = new Set<string>();
  const verified = new Set<string>();
  for (const s of signals) {
    const w = t.byThread(s.source);
    if (!w || w.state === 'replaced') continue;
    // A message delivered twice is one message.
    const key = `${s.source}\n${s.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if ((!s.header || s.header.threadId !== w.thread) && !verified.has(s.source)) {
      verified.add(s.source);
      // An unverifiable message: read the sender's thread before acting on it (M6 allows it).
      await t.act(
        t.call('read_thread', { threadId: s.source, turnLimit: 1 }),
        () => `${w.role}: message without a matching header; verified the sender by reading its thread`,
      );
    }
    if (s.kind === 'complete') await onComplete(t, w, s.sha ?? '', s.reportPath ?? t.p.workerReportPath.value);
    else if (s.kind === 'blocked') await onBlocked(t, w, s.text);
    else if (s.kind === 'status') await onStatus(t, w, s.text);
  }
}

async function onStatus(t: Turn, w: WorkerRecord, text: string): Promise<void> {
  const long = announcedMinutes(text);
  // An answer is not progress: only an announced long command excuses further silence.
  if (long !== null) {
    w.longUntil = t.ctx.now() + long * MINUTE_MS;
    w.silent = 0;
  }
  w.asked = false;
  if (w.state === 'dispatched') t.started(w);
  await t.save(`${w.role}: status: ${text}`);
  if (/^done\b/i.test(text) && w.state === 'started') await readReport(t, w);
}

/** Waiting on a roster peer is excused until that peer is done; any other blocker gets an answer now. */
async function onBlocked(t: Turn, w: WorkerRecord, reason: string): Promise<void> {
  const { named, peer } = blockedOn(reason, w.role, t.roles());
  w.waitingOn = peer;
  w.silent = 0;
  await t.save(`${w.role}: blocked: ${reason}`);
  const cycle = peer ? waitCycle(current(t.run), w) : null;
  if (cycle) {
    // Two workers waiting on each other wait forever: the one that closed the circle goes on.
    await t.act(t.send(w.thread, cycleBrokenText(peer, cycle)), () => {
      w.waitingOn = '';
      return `${w.role}: broke the wait cycle ${cycle.join(' -> ')}`;
    });
    return;
  }
  if (peer) {
    await unblockWaiters(t);
    return;
  }
  await t.act(t.send(w.thread, noPeerText(named)), () => `${w.role}: told to continue past its blocker`);
}

async function onComplete(t: Turn, w: WorkerRecord, sha: string, report: string): Promise<void> {
  if (!['dispatched', 'started', 'rework'].includes(w.state)) return;
  w.startedAt ||= t.ctx.now();
  w.state = 'reported';
  w.sha = sha;
  w.report = report;
  w.waitingOn = '';
  await t.save(`${w.role}: COMPLETE at ${sha.slice(0, 12) || '(no sha)'}`);
  if (!t.does('signals-only')) await forwardReport(t, w, report);
  await unblockWaiters(t);
}

/** A worker's completion signal never arrived: its report, if it names the branch tip, tells. */
export async function readReport(t: Turn, w: WorkerRecord): Promise<boolean> {
  let text: string | null = null;
  let tip = '';
  try {
    text = await t.ws.readFile(w.dir, t.p.workerReportPath.value);
    tip = await t.ws.resolve(w.branch);
  } catch {
    return false;
  }
  const sha = text ? reportOf(readForm(t.forms.report, text)).commit : undefined;
  if (!sha || sha !== tip || tip === w.base) return false;
  await t.save(`${w.role}: no completion signal arrived, but its report names the branch tip ${tip.slice(0, 12)}`);
  await onComplete(t, w, sha, t.p.workerReportPath.value);
  return true;
}
