// A heartbeat pass: pick up what is pending, resend what failed, one snapshot of every live
// worker, the startup gate for the silent ones (S1) and the stall ladder for the started (S3).

import { MAX_WAIT_TARGETS } from '../contract/threads.ts';
import { recognise } from '../skill/views.ts';
import { quietPasses, respondedToDispatch, showsWork, stallPass, stallVerdict, startupExpired } from './decisions.ts';
import { MINUTE_MS, STARTUP_READ_TURNS } from './policy.ts';
import { readReport } from './signals.ts';
import { type WorkerRecord, active, current } from './state.ts';
import { adopt, dispatch, dispatchAll, register, replace, rework, startPolling } from './team.ts';
import { statusRequestText } from './texts.ts';
import type { Turn } from './turn.ts';

/** `woken`: by a heartbeat or a worker; `pass`: by a heartbeat (only those count towards a stall, S3). */
export async function poll(t: Turn, woken: boolean, pass: boolean): Promise<void> {
  const st = t.run;
  if (st.status !== 'running' || !woken) return;
  if (!st.heartbeat && t.ctx.tools.includes('automation_update') && active(st).length > 0) await startPolling(t);
  await resolvePending(t);
  // A registration or dispatch that failed (a tool outage) is sent again on the next pass.
  for (const w of current(st)) if (w.state === 'created') await (w.dir ? register(t, w) : adopt(t, w));
  for (const w of current(st)) if (w.state === 'registered' && !st.workers.some((o) => o.state === 'pending')) await dispatch(t, w);
  const live = active(st).filter((w) => ['dispatched', 'started', 'rework'].includes(w.state));
  if (live.length === 0) return;
  // One snapshot of every live worker's status (wait_threads with timeout 0), in batches the tool takes.
  const statuses = new Map<string, string>();
  for (let i = 0; i < live.length; i += MAX_WAIT_TARGETS) {
    const batch = live.slice(i, i + MAX_WAIT_TARGETS);
    const r = await t.call('wait_threads', { targets: batch.map((w) => ({ threadId: w.thread })), timeoutMs: 0 });
    if (r.ok) for (const p of r.payload.polls) statuses.set(p.thread.id, p.thread.status.type);
  }
  const dead = new Set(live.filter((w) => ['systemError', 'notLoaded'].includes(statuses.get(w.thread) ?? '')));
  for (const w of dead) await replace(t, w, `its thread fell into ${statuses.get(w.thread)}`);
  // Startup gate in two steps: first see who has started, then judge the silent ones (S1).
  const silent: WorkerRecord[] = [];
  for (const w of live) if (!dead.has(w) && w.state === 'dispatched' && (await startupGate(t, w)) === 'silent') silent.push(w);
  // "While others started": anyone this run saw start, a worker since replaced included (the platform works).
  const anyStarted = st.workers.some((w) => w.startedAt > 0);
  for (const w of silent) await judgeSilent(t, w, anyStarted);
  for (const w of live) if (!dead.has(w) && ['started', 'rework'].includes(w.state)) await stallCheck(t, w, pass || !st.heartbeat);
}

/** S1: a worker silent past its startup window is replaced, unless its files show work after all (S2). */
async function judgeSilent(t: Turn, w: WorkerRecord, anyStarted: boolean): Promise<void> {
  const window = t.p.startupWindowMinutes.value * MINUTE_MS;
  const look = t.does('look-for-progress');
  // With nobody started the cause may be the platform, so give it longer; but not forever (L1).
  if (!(startupExpired(t.ctx.now() - w.dispatchedAt, window, anyStarted) || !look) || !t.does('replace-unstarted')) return;
  // Time passed since the look (other replacements): look at its files again before acting (S2).
  const sig = await t.progressSignature(w);
  if (look && showsWork(w, sig)) {
    t.started(w);
    w.seen = sig;
    w.quietSince = t.ctx.now();
    await t.save(`${w.role}: started (seen in its files just before replacing it)`);
    return;
  }
  await replace(t, w, `no response ${t.p.startupWindowMinutes.value} min after dispatch`);
}

