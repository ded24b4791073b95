// The team's lifecycle: workers created, registered, dispatched, replaced, excluded, sent
// back for rework; the heartbeat started. Each outward act is journaled before the next.

import { TUI_PROMPT_LIMIT_BYTES, TUI_PROMPT_TOO_LONG, utf8Bytes } from '../contract/hosts.ts';
import type { InputOf } from '../contract/registry.ts';
import { replacement, reworkOrGiveUp } from './decisions.ts';
import { HEARTBEAT_PROMPT, peerDoneText, peerGoneText, reworkScope, rosterUpdateText, workerIntro } from './texts.ts';
import { type WorkerRecord, active, current, newWorker } from './state.ts';
import type { Turn } from './turn.ts';
import { createInOwnWorktree } from './own-worktree.ts';
import { dispatchText, identity, roster, rosterText } from './values.ts';

export async function createWorker(t: Turn, w: WorkerRecord): Promise<void> {
  if (t.ctx.host === 'tui') {
    const made = await createInOwnWorktree(t, w);
    if (!made.ok) {
      await exclude(t, w, `create_thread failed three times: ${made.error}`);
      return;
    }
    w.thread = made.thread;
    w.state = 'created';
    await t.save(`${w.role} #${w.n}: thread ${w.thread} created, working in ${w.dir} on ${w.branch}`);
    await register(t, w);
    return;
  }
  const st = t.run;
  const args: InputOf<'create_thread'> = {
    prompt: workerIntro(t.header(), w.role),
    target: { type: 'project', projectId: t.env.projectId, environment: { type: 'worktree', startingState: { type: 'branch', branchName: st.integration } } },
    ...t.settings(),
  };
  // A transient outage must not cost a task: retried, and only then the task is excluded.
  const r = await t.callRetried('create_thread', args);
  if (!r.ok) {
    await exclude(t, w, `create_thread failed three times: ${r.error}`);
    return;
  }
  // One of three answers (src/contract/threads.ts): a thread, or a worktree still being made.
  const made = r.payload;
  const pending = typeof made.pendingWorktreeId === 'string' ? made.pendingWorktreeId : typeof made.clientThreadId === 'string' ? made.clientThreadId : null;
  if (pending) {
    w.state = 'pending';
    w.pending = pending;
    await t.save(`${w.role}: worktree being prepared (${w.pending}); will not create a second thread for it`);
    return;
  }
  w.thread = typeof made.threadId === 'string' ? made.threadId : '';
  w.state = 'created';
  await t.save(`${w.role} #${w.n}: thread ${w.thread} created`);
  await adopt(t, w);
}

/** The thread exists: learn its worktree (retried on the next pass if list_threads fails), journal it, register it. */
export async function adopt(t: Turn, w: WorkerRecord): Promise<void> {
  const found = await t.findThread(w.thread, null);
  if (!found) {
    if (w.state === 'pending') return;
    w.state = 'created';
    await t.save(`${w.role}: could not see thread ${w.thread} yet; will look again on the next pass`);
    return;
  }
  w.dir = found.cwd;
  w.branch = (await t.ws.currentBranch(w.dir)) ?? '';
  w.base = await t.ws.resolve(w.branch || 'HEAD');
  w.state = 'created';
  await t.save(`${w.role} #${w.n}: thread ${w.thread}, branch ${w.branch}, worktree ${w.dir}, base ${w.base.slice(0, 12)}`);
  await register(t, w);
}

export async function register(t: Turn, w: WorkerRecord): Promise<void> {
  const shared = w.dir === t.root || t.run.workers.some((o) => o !== w && o.dir === w.dir && o.state !== 'replaced');
  if (shared && t.does('exclusive-worktree')) {
    await exclude(t, w, 'no exclusive worktree could be had, so it is not run as a team member');
    return;
  }
  const registered = () => {
    w.state = 'registered';
    return `${w.role}: registration sent`;
  };
  if (!t.does('register')) {
    await t.save(registered());
    return;
  }
  const text = t.fill('registration', { ...identity(t, w), roster: roster(t) });
  const r = await t.act(t.call('send_message_to_thread', { threadId: w.thread, prompt: text }), (r) =>
    r.ok ? registered() : `${w.role}: registration failed (${r.error}); will retry on the next pass`,
  );
  if (!r.ok) await refusedForSize(t, w, 'registration', text, r.error);
}

/** A message the host refuses for its size is refused again on every retry: the worker cannot be run. */
async function refusedForSize(t: Turn, w: WorkerRecord, what: string, text: string, error: string): Promise<void> {
  if (error !== TUI_PROMPT_TOO_LONG) return;
  await exclude(t, w, `the host refused its ${what}: ${utf8Bytes(text)} bytes, over its ${TUI_PROMPT_LIMIT_BYTES}-byte prompt limit (${error})`);
}

/** Dispatch every registered worker once no worktree is pending; start polling while work is out. */
export async function dispatchAll(t: Turn): Promise<void> {
  const st = t.run;
  const pending = st.workers.some((w) => w.state === 'pending');
  if (!pending) {
    for (const w of current(st)) {
      if (w.state !== 'registered') continue;
      st.phase = t.p.phases.value[2]!;
      await dispatch(t, w);
    }
  }
  // The heartbeat also wakes the leader to pick up threads whose worktree is still pending.
  if ((pending || active(st).length > 0) && !st.heartbeat) await startPolling(t);
}

