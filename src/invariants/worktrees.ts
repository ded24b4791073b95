import { after, before, type Checker, leaderBroke, workerBroke, type Violation } from './types.ts';

// W1–W3: exclusive worktrees, made and journaled before dispatch, removed at the end.

const live = (w: { createdAt: number; archivedAt: number | null }, t: number) => w.createdAt <= t && (w.archivedAt === null || w.archivedAt > t);

export const W1: Checker = {
  rule: 'W1',
  name: 'exclusive-worktree',
  kind: 'safety',
  check(m) {
    const out: Violation[] = [];
    // A worker the host put in the leader's folder and that was never told its own has not worked.
    const ws = [...m.workers.values()].filter((w) => !w.placedByHost);
    for (const w of ws) {
      if (w.cwd === m.root) out.push(leaderBroke('W1', `worker ${w.role ?? w.thread} was given the leader's own checkout ${m.root}`, [w.created]));
    }
    // Stryker disable next-line EqualityOperator: at i = length the inner loop does not run, so < and <= agree
    for (let i = 0; i < ws.length; i++) {
      for (let j = i + 1; j < ws.length; j++) {
        const a = ws[i]!;
        const b = ws[j]!;
        if (a.cwd === b.cwd && live(a, b.createdAt)) {
          out.push(leaderBroke('W1', `workers ${a.role ?? a.thread} and ${b.role ?? b.thread} share the directory ${a.cwd}`, [a.created, b.created]));
        }
      }
    }
    for (const e of m.ofKind('ws')) {
      const w = m.workers.get(e.actor);
      if (!w || !e.ok || !e.dir || e.dir === w.cwd) continue;
      if (['writeFile', 'removeFile', 'commitAll', 'commitMerge', 'merge', 'run', 'checkout', 'discardChanges'].includes(e.op)) {
        out.push(workerBroke('W1', `worker ${w.role ?? w.thread} ran ${e.op} in ${e.dir}, outside its worktree ${w.cwd}`, [e.i]));
      }
    }
    return out;
  },
};

export const W2: Checker = {
  rule: 'W2',
  name: 'worktree-before-dispatch',
  kind: 'safety',
  check(m) {
    const out: Violation[] = [];
    const adds = m.ofKind('ws').filter((e) => e.op === 'worktreeAdd' && e.ok);
    const journal = m.journalWrites();
    for (const w of m.workers.values()) {
      const d = w.dispatches[0];
      if (d === undefined) continue;
      const exists = w.worktree !== null || adds.some((e) => e.dir === w.cwd && before(e, d));
      if (!exists) out.push(leaderBroke('W2', `worker ${w.role} was dispatched with no worktree of its own`, [w.created, d]));
      // Stryker disable next-line StringLiteral: a journal write always carries its text; no default contains a worktree path
      const journaled = journal.some((e) => after(e, w.created) && before(e, d) && (e.content ?? '').includes(w.cwd));
      if (!journaled) out.push(leaderBroke('W2', `worker ${w.role}'s worktree ${w.cwd} was not journaled before its dispatch`, [w.created, d]));
    }
    return out;
  },
};

export const W3: Checker = {
  rule: 'W3',
  name: 'worktree-cleanup',
  kind: 'safety',
  check(m) {
    if (!m.finalReport) return []; // judged at the end of a run that ended (L1 covers the rest)
    if (m.ofKind('user.input').some((e) => e.thread === m.leader && /keep the worktrees/i.test(e.text))) return [];
    const removed = new Set(
      m
        .ofKind('ws')
        .filter((e) => e.op === 'worktreeRemove' && e.ok && !after(e, m.endI))
        .map((e) => e.dir),
    );
    // A worktree a fault removed behind the leader's back is gone all the same.
    for (const f of m.ofKind('fault')) if (f.fault === 'remove-worktree') removed.add(f.detail);
    const mine = (actor: string) => actor === m.leader || actor === `codex-app:${m.leader}`;
    return m
      .ofKind('ws')
      .filter((e) => e.op === 'worktreeAdd' && e.ok && mine(e.actor) && !removed.has(e.dir))
      .map((e) => leaderBroke('W3', `the worktree ${e.dir} made for the run was not removed by its end`, [e.i, m.endI]));
  },
};
