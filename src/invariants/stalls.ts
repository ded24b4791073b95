import { AUTOMATION_TICK_MS as TICK } from '../contract/automation.ts';
import { after, before, type Checker, leaderBroke, type Violation } from './types.ts';
import type { TraceModel, WorkerInfo } from './model.ts';
import { effectiveMerges } from './merges.ts';

// S1–S3: replace workers that never start, never replace one that progresses, escalate a
// stall with a status request before replacing.

/** The worker that took over `w`'s role later; none for a worker whose role was never known. */
function successor(m: TraceModel, w: WorkerInfo): WorkerInfo | undefined {
  if (w.role === null) return undefined;
  return [...m.workers.values()].find((o) => o.role === w.role && o.created > w.created);
}

/** Virtual time skipped by clock jumps in [from, to]: no turn can happen inside a jump. */
function jumpedBetween(m: TraceModel, from: number, to: number): number {
  let skipped = 0;
  for (const f of m.ofKind('fault')) {
    if (f.fault !== 'clock-jump' || f.t < from || f.t > to + skipped) continue;
    skipped += Number(/\+(\d+) ms/.exec(f.detail)?.[1] ?? 0);
  }
  return skipped;
}

export const S1: Checker = {
  rule: 'S1',
  name: 'startup-replace',
  kind: 'safety',
  check(m) {
    const out: Violation[] = [];
    const window = m.start.profile.startupWindowMinutes * 60_000;
    const slack = 2 * m.heartbeatMs + TICK + 60_000;
    for (const w of m.workers.values()) {
      const d = w.dispatches[0];
      if (d === undefined || w.incapacitatedAt !== null) continue;
      const td = m.events[d]!.t;
      const deadline = td + window + slack + jumpedBetween(m, td, td + window + slack);
      // Any response before the leader could have judged it (however late) means it started.
      if (w.respondedAt !== null && w.respondedAt <= deadline) continue;
      // "While others started": team members still live when the window closed, not ones replaced long before.
      const othersStarted = [...m.workers.values()].some(
        (o) =>
          o.respondedAt !== null &&
          o.respondedAt <= deadline &&
          (o.archivedAt === null || o.archivedAt > td + window) &&
          // Stryker disable next-line ConditionalExpression: w itself had no response by the deadline (checked above), so it fails the conditions before this one anyway
          o !== w,
      );
      const cancelled = m.ofKind('user.input').some((e) => e.thread === m.leader && e.intent === 'cancel' && e.t <= deadline);
      if (!othersStarted || cancelled || m.endT <= deadline) continue;
      const next = successor(m, w);
      // Giving up on a task after failed workers is allowed, if it is archived and reported (L2).
      // Stryker disable next-line StringLiteral: a worker with no known role is in no report's list, whatever stands in for it
      const givenUp = !next && w.archivedAt !== null && w.archivedAt <= deadline && (m.finalReport?.excluded.has((w.role ?? '').toLowerCase()) ?? false);
      if (givenUp) continue;
      if (w.archivedAt === null || w.archivedAt > deadline || !next) {
        out.push(
          leaderBroke(
            'S1',
            `worker ${w.role} showed no response ${Math.round((deadline - td) / 60_000)} min after its dispatch and was not archived and replaced`,
            [d],
          ),
        );
        continue;
      }
      if (
        next.dispatch?.scope !==
        // Stryker disable next-line OptionalChaining: w has been dispatched (d above), so it has its dispatch's assignment
        w.dispatch?.scope
      )
        out.push(
          leaderBroke('S1', `the replacement for ${w.role} did not get the same dispatch`, [
            d,
            ...(next.dispatches[0] !== undefined ? [next.dispatches[0]] : []),
          ]),
        );
      // The workers still active when the replacement came: not archived (all are by a run's
      // end) nor retired in the same leader turn (replaced in the same pass, as a stalled or
      // fallen worker is: its replacement's dispatch carries the roster), and their work not
      // merged yet (a merged worker has no one left to talk to).
      const turnEnd = m.events.findIndex((e) => e.i > next.created && e.kind === 'turn.end' && e.thread === m.leader);
      const merged = new Set(
        effectiveMerges(m)
          .filter((e) => before(e.i, next.created))
          .map((e) => e.ref),
      );
      const others = [...m.workers.values()].filter(
        (o) =>
          o !== w &&
          // Stryker disable next-line ConditionalExpression: the replacement's own dispatch comes after its creation, so it is never among the untold
          o !== next &&
          o.dispatches.length &&
          (o.archived === null || (turnEnd >= 0 && after(o.archived, turnEnd))) &&
          !(o.worktree && merged.has(o.worktree.branch)),
      );
      const told = (o: WorkerInfo) =>
        m.messages.some((x) => x.ev.from === m.leader && x.ev.to === o.thread && after(x.ev, next.created) && x.ev.text.includes(next.thread));
      const untold = others.filter((o) => !told(o) && before(o.dispatches[0]!, next.created));
      if (untold.length)
        out.push(leaderBroke('S1', `the replacement of ${w.role} was not broadcast to ${untold.map((o) => o.role).join(', ')}`, [next.created]));
    }
    return out;
  },
};

export const S2: Checker = {
  rule: 'S2',
  name: 'never-replace-progress',
  kind: 'safety',
  check(m) {
    const out: Violation[] = [];
    const quiet = m.start.profile.stallPasses * m.heartbeatMs;
    for (const w of m.workers.values()) {
      // Stryker disable next-line ConditionalExpression: with no archive time nothing is "before" it (t <= null is false), so no progress counts either way
      if (w.archivedAt === null || !successor(m, w)) continue;
      if (w.incapacitatedAt !== null && w.incapacitatedAt <= w.archivedAt) continue;
      const recent = w.activity.filter((i) => {
        const t = m.events[i]!.t;
        return t <= w.archivedAt! && t > w.archivedAt! - quiet;
      });
      if (recent.length)
        out.push(
          leaderBroke('S2', `worker ${w.role} was replaced although it showed progress in the ${m.start.profile.stallPasses} heartbeat passes before`, [
            ...recent.slice(-2),
            w.archived!,
          ]),
        );
    }
    return out;
  },
};

export const S3: Checker = {
  rule: 'S3',
  name: 'stall-escalation',
  kind: 'safety',
  check(m) {
    const out: Violation[] = [];
    for (const w of m.workers.values()) {
      // Replacing a started worker: a status request must have come at least a pass before.
      if (
        // Stryker disable next-line ConditionalExpression: with no archive, respondedAt <= null holds only for a response at time 0, and no worker answers before it exists
        w.archivedAt !== null &&
        successor(m, w) &&
        w.respondedAt !== null &&
        w.respondedAt <= w.archivedAt &&
        (w.incapacitatedAt === null || w.incapacitatedAt > w.archivedAt)
      ) {
        const asked = m.messages.some(
          (x) => x.ev.from === m.leader && x.ev.to === w.thread && x.kind === 'other' && x.ev.t <= w.archivedAt! - m.heartbeatMs + TICK,
        );
        if (!asked) out.push(leaderBroke('S3', `started worker ${w.role} was replaced without a status request a heartbeat pass earlier`, [w.archived!]));
      }
    }
    return out;
  },
};
