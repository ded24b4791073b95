// The end of a run: the final review and report, the teardown (resumable: what fails is retried
// on the next pass), and a cancel.

import { MAX_WAIT_TARGETS } from '../contract/threads.ts';
import { CANCEL_WAIT_MS } from './policy.ts';
import { active, current } from './state.ts';
import { STOP_TEXT } from './texts.ts';
import type { Turn } from './turn.ts';
import { finalReportText } from './values.ts';

/** R4: review the merged whole against where the run started, verify it, tear down, report. */
export async function finish(t: Turn): Promise<void> {
  const st = t.run;
  const plan = t.env.plan;
  if (st.merges.length === 0) {
    // Every task settled and none merged: the task was not done, so the run does not say
    // complete. It ends as a cancelled one does (A1), with the reason and the branches left.
    const n = current(st).length;
    st.reason = `nothing was merged: ${n} task${n === 1 ? '' : 's'} not integrated`;
    st.status = 'aborting';
    st.next = 'tear the team down';
    await t.save('no task could be merged; aborting the run');
    await finishAbort(t);
    return;
  }
  st.phase = t.p.phases.value[5]!;
  const first = st.workers.find((w) => w.base)?.base;
  const reviewed = t.does('final-review');
  const review = first && reviewed ? await t.ws.changedFiles(first, st.integration) : [];
  const stray = review.filter((c) => !plan.areas.some((a) => a.owns.includes(c.path)) && !plan.shared.includes(c.path));
  const whole = reviewed ? await t.ws.run(t.root, plan.verifyCommand) : { exitCode: 0 };
  await t.save(
    `final review of the merged whole: ${review.length} files changed${stray.length ? ` (outside every area: ${stray.map((c) => c.path).join(', ')})` : ''}; ${plan.verifyCommand} exit ${whole.exitCode}`,
  );
  const cleanup = await teardown(t, false);
  if (!cleanup) return;
  st.status = 'complete';
  st.next = 'nothing: the run is complete';
  // The report is written before the journal says the run is complete, so that nothing is left
  // to do after that write: a context lost there (once the journal says complete, a fresh
  // leader has nothing to resume) cannot lose the report between the two.
  const report = await finalReport(t, 'complete', `Final verification: ${plan.verifyCommand} exit ${whole.exitCode}.`, cleanup);
  await t.save('run complete');
  t.ctx.say(report);
}

async function finalReport(t: Turn, outcome: 'complete' | 'aborted', verification: string, cleanup: string[]): Promise<string> {
  const head = await t.ws.resolve(t.run.integration).catch(() => 'unknown');
  return finalReportText(t, outcome, verification, cleanup, head);
}

/** Threads whose worktree was still being prepared (or never seen) may exist by now: find them, to clean them up. */
async function findUnseenThreads(t: Turn): Promise<void> {
  for (const w of t.run.workers.filter((x) => x.state === 'pending' || (x.thread && !x.dir))) {
    const found = await t.findThread(w.thread, w.role);
    if (!found) continue;
    w.thread = found.id;
    w.dir = found.cwd;
    w.state = 'stopped';
    w.why = 'its worktree became ready only during the teardown';
    await t.save(`${w.role}: thread ${w.thread} found at ${w.dir}; tearing it down`);
  }
}

async function deleteHeartbeat(t: Turn): Promise<boolean> {
  const st = t.run;
  const ok = await t.heartbeatCall({ mode: 'delete', id: st.heartbeat!.id });
  if (ok) st.heartbeat = null;
  await t.save(ok ? 'heartbeat deleted' : 'heartbeat could not be deleted after three attempts');
  return ok;
}

/**
 * Archive every worker, then delete the heartbeat, then remove the worktrees. Resumable: a
 * worker that cannot be archived keeps the heartbeat alive and the teardown is retried on
 * the next pass (null), since a live worker's directory is its own and cannot be removed.
 */
async function teardown(t: Turn, aborting: boolean): Promise<string[] | null> {
  const st = t.run;
  await findUnseenThreads(t);
  let live = 0;
  for (const w of st.workers) {
    if (!w.thread || w.cleaned || w.state === 'replaced') continue;
    await t.act(t.archive(w.thread), (r) => {
      if (!r.ok) {
        live++;
        return `${w.role}: archiving ${w.thread} failed: ${r.error}`;
      }
      w.cleaned = 'archived';
      return `${w.role}: thread ${w.thread} archived`;
    });
  }
  if (live && st.heartbeat) {
    // The heartbeat is what brings the leader back to retry: a paused one must run again.
    if (st.heartbeat.status === 'PAUSED') await t.setHeartbeat('ACTIVE');
    st.next = `archive the ${live} worker(s) that refused, then finish the teardown`;
    await t.save(`${live} worker(s) could not be archived; the teardown resumes on the next pass`);
    return null;
  }
  if (st.heartbeat && t.does('delete-heartbeat') && !(await deleteHeartbeat(t))) {
    // Still there, so it will wake the leader again: the teardown resumes then (H1).
    if (st.heartbeat.status === 'PAUSED') await t.setHeartbeat('ACTIVE');
    st.next = 'delete the heartbeat, then finish the teardown';
    await t.save('the heartbeat could not be deleted yet; the teardown resumes on its next pass');
    return null;
  }
  if (!st.keepWorktrees && t.does('remove-worktrees')) await removeWorktrees(t, aborting);
  return cleanupNotes(t);
}

