import { after, before, type Checker, leaderBroke, workerBroke, MUTATING_TOOLS, MUTATING_WS, type Violation } from './types.ts';
import type { TraceModel } from './model.ts';
import type { TraceEvent } from '../trace/events.ts';

// J1–J5: journal after every change, keyed by the leader's id, excluded from git, the basis
// of recovery, and never touching another run's journal.

/** The leader's acts that change the world: the points J1 puts a journal write between. */
export function outwardActions(m: TraceModel): TraceEvent[] {
  return m.events.filter((e) => {
    if (e.kind === 'tool.call' && e.thread === m.leader && e.ok) {
      if (MUTATING_TOOLS.has(e.tool)) return true;
      if (e.tool === 'automation_update') return (e.args as { mode?: string }).mode !== 'view';
    }
    // A merge of a branch already in (`up-to-date`) changes nothing: a leader that lost its
    // context between a merge and its journal write redoes it as it recovers, and that is
    // not a new change the journal missed.
    if (e.kind === 'ws' && e.op === 'merge' && e.detail === 'up-to-date') return false;
    return e.kind === 'ws' && e.actor === m.leader && e.ok && MUTATING_WS.has(e.op);
  });
}

export const J1: Checker = {
  rule: 'J1',
  name: 'journal-after-change',
  kind: 'safety',
  check(m) {
    const acts = outwardActions(m);
    const writes = m.journalWrites().map((e) => e.i);
    const out: Violation[] = [];
    // Up to the next act, or the end of the run's work: a write after the final report is too late.
    const between = (a: number, b: number) => writes.some((w) => after(w, a) && w < b);
    for (let k = 0; k < acts.length; k++) {
      const a = acts[k]!;
      const next = acts[k + 1];
      const limit = next ? next.i : m.endI + 1;
      if (!between(a.i, limit)) {
        const what = a.kind === 'tool.call' ? a.tool : a.kind === 'ws' ? a.op : a.kind;
        out.push(
          leaderBroke('J1', `no journal write after ${what} before the leader's ${next ? 'next outward action' : 'run ended'}`, [
            a.i,
            ...(next ? [next.i] : []),
          ]),
        );
      }
    }
    return out;
  },
};

export const J2: Checker = {
  rule: 'J2',
  name: 'journal-isolated',
  kind: 'safety',
  check(m) {
    const out: Violation[] = [];
    for (const e of m.leaderWs()) {
      if (!['writeFile', 'removeFile'].includes(e.op) || !e.ok) continue;
      // Stryker disable next-line StringLiteral: no default path is a journal path
      const p = e.paths?.[0] ?? '';
      const hit = m.journalRe.exec(p);
      if (hit && hit[1] !== m.leader) out.push(leaderBroke('J2', `the leader wrote ${p}, a journal not keyed by its own thread id`, [e.i]));
    }
    return out;
  },
};

export const J3: Checker = {
  rule: 'J3',
  name: 'journal-excluded',
  kind: 'safety',
  check(m) {
    const out: Violation[] = [];
    const first = m.journalWrites()[0];
    if (first) {
      // Stryker disable next-line StringLiteral: an exclusion always names its pattern, and no default matches
      const excluded = m.leaderWs('addExclude').some((e) => e.ok && before(e, first) && /^\/?\.thread-team\/?\*{0,2}$/.test(e.detail ?? ''));
      if (!excluded) out.push(leaderBroke('J3', '.thread-team/ was not git-excluded before the first journal write', [first.i]));
    }
    for (const e of m.ofKind('ws')) {
      if ((e.op === 'commitAll' || e.op === 'commitMerge') && e.ok && e.paths?.some((p) => p.startsWith('.thread-team/'))) {
        const message = `a commit in ${e.dir} carried ${e.paths.filter((p) => p.startsWith('.thread-team/')).join(', ')}`;
        out.push(m.workers.has(e.actor) ? workerBroke('J3', message, [e.i]) : leaderBroke('J3', message, [e.i]));
      }
    }
    return out;
  },
};

