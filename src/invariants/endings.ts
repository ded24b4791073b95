import { after, before, type Checker, leaderBroke, type Violation } from './types.ts';
import { effectiveMerges } from './merges.ts';
import { automationsAt } from './heartbeats.ts';

// A1 teardown on cancel, L1 termination, L2 accounting, U1 status answers.

export const A1: Checker = {
  rule: 'A1',
  name: 'abort-teardown',
  kind: 'safety',
  check(m) {
    // The leader acts on a cancel in the turn that reads it; read after the final report, it
    // has nothing left to tear down.
    const readAt = (c: { i: number; text: string }) =>
      m.ofKind('turn.start').find((e) => e.thread === m.leader && after(e, c) && e.inputs.includes(c.text))?.i ?? c.i;
    const cancel = m
      .ofKind('user.input')
      .find((e) => e.thread === m.leader && e.intent === 'cancel' && (!m.finalReport || before(readAt(e), m.finalReport.ev)));
    if (!cancel) return [];
    const out: Violation[] = [];
    const read = readAt(cancel);
    const liveAt = [...m.workers.values()].filter(
      (w) => w.dispatches.length && before(w.dispatches[0]!, read) && (w.archived === null || after(w.archived, read)),
    );
    const merged = new Set(
      effectiveMerges(m)
        .filter((e) => before(e, read))
        .map((e) => e.ref),
    );
    const active = liveAt.filter(
      (w) =>
        !merged.has(
          w.worktree?.branch ??
            // Stryker disable next-line OptionalChaining: a worker live at the cancel has been dispatched, so it has its dispatch's assignment
            w.dispatch?.branch,
        ),
    );
    for (const w of active) {
      // An attempt the messaging service refused counts: the leader cannot do more than try.
      // Counted from the turn that read the cancel: a message sent before it (its dispatch, say) is no stop.
      const told =
        m.messages.some((x) => x.ev.from === m.leader && x.ev.to === w.thread && after(x.ev, read)) ||
        m.leaderTools('send_message_to_thread').some((c) => !c.ok && after(c, read) && (c.args as { threadId?: string }).threadId === w.thread);
      if (!told) out.push(leaderBroke('A1', `after the cancel, worker ${w.role} was never told to stop`, [cancel.i]));
      if (w.archived === null) out.push(leaderBroke('A1', `after the cancel, worker ${w.role} was never archived`, [cancel.i]));
    }
    for (const [id, a] of automationsAt(m, m.events.length))
      out.push(leaderBroke('A1', `after the cancel, heartbeat ${id} was never deleted`, [cancel.i, a.created]));
    const lastJournal = m.journalWrites().at(-1);
    // Stryker disable next-line StringLiteral: a journal write always carries its text, and any other default reads as no status too
    const state = lastJournal ? m.journalState(lastJournal.content ?? '') : null;
    if (state?.status !== 'aborted' || state.reason.length < 3)
      out.push(leaderBroke('A1', 'after the cancel, the journal was not marked aborted with a reason', [cancel.i, ...(lastJournal ? [lastJournal.i] : [])]));
    const fin = m.finalReport;
    const committed = new Set(
      m
        .ofKind('ws')
        .filter((e) => e.op === 'commitAll' && e.ok && e.sha)
        .map((e) => e.actor),
    );
    for (const w of active) {
      const branch =
        w.worktree?.branch ??
        // Stryker disable next-line OptionalChaining: an active worker has been dispatched, so it has its dispatch's assignment
        w.dispatch?.branch;
      if (!branch || !committed.has(w.thread)) continue;
      if (!fin?.ev.text.includes(branch))
        out.push(leaderBroke('A1', `unmerged branch ${branch} with commits was not reported after the cancel`, [cancel.i, ...(fin ? [fin.ev.i] : [])]));
    }
    return out;
  },
};

export const L1: Checker = {
  rule: 'L1',
  name: 'terminates',
  kind: 'liveness',
  check(m) {
    const end = m.end;
    if (!end) return [leaderBroke('L1', 'the trace has no run.end: the run did not finish', [m.events.length - 1])];
    if (end.outcome === 'stuck' || /horizon/.test(end.reason)) {
      return [leaderBroke('L1', `the run did not end with a final report or a clear answer (${end.outcome}: ${end.reason})`, [end.i])];
    }
    return [];
  },
};

export const L2: Checker = {
  rule: 'L2',
  name: 'accounted',
  kind: 'liveness',
  check(m) {
    const fin = m.finalReport;
    if (!fin) return [];
    const merged = new Set(effectiveMerges(m).map((e) => e.ref));
    const out: Violation[] = [];
    for (const [role, ws] of m.byRole()) {
      if (ws.some((w) => merged.has(w.worktree?.branch ?? w.dispatch?.branch))) continue;
      const reason = fin.excluded.get(role.toLowerCase());
      if (!reason || reason.length < 3) {
        out.push(leaderBroke('L2', `the task of ${role} was neither merged nor excluded with a reason in the final report`, [fin.ev.i]));
      }
    }
    return out;
  },
};

export const U1: Checker = {
  rule: 'U1',
  name: 'status',
  kind: 'safety',
  check(m) {
    const out: Violation[] = [];
    for (const q of m.ofKind('user.input').filter((e) => e.thread === m.leader && e.intent === 'status')) {
      const turn = m.ofKind('turn.start').find((e) => e.thread === m.leader && after(e, q) && e.inputs.includes(q.text));
      if (!turn) continue; // the run ended before the question was read
      const end = m.ofKind('turn.end').find((e) => e.turn === turn.turn);
      const said = m
        .ofKind('assistant.message')
        .filter((e) => e.thread === m.leader && after(e, turn) && (!end || before(e, end)))
        .map((e) => e.text);
      const answer = said.find((t) => /block/i.test(t) && /merge/i.test(t) && /next/i.test(t));
      // The workers live when the question came (all are archived by a run's end).
      const roles = [...m.workers.values()].filter((w) => w.role && w.createdAt <= q.t && (w.archivedAt === null || w.archivedAt > q.t)).map((w) => w.role!);
      if (!answer) out.push(leaderBroke('U1', 'a status question got no answer with roster, blockers, merge progress and next action', [q.i]));
      else {
        const missing = roles.filter((r) => !answer.includes(r));
        if (missing.length) out.push(leaderBroke('U1', `the status answer does not mention ${missing.join(', ')}`, [q.i]));
      }
    }
    return out;
  },
};