async function removeWorktrees(t: Turn, aborting: boolean): Promise<void> {
  for (const w of t.run.workers) {
    if (!w.dir || w.dir === t.root || w.cleaned === 'removed') continue;
    if (w.thread && w.state !== 'replaced' && w.cleaned !== 'archived') {
      // Still live (the archive failed with no heartbeat to retry): its directory is its own.
      w.cleaned = 'kept';
      continue;
    }
    if (aborting && ['dispatched', 'started', 'rework', 'stopped'].includes(w.state)) {
      // Work in progress the worker could not commit is committed for it, never thrown away.
      const sha = await t.ws.commitAll(w.dir, `${w.role}: work in progress saved by the leader on cancel`).catch(() => null);
      if (sha) await t.save(`${w.role}: uncommitted work saved on ${w.branch} at ${sha.slice(0, 12)}`);
    }
    try {
      await t.ws.worktreeRemove(w.dir, { force: true });
      w.cleaned = 'removed';
      await t.save(`${w.role}: worktree ${w.dir} removed`);
    } catch (e) {
      await t.save(`${w.role}: worktree ${w.dir} could not be removed: ${(e as Error).message}`);
    }
  }
}

/** What the teardown did, for the final report, from the journaled state. */
function cleanupNotes(t: Turn): string[] {
  const st = t.run;
  const notes: string[] = [st.heartbeat ? `heartbeat ${st.heartbeat.id} could NOT be deleted: delete it by hand` : 'heartbeat deleted'];
  for (const w of st.workers) {
    if (!w.thread) continue;
    if (w.cleaned === 'removed') notes.push(`${w.role} thread ${w.thread} archived; worktree ${w.dir} removed`);
    else if (w.cleaned === 'archived')
      notes.push(`${w.role} thread ${w.thread} archived${st.keepWorktrees ? `; worktree ${w.dir} kept, as the user asked` : ''}`);
    else if (w.cleaned === 'kept') notes.push(`${w.role} thread ${w.thread} could NOT be archived: archive it by hand; its worktree ${w.dir} was left alone`);
  }
  return notes;
}

/** A1: every live worker told to stop and commit, one bounded wait, then the teardown. */
export async function abort(t: Turn, reason: string): Promise<void> {
  const st = t.run;
  st.reason = reason;
  st.status = 'aborting';
  st.next = 'stop the workers and tear the team down';
  const live = active(st);
  for (const w of live) {
    await t.act(t.send(w.thread, STOP_TEXT, { retried: true }), (told) =>
      told ? `${w.role}: told to stop` : `${w.role}: the stop message failed three times; archiving stops it`,
    );
  }
  if (live.length > 0) {
    // One bounded wait for the workers to commit, not a polling loop.
    await t.call('wait_threads', { targets: live.slice(0, MAX_WAIT_TARGETS).map((w) => ({ threadId: w.thread })), timeoutMs: CANCEL_WAIT_MS });
  }
  for (const w of live) {
    w.state = 'stopped';
    w.why = w.why || 'stopped by cancel';
  }
  await finishAbort(t);
}

/**
 * The teardown after a cancel. A worktree still being prepared cannot be removed before it
 * exists: while one is pending, the heartbeat is kept and the teardown finishes on a later pass.
 */
export async function finishAbort(t: Turn): Promise<void> {
  const st = t.run;
  await findUnseenThreads(t);
  const pending = st.workers.filter((x) => x.state === 'pending');
  if (pending.length && st.heartbeat) {
    st.next = `wait for ${pending.length} worktree(s) still being prepared, then finish the teardown`;
    await t.save(`teardown waits for ${pending.map((w) => w.role).join(', ')}: worktree still being prepared`);
    return;
  }
  const cleanup = await teardown(t, true);
  if (!cleanup) return;
  for (const w of pending) cleanup.push(`${w.role}: a worktree was still being prepared (${w.pending}); remove it when it appears`);
  const unmerged: string[] = [];
  for (const w of current(st)) {
    if (w.state === 'merged' || !w.branch) continue;
    try {
      const tip = await t.ws.resolve(w.branch);
      if (tip !== w.base) unmerged.push(`${w.branch} (${w.role}) at ${tip.slice(0, 12)}`);
    } catch {
      // the branch is gone: nothing to report
    }
  }
  st.status = 'aborted';
  st.next = 'nothing: the run was aborted';
  // Written before the journal says aborted, as in finish().
  const report = await finalReport(t, 'aborted', unmerged.length ? `Unmerged branches with commits: ${unmerged.join(', ')}` : 'No unmerged commits.', cleanup);
  await t.save(`run aborted: ${st.reason}`);
  t.ctx.say(report);
}
