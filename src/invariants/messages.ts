import { recognise, rosterOf } from '../skill/views.ts';
import { after, type Checker, leaderBroke, workerBroke, type Violation } from './types.ts';

// M1–M6: headers, registration first, complete dispatches, signals not payloads, peer scope,
// read economy.

export const M1: Checker = {
  rule: 'M1',
  name: 'header',
  kind: 'safety',
  check(m) {
    const out: Violation[] = [];
    for (const { ev } of m.messages) {
      const fromLeader = ev.from === m.leader;
      const w = m.workers.get(ev.from);
      if (!fromLeader && !w) continue;
      const h = m.header(ev.text);
      const who = fromLeader ? 'the leader' : `worker ${w!.role ?? ev.from}`;
      const broke = fromLeader ? leaderBroke : workerBroke;
      if (!h) out.push(broke('M1', `${who} sent a message without the From: header`, [ev.i]));
      else if (h.threadId !== ev.from) out.push(broke('M1', `${who}'s header claims thread ${h.threadId}, but it came from ${ev.from}`, [ev.i]));
      else if (!fromLeader && w!.role && h.role !== w!.role) out.push(broke('M1', `${who}'s header names the role ${h.role}`, [ev.i]));
    }
    return out;
  },
};

export const M2: Checker = {
  rule: 'M2',
  name: 'registration-first',
  kind: 'safety',
  check(m) {
    const out: Violation[] = [];
    for (const w of m.workers.values()) {
      const d = w.dispatches[0];
      if (d === undefined) continue;
      const r = w.registrations[0];
      if (r === undefined || after(r, d))
        out.push(
          leaderBroke('M2', `worker ${w.role} got its dispatch ${r === undefined ? 'with no registration' : 'before its registration'}`, [
            d,
            ...(r !== undefined ? [r] : []),
          ]),
        );
    }
    return out;
  },
};

export const M3: Checker = {
  rule: 'M3',
  name: 'dispatch-complete',
  kind: 'safety',
  check(m) {
    const out: Violation[] = [];
    for (const msg of m.messages) {
      if (msg.ev.from !== m.leader || (msg.kind !== 'dispatch' && msg.kind !== 'registration')) continue;
      const r = msg.reading!;
      // Every hole the form has must be filled (a dispatch's report format carries the report template, holes and all).
      const left = r.unfilled.filter((u) => u.slot !== 'report-format');
      const holes = [...new Set(left.map((u) => u.name))];
      if (holes.length)
        out.push(
          leaderBroke(
            'M3',
            `a ${msg.kind} went out with ${holes.length > 1 ? 'holes' : 'the hole'} ${holes.map((h) => `<${h}>`).join(', ')} unfilled or empty`,
            [msg.ev.i],
          ),
        );
      if (r.missing.length) out.push(leaderBroke('M3', `a ${msg.kind} went out without ${r.missing.map((x) => x.what).join(', ')}`, [msg.ev.i]));
      if (msg.kind === 'dispatch') {
        // The roster names every live worker and the leader, with thread ids.
        const roster = new Set(rosterOf(r).map((e) => e.threadId));
        const missing = [...m.workers.values()].filter(
          (w) => w.role && w.dispatches.length && w.createdAt <= msg.ev.t && (w.archivedAt === null || w.archivedAt > msg.ev.t) && !roster.has(w.thread),
        );
        if (!roster.has(m.leader)) out.push(leaderBroke('M3', 'a dispatch roster does not name the leader', [msg.ev.i]));
        if (missing.length) out.push(leaderBroke('M3', `a dispatch roster misses ${missing.map((w) => w.role).join(', ')}`, [msg.ev.i]));
      }
    }
    // A worker that was registered and kept getting leader messages but never a dispatch it can read.
    for (const w of m.workers.values()) {
      if (w.registrations.length && !w.dispatches.length) {
        const others = m.messages.filter((x) => x.ev.from === m.leader && x.ev.to === w.thread && x.kind === 'other' && after(x.ev, w.registrations[0]!));
        const long = others.find((x) => x.ev.text.length > 400);
        if (long) out.push(leaderBroke('M3', `worker ${w.role} got a task that is not the dispatch template sent verbatim`, [long.ev.i]));
      }
    }
    return out;
  },
};