export const J4: Checker = {
  rule: 'J4',
  name: 'recover-from-journal',
  kind: 'safety',
  check(m) {
    const out: Violation[] = [];
    // After a context loss, the first thing the leader does is read its journal.
    for (const f of m.ofKind('fault').filter((e) => e.fault === 'context-loss')) {
      const first = m.events.find((e) => after(e, f) && ((e.kind === 'tool.call' && e.thread === m.leader) || (e.kind === 'ws' && e.actor === m.leader)));
      if (first && !(first.kind === 'ws' && first.op === 'readFile' && first.paths?.[0] === m.journalPath)) {
        out.push(leaderBroke('J4', 'after losing its context the leader acted before rereading its journal', [f.i, first.i]));
      }
    }
    // No branch merged twice.
    const merged = new Map<string, number>();
    // Stryker disable next-line StringLiteral: only a merge reports "merged" or "fast-forward"
    for (const e of m.leaderWs('merge')) {
      // Stryker disable next-line StringLiteral: git always says how a merge went, and no default is a way it went
      if (!e.ok || !e.ref || !['merged', 'fast-forward'].includes(e.detail ?? '')) continue;
      const prev = merged.get(e.ref);
      if (prev !== undefined) out.push(leaderBroke('J4', `branch ${e.ref} was merged twice`, [prev, e.i]));
      merged.set(e.ref, e.i);
    }
    // No second live worker for one role.
    for (const [role, ws] of m.byRole()) {
      for (let i = 1; i < ws.length; i++) {
        const prev = ws[i - 1]!;
        const cur = ws[i]!;
        if (prev.archivedAt === null || after(prev.archived!, cur.created)) {
          out.push(leaderBroke('J4', `role ${role} got a second worker while the first was still live`, [prev.created, cur.created]));
        }
      }
    }
    return out;
  },
};

export const J5: Checker = {
  rule: 'J5',
  name: 'foreign-runs',
  kind: 'safety',
  check(m) {
    const out: Violation[] = [];
    const foreign = new Map<string, number>();
    for (const e of m.ofKind('ws')) {
      if (e.actor !== 'setup' || e.op !== 'writeFile') continue;
      // Stryker disable next-line StringLiteral: no default path is a journal path
      const hit = m.journalRe.exec(e.paths?.[0] ?? '');
      if (!hit || hit[1] === m.leader) continue;
      // Stryker disable next-line StringLiteral: a journal write always carries its text, and no default has a status
      const { status } = m.journalState(e.content ?? '');
      if (status !== 'complete' && status !== 'aborted') foreign.set(hit[1]!, e.i);
    }
    for (const e of m.leaderWs()) {
      if (!['writeFile', 'removeFile'].includes(e.op)) continue;
      // Stryker disable next-line StringLiteral: no default path is a journal path or a run's folder
      const hit = m.journalRe.exec(e.paths?.[0] ?? '') ?? /^\.thread-team\/([^/]+)\//.exec(e.paths?.[0] ?? '');
      if (hit && foreign.has(hit[1]!))
        out.push(leaderBroke('J5', `the leader touched ${e.paths![0]}, another leader's unfinished run`, [foreign.get(hit[1]!)!, e.i]));
    }
    const firstWrite = m.journalWrites()[0];
    if (firstWrite && foreign.size) {
      const turnEnd = m.ofKind('turn.end').find((e) => e.thread === m.leader && after(e, firstWrite));
      const said = m.ofKind('assistant.message').filter((e) => e.thread === m.leader && (!turnEnd || before(e, turnEnd)));
      for (const [id, at] of foreign) {
        if (!said.some((e) => e.text.includes(id)))
          out.push(leaderBroke('J5', `the unfinished run of leader ${id} was not reported when this run started`, [at, firstWrite.i]));
      }
    }
    return out;
  },
};
