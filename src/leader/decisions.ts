// The leader's judgements as pure functions of what it knows: no tool call, no workspace, no
// clock. The turn code gathers the facts, asks here, and acts; test/leader-decisions.test.ts
// holds each decision to a table.

import type { UserIntent } from './messages.ts';
import { NO_START_GRACE_WINDOWS, NUDGES_BEFORE_REDISPATCH, REWORK_ROUNDS, WORKERS_PER_TASK } from './policy.ts';
import type { RunStatus, WorkerRecord } from './state.ts';

const TERMINAL: ReadonlySet<string> = new Set(['complete', 'aborted', 'declined']);

/** A run that is over: nothing more happens in it but answering the user. */
export function finished(status: string): boolean {
  return TERMINAL.has(status);
}

/** What a turn is about. */
export type Route =
  | 'analyse' // no run (or a finished one) and a new task
  | 'idle-status' // a finished run, asked for its status
  | 'nothing-to-cancel' // a finished run, asked to cancel
  | 'idle' // nothing to do
  | 'decline' // the user said no to the proposed team
  | 'confirm' // the user said yes
  | 'await-answer' // a proposal is out and the user has not answered it
  | 'finish-abort' // a cancel is being carried out
  | 'cancel' // the user cancels a running team
  | 'work'; // a running team: signals, polling, merges

export interface Routing {
  route: Route;
  /** Heartbeats that woke a finished run: orphans, to delete. */
  deleteOrphans: boolean;
  /** A running team asked for its status: answered whatever else the turn does (U1). */
  answerStatus: boolean;
}

/** The router: the journal's status (null without one) and what arrived decide the turn. */
export function route(status: RunStatus | null, intents: readonly UserIntent[], heartbeats: number): Routing {
  const has = (i: UserIntent) => intents.includes(i);
  const over = status === null || finished(status);
  const routing = (r: Route, answerStatus = false): Routing => ({ route: r, deleteOrphans: status !== null && over && heartbeats > 0, answerStatus });
  if (over) {
    if (has('task')) return routing('analyse');
    if (status !== null && has('status')) return routing('idle-status');
    if (status !== null && has('cancel')) return routing('nothing-to-cancel');
    return routing('idle');
  }
  if (status === 'awaiting-confirmation') {
    const answer = intents.find((i) => i === 'confirm' || i === 'decline');
    return routing(answer === 'decline' ? 'decline' : answer === 'confirm' ? 'confirm' : 'await-answer');
  }
  const answerStatus = has('status');
  if (status === 'aborting') return routing('finish-abort', answerStatus);
  if (has('cancel')) return routing('cancel', answerStatus);
  return routing('work', answerStatus);
}

/** The settings the user's answer changes: `model X`, `thinking Y` (any case), keeping the worktrees. */
export function confirmation(answer: string): { model?: string; thinking?: string; keepWorktrees: boolean } {
  const model = /\bmodel\s+([\w.:-]+)/i.exec(answer)?.[1];
  // The tools take the level in lower case; a user may write `High`.
  const thinking = /\bthinking\s+(low|medium|high|xhigh|max|ultra)\b/i.exec(answer)?.[1]?.toLowerCase();
  return { ...(model ? { model } : {}), ...(thinking ? { thinking } : {}), keepWorktrees: /keep the worktrees/i.test(answer) };
}

/** Whether a dispatched worker that shows no response has been given long enough (S1); never forever (L1). */
export function startupExpired(waitedMs: number, windowMs: number, anyStarted: boolean): boolean {
  return waitedMs > NO_START_GRACE_WINDOWS * windowMs || (waitedMs > windowMs && anyStarted);
}

/** Notes written or the branch moved since the base: a worker's files show it started. */
export function showsWork(w: Pick<WorkerRecord, 'base'>, sig: string | null): sig is string {
  return sig !== null && sig !== `0:${w.base.slice(0, 12)}`;
}

/**
 * Whether a worker answered its dispatch, from its thread's turns (newest first): anything it
 * did in or after the turn that received the dispatch. A dispatch not on the page is older than
 * it (the newer turns show whether the worker acts), or not delivered yet when the page is the
 * whole history (`older` false).
 */
export function respondedToDispatch(turns: { items: { type: string; text?: string }[] }[], older: boolean, isDispatch: (text: string) => boolean): boolean {
  let after = false;
  for (const turn of turns) {
    const i = turn.items.findIndex((it) => it.type === 'userMessage' && isDispatch(it.text ?? ''));
    const from = i >= 0 ? i + 1 : 0;
    if (turn.items.slice(from).some((it) => it.type !== 'userMessage')) after = true;
    if (i >= 0) return after;
  }
  return older && after;
}

/** One heartbeat pass over a started worker: it progressed, it is excused (or this is no pass), or the pass counts. */
export function stallPass(f: { progressed: boolean; excused: boolean; pass: boolean }): 'progress' | 'skip' | 'count' {
  if (f.progressed) return 'progress';
  return f.excused || !f.pass ? 'skip' : 'count';
}

export type StallVerdict =
  | 'wait' // the stall passes are not up yet
  | 'ask' // ask for one status line
  | 'hold' // asked; the answer's interval is not over
  | 'redispatch' // answers but does nothing: its task again, once
  | 'replace-idle' // answers but does nothing, after its task was sent again
  | 'replace-unanswered' // silent, and no answer to the status request
  | 'replace-unasked'; // (a defect) replaced without a status request

