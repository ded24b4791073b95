// Phase 5: once every task is settled, each reported branch is reviewed and merged, one at a
// time, with the tests run after each merge and the heartbeat paused meanwhile (H4).

import { RECOGNISE_AT, reportOf } from '../skill/views.ts';
import { readForm } from '../skill/form-read.ts';
import { mergeGate, reviewFindings, unsettled } from './decisions.ts';
import { fixDirectly } from './defective.ts';
import { finish } from './ending.ts';
import { resolveMechanically } from './conflicts.ts';
import { type WorkerRecord, current } from './state.ts';
import { replace, rework } from './team.ts';
import type { Turn } from './turn.ts';

export async function advance(t: Turn): Promise<void> {
  const st = t.run;
  if (st.status !== 'running') return;
  if (st.workers.some((w) => w.state === 'pending')) return;
  const gate = mergeGate(current(st));
  if (gate.kind === 'finish') await finish(t);
  if (gate.kind !== 'merge') return;
  st.phase = t.p.phases.value[4]!;
  if (st.heartbeat?.status === 'ACTIVE' && t.does('pause-before-merge')) {
    // H4: no merge while the heartbeat is active; if it cannot be paused, merge next pass.
    if (!(await t.setHeartbeat('PAUSED'))) return;
    await t.save('heartbeat paused for the merges');
  }
  await cleanCheckout(t);
  for (const w of gate.ready) await review(t, w);
  // Merged without a test each, the whole is tested once at the end (R1 broken).
  if (!t.does('one-merge-at-a-time') && gate.ready.some((w) => w.state === 'merged')) await t.ws.run(t.root, t.env.plan.verifyCommand);
  if (current(st).some(unsettled)) {
    st.phase = t.p.phases.value[3]!;
    if (st.heartbeat?.status === 'PAUSED') {
      const resumed = await t.setHeartbeat('ACTIVE');
      await t.save(resumed ? 'heartbeat resumed while rework is outstanding' : "heartbeat could not be resumed; workers' messages will still wake me");
    }
    return;
  }
  await finish(t);
}

/** Stray changes in the leader's checkout (a worker in the wrong directory) are thrown out. */
async function cleanCheckout(t: Turn): Promise<void> {
  const dirty = await t.ws.status(t.root);
  if (dirty.length === 0) return;
  await t.ws.discardChanges(t.root);
  await t.save(`leader checkout had changes nobody there made (${dirty.map((d) => d.path).join(', ')}); discarded them`);
}

async function review(t: Turn, w: WorkerRecord): Promise<void> {
  const area = t.area(w.role);
  const reportRead = t.does('read-report');
  let reportText = '';
  try {
    if (reportRead) reportText = (await t.ws.readFile(w.dir, w.report || t.p.workerReportPath.value)) ?? '';
  } catch {
    // The worktree is gone with the report in it: the task is redone by a fresh worker.
    if (w.state !== 'excluded') {
      w.state = 'started';
      await replace(t, w, `its worktree ${w.dir} vanished before its report could be reviewed`);
    }
    return;
  }
  const reading = reportText ? readForm(t.forms.report, reportText) : null;
  const report = reading && reading.score >= RECOGNISE_AT ? reportOf(reading) : null;
  let tip: string | null = null;
  try {
    tip = await t.ws.resolve(w.branch);
  } catch {
    tip = null;
  }
  const changed = tip && tip !== w.base ? (await t.ws.changedFiles(w.base, tip)).map((c) => c.path) : [];
  const problems = reviewFindings({
    reportRead,
    report,
    reportPath: w.report,
    branch: w.branch,
    tip,
    reported: w.sha,
    base: w.base,
    changed,
    mayTouch: [...area.owns, ...t.env.plan.shared],
  });
  if (problems.length && !t.does('rework-to-owner')) {
    await fixDirectly(t, w);
    problems.length = 0;
  }
  if (problems.length && t.does('review')) {
    await rework(t, w, problems);
    return;
  }
  await merge(t, w);
}

async function merge(t: Turn, w: WorkerRecord): Promise<void> {
  const st = t.run;
  const verify = t.env.plan.verifyCommand;
  const before = await t.ws.resolve(st.integration);
  const r = await t.ws.merge(t.root, w.branch, `Merge ${w.branch} (${w.role})`);
  if (r.kind === 'conflict') {
    await t.save(`${w.role}: merge conflict in ${r.paths.join(', ')}`);
    if (!(await resolveMechanically(t.ws, t.root, r.paths))) {
      await t.ws.abortMerge(t.root);
      await t.save(`${w.role}: the conflict is not mechanical; merge aborted`);
      await rework(t, w, [`your branch conflicts with ${st.integration} in ${r.paths.join(', ')}; keep to the files you own`]);
      return;
    }
    await t.ws.commitMerge(t.root, `Merge ${w.branch} (${w.role}); resolved ${r.paths.join(', ')}`);
    await t.save(`${w.role}: resolved the mechanical conflict by keeping both sides`);
  }
  const merged = await t.ws.resolve(st.integration);
  const tests = t.does('test-each-merge') ? await t.ws.run(t.root, verify) : { exitCode: 0, output: 'skipped' };
  if (tests.exitCode !== 0) {
    await t.save(`${w.role}: tests failed after the merge; resetting the integration branch to ${before.slice(0, 12)}`);
    await t.ws.setBranch(st.integration, before);
    await t.save(`${w.role}: integration branch reset; discarding the merged files`);
    await t.ws.discardChanges(t.root);
    await t.save(`${w.role}: tests failed after the merge; integration branch reset to ${before.slice(0, 12)}`);
    await rework(t, w, [`${verify} fails once your branch is merged: ${tests.output.split('\n').slice(1, 3).join('; ')}`]);
    return;
  }
  w.state = 'merged';
  st.merges.push({ role: w.role, branch: w.branch, sha: merged, tests: `${verify} passed` });
  await t.save(`${w.role}: merged ${w.branch} at ${merged.slice(0, 12)}; tests pass`);
}
