import type { EventOf } from '../trace/events.ts';
import { after, type Checker, leaderBroke, type Violation } from './types.ts';
import type { TraceModel } from './model.ts';

// H1–H4: no leaked heartbeat, one per thread, no busy waiting, paused before merging.

type AutoState = Map<string, { thread: string; status: string; created: number }>;

/** The team's heartbeats as they stood just before event index `upTo`: its automation events replayed. */
export function automationsAt(m: TraceModel, upTo: number): AutoState {
  const s: AutoState = new Map();
  for (const e of m.ofKind('automation')) {
    if (e.i >= upTo) break;
    if (!m.isTeamThread(e.thread)) continue;
    if (e.op === 'create') s.set(e.id, { thread: e.thread, status: e.status, created: e.i });
    else if (e.op === 'update') {
      const a = s.get(e.id);
      if (a) a.status = e.status;
    } else if (e.op === 'delete') s.delete(e.id);
  }
  return s;
}

export const H1: Checker = {
  rule: 'H1',
  name: 'no-leak',
  kind: 'safety',
  check(m) {
    const ended = m.finalReport !== null || m.end !== null;
    if (!ended) return [];
    const left = automationsAt(m, m.endI + 1);
    const out: Violation[] = [];
    for (const [id, a] of left) {
      const fires = m
        .ofKind('automation')
        .filter((e) => e.id === id && e.op === 'fire' && after(e, m.endI))
        .map((e) => e.i);
      out.push(
        leaderBroke(
          'H1',
          `heartbeat ${id} on ${a.thread === m.leader ? 'the leader' : a.thread} was never deleted${fires.length ? ` and fired ${fires.length} time(s) after the run ended` : ''}`,
          [a.created, ...fires.slice(0, 3)],
        ),
      );
    }
    return out;
  },
};

export const H2: Checker = {
  rule: 'H2',
  name: 'one-heartbeat',
  kind: 'safety',
  check(m) {
    const out: Violation[] = [];
    const active = new Map<string, Set<string>>();
    for (const e of m.events) {
      if (e.kind === 'automation' && m.isTeamThread(e.thread)) {
        const set = active.get(e.thread) ?? new Set<string>();
        active.set(e.thread, set);
        // A firing changes nothing: the heartbeat stays as it was.
        if (e.op === 'fire') continue;
        if ((e.op === 'create' || e.op === 'update') && e.status === 'ACTIVE') set.add(e.id);
        else set.delete(e.id);
        if (set.size > 1) out.push(leaderBroke('H2', `${set.size} active heartbeats on one thread`, [e.i]));
      } else if (e.kind === 'tool.call' && e.thread === m.leader && e.tool === 'automation_update') {
        const a = e.args as { mode?: string; status?: string; targetThreadId?: string };
        const target = a.targetThreadId ?? m.leader;
        // The automation event of a successful create precedes its tool.call: do not count it.
        const made = e.ok ? (e.result as { automationId?: string }).automationId : undefined;
        const others = [...(active.get(target) ?? [])].filter((id) => id !== made);
        if (a.mode === 'create' && (a.status ?? 'ACTIVE') === 'ACTIVE' && others.length > 0) {
          out.push(leaderBroke('H2', `the leader tried to create a second active heartbeat for ${target === m.leader ? 'its own thread' : target}`, [e.i]));
        }
      }
    }
    return out;
  },
};

export const H3: Checker = {
  rule: 'H3',
  name: 'no-busy-wait',
  kind: 'safety',
  check(m) {
    const out: Violation[] = [];
    const hasHeartbeat = m.start.tools.includes('automation_update');
    // Polls count per wake: a turn's start, or input steered into it and taken in (a message that
    // reached the leader while its turn ran is new input, and reading the thread again answers it).
    const byWake = new Map<string, { turn: string; calls: EventOf<'tool.call'>[] }>();
    const steers = new Map<string, number>();
    for (const e of m.events) {
      // Stryker disable next-line ConditionalExpression,ArithmeticOperator: turn ids are unique across threads, and the count only has to differ from wake to wake
      if (e.kind === 'turn.steer' && e.thread === m.leader) steers.set(e.turn, (steers.get(e.turn) ?? 0) + 1);
      // A call the service refused is retried, not polled: only answered calls count.
      if (e.kind !== 'tool.call' || e.thread !== m.leader || !e.ok) continue;
      const key = `${e.turn}#${steers.get(e.turn) ?? 0}`;
      const wake = byWake.get(key) ?? { turn: e.turn, calls: [] };
      wake.calls.push(e);
      byWake.set(key, wake);
    }
    for (const { turn, calls } of byWake.values()) {
      const polls = new Map<string, number[]>();
      let blockedMs = 0;
      for (const c of calls) {
        if (c.tool === 'wait_threads') {
          const a = c.args as { targets?: { threadId: string }[]; timeoutMs?: number };
          for (const t of a.targets ?? []) polls.set(t.threadId, [...(polls.get(t.threadId) ?? []), c.i]);
          if (c.ok && (c.result as { timedOut?: boolean }).timedOut) blockedMs += a.timeoutMs ?? 0;
        } else if (c.tool === 'read_thread') {
          const id = (c.args as { threadId?: string }).threadId ?? '';
          polls.set(id, [...(polls.get(id) ?? []), c.i]);
        }
      }
      for (const [thread, idx] of polls) {
        if (idx.length > 2)
          out.push(leaderBroke('H3', `the leader polled ${thread} ${idx.length} times in one turn (${turn}) instead of ending the turn`, idx.slice(0, 4)));
      }
      if (hasHeartbeat && blockedMs > 2 * m.heartbeatMs) {
        out.push(
          leaderBroke(
            'H3',
            `the leader sat ${Math.round(blockedMs / 1000)} s in wait_threads in one turn (${turn}) although a heartbeat was available`,
            calls.map((c) => c.i).slice(0, 4),
          ),
        );
      }
    }
    return out;
  },
};

export const H4: Checker = {
  rule: 'H4',
  name: 'pause-before-merge',
  kind: 'safety',
  check(m) {
    const out: Violation[] = [];
    for (const e of m.leaderWs('merge')) {
      const on = [...automationsAt(m, e.i).entries()].filter(([, a]) => a.thread === m.leader && a.status === 'ACTIVE');
      if (on.length)
        out.push(
          leaderBroke('H4', `the leader merged with its heartbeat ${on.map(([id]) => id).join(', ')} still active`, [e.i, ...on.map(([, a]) => a.created)]),
        );
    }
    return out;
  },
};