/**
 * S3's ladder for a worker silent for `quiet` passes: wait until the stall passes are up, then
 * ask for status; a full interval after an unanswered request, replace. A worker that answers
 * but does nothing is sent its task again once, then replaced. `askFirst` false (a defect)
 * replaces without asking; `patient` false (a defect) does not wait for the passes.
 */
export function stallVerdict(f: {
  quiet: number;
  passes: number;
  nudges: number;
  reworks: number;
  asked: boolean;
  sinceAskedMs: number;
  intervalMs: number;
  askFirst?: boolean;
  patient?: boolean;
}): StallVerdict {
  const patient = f.patient ?? true;
  if (f.quiet < f.passes && patient) return 'wait';
  if (f.askFirst === false) return 'replace-unasked';
  if (f.nudges >= NUDGES_BEFORE_REDISPATCH) return f.reworks === 0 ? 'redispatch' : 'replace-idle';
  if (!f.asked) return 'ask';
  if ((f.quiet >= f.passes + 1 && f.sinceAskedMs >= f.intervalMs) || !patient) return 'replace-unanswered';
  return 'hold';
}

/** Passes of silence that count: passes seen and whole intervals of time, the fewer (a clock jump bunches passes). */
export function quietPasses(silent: number, quietMs: number, intervalMs: number): number {
  return Math.min(silent, Math.floor(quietMs / intervalMs));
}

/** A failed worker is replaced by a fresh one, until the task has had its workers (L2). */
export function replacement(n: number): 'replace' | 'give-up' {
  return n >= WORKERS_PER_TASK ? 'give-up' : 'replace';
}

/** Review findings go back as rework, until the task has had its rounds (L2). */
export function reworkOrGiveUp(reworks: number): 'rework' | 'give-up' {
  return reworks >= REWORK_ROUNDS ? 'give-up' : 'rework';
}

/** The announced length of a long command in a status line (`about N min`), which excuses silence until then. */
export function announcedMinutes(text: string): number | null {
  const m = /about (\d+) min/i.exec(text);
  return m ? Number(m[1]) : null;
}

/** Who a blocked worker waits on: the role it names, and that role if it is a current peer. */
export function blockedOn(reason: string, self: string, roles: readonly string[]): { named: string; peer: string } {
  const named = /waiting on (?:peer )?([a-z][a-z0-9-]*)/i.exec(reason)?.[1] ?? '';
  return { named, peer: named && named !== self && roles.includes(named) ? named : '' };
}

/** The roles around a circle of waits that starts at worker `start`, or null. */
export function waitCycle(workers: readonly Pick<WorkerRecord, 'role' | 'waitingOn'>[], start: Pick<WorkerRecord, 'role' | 'waitingOn'>): string[] | null {
  const byRole = new Map(workers.map((x) => [x.role, x]));
  const path = [start.role];
  let at = start.waitingOn;
  while (at && path.length <= byRole.size) {
    if (at === start.role) return [...path, at];
    path.push(at);
    at = byRole.get(at)?.waitingOn ?? '';
  }
  return null;
}

/** A task still in a worker's hands (or on its way to one): the run cannot finish yet. */
export function unsettled(w: Pick<WorkerRecord, 'state'>): boolean {
  return ['pending', 'created', 'registered', 'dispatched', 'started', 'rework'].includes(w.state);
}

/** When to merge: once every task is settled, the reported ones in roster order; with none, the run is done. */
export function mergeGate<W extends Pick<WorkerRecord, 'state'>>(current: readonly W[]): { kind: 'wait' } | { kind: 'finish' } | { kind: 'merge'; ready: W[] } {
  const ready = current.filter((w) => w.state === 'reported');
  const outstanding = current.filter(unsettled);
  if (outstanding.length > 0) return { kind: 'wait' };
  return ready.length ? { kind: 'merge', ready } : { kind: 'finish' };
}

/** What a review of a reported branch found, from the facts gathered (each is one finding, in this order). */
export function reviewFindings(f: {
  /** False when the report was not read at all (a defect). */
  reportRead: boolean;
  report: { failed?: boolean } | null;
  reportPath: string;
  branch: string;
  /** The branch tip; null when the branch is gone. */
  tip: string | null;
  reported: string;
  base: string;
  /** Paths changed between the base and the tip (empty when there is no commit beyond the base). */
  changed: readonly string[];
  mayTouch: readonly string[];
}): string[] {
  const problems: string[] = [];
  if (f.reportRead && !f.report) problems.push(`no readable report at ${f.reportPath}`);
  if (f.tip === null) problems.push(`branch ${f.branch} is gone`);
  const tip = f.tip ?? '';
  if (tip && f.reported && tip !== f.reported) problems.push(`branch tip ${tip.slice(0, 12)} is not the reported commit ${f.reported.slice(0, 12)}`);
  if (tip && tip === f.base) problems.push('no commit on the branch beyond the base commit');
  const outside = f.changed.filter((p) => !f.mayTouch.includes(p));
  if (outside.length) problems.push(`changes outside the files you own: ${outside.join(', ')}`);
  if (f.changed.some((p) => p.startsWith('.thread-team/'))) problems.push('.thread-team/ was committed');
  if (f.report?.failed) problems.push('your verification failed');
  return problems;
}