export async function dispatch(t: Turn, w: WorkerRecord): Promise<void> {
  const text = dispatchText(t, w);
  const r = await t.act(t.call('send_message_to_thread', { threadId: w.thread, prompt: text }), (r) => {
    if (!r.ok) return `${w.role}: dispatch failed (${r.error}); will retry on the next pass`;
    w.state = 'dispatched';
    w.dispatchedAt = t.ctx.now();
    w.quietSince = t.ctx.now();
    w.silent = 0;
    w.asked = false;
    w.seen = '';
    return `${w.role}: dispatched`;
  });
  if (!r.ok) await refusedForSize(t, w, 'dispatch', text, r.error);
  if (r.ok && w.n > 1) await announceReplacement(t, w);
}

/** S1: the team learns the replacement's thread id (every header is checked against the roster). */
async function announceReplacement(t: Turn, fresh: WorkerRecord): Promise<void> {
  const old = t.run.workers.filter((o) => o.role === fresh.role && o.state === 'replaced').at(-1);
  for (const o of active(t.run)) {
    if (o === fresh || !['dispatched', 'started', 'reported', 'rework'].includes(o.state)) continue;
    await t.act(t.send(o.thread, rosterUpdateText(fresh, old, rosterText(t))), () => `${o.role}: told that ${fresh.role} is now ${fresh.thread}`);
  }
}

export async function startPolling(t: Turn): Promise<void> {
  const st = t.run;
  st.phase = t.p.phases.value[3]!;
  if (!t.ctx.tools.includes('automation_update')) {
    st.next = 'no heartbeat tool: poll with wait_threads snapshots between turns';
    await t.save('no automation_update in this build: falling back to wait_threads with a timeout');
    return;
  }
  const create: InputOf<'automation_update'> = {
    mode: 'create',
    kind: 'heartbeat',
    destination: 'thread',
    name: 'thread-team poll',
    prompt: HEARTBEAT_PROMPT,
    rrule: t.p.heartbeat.value.rrule,
    status: 'ACTIVE',
  };
  // Without a heartbeat nothing may ever wake this thread again: a transient failure is retried.
  const r = await t.callRetried('automation_update', create);
  if (!r.ok) {
    await t.save(`heartbeat could not be created (${r.error}); will retry`);
    return;
  }
  // A create answers with a receipt (a view would list the automations instead).
  const receipt = r.payload;
  st.heartbeat = { id: typeof receipt.automationId === 'string' ? receipt.automationId : '', status: 'ACTIVE' };
  st.next = 'wait for heartbeats and worker messages';
  await t.save(`heartbeat ${st.heartbeat.id} every ${t.p.heartbeat.value.minutes} min`);
}

/** L2: the task is given up, with the reason the final report will give; whoever waited on it goes on. */
export async function exclude(t: Turn, w: WorkerRecord, why: string): Promise<void> {
  w.state = 'excluded';
  w.why = why;
  await t.save(`${w.role}: excluded: ${why}`);
  await unblockWaiters(t);
}

/** Whoever waits on a peer that is done, or that will never deliver, is told to go on. */
export async function unblockWaiters(t: Turn): Promise<void> {
  const st = t.run;
  for (const w of active(st)) {
    if (!w.waitingOn) continue;
    const peer = current(st).find((p) => p.role === w.waitingOn);
    if (peer && ['reported', 'merged'].includes(peer.state)) {
      await t.act(t.send(w.thread, peerDoneText(peer)), () => {
        w.waitingOn = '';
        w.silent = 0;
        return `${w.role}: told that ${peer.role} is done`;
      });
    } else if (!peer || ['excluded', 'stopped'].includes(peer.state)) {
      // The peer will never deliver: waiting on it would wait forever.
      const gone = w.waitingOn;
      await t.act(t.send(w.thread, peerGoneText(gone, peer?.why || 'dropped from the team')), () => {
        w.waitingOn = '';
        w.silent = 0;
        return `${w.role}: told that ${gone} will not deliver`;
      });
    }
  }
}

/** S1/S3: archive the worker and give its task to a fresh thread, branch and worktree. */
export async function replace(t: Turn, w: WorkerRecord, why: string): Promise<void> {
  if (replacement(w.n) === 'give-up') {
    // The task had its workers, each failed: stop replacing, archive, report it as not integrated.
    await t.archive(w.thread);
    await exclude(t, w, `${why}; gave up after ${w.n} workers`);
    return;
  }
  // Archive first: a role never has two live workers (J4). If it fails, try again next pass.
  const archived = await t.archive(w.thread);
  if (!archived.ok) {
    await t.save(`${w.role} #${w.n}: should be replaced (${why}) but archiving failed: ${archived.error}; will retry`);
    return;
  }
  w.state = 'replaced';
  w.why = why;
  await t.save(`${w.role} #${w.n}: archived ${w.thread}; replacing it: ${why}`);
  const fresh = newWorker(w.role, w.n + 1);
  t.run.workers.push(fresh);
  await createWorker(t, fresh);
  if (fresh.state === 'registered') await dispatch(t, fresh);
}

/**
 * R3: rework goes back to the owner as a scoped dispatch (the dispatch template again).
 * After the rounds that did not fix it, the task is excluded with the reason instead (L2).
 */
export async function rework(t: Turn, w: WorkerRecord, problems: readonly string[]): Promise<void> {
  if (reworkOrGiveUp(w.reworks) === 'give-up') {
    await exclude(t, w, `still not mergeable after ${w.reworks} reworks: ${problems.join('; ')}`);
    return;
  }
  const scope = reworkScope(t.area(w.role).scope, problems);
  await t.act(t.call('send_message_to_thread', { threadId: w.thread, prompt: dispatchText(t, w, scope) }), () => {
    w.state = 'rework';
    w.reworks++;
    w.silent = 0;
    w.asked = false;
    return `${w.role}: sent back for rework: ${problems.join('; ')}`;
  });
}