export const M4: Checker = {
  rule: 'M4',
  name: 'signals-not-payloads',
  kind: 'safety',
  check(m) {
    const limit = m.start.profile.messageLimit;
    const out: Violation[] = [];
    for (const msg of m.messages) {
      // A registration or dispatch may be long; what it carries beyond its template may not.
      const payload = msg.reading ? msg.reading.extra : msg.ev.text;
      const fromLeader = msg.ev.from === m.leader;
      const w = m.workers.get(msg.ev.from);
      if (!fromLeader && !w) continue;
      const who = fromLeader ? 'the leader' : `worker ${w!.role}`;
      let text: string | null = null;
      if (payload.length > limit)
        text = `${who} sent ${msg.reading ? `a ${msg.kind} carrying ${payload.length} characters beyond its template` : `a ${payload.length}-character message`} (limit ${limit}): a payload, not a signal`;
      else if (recognise(m.forms, payload, ['report'])) text = `${who} pasted a worker report into a message: reports travel as files`;
      if (!text) continue;
      out.push(fromLeader ? leaderBroke('M4', text, [msg.ev.i]) : workerBroke('M4', text, [msg.ev.i]));
    }
    return out;
  },
};

export const M5: Checker = {
  rule: 'M5',
  name: 'peer-scope',
  kind: 'safety',
  check(m) {
    const out: Violation[] = [];
    for (const { ev } of m.messages) {
      const w = m.workers.get(ev.from);
      if (!w || ev.to === m.leader) continue;
      // Stryker disable next-line ArrayDeclaration: peers are roles, and no worker's role is the default's string
      const peers = new Set(w.dispatch?.collaborators ?? []);
      // Stryker disable next-line ArrayDeclaration: a string has no role, so a default entry allows no thread either
      const roster = w.dispatch?.roster ?? [];
      const allowed = roster.filter((r) => peers.has(r.role)).map((r) => r.threadId);
      const target = m.workers.get(ev.to);
      const byRole = target?.role && peers.has(target.role);
      if (!allowed.includes(ev.to) && !byRole)
        out.push(workerBroke('M5', `worker ${w.role} messaged ${target?.role ?? ev.to}, which its dispatch does not name as a collaborator`, [ev.i]));
    }
    return out;
  },
};

export const M6: Checker = {
  rule: 'M6',
  name: 'read-economy',
  kind: 'safety',
  check(m) {
    const out: Violation[] = [];
    const seenAfterResponse = new Set<string>();
    const interval = m.heartbeatMs;
    // A failed read puts nothing in the leader's context: only successful reads count.
    for (const e of m.leaderTools('read_thread').filter((x) => x.ok)) {
      // Stryker disable next-line StringLiteral: a read always names its thread, and no worker's thread id is the default
      const id = (e.args as { threadId?: string }).threadId ?? '';
      const w = m.workers.get(id);
      if (!w) continue;
      // Startup gate: reads until (and including the first one after) the worker responded.
      if (w.respondedAt === null || e.t <= w.respondedAt) continue;
      if (!seenAfterResponse.has(id)) {
        seenAfterResponse.add(id);
        continue;
      }
      // A suspected stall: the leader asked this worker for status recently.
      const asked = m.messages.some((x) => x.ev.from === m.leader && x.ev.to === id && x.kind === 'other' && x.ev.t <= e.t && e.t - x.ev.t <= 3 * interval);
      // An ambiguous message: one from this thread whose header did not check out.
      // (Timed from its arrival: a delayed message is new to the leader when it lands.)
      const ambiguous = m.messages.some((x) => {
        const at = m.deliveredAt.get(x.ev.msg);
        const t = at === undefined ? null : m.events[at]!.t;
        return x.ev.from === id && x.ev.to === m.leader && t !== null && t <= e.t && e.t - t <= 2 * interval && m.header(x.ev.text)?.threadId !== id;
      });
      if (!asked && !ambiguous)
        out.push(
          leaderBroke('M6', `read_thread on worker ${w.role}, which had started and was neither suspected of stalling nor ambiguous: a routine read`, [e.i]),
        );
    }
    return out;
  },
};