async function resolvePending(t: Turn): Promise<void> {
  const st = t.run;
  const pending = st.workers.filter((w) => w.state === 'pending');
  for (const w of pending) {
    const found = await t.findThread('', w.role);
    if (!found) continue;
    w.thread = found.id;
    w.pending = '';
    await adopt(t, w);
  }
  if (pending.length && !st.workers.some((w) => w.state === 'pending')) await dispatchAll(t);
}

/** Whether a dispatched worker shows a response yet: its files, else its thread (the startup gate, M6). A failed read tells nothing. */
async function startupGate(t: Turn, w: WorkerRecord): Promise<'started' | 'silent' | 'unknown'> {
  // Files first: notes written or the branch moved mean it started, and cost no transcript.
  const sig = await t.progressSignature(w);
  if (!showsWork(w, sig)) {
    const r = await t.callRetried('read_thread', { threadId: w.thread, turnLimit: STARTUP_READ_TURNS });
    if (!r.ok) return 'unknown';
    const isDispatch = (text: string) => recognise(t.forms, text, ['registration', 'dispatch'])?.kind === 'dispatch';
    if (!respondedToDispatch(r.payload.turns, r.payload.page.hasMore, isDispatch)) return 'silent';
  }
  t.started(w);
  w.seen = (await t.progressSignature(w)) ?? '';
  w.quietSince = t.ctx.now();
  await t.save(`${w.role}: started`);
  return 'started';
}

/** S3: silent for the stall passes → a status request; silent a pass later → replace. */
async function stallCheck(t: Turn, w: WorkerRecord, pass: boolean): Promise<void> {
  const sig = await t.progressSignature(w);
  if (sig === null) {
    await replace(t, w, `its worktree ${w.dir} is gone`);
    return;
  }
  const now = t.ctx.now();
  const look = t.does('look-for-progress');
  const step = stallPass({ progressed: sig !== w.seen && look, excused: (w.waitingOn !== '' || w.longUntil > now) && look, pass });
  if (step === 'progress') {
    w.seen = sig;
    w.silent = 0;
    w.quietSince = now;
    w.asked = false;
    w.nudges = 0;
    await t.save();
    return;
  }
  if (step === 'skip') return;
  w.silent++;
  const interval = t.p.heartbeat.value.minutes * MINUTE_MS;
  const quiet = quietPasses(w.silent, now - w.quietSince, interval);
  const judge = () =>
    stallVerdict({
      quiet,
      passes: t.p.stallPasses.value,
      nudges: w.nudges,
      reworks: w.reworks,
      asked: w.asked,
      sinceAskedMs: t.ctx.now() - w.askedAt,
      intervalMs: interval,
      askFirst: t.does('ask-before-replacing'),
      patient: look,
    });
  if (judge() === 'wait') {
    await t.save();
    return;
  }
  // A worker that looks silent may be done with its signal lost: its report file tells.
  if (await readReport(t, w)) return;
  const verdict = judge();
  const idle = `answered ${w.nudges} status requests but showed no progress in ${w.silent} heartbeat passes`;
  if (verdict === 'replace-unasked') await replace(t, w, `silent for ${w.silent} heartbeat passes`);
  else if (verdict === 'redispatch') {
    // S3's ladder for a worker that answers but does nothing: its task again once, then replace.
    await rework(t, w, [`${idle}; here is your task again`]);
    w.nudges = 0;
    await t.save();
  } else if (verdict === 'replace-idle') await replace(t, w, idle);
  else if (verdict === 'ask') {
    await t.act(t.send(w.thread, statusRequestText(w.silent)), (sent) => {
      w.asked = sent;
      w.askedAt = t.ctx.now();
      if (sent) w.nudges++;
      return sent
        ? `${w.role}: silent for ${w.silent} passes; asked for status`
        : `${w.role}: silent for ${w.silent} passes; the status request failed, will ask again`;
    });
  } else if (verdict === 'replace-unanswered') await replace(t, w, `silent for ${w.silent} heartbeat passes and no answer to a status request`);
  else await t.save();
}
