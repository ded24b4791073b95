import type { EventOf } from '../trace/events.ts';
import { after, before, type Checker, leaderBroke, workerBroke, type Violation } from './types.ts';
import type { TraceModel, WorkerInfo } from './model.ts';

// R1–R4: one merge at a time, each reviewed and tested; only the leader merges; rework goes
// to the owner; the merged whole is reviewed before the run is called complete.

/** Merges that took effect: clean ones, and conflicted ones finished with commitMerge. */
export function effectiveMerges(m: TraceModel): EventOf<'ws'>[] {
  const ws = m.leaderWs();
  return ws.filter((e, k) => {
    if (e.op !== 'merge' || !e.ok || e.dir !== m.root) return false;
    if (e.detail !== 'conflict') return e.detail !== 'up-to-date';
    const next = ws.slice(k + 1).find((x) => x.dir === m.root && (x.op === 'commitMerge' || x.op === 'abortMerge' || x.op === 'merge'));
    return next?.op === 'commitMerge';
  });
}

function ownerOf(m: TraceModel, branch: string | undefined): WorkerInfo | undefined {
  return [...m.workers.values()].find((w) => w.worktree?.branch === branch || w.dispatch?.branch === branch);
}

export const R1: Checker = {
  rule: 'R1',
  name: 'serial-merge',
  kind: 'safety',
  check(m) {
    const out: Violation[] = [];
    const merges = effectiveMerges(m);
    const ws = m.leaderWs();
    const report = m.start.profile.workerReportPath;
    merges.forEach((e, k) => {
      const prev = merges[k - 1];
      const next = merges[k + 1]?.i ?? m.events.length;
      const owner = ownerOf(m, e.ref);
      const since = ws.filter((x) => (!prev || after(x, prev)) && before(x, e));
      const reportName = report.split('/').at(-1)!;
      // Stryker disable next-line StringLiteral: a read always names its file, and no file is named like the default either
      const readReport = since.some((x) => x.op === 'readFile' && x.ok && (!owner || x.dir === owner.cwd) && (x.paths?.[0] ?? '').endsWith(reportName));
      const readDiff = since.some((x) => x.op === 'changedFiles' && x.ok);
      if (!readReport) out.push(leaderBroke('R1', `branch ${e.ref} was merged without reading its worker's report first`, [e.i]));
      if (!readDiff) out.push(leaderBroke('R1', `branch ${e.ref} was merged without reviewing its diff first`, [e.i]));
      const tested = ws.some((x) => x.op === 'run' && x.dir === m.root && after(x, e) && before(x, next));
      if (!tested)
        out.push(
          leaderBroke(
            'R1',
            `branch ${e.ref} was merged and ${merges[k + 1] ? `${merges[k + 1]!.ref} merged next` : 'the run went on'} without a build/test run in between`,
            [e.i, ...(merges[k + 1] ? [merges[k + 1]!.i] : [])],
          ),
        );
    });
    return out;
  },
};

export const R2: Checker = {
  rule: 'R2',
  name: 'only-leader-merges',
  kind: 'safety',
  check(m) {
    return m
      .ofKind('ws')
      .filter((e) => m.workers.has(e.actor) && e.ok && e.dir === m.root && ['merge', 'commitMerge', 'commitAll'].includes(e.op))
      .map((e) => workerBroke('R2', `worker ${m.workers.get(e.actor)!.role ?? e.actor} ran ${e.op} on the integration checkout`, [e.i]));
  },
};

export const R3: Checker = {
  rule: 'R3',
  name: 'rework-to-owner',
  kind: 'safety',
  check(m) {
    const out: Violation[] = [];
    for (const e of m.leaderWs()) {
      if (!e.ok || !['writeFile', 'removeFile', 'commitAll'].includes(e.op)) continue;
      const w = [...m.workers.values()].find((x) => x.cwd === e.dir && x.cwd !== m.root);
      if (!w) continue;
      const live = w.archivedAt === null || w.archivedAt > e.t;
      if (live)
        out.push(
          leaderBroke(
            'R3',
            `the leader changed ${e.paths?.join(', ') ?? 'files'} in the worktree of live worker ${w.role} instead of sending the rework to it`,
            [e.i],
          ),
        );
    }
    return out;
  },
};

export const R4: Checker = {
  rule: 'R4',
  name: 'reviewed-whole',
  kind: 'safety',
  check(m) {
    const fin = m.finalReport;
    if (fin?.outcome !== 'complete') return [];
    const merges = effectiveMerges(m);
    const last = merges.at(-1);
    if (!last) return [];
    const ws = m.leaderWs().filter((x) => after(x, last) && before(x, fin.ev));
    // The last merge's own test run does not count: the whole is reviewed (diffed) and then verified.
    const review = ws.find((x) => x.op === 'changedFiles' && x.ok);
    const verified = review && ws.some((x) => x.op === 'run' && x.dir === m.root && after(x, review));
    return verified
      ? []
      : [leaderBroke('R4', 'the run was reported complete without reviewing and verifying the merged whole after the last merge', [last.i, fin.ev.i])];
  },
};
