// The clause table: every rule split into its clauses, each with one minimal broken trace
// (a sound catalogue trace changed by one edit) that the clause catches, and the sentence it
// must say. Some clauses also have a "holds" trace: a near miss the clause must not flag,
// which pins the boundary of a window or a condition. The invariants' README carries this
// table in words; test/clauses.test.ts checks the two agree.

import { TraceModel } from '../../src/invariants/model.ts';
import type { RuleId } from '../../src/invariants/types.ts';
import type { EventOf, TraceBody, TraceEvent } from '../../src/trace/events.ts';
import { sound, type SoundName } from './sound-traces.ts';
import { change, find, insertAfter, insertAt, is, leaderOf, move, remove, start, type Events } from './trace-edit.ts';

export interface Clause {
  id: string;
  rule: RuleId;
  /** What the clause demands, in a few words (the README's column). */
  clause: string;
  base: SoundName;
  /** The broken trace. */
  make(ev: Events, m: TraceModel): TraceEvent[];
  /** The sentence the clause must say (exactly, one of the trace's violations). */
  says: string;
  /** Who broke it: the leader unless the clause is about a (scripted, misbehaving) worker. */
  by?: 'worker';
  /** Other violations the edit cannot help causing (rule ids or sentences); none by default. */
  also?: readonly (RuleId | string)[];
}

export interface Holds {
  id: string;
  rule: RuleId;
  /** Why the edited trace is still sound for this rule. */
  why: string;
  base: SoundName;
  make(ev: Events, m: TraceModel): TraceEvent[];
}

const w = (m: TraceModel, role: string) => [...m.workers.values()].find((x) => x.role === role)!;
const L = leaderOf;
const tool = (_ev: Events, thread: string, turn: string, name: string, args: unknown, ok = true, result: unknown = {}): TraceBody => ({
  kind: 'tool.call',
  thread,
  turn,
  tool: name,
  args,
  ok,
  result,
});
const said = (thread: string, turn: string, text: string): TraceBody => ({ kind: 'assistant.message', thread, turn, text });
const leaderWs = (ev: Events, op: string, where: (e: EventOf<'ws'>) => boolean = () => true) => is('ws', (e) => e.actor === L(ev) && e.op === op && where(e));
const journalWrite = (ev: Events) => leaderWs(ev, 'writeFile', (e) => (e.paths?.[0] ?? '').startsWith('.thread-team/'));
const ws = (op: string, actor: string, dir: string, extra: Partial<EventOf<'ws'>> = {}): Extract<TraceBody, { kind: 'ws' }> => ({
  kind: 'ws',
  op,
  actor,
  dir,
  ok: true,
  ...extra,
});
const m0 = (ev: Events) => (ev[0] as EventOf<'run.start'>).repo;
const k0 = (e: TraceEvent, created: number) => e.i < created;
const sent = (msg: string, from: string, to: string, text: string): TraceBody => ({ kind: 'message.sent', msg, from, to, text });
/** The leader's final report. */
const FINAL = (ev: Events) => is('assistant.message', (e) => e.thread === L(ev) && e.text.startsWith('Thread team run:'));

/** Every event from index `k` on happens `ms` later (a pause, or what a clock jump at `k` does). */
function laterFrom(ev: Events, k: number, ms: number): TraceEvent[] {
  return ev.map((e, j) => (j >= k ? { ...e, t: e.t + ms } : e));
}

/** Everything `threads` said or wrote taken out: as far as the leader can tell, they never started. */
function silenced(ev: Events, threads: string[]): TraceEvent[] {
  const by = new Set(threads);
  return remove(
    ev,
    (e) => (e.kind === 'assistant.message' && by.has(e.thread)) || (e.kind === 'ws' && by.has(e.actor)) || (e.kind === 'message.sent' && by.has(e.from)),
  );
}

/** never-starts with api not replaced: its second worker is no worker of the leader's. */
function apiGivenUp(ev: Events, m: TraceModel): TraceEvent[] {
  const second = [...m.workers.values()].filter((x) => x.role === 'api').at(-1)!;
  return remove(
    ev,
    is('thread.created', (e) => e.thread === second.thread),
  );
}

/** apiGivenUp, and the final report lists api as not integrated. */
function apiReportedGivenUp(ev: Events, m: TraceModel): TraceEvent[] {
  return finalReport(apiGivenUp(ev, m), (t) => t.replace('Not integrated:\n- none', 'Not integrated:\n- api: its worker never started'));
}

/** api's archive (and all that follows it) moved to time `t`. */
function apiArchivedAt(ev: Events, m: TraceModel, t: number): TraceEvent[] {
  const k = find(
    ev,
    is('thread.archived', (e) => e.thread === w(m, 'api').thread),
  );
  return laterFrom(ev, k, t - ev[k]!.t);
}

/** A leader input at time `t`. */
function inputAt(ev: Events, t: number, text: string, intent: string): TraceEvent[] {
  return insertAt(ev, lastAtOrBefore(ev, t), { kind: 'user.input', thread: L(ev), text, intent, t } as unknown as TraceBody);
}

/** worker `role` does something at time `t`, just before the event at `k` (default: its archive). */
function wroteAt(
  ev: Events,
  m: TraceModel,
  role: string,
  t: number,
  k = find(
    ev,
    is('thread.archived', (e) => e.thread === w(m, role).thread),
  ),
): TraceEvent[] {
  return insertAt(ev, k - 1, { ...ws('writeFile', w(m, role).thread, w(m, role).cwd, { paths: ['src/file.ts'] }), t } as unknown as TraceBody);
}

/** A system error on `thread` at time `t`. */
function crashAt(ev: Events, thread: string, t: number): TraceEvent[] {
  return insertAt(ev, lastAtOrBefore(ev, t), { kind: 'thread.status', thread, status: 'systemError', t } as unknown as TraceBody);
}

const auto = (op: string, id: string, thread: string, status = 'ACTIVE'): TraceBody =>
  ({ kind: 'automation', op, id, thread, status, rrule: 'FREQ=MINUTELY;INTERVAL=2' }) as TraceBody;
/** The other leader's id in two-leaders (the run its setup left unfinished). */
const otherLeader = (ev: Events) =>
  /\.thread-team\/([^/]+)\//.exec((ev.find((e) => e.kind === 'ws' && e.actor === 'setup' && e.op === 'writeFile') as EventOf<'ws'>).paths![0]!)![1]!;

/** happy-three with the journal writes after its last outward act taken out. */
function lastWritesRemoved(ev: Events): TraceEvent[] {
  const last = find(ev, leaderWs(ev, 'worktreeRemove'), 2);
  return remove(ev, (e, k) => k > last && journalWrite(ev)(e, k));
}

/** `thread`'s stop message, and the leader's call that sent it, taken out of the cancelled run. */
function stopRemoved(ev: Events, thread: string): TraceEvent[] {
  const out = remove(
    ev,
    is('message.sent', (e) => e.to === thread && /STOP/.test(e.text)),
  );
  return remove(
    out,
    is('tool.call', (e) => e.tool === 'send_message_to_thread' && (e.args as { threadId?: string }).threadId === thread && e.turn === 'turn-14'),
  );
}

/** The leader's stop call to `thread` refused by the messaging service: no message went out. */
function stopRefused(ev: Events, thread: string): TraceEvent[] {
  const out = remove(
    ev,
    is('message.sent', (e) => e.to === thread && /STOP/.test(e.text)),
  );
  return change(
    out,
    is('tool.call', (e) => e.tool === 'send_message_to_thread' && (e.args as { threadId?: string }).threadId === thread && e.turn === 'turn-14'),
    (e) => ({ ...e, ok: false, result: 'refused' }),
  );
}

const merge = (ev: Events, ref: string): TraceBody => ({
  kind: 'ws',
  op: 'merge',
  actor: L(ev),
  dir: '/repo',
  ref,
  sha: 'c'.repeat(40),
  ok: true,
  detail: 'merged',
});
const CANCEL = 'Cancel the run: stop the team now.';
/** A thread that is neither the leader nor one of its workers. */
const OTHER = '88888888-8888-7888-8888-888888888888';

/** The leader's first workspace act after its context loss (in the sound trace: rereading its journal). */
function firstActAfterContextLoss(ev: Events): number {
  const f = find(
    ev,
    is('fault', (x) => x.fault === 'context-loss'),
  );
  return find(ev, (x, j) => j > f && x.kind === 'ws' && x.actor === L(ev));
}

/** The leader's first merge done again just after it, git answering `detail`. */
function mergeAgain(ev: Events, detail: string): TraceEvent[] {
  const k = find(ev, leaderWs(ev, 'merge'));
  return insertAt(ev, k + 2, { ...(ev[k] as EventOf<'ws'>), detail });
}

/** Index of the last event at or before time `t`. */
function lastAtOrBefore(ev: Events, t: number): number {
  let k = 0;
  ev.forEach((e, j) => {
    if (e.t <= t) k = j;
  });
  return k;
}

/** Leader reads of `thread` at the given times, each after the last leader event before it. */
function readsOf(ev: Events, thread: string, times: number[]): TraceEvent[] {
  let out = [...ev] as TraceEvent[];
  for (const t of times) {
    const k = lastAtOrBefore(out, t);
    out = insertAt(out, k, { ...tool(out, L(ev), 'turn-x', 'read_thread', { threadId: thread }, true, {}), t } as unknown as TraceBody);
  }
  return out;
}

/**
 * A message to or from a worker inserted at `sentAt` (delivered then, or at `deliveredAt`, or
 * never when null), then leader reads of api at 500 s and 740 s (the run ends at 810 s): the
 * first read after api's response is free, the second is routine unless something makes it a check.
 */
function oddMessageThenReads(
  ev: Events,
  m: TraceModel,
  o: { from?: string; to?: string; text?: string; sentAt?: number; deliveredAt?: number | null },
): TraceEvent[] {
  const api = w(m, 'api').thread;
  const from = o.from ?? api;
  const to = o.to ?? L(ev);
  const sentAt = o.sentAt ?? 500_000;
  const deliveredAt = o.deliveredAt === undefined ? sentAt : o.deliveredAt;
  let out = insertAt(ev, lastAtOrBefore(ev, sentAt), {
    ...sent('m-odd', from, to, o.text ?? 'From: api (thread ID: somebody-else)\nSTATUS working'),
    t: sentAt,
  } as unknown as TraceBody);
  if (deliveredAt !== null)
    out = insertAt(out, lastAtOrBefore(out, deliveredAt), {
      kind: 'message.delivered',
      msg: 'm-odd',
      to,
      turn: 'turn-x',
      t: deliveredAt,
    } as unknown as TraceBody);
  return readsOf(out, api, [500_000, 740_000]);
}

/**
 * On stalls-mid-task, leader reads of ui at 800 s and just over three passes after its status
 * request (the second read is routine), with one more leader message inserted at `at`.
 */
function messageThenLateRead(ev: Events, m: TraceModel, o: { to?: string; text?: string; at: number }): TraceEvent[] {
  const to = o.to ?? w(m, 'ui').thread;
  const text = o.text ?? `From: leader (thread ID: ${L(ev)})\nSTATUS REQUEST: reply with one status line.`;
  let out = insertAt(ev, lastAtOrBefore(ev, o.at), { ...sent('m-ask', L(ev), to, text), t: o.at } as unknown as TraceBody);
  out = insertAt(out, lastAtOrBefore(out, o.at), { kind: 'message.delivered', msg: 'm-ask', to, turn: 'turn-x', t: o.at } as unknown as TraceBody);
  return readsOf(out, w(m, 'ui').thread, [800_000, 782_000 + 360_001]);
}

const OTHER_THREAD = '77777777-7777-7777-8777-777777777777';

/** ui's dispatch names api as a peer (its text edited further by `edit`), then ui messages `to`. */
function uiMessagesPeer(ev: Events, m: TraceModel, to: string, edit: (text: string) => string = (t) => t): TraceEvent[] {
  const ui = w(m, 'ui').thread;
  const named = change(
    ev,
    is('message.sent', (e) => e.to === ui && /DISPATCH for ui/.test(e.text)),
    (e) => ({
      ...e,
      text: edit(
        (e as EventOf<'message.sent'>).text.replace(
          'Peers you may message:\nnone: all coordination goes through the leader',
          'Peers you may message:\n- api: for the endpoint shape',
        ),
      ),
    }),
  );
  return insertAfter(
    named,
    is('message.sent', (e) => e.from === ui),
    sent('m-peer', ui, to, `From: ui (thread ID: ${ui})\nWhich fields does GET /billing return?`),
  );
}

/** The status request padded to exactly `length` characters. */
function padStatusRequest(ev: Events, length: number): TraceEvent[] {
  return change(
    ev,
    is('message.sent', (e) => e.from === L(ev) && /STATUS REQUEST/.test(e.text)),
    (e) => {
      const text = (e as EventOf<'message.sent'>).text;
      return { ...e, text: `${text}\n${'x'.repeat(length - text.length - 1)}` };
    },
  );
}

/** A write by the stalled ui worker at time `t`, in its place in time. */
function progressAt(ev: Events, m: TraceModel, t: number): TraceEvent[] {
  return wroteAt(ev, m, 'ui', t, lastAtOrBefore(ev, t) + 1);
}

/** The last journal write, its text changed. */
function lastJournal(ev: Events, f: (content: string) => string): TraceEvent[] {
  const writes = ev.filter((e, k) => journalWrite(ev)(e, k));
  const last = writes.at(-1)!.i;
  return change(
    ev,
    (_, k) => k === last,
    (e) => ({ ...e, content: f((e as EventOf<'ws'>).content ?? '') }),
  );
}

/** Every status answer of the leader, changed. */
function statusAnswers(ev: Events, f: (text: string) => string): TraceEvent[] {
  return change(
    ev,
    is('assistant.message', (e) => e.thread === L(ev) && e.text.startsWith('Thread team status')),
    (e) => ({ ...e, text: f((e as EventOf<'assistant.message'>).text) }),
  );
}

/** The final report, changed. */
function finalReport(ev: Events, f: (text: string) => string): TraceEvent[] {
  return change(ev, FINAL(ev), (e) => ({ ...e, text: f((e as EventOf<'assistant.message'>).text) }));
}

export const CLAUSES: readonly Clause[] = [
  // T1: the thread tools, never a sub-agent.
  {
    id: 'T1.no-sub-agent',
    rule: 'T1',
    clause: 'never calls a sub-agent tool in place of threads',
    base: 'happy-three',
    make: (ev) =>
      insertAfter(
        ev,
        is('tool.call', (e) => e.thread === L(ev)),
        tool(ev, L(ev), 'turn-2', 'spawn_agent', {}, false, 'unknown tool'),
      ),
    says: 'the leader called spawn_agent, standing in for real threads',
  },
  {
    id: 'T1.no-sub-agent-spelling',
    rule: 'T1',
    clause: 'never calls a sub-agent tool in place of threads',
    base: 'happy-three',
    make: (ev) =>
      insertAfter(
        ev,
        is('tool.call', (e) => e.thread === L(ev)),
        tool(ev, L(ev), 'turn-2', 'Run_SubAgent', {}, false, 'unknown tool'),
      ),
    says: 'the leader called Run_SubAgent, standing in for real threads',
  },
  {
    id: 'T1.no-threads-without-tools',
    rule: 'T1',
    clause: 'creates no thread when a required tool is missing',
    base: 'happy-three',
    make: (ev) => {
      const out = start(ev, (s) => ({ ...s, tools: s.tools.filter((t) => t !== 'read_thread') }));
      return insertAt(out, 9, said(L(ev), 'turn-1', 'read_thread is not available here.'));
    },
    says: 'read_thread missing, yet the leader created 3 thread(s)',
  },
  {
    id: 'T1.says-which-missing',
    rule: 'T1',
    clause: 'says which required tools are missing',
    base: 'missing-read-thread',
    make: (ev) => change(ev, is('assistant.message'), (e) => ({ ...e, text: 'A thread team cannot run here.' })),
    says: 'read_thread missing and the leader never said which',
  },
  {
    id: 'T1.says-every-missing',
    rule: 'T1',
    clause: 'says which required tools are missing',
    base: 'missing-read-thread',
    make: (ev) => start(ev, (s) => ({ ...s, tools: s.tools.filter((t) => t !== 'create_thread') })),
    says: 'create_thread, read_thread missing and the leader never said which',
  },
  // T2: a team only where the split favours one, and never in the triggering turn.
  {
    id: 'T2.viable-shape',
    rule: 'T2',
    clause: 'no workers for a core refactor',
    base: 'happy-three',
    make: (ev) => start(ev, (s) => ({ ...s, task: { ...s.task!, shape: 'core-refactor' } })),
    says: 'the split does not favour a team (3 areas, core-refactor) yet the leader created workers',
  },
  {
    id: 'T2.viable-size',
    rule: 'T2',
    clause: 'no workers for two areas or fewer',
    base: 'happy-three',
    make: (ev) => start(ev, (s) => ({ ...s, task: { ...s.task!, areas: s.task!.areas.slice(0, 2) } })),
    says: 'the split does not favour a team (2 areas, independent) yet the leader created workers',
  },
  {
    id: 'T2.viable-disjoint',
    rule: 'T2',
    clause: 'no workers when areas own the same file',
    base: 'happy-three',
    make: (ev) =>
      start(ev, (s) => ({
        ...s,
        task: { ...s.task!, areas: s.task!.areas.map((a, i) => (i === 2 ? { ...a, owns: [...a.owns, s.task!.areas[0]!.owns[0]!] } : a)) },
      })),
    says: 'the split does not favour a team (3 areas, independent) yet the leader created workers',
  },
  {
    id: 'T2.not-in-trigger-turn',
    rule: 'T2',
    clause: 'creates nothing in the turn that triggered the skill',
    base: 'happy-three',
    make: (ev) =>
      move(
        ev,
        is('turn.end', (e) => e.turn === 'turn-1'),
        is('thread.created'),
      ),
    says: 'the leader created workers in the very turn that triggered the skill',
  },
  // T3: consent after stating the settings.
  {
    id: 'T3.confirm-first',
    rule: 'T3',
    clause: 'creates workers only after the user confirms',
    base: 'happy-three',
    make: (ev) =>
      move(
        ev,
        is('user.input', (e) => e.intent === 'confirm'),
        is('thread.created'),
      ),
    says: 'a worker was created before the user confirmed',
  },
  {
    id: 'T3.confirm-at-all',
    rule: 'T3',
    clause: 'creates workers only after the user confirms',
    base: 'happy-three',
    make: (ev) =>
      remove(
        ev,
        is('user.input', (e) => e.intent === 'confirm'),
      ),
    says: 'a worker was created before the user confirmed',
  },
  {
    id: 'T3.states-model',
    rule: 'T3',
    clause: 'states model and thinking before the confirmation',
    base: 'happy-three',
    make: (ev) =>
      change(
        ev,
        is('assistant.message', (e) => e.thread === L(ev) && e.turn === 'turn-1'),
        (e) => ({ ...e, text: (e as EventOf<'assistant.message'>).text.replaceAll('gpt-5.4', 'the usual model') }),
      ),
    says: 'the user confirmed without the leader having stated the worker model gpt-5.4 and thinking high',
  },
  {
    id: 'T3.states-thinking',
    rule: 'T3',
    clause: 'states model and thinking before the confirmation',
    base: 'happy-three',
    make: (ev) =>
      change(
        ev,
        is('assistant.message', (e) => e.thread === L(ev) && e.turn === 'turn-1'),
        (e) => ({ ...e, text: (e as EventOf<'assistant.message'>).text.replaceAll('high', 'usual') }),
      ),
    says: 'the user confirmed without the leader having stated the worker model gpt-5.4 and thinking high',
  },
  // T4: the confirmed settings on every create_thread.
  {
    id: 'T4.model',
    rule: 'T4',
    clause: 'create_thread uses the confirmed model',
    base: 'happy-three',
    make: (ev) =>
      change(
        ev,
        is('tool.call', (e) => e.tool === 'create_thread'),
        (e) => ({ ...e, args: { ...((e as EventOf<'tool.call'>).args as object), model: 'gpt-4' } }),
        true,
      ),
    says: 'create_thread with model gpt-4 and thinking high; confirmed were gpt-5.4/high',
  },
  {
    id: 'T4.thinking',
    rule: 'T4',
    clause: 'create_thread uses the confirmed thinking',
    base: 'happy-three',
    make: (ev) =>
      change(
        ev,
        is('tool.call', (e) => e.tool === 'create_thread'),
        (e) => ({ ...e, args: { ...((e as EventOf<'tool.call'>).args as object), thinking: undefined } }),
        true,
      ),
    says: 'create_thread with model gpt-5.4 and thinking (none); confirmed were gpt-5.4/high',
  },
  {
    id: 'T4.user-choice',
    rule: 'T4',
    clause: 'the settings the user named win over the defaults',
    base: 'user-settings',
    make: (ev) =>
      change(
        ev,
        is('tool.call', (e) => e.tool === 'create_thread'),
        (e) => ({ ...e, args: { ...((e as EventOf<'tool.call'>).args as object), model: 'gpt-5.4', thinking: 'high' } }),
        true,
      ),
    says: 'create_thread with model gpt-5.4 and thinking high; confirmed were gpt-5.5/medium',
  },
  // W1: one exclusive worktree per worker.
  {
    id: 'W1.not-leader-checkout',
    rule: 'W1',
    clause: "no worker works in the leader's checkout",
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        is('thread.created', (e) => e.thread === w(m, 'db').thread),
        (e) => ({ ...e, cwd: m.root }),
      ),
    says: "worker db was given the leader's own checkout /repo",
    also: ['W1', 'R1'],
  },
  {
    id: 'W1.local-environment',
    rule: 'W1',
    clause: "no worker works in the leader's checkout",
    base: 'happy-three',
    // On the desktop a thread made with no worktree in the leader's folder was put there by the leader's own call.
    make: (ev, m) =>
      change(
        ev,
        is('thread.created', (e) => e.thread === w(m, 'db').thread),
        (e) => ({ ...e, cwd: m.root, worktree: null }),
      ),
    says: "worker db was given the leader's own checkout /repo",
    also: ['W1', 'W2', 'R1'],
  },
  {
    id: 'W1.not-shared',
    rule: 'W1',
    clause: 'no two live workers share a directory',
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        is('thread.created', (e) => e.thread === w(m, 'db').thread),
        (e) => ({ ...e, cwd: w(m, 'api').cwd }),
      ),
    says: 'workers api and db share the directory /worktrees/b4fe22fd/repo',
    also: ['W1', 'R1'],
  },
  {
    id: 'W1.not-shared-same-moment',
    rule: 'W1',
    clause: 'no two live workers share a directory',
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        is('thread.created', (e) => e.thread === w(m, 'db').thread),
        (e) => ({ ...e, t: w(m, 'api').createdAt, cwd: w(m, 'api').cwd }),
      ),
    says: 'workers api and db share the directory /worktrees/b4fe22fd/repo',
    also: ['W1', 'R1'],
  },
  {
    id: 'W1.worker-stays-home',
    rule: 'W1',
    clause: 'a worker writes only inside its own worktree',
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        is('ws', (e) => e.actor === w(m, 'ui').thread && e.op === 'commitAll'),
        (e) => ({ ...e, dir: '/tmp/elsewhere' }),
      ),
    says: 'worker ui ran commitAll in /tmp/elsewhere, outside its worktree /worktrees/46a94c13/repo',
    by: 'worker',
  },
  // W2: the worktree exists and is journaled before the dispatch.
  {
    id: 'W2.worktree-exists',
    rule: 'W2',
    clause: 'the worker has a worktree before its dispatch',
    base: 'happy-three',
    make: (ev, m) => {
      const out = change(
        ev,
        is('thread.created', (e) => e.thread === w(m, 'ui').thread),
        (e) => ({ ...e, worktree: null }),
      );
      return remove(
        out,
        is('ws', (e) => e.op === 'worktreeAdd' && e.dir === w(m, 'ui').cwd),
      );
    },
    says: 'worker ui was dispatched with no worktree of its own',
  },
  {
    id: 'W2.journaled',
    rule: 'W2',
    clause: 'the worktree is journaled before the dispatch',
    base: 'happy-three',
    make: (ev, m) => change(ev, journalWrite(ev), (e) => ({ ...e, content: ((e as EventOf<'ws'>).content ?? '').replaceAll(w(m, 'ui').cwd, '/somewhere') })),
    says: "worker ui's worktree /worktrees/46a94c13/repo was not journaled before its dispatch",
  },
  {
    id: 'W2.journaled-in-between',
    rule: 'W2',
    clause: "the worktree is journaled between the worker's creation and its dispatch",
    base: 'happy-three',
    make: (ev, m) => {
      const ui = w(m, 'ui');
      const d = ui.dispatches[0]!;
      // Journaled only before the thread existed (impossible in a real run, so written in) and after its dispatch.
      const out = change(
        ev,
        (e, k) => journalWrite(ev)(e, k) && (k <= ui.created ? k === find(ev, journalWrite(ev)) : k < d),
        (e) => ({
          ...e,
          content: k0(e, ui.created) ? `${(e as EventOf<'ws'>).content}\n${ui.cwd}` : ((e as EventOf<'ws'>).content ?? '').replaceAll(ui.cwd, '/somewhere'),
        }),
      );
      return out;
    },
    says: "worker ui's worktree /worktrees/46a94c13/repo was not journaled before its dispatch",
  },
  // W3: worktrees removed by the end.
  {
    id: 'W3.removed',
    rule: 'W3',
    clause: 'every worktree made for the run is removed by its end',
    base: 'happy-three',
    make: (ev, m) =>
      remove(
        ev,
        leaderWs(ev, 'worktreeRemove', (e) => e.dir === w(m, 'db').cwd),
      ),
    says: 'the worktree /worktrees/e6b44795/repo made for the run was not removed by its end',
  },
  {
    id: 'W3.removed-before-end',
    rule: 'W3',
    clause: 'every worktree made for the run is removed by its end',
    base: 'happy-three',
    make: (ev, m) =>
      move(
        ev,
        leaderWs(ev, 'worktreeRemove', (e) => e.dir === w(m, 'db').cwd),
        FINAL(ev),
      ),
    says: 'the worktree /worktrees/e6b44795/repo made for the run was not removed by its end',
    also: ['J1'],
  },
  {
    id: 'W3.leader-made',
    rule: 'W3',
    clause: 'worktrees the leader made itself count too',
    base: 'happy-three',
    make: (ev, m) => {
      const out = change(
        ev,
        is('ws', (e) => e.op === 'worktreeAdd' && e.dir === w(m, 'db').cwd),
        (e) => ({ ...e, actor: L(ev) }),
      );
      return remove(
        out,
        leaderWs(ev, 'worktreeRemove', (e) => e.dir === w(m, 'db').cwd),
      );
    },
    says: 'the worktree /worktrees/e6b44795/repo made for the run was not removed by its end',
    also: ['J1'],
  },

  // M1: every message starts with its sender's header.
  {
    id: 'M1.worker-header',
    rule: 'M1',
    clause: "a worker's message starts with the From: header",
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        is('message.sent', (e) => e.from === w(m, 'ui').thread && /\nCOMPLETE /.test(e.text)),
        (e) => ({ ...e, text: (e as EventOf<'message.sent'>).text.split('\n').slice(1).join('\n') }),
      ),
    says: 'worker ui sent a message without the From: header',
    by: 'worker',
  },
  {
    id: 'M1.leader-header',
    rule: 'M1',
    clause: "the leader's message starts with the From: header",
    base: 'stalls-mid-task',
    make: (ev) =>
      change(
        ev,
        is('message.sent', (e) => e.from === L(ev) && /STATUS REQUEST/.test(e.text)),
        (e) => ({ ...e, text: (e as EventOf<'message.sent'>).text.split('\n').slice(1).join('\n') }),
      ),
    says: 'the leader sent a message without the From: header',
  },
  {
    id: 'M1.leader-id',
    rule: 'M1',
    clause: "the header names the sender's own thread",
    base: 'stalls-mid-task',
    make: (ev) =>
      change(
        ev,
        is('message.sent', (e) => e.from === L(ev) && /STATUS REQUEST/.test(e.text)),
        (e) => ({ ...e, text: (e as EventOf<'message.sent'>).text.replace(L(ev), '11111111-1111-7111-8111-111111111111') }),
      ),
    says: "the leader's header claims thread 11111111-1111-7111-8111-111111111111, but it came from 00000000-0000-7000-8000-00000000leed",
  },
  {
    id: 'M1.worker-role',
    rule: 'M1',
    clause: "a worker's header names its own role",
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        is('message.sent', (e) => e.from === w(m, 'ui').thread && /\nCOMPLETE /.test(e.text)),
        (e) => ({ ...e, text: (e as EventOf<'message.sent'>).text.replace('From: ui (', 'From: api (') }),
      ),
    says: "worker ui's header names the role api",
    by: 'worker',
  },
  // M2: registration before dispatch.
  {
    id: 'M2.registered',
    rule: 'M2',
    clause: 'a worker is registered before its dispatch',
    base: 'happy-three',
    make: (ev, m) =>
      remove(
        ev,
        is('message.sent', (e) => e.to === w(m, 'ui').thread && /You are a worker/.test(e.text)),
      ),
    says: 'worker ui got its dispatch with no registration',
  },
  {
    id: 'M2.registered-first',
    rule: 'M2',
    clause: 'a worker is registered before its dispatch',
    base: 'happy-three',
    make: (ev, m) =>
      move(
        ev,
        is('message.sent', (e) => e.to === w(m, 'ui').thread && /You are a worker/.test(e.text)),
        is('message.sent', (e) => e.to === w(m, 'ui').thread && /DISPATCH for/.test(e.text)),
      ),
    says: 'worker ui got its dispatch before its registration',
  },
  // M3: dispatches and registrations complete, rosters whole.
  {
    id: 'M3.holes-filled',
    rule: 'M3',
    clause: 'every hole of the template is filled',
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        is('message.sent', (e) => e.to === w(m, 'ui').thread && /DISPATCH for/.test(e.text)),
        (e) => ({ ...e, text: (e as EventOf<'message.sent'>).text.replace(/Scope:\n.*\n/, 'Scope:\n<scope>\n') }),
      ),
    says: 'a dispatch went out with the hole <scope> unfilled or empty',
  },
  {
    id: 'M3.fields-present',
    rule: 'M3',
    clause: 'every field of the template is there',
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        is('message.sent', (e) => e.to === w(m, 'ui').thread && /DISPATCH for/.test(e.text)),
        (e) => ({ ...e, text: (e as EventOf<'message.sent'>).text.replace(/Base commit: .*\n/, '') }),
      ),
    says: 'a dispatch went out without Base commit',
  },
  {
    id: 'M3.roster-leader',
    rule: 'M3',
    clause: 'a dispatch roster names the leader',
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        is('message.sent', (e) => e.to === w(m, 'ui').thread && /DISPATCH for/.test(e.text)),
        (e) => ({ ...e, text: (e as EventOf<'message.sent'>).text.replace(/- leader \| .*\n/, '') }),
      ),
    says: 'a dispatch roster does not name the leader',
  },
  {
    id: 'M3.roster-workers',
    rule: 'M3',
    clause: 'a dispatch roster names every live worker',
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        is('message.sent', (e) => e.to === w(m, 'ui').thread && /DISPATCH for/.test(e.text)),
        (e) => ({ ...e, text: (e as EventOf<'message.sent'>).text.replace(/- db \| .*\n/, '') }),
      ),
    says: 'a dispatch roster misses db',
  },
  {
    id: 'M3.template-verbatim',
    rule: 'M3',
    clause: "a registered worker's task comes as the dispatch template",
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        is('message.sent', (e) => e.to === w(m, 'ui').thread && /DISPATCH for/.test(e.text)),
        (e) => ({
          ...e,
          text: `From: leader (thread ID: ${L(ev)})\n\nPlease build the settings page. ${'Use the existing components and keep it simple. '.repeat(10)}`,
        }),
      ),
    says: 'worker ui got a task that is not the dispatch template sent verbatim',
  },
  // M4: signals, not payloads.
  {
    id: 'M4.leader-payload',
    rule: 'M4',
    clause: "the leader's messages stay under the limit",
    base: 'stalls-mid-task',
    make: (ev) =>
      change(
        ev,
        is('message.sent', (e) => e.from === L(ev) && /STATUS REQUEST/.test(e.text)),
        (e) => ({ ...e, text: `${(e as EventOf<'message.sent'>).text}\n${'x'.repeat(1600)}` }),
      ),
    says: 'the leader sent a 1748-character message (limit 1500): a payload, not a signal',
  },
  {
    id: 'M4.dispatch-extra',
    rule: 'M4',
    clause: 'a dispatch carries nothing long beyond its template',
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        is('message.sent', (e) => e.to === w(m, 'ui').thread && /DISPATCH for/.test(e.text)),
        (e) => ({ ...e, text: `${(e as EventOf<'message.sent'>).text}\n\nBackground:\n${'Some long history of the project. '.repeat(60)}` }),
      ),
    says: 'the leader sent a dispatch carrying 2051 characters beyond its template (limit 1500): a payload, not a signal',
  },
  {
    id: 'M4.worker-payload',
    rule: 'M4',
    clause: "a worker's messages stay under the limit",
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        is('message.sent', (e) => e.from === w(m, 'ui').thread && /\nCOMPLETE /.test(e.text)),
        (e) => ({ ...e, text: `${(e as EventOf<'message.sent'>).text}\n${'+ a line of the diff\n'.repeat(100)}` }),
      ),
    says: 'worker ui sent a 2232-character message (limit 1500): a payload, not a signal',
    by: 'worker',
  },
  {
    id: 'M4.report-pasted',
    rule: 'M4',
    clause: 'a worker report travels as a file, not in a message',
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        is('message.sent', (e) => e.from === w(m, 'ui').thread && /\nCOMPLETE /.test(e.text)),
        (e) => ({
          ...e,
          text: `${(e as EventOf<'message.sent'>).text}\n\n# Report: ui (thread ID: ${w(m, 'ui').thread})\n\nBranch: codex/46a94c13\nCommit: 58e74951\n\n## Summary\nDone.\n\n## Files changed\nsrc/ui/settings-page.tsx\n\n## Verification\nnpm test passed\n\n## Open issues\nnone`,
        }),
      ),
    says: 'worker ui pasted a worker report into a message: reports travel as files',
    by: 'worker',
  },
  // M5: peers only as the dispatch allows.
  {
    id: 'M5.collaborators-only',
    rule: 'M5',
    clause: 'a worker messages only the peers its dispatch names',
    base: 'happy-three',
    make: (ev, m) =>
      insertAfter(
        ev,
        is('message.sent', (e) => e.from === w(m, 'ui').thread),
        sent('m-peer', w(m, 'ui').thread, w(m, 'db').thread, `From: ui (thread ID: ${w(m, 'ui').thread})\nCan you change the schema?`),
      ),
    says: 'worker ui messaged db, which its dispatch does not name as a collaborator',
    by: 'worker',
  },
  {
    id: 'M5.stranger',
    rule: 'M5',
    clause: 'a thread neither the roster nor the trace knows is no collaborator',
    base: 'happy-three',
    make: (ev, m) => uiMessagesPeer(ev, m, OTHER_THREAD),
    says: `worker ui messaged ${OTHER_THREAD}, which its dispatch does not name as a collaborator`,
    by: 'worker',
  },
  // M6: no routine reads.
  {
    id: 'M6.no-routine-read',
    rule: 'M6',
    clause: 'no read_thread of a started worker without cause',
    base: 'happy-three',
    make: (ev, m) => {
      const read = (turn: string) => tool(ev, L(ev), turn, 'read_thread', { threadId: w(m, 'api').thread }, true, {});
      const out = insertAfter(
        ev,
        is('tool.call', (e) => e.tool === 'wait_threads' && e.turn === 'turn-16'),
        read('turn-16'),
      );
      return insertAfter(
        out,
        is('tool.call', (e) => e.tool === 'wait_threads' && e.turn === 'turn-17'),
        read('turn-17'),
      );
    },
    says: 'read_thread on worker api, which had started and was neither suspected of stalling nor ambiguous: a routine read',
  },

  // H1: no heartbeat left behind.
  {
    id: 'H1.deleted',
    rule: 'H1',
    clause: 'every heartbeat is deleted by the end of the run',
    base: 'happy-three',
    make: (ev) =>
      remove(
        remove(
          ev,
          is('automation', (e) => e.op === 'delete'),
        ),
        is('tool.call', (e) => e.tool === 'automation_update' && (e.args as { mode?: string }).mode === 'delete'),
      ),
    says: 'heartbeat auto-1 on the leader was never deleted',
  },
  {
    id: 'H1.fires-after-end',
    rule: 'H1',
    clause: 'every heartbeat is deleted by the end of the run',
    base: 'happy-three',
    make: (ev) => {
      const out = remove(
        remove(
          ev,
          is('automation', (e) => e.op === 'delete'),
        ),
        is('tool.call', (e) => e.tool === 'automation_update' && (e.args as { mode?: string }).mode === 'delete'),
      );
      return insertAfter(
        out,
        FINAL(ev),
        { kind: 'automation', op: 'fire', id: 'auto-1', thread: L(ev), status: 'PAUSED', rrule: 'FREQ=MINUTELY;INTERVAL=2' },
        { kind: 'automation', op: 'fire', id: 'auto-other', thread: L(ev), status: 'PAUSED', rrule: 'FREQ=MINUTELY;INTERVAL=2' },
      );
    },
    says: 'heartbeat auto-1 on the leader was never deleted and fired 1 time(s) after the run ended',
  },
  {
    id: 'H1.worker-heartbeat',
    rule: 'H1',
    clause: 'every heartbeat is deleted by the end of the run',
    base: 'happy-three',
    make: (ev, m) =>
      insertAfter(
        ev,
        is('automation', (e) => e.op === 'create'),
        { kind: 'automation', op: 'create', id: 'auto-w', thread: w(m, 'db').thread, status: 'PAUSED', rrule: 'FREQ=HOURLY' },
      ),
    says: 'heartbeat auto-w on 94511ead-f8e2-7252-bfb9-1240e6b44795 was never deleted',
  },
  // H2: one active heartbeat per thread.
  {
    id: 'H2.one-active',
    rule: 'H2',
    clause: 'at most one active heartbeat on a thread',
    base: 'happy-three',
    make: (ev) =>
      insertAfter(
        ev,
        is('tool.call', (e) => e.tool === 'automation_update'),
        { kind: 'automation', op: 'update', id: 'auto-2', thread: L(ev), status: 'ACTIVE', rrule: 'FREQ=HOURLY' },
      ),
    says: '2 active heartbeats on one thread',
  },
  {
    id: 'H2.no-second-create',
    rule: 'H2',
    clause: 'never tries to create a second active heartbeat',
    base: 'happy-three',
    make: (ev) =>
      insertAfter(
        ev,
        is('tool.call', (e) => e.tool === 'wait_threads'),
        tool(ev, L(ev), 'turn-12', 'automation_update', { mode: 'create', kind: 'heartbeat', destination: 'thread' }, false, 'refused'),
      ),
    says: 'the leader tried to create a second active heartbeat for its own thread',
  },
  // H3: no busy waiting.
  {
    id: 'H3.no-polling',
    rule: 'H3',
    clause: 'polls a worker at most twice in one turn',
    base: 'happy-three',
    make: (ev, m) => {
      const poll = tool(ev, L(ev), 'turn-17', 'wait_threads', { targets: [{ threadId: w(m, 'ui').thread }], timeoutMs: 0 }, true, { timedOut: false });
      return insertAfter(
        ev,
        is('tool.call', (e) => e.tool === 'wait_threads' && e.turn === 'turn-17'),
        poll,
        poll,
      );
    },
    says: 'the leader polled fd8dc42c-47b5-74b1-b69c-2e4446a94c13 3 times in one turn (turn-17) instead of ending the turn',
  },
  {
    id: 'H3.steer-elsewhere',
    rule: 'H3',
    clause: 'polls a worker at most twice in one turn',
    base: 'happy-three',
    make: (ev, m) => {
      const poll = tool(ev, L(ev), 'turn-17', 'wait_threads', { targets: [{ threadId: w(m, 'ui').thread }], timeoutMs: 0 }, true, { timedOut: false });
      // Input steered into another thread's turn, or into another of the leader's turns, is no new input for turn-17.
      const steer = (thread: string, turn: string): TraceBody => ({ kind: 'turn.steer', thread, turn, causes: ['delegation'], inputs: ['later'] });
      return insertAfter(
        ev,
        is('tool.call', (e) => e.tool === 'wait_threads' && e.turn === 'turn-17'),
        steer(w(m, 'ui').thread, 'turn-16'),
        steer(L(ev), 'turn-1'),
        poll,
        poll,
      );
    },
    says: 'the leader polled fd8dc42c-47b5-74b1-b69c-2e4446a94c13 3 times in one turn (turn-17) instead of ending the turn',
  },
  {
    id: 'H3.no-long-wait',
    rule: 'H3',
    clause: 'does not sit in wait_threads when a heartbeat is there',
    base: 'happy-three',
    make: (ev) =>
      insertAfter(
        ev,
        is('tool.call', (e) => e.tool === 'wait_threads' && e.turn === 'turn-17'),
        tool(ev, L(ev), 'turn-17', 'wait_threads', { targets: [], timeoutMs: 250_000 }, true, { timedOut: true }),
      ),
    says: 'the leader sat 250 s in wait_threads in one turn (turn-17) although a heartbeat was available',
  },
  // H4: heartbeat paused while merging.
  {
    id: 'H4.paused',
    rule: 'H4',
    clause: 'the heartbeat is paused before a merge',
    base: 'happy-three',
    make: (ev) =>
      remove(
        remove(
          ev,
          is('automation', (e) => e.op === 'update' && e.status === 'PAUSED'),
        ),
        is('tool.call', (e) => e.tool === 'automation_update' && (e.args as { status?: string }).status === 'PAUSED'),
      ),
    says: 'the leader merged with its heartbeat auto-1 still active',
  },
  // J1: a journal write after every outward action.
  {
    id: 'J1.after-tool',
    rule: 'J1',
    clause: 'a journal write after every thread-changing call',
    base: 'happy-three',
    make: (ev) =>
      remove(
        ev,
        (_, k) =>
          k ===
          find(
            ev,
            is('tool.call', (x) => x.tool === 'set_thread_archived'),
          ) +
            1,
      ),
    says: "no journal write after set_thread_archived before the leader's next outward action",
  },
  {
    id: 'J1.after-heartbeat-change',
    rule: 'J1',
    clause: 'a journal write after every heartbeat change',
    base: 'happy-three',
    make: (ev) =>
      remove(
        ev,
        (_, k) =>
          k ===
          find(
            ev,
            is('tool.call', (x) => x.tool === 'automation_update' && (x.args as { mode?: string }).mode === 'delete'),
          ) +
            1,
      ),
    says: "no journal write after automation_update before the leader's next outward action",
  },
  {
    id: 'J1.after-git-change',
    rule: 'J1',
    clause: 'a journal write after every git change (merge, worktree)',
    base: 'happy-three',
    make: (ev) => remove(ev, (_, k) => k === find(ev, leaderWs(ev, 'worktreeRemove')) + 1),
    says: "no journal write after worktreeRemove before the leader's next outward action",
  },
  {
    id: 'J1.before-end',
    rule: 'J1',
    clause: 'a journal write after the last outward action',
    base: 'happy-three',
    make: (ev) => remove(ev, (e, k) => k > find(ev, leaderWs(ev, 'worktreeRemove'), 2) && e.kind === 'ws' && e.op === 'writeFile'),
    says: "no journal write after worktreeRemove before the leader's run ended",
  },
  // J2: only its own journal.
  {
    id: 'J2.own-journal',
    rule: 'J2',
    clause: 'writes only the journal keyed by its own id',
    base: 'happy-three',
    make: (ev) =>
      insertAfter(
        ev,
        journalWrite(ev),
        ws('writeFile', L(ev), '/repo', { paths: ['.thread-team/22222222-2222-7222-8222-222222222222/state.md'], content: 'x' }),
      ),
    says: 'the leader wrote .thread-team/22222222-2222-7222-8222-222222222222/state.md, a journal not keyed by its own thread id',
  },
  // J3: the journal stays out of git.
  {
    id: 'J3.excluded-first',
    rule: 'J3',
    clause: '.thread-team/ is git-excluded before the first journal write',
    base: 'happy-three',
    make: (ev) => remove(ev, leaderWs(ev, 'addExclude')),
    says: '.thread-team/ was not git-excluded before the first journal write',
  },
  {
    id: 'J3.excluded-pattern',
    rule: 'J3',
    clause: '.thread-team/ is git-excluded before the first journal write',
    base: 'happy-three',
    make: (ev) => change(ev, leaderWs(ev, 'addExclude'), (e) => ({ ...e, detail: '.thread-team/state.md' })),
    says: '.thread-team/ was not git-excluded before the first journal write',
  },
  {
    id: 'J3.leader-commit',
    rule: 'J3',
    clause: 'no commit carries .thread-team/',
    base: 'conflict-maker',
    make: (ev) => change(ev, leaderWs(ev, 'commitMerge'), (e) => ({ ...e, paths: [...((e as EventOf<'ws'>).paths ?? []), '.thread-team/x/state.md'] }), true),
    says: 'a commit in /repo carried .thread-team/x/state.md',
  },
  // J4: recovery from the journal, nothing done twice.
  {
    id: 'J4.reread-first',
    rule: 'J4',
    clause: 'after a context loss the first act reads the journal',
    base: 'context-loss-during-merge',
    make: (ev) => {
      const k = firstActAfterContextLoss(ev);
      return remove(ev, (_, j) => j === k);
    },
    says: 'after losing its context the leader acted before rereading its journal',
  },
  {
    id: 'J4.merge-once',
    rule: 'J4',
    clause: 'no branch merged twice',
    base: 'happy-three',
    make: (ev) => mergeAgain(ev, 'merged'),
    says: 'branch codex/b4fe22fd was merged twice',
    also: ['R1', 'J1'],
  },
  {
    id: 'J4.one-worker-per-role',
    rule: 'J4',
    clause: 'no second live worker for a role',
    base: 'never-starts',
    make: (ev, m) => {
      const first = [...m.workers.values()].find((x) => x.role === 'api')!;
      return move(
        ev,
        is('thread.archived', (e) => e.thread === first.thread),
        is('thread.created', (e) => e.i > first.created && m.workers.get(e.thread)?.role === 'api'),
      );
    },
    says: 'role api got a second worker while the first was still live',
  },
  // J5: other runs' journals.
  {
    id: 'J5.hands-off',
    rule: 'J5',
    clause: "never touches another leader's unfinished run",
    base: 'two-leaders',
    make: (ev, m) => {
      const other = otherLeader(ev);
      return insertAfter(ev, journalWrite(ev), ws('removeFile', L(ev), m.root, { paths: [`.thread-team/${other}/notes.md`] }));
    },
    says: "the leader touched .thread-team/0199aaaa-0000-7000-8000-000000000001/notes.md, another leader's unfinished run",
  },
  {
    id: 'J5.reported',
    rule: 'J5',
    clause: "reports another leader's unfinished run at the start",
    base: 'two-leaders',
    make: (ev) => {
      const other = otherLeader(ev);
      return change(
        ev,
        is('assistant.message', (e) => e.thread === L(ev) && e.text.includes(other)),
        (e) => ({ ...e, text: (e as EventOf<'assistant.message'>).text.replaceAll(other, 'another leader') }),
      );
    },
    says: 'the unfinished run of leader 0199aaaa-0000-7000-8000-000000000001 was not reported when this run started',
  },
  // S1: replace a worker that never starts.
  {
    id: 'S1.replaced',
    rule: 'S1',
    clause: 'a worker silent past the startup window is archived and replaced',
    base: 'never-starts',
    make: (ev, m) => {
      const first = [...m.workers.values()].find((x) => x.role === 'api')!;
      return remove(
        ev,
        is('thread.archived', (e) => e.thread === first.thread),
      );
    },
    says: 'worker api showed no response 16 min after its dispatch and was not archived and replaced',
    also: ['J4', 'M3'],
  },
  {
    id: 'S1.same-dispatch',
    rule: 'S1',
    clause: 'the replacement gets the same dispatch',
    base: 'never-starts',
    make: (ev, m) => {
      const second = [...m.workers.values()].filter((x) => x.role === 'api').at(-1)!;
      return change(
        ev,
        is('message.sent', (e) => e.to === second.thread && /DISPATCH for/.test(e.text)),
        (e) => ({ ...e, text: (e as EventOf<'message.sent'>).text.replace(/Scope:\n.*\n/, 'Scope:\nSomething else entirely\n') }),
      );
    },
    says: 'the replacement for api did not get the same dispatch',
  },
  {
    id: 'S1.broadcast',
    rule: 'S1',
    clause: 'the replacement is announced to the other workers',
    base: 'never-starts',
    make: (ev, m) =>
      remove(
        ev,
        is('message.sent', (e) => e.to === w(m, 'ui').thread && /ROSTER UPDATE/.test(e.text)),
      ),
    says: 'the replacement of api was not broadcast to ui',
  },
  {
    id: 'S1.broadcast-unless-merged',
    rule: 'S1',
    clause: 'the replacement is announced to the other workers',
    base: 'never-starts',
    // ui's branch merged only after the replacement came: ui was still active then.
    make: (ev, m) => mergedAndUntold(ev, m, 1),
    says: 'the replacement of api was not broadcast to ui',
    // A merge dropped into the middle of a run cannot help breaking these.
    also: ['H4', 'J1', 'J4', 'R1'],
  },
  // S2: never replace a worker that progresses.
  {
    id: 'S2.no-replacing-progress',
    rule: 'S2',
    clause: 'no replacing a worker that showed progress in the stall window',
    base: 'stalls-mid-task',
    make: (ev, m) => {
      const ui = [...m.workers.values()].find((x) => x.role === 'ui')!;
      const k = find(
        ev,
        is('thread.archived', (e) => e.thread === ui.thread),
      );
      return insertAt(ev, k - 1, {
        ...ws('writeFile', ui.thread, ui.cwd, { paths: ['src/ui/settings-page.tsx'] }),
        t: ev[k]!.t - 60_000,
      } as unknown as TraceBody);
    },
    says: 'worker ui was replaced although it showed progress in the 3 heartbeat passes before',
  },
  {
    id: 'S2.evidence-is-the-last-two',
    rule: 'S2',
    clause: 'no replacing a worker that showed progress in the stall window',
    base: 'stalls-mid-task',
    // Three writes in the window: the verdict cites the last two and the archive.
    make: (ev, m) => {
      const t = find(
        ev,
        is('thread.archived', (e) => e.thread === w(m, 'ui').thread),
      );
      const at = ev[t]!.t;
      return wroteAt(wroteAt(wroteAt(ev, m, 'ui', at - 90_000), m, 'ui', at - 60_000), m, 'ui', at - 30_000);
    },
    says: 'worker ui was replaced although it showed progress in the 3 heartbeat passes before',
  },
  // S3: ask before replacing a started worker.
  {
    id: 'S3.status-request-first',
    rule: 'S3',
    clause: 'a started worker gets a status request a pass before it is replaced',
    base: 'stalls-mid-task',
    make: (ev) =>
      remove(
        ev,
        is('message.sent', (e) => e.from === L(ev) && /STATUS REQUEST/.test(e.text)),
      ),
    says: 'started worker ui was replaced without a status request a heartbeat pass earlier',
  },
  {
    id: 'S3.answered-as-it-was-archived',
    rule: 'S3',
    clause: 'a started worker gets a status request a pass before it is replaced',
    base: 'never-starts',
    // api's first words come the moment it is archived: it had started, and nobody asked it.
    make: (ev, m) => {
      const k = find(
        ev,
        is('thread.archived', (e) => e.thread === w(m, 'api').thread),
      );
      return insertAt(ev, k - 1, {
        ...said(w(m, 'api').thread, 'turn-9', 'Starting api: Add the billing settings endpoint'),
        t: ev[k]!.t,
      } as unknown as TraceBody);
    },
    says: 'started worker api was replaced without a status request a heartbeat pass earlier',
  },
  // R1: one reviewed, tested merge at a time.
  {
    id: 'R1.report-read',
    rule: 'R1',
    clause: "the worker's report is read before its merge",
    base: 'happy-three',
    make: (ev, m) =>
      remove(
        ev,
        leaderWs(ev, 'readFile', (e) => e.dir === w(m, 'api').cwd && (e.paths?.[0] ?? '').endsWith('report.md')),
      ),
    says: "branch codex/b4fe22fd was merged without reading its worker's report first",
  },
  {
    id: 'R1.report-of-owner',
    rule: 'R1',
    clause: "the worker's report is read before its merge",
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        leaderWs(ev, 'readFile', (e) => e.dir === w(m, 'api').cwd && (e.paths?.[0] ?? '').endsWith('report.md')),
        (e) => ({ ...e, dir: w(m, 'db').cwd }),
      ),
    says: "branch codex/b4fe22fd was merged without reading its worker's report first",
  },
  {
    id: 'R1.diff-reviewed',
    rule: 'R1',
    clause: 'the diff is reviewed before the merge',
    base: 'happy-three',
    make: (ev) => remove(ev, (_, k) => k === find(ev, leaderWs(ev, 'changedFiles'))),
    says: 'branch codex/b4fe22fd was merged without reviewing its diff first',
  },
  {
    id: 'R1.diff-before',
    rule: 'R1',
    clause: 'the diff is reviewed before the merge',
    base: 'happy-three',
    make: (ev) => move(ev, (_, k) => k === find(ev, leaderWs(ev, 'changedFiles')), leaderWs(ev, 'merge')),
    says: 'branch codex/b4fe22fd was merged without reviewing its diff first',
  },
  {
    id: 'R1.tested-between',
    rule: 'R1',
    clause: 'a build/test run between one merge and the next',
    base: 'happy-three',
    make: (ev) => remove(ev, (_, k) => k === find(ev, leaderWs(ev, 'run'))),
    says: 'branch codex/b4fe22fd was merged and codex/46a94c13 merged next without a build/test run in between',
  },
  {
    id: 'R1.tested-last',
    rule: 'R1',
    clause: 'a build/test run after the last merge',
    base: 'happy-three',
    make: (ev) => remove(ev, (e, k) => k >= find(ev, leaderWs(ev, 'run'), 2) && e.kind === 'ws' && e.op === 'run'),
    says: 'branch codex/e6b44795 was merged and the run went on without a build/test run in between',
    also: ['R4'],
  },
  {
    id: 'R1.conflict-finished',
    rule: 'R1',
    clause: 'a conflicted merge finished by commitMerge is a merge',
    base: 'conflict-maker',
    make: (ev) => {
      const k = find(ev, leaderWs(ev, 'commitMerge'));
      return remove(ev, (_, j) => j > k && j === find(ev, (x, i) => i > k && x.kind === 'ws' && x.op === 'run' && x.actor === L(ev)));
    },
    says: 'branch codex/46a94c13 was merged and codex/e6b44795 merged next without a build/test run in between',
  },
  // R2: only the leader merges.
  {
    id: 'R2.leader-merges',
    rule: 'R2',
    clause: 'no worker merges or commits on the integration checkout',
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        is('ws', (e) => e.actor === w(m, 'ui').thread && e.op === 'commitAll'),
        (e) => ({ ...e, dir: m.root }),
      ),
    says: 'worker ui ran commitAll on the integration checkout',
    by: 'worker',
    also: ['W1'],
  },
  // R3: rework goes to the owner.
  {
    id: 'R3.no-editing-live-worktree',
    rule: 'R3',
    clause: "the leader never edits a live worker's worktree",
    base: 'happy-three',
    make: (ev, m) => insertAfter(ev, leaderWs(ev, 'changedFiles'), ws('writeFile', L(ev), w(m, 'ui').cwd, { paths: ['src/ui/settings-page.tsx'] })),
    says: 'the leader changed src/ui/settings-page.tsx in the worktree of live worker ui instead of sending the rework to it',
  },
  // R4: the merged whole reviewed and verified.
  {
    id: 'R4.whole-reviewed',
    rule: 'R4',
    clause: 'the merged whole is diffed after the last merge',
    base: 'happy-three',
    make: (ev) => remove(ev, (_, k) => k === find(ev, leaderWs(ev, 'changedFiles'), 3)),
    says: 'the run was reported complete without reviewing and verifying the merged whole after the last merge',
  },
  {
    id: 'R4.whole-verified',
    rule: 'R4',
    clause: 'the merged whole is verified after that review',
    base: 'happy-three',
    make: (ev) => remove(ev, (_, k) => k === find(ev, leaderWs(ev, 'run'), 3)),
    says: 'the run was reported complete without reviewing and verifying the merged whole after the last merge',
  },
  // A1: teardown on cancel.
  {
    id: 'A1.told-to-stop',
    rule: 'A1',
    clause: 'every active worker is told to stop',
    base: 'cancel-mid-run',
    make: (ev, m) => stopRemoved(ev, w(m, 'ui').thread),
    says: 'after the cancel, worker ui was never told to stop',
  },
  {
    id: 'A1.archived',
    rule: 'A1',
    clause: 'every active worker is archived',
    base: 'cancel-mid-run',
    make: (ev, m) =>
      remove(
        ev,
        is('thread.archived', (e) => e.thread === w(m, 'ui').thread),
      ),
    says: 'after the cancel, worker ui was never archived',
    also: ['R3'],
  },
  {
    id: 'A1.heartbeat-deleted',
    rule: 'A1',
    clause: 'every heartbeat is deleted',
    base: 'cancel-mid-run',
    make: (ev) =>
      remove(
        ev,
        is('automation', (e) => e.op === 'delete'),
      ),
    says: 'after the cancel, heartbeat auto-1 was never deleted',
    also: ['H1'],
  },
  {
    id: 'A1.journal-aborted',
    rule: 'A1',
    clause: 'the journal is marked aborted with a reason',
    base: 'cancel-mid-run',
    make: (ev) => {
      const k = find(ev, journalWrite(ev), ev.filter((e) => journalWrite(ev)(e, 0)).length - 1);
      return change(
        ev,
        (_, j) => j === k,
        (e) => ({ ...e, content: ((e as EventOf<'ws'>).content ?? '').replace(/aborted/g, 'running') }),
      );
    },
    says: 'after the cancel, the journal was not marked aborted with a reason',
  },
  {
    id: 'A1.branches-reported',
    rule: 'A1',
    clause: 'unmerged branches with commits are reported',
    base: 'cancel-mid-run',
    make: (ev, m) => {
      const out = insertAfter(
        ev,
        is('ws', (e) => e.actor === w(m, 'ui').thread && e.op === 'writeFile'),
        ws('commitAll', w(m, 'ui').thread, w(m, 'ui').cwd, { paths: ['src/ui/settings-page.tsx'], sha: 'a'.repeat(40) }),
      );
      return change(out, FINAL(ev), (e) => ({ ...e, text: (e as EventOf<'assistant.message'>).text.replaceAll('codex/46a94c13', 'its branch') }));
    },
    says: 'unmerged branch codex/46a94c13 with commits was not reported after the cancel',
  },
  {
    id: 'A1.stopped-after-reading',
    rule: 'A1',
    clause: 'every active worker is told to stop',
    base: 'cancel-mid-run',
    // The cancel arrives while db is being dispatched and is read turns later (a stranger's turn
    // quoting it reads nothing): db was live when the leader read it, and its dispatch is no stop.
    make: (ev, m) => {
      const db = w(m, 'db').thread;
      const out = stopRemoved(ev, db);
      const dispatch = find(
        out,
        is('message.sent', (e) => e.to === db && /DISPATCH for/.test(e.text)),
      );
      const early = move(
        out,
        is('user.input', (e) => e.intent === 'cancel'),
        (_, k) => k === dispatch - 1,
      );
      return insertAfter(
        early,
        is('user.input', (e) => e.intent === 'cancel'),
        { kind: 'turn.start', thread: OTHER, turn: 'turn-o', causes: ['user'], inputs: [CANCEL] },
      );
    },
    says: 'after the cancel, worker db was never told to stop',
  },
  {
    id: 'A1.merged-after-the-cancel',
    rule: 'A1',
    clause: 'every active worker is told to stop',
    base: 'cancel-mid-run',
    make: (ev, m) =>
      insertAfter(
        stopRemoved(ev, w(m, 'api').thread),
        is('turn.start', (e) => e.turn === 'turn-14'),
        merge(ev, w(m, 'api').worktree!.branch),
      ),
    says: 'after the cancel, worker api was never told to stop',
    also: ['R1', 'H4'],
  },
  {
    id: 'A1.refused-elsewhere',
    rule: 'A1',
    clause: 'every active worker is told to stop',
    base: 'cancel-mid-run',
    make: (ev, m) => stopRefused(stopRemoved(ev, w(m, 'ui').thread), w(m, 'api').thread),
    says: 'after the cancel, worker ui was never told to stop',
  },
  {
    id: 'A1.heartbeat-never-fired',
    rule: 'A1',
    clause: 'every heartbeat is deleted',
    base: 'cancel-mid-run',
    make: (ev) =>
      remove(
        ev,
        is('automation', (e) => e.op === 'delete' || e.op === 'fire'),
      ),
    says: 'after the cancel, heartbeat auto-1 was never deleted',
    also: ['H1'],
  },
  {
    id: 'A1.no-journal',
    rule: 'A1',
    clause: 'the journal is marked aborted with a reason',
    base: 'cancel-mid-run',
    make: (ev) => remove(ev, journalWrite(ev)),
    says: 'after the cancel, the journal was not marked aborted with a reason',
    also: ['J1', 'W2'],
  },
  {
    id: 'A1.branches-reported-no-report',
    rule: 'A1',
    clause: 'unmerged branches with commits are reported',
    base: 'cancel-mid-run',
    make: (ev, m) => {
      const out = insertAfter(
        ev,
        is('ws', (e) => e.actor === w(m, 'ui').thread && e.op === 'writeFile'),
        ws('commitAll', w(m, 'ui').thread, w(m, 'ui').cwd, { paths: ['src/ui/settings-page.tsx'], sha: 'a'.repeat(40) }),
      );
      return remove(out, FINAL(ev));
    },
    says: 'unmerged branch codex/46a94c13 with commits was not reported after the cancel',
  },
  // L1: the run ends.
  {
    id: 'L1.ends',
    rule: 'L1',
    clause: 'the trace ends with run.end',
    base: 'happy-three',
    make: (ev) => ev.slice(0, -1) as TraceEvent[],
    says: 'the trace has no run.end: the run did not finish',
  },
  {
    id: 'L1.not-stuck',
    rule: 'L1',
    clause: 'the run ends with a final report or a clear answer',
    base: 'happy-three',
    make: (ev) => change(ev, is('run.end'), (e) => ({ ...e, outcome: 'stuck', reason: 'no progress' })),
    says: 'the run did not end with a final report or a clear answer (stuck: no progress)',
  },
  {
    id: 'L1.not-horizon',
    rule: 'L1',
    clause: 'the run ends with a final report or a clear answer',
    base: 'happy-three',
    make: (ev) => change(ev, is('run.end'), (e) => ({ ...e, outcome: 'complete', reason: 'time horizon reached' })),
    says: 'the run did not end with a final report or a clear answer (complete: time horizon reached)',
  },
  // L2: every task accounted for.
  {
    id: 'L2.accounted',
    rule: 'L2',
    clause: 'every task is merged or excluded with a reason',
    base: 'happy-three',
    make: (ev) => remove(ev, (_, k) => k === find(ev, leaderWs(ev, 'merge'), 2)),
    says: 'the task of db was neither merged nor excluded with a reason in the final report',
  },
  // U1: status questions answered.
  {
    id: 'U1.answered',
    rule: 'U1',
    clause: 'a status question gets roster, blockers, merges and next action',
    base: 'status-query',
    make: (ev) =>
      change(
        ev,
        is('assistant.message', (e) => e.thread === L(ev) && /block/i.test(e.text) && /next/i.test(e.text) && /merge/i.test(e.text)),
        (e) => ({ ...e, text: (e as EventOf<'assistant.message'>).text.replace(/block/gi, 'stop') }),
      ),
    says: 'a status question got no answer with roster, blockers, merge progress and next action',
  },
  {
    id: 'U1.whole-roster',
    rule: 'U1',
    clause: 'the answer names every live worker',
    base: 'status-query',
    make: (ev) =>
      change(
        ev,
        is('assistant.message', (e) => e.thread === L(ev) && /block/i.test(e.text) && /next/i.test(e.text) && /merge/i.test(e.text)),
        (e) => ({ ...e, text: (e as EventOf<'assistant.message'>).text.replace(/\bui\b/g, 'front end') }),
        true,
      ),
    says: 'the status answer does not mention ui',
  },
  {
    id: 'U1.whole-roster-names-all-missing',
    rule: 'U1',
    clause: 'the answer names every live worker',
    base: 'status-query',
    make: (ev) => statusAnswers(ev, (t) => t.replace(/\bui\b/g, 'front end').replace(/\bdb\b/g, 'database')),
    says: 'the status answer does not mention ui, db',
  },
  {
    id: 'U1.answered-in-its-turn',
    rule: 'U1',
    clause: 'a status question gets roster, blockers, merges and next action',
    base: 'status-query',
    // The first answer comes only in the next (heartbeat) turn, and another thread says it in time.
    make: (ev) => {
      const k = find(
        ev,
        is('assistant.message', (e) => e.thread === L(ev) && e.text.startsWith('Thread team status')),
      );
      const answer = ev[k] as EventOf<'assistant.message'>;
      const out = move(
        ev,
        (_, j) => j === k,
        is('tool.call', (e) => e.tool === 'wait_threads' && e.turn === 'turn-14'),
      );
      return insertAt(out, k - 1, said(OTHER, 'turn-13', answer.text));
    },
    says: 'a status question got no answer with roster, blockers, merge progress and next action',
  },
  {
    id: 'U1.answered-before-asked',
    rule: 'U1',
    clause: 'a status question gets roster, blockers, merges and next action',
    base: 'status-query',
    make: (ev) =>
      move(
        ev,
        is('assistant.message', (e) => e.thread === L(ev) && e.text.startsWith('Thread team status')),
        (_, k) =>
          k ===
          find(
            ev,
            is('user.input', (x) => x.intent === 'status'),
          ) -
            2,
      ),
    says: 'a status question got no answer with roster, blockers, merge progress and next action',
  },
  {
    id: 'S1.jump-after-the-window',
    rule: 'S1',
    clause: 'a worker silent past the startup window is archived and replaced',
    base: 'never-starts',
    // api is replaced 400 s late (a pause, no jump); a clock jump after its window, and a fault that
    // is no jump inside it, leave its deadline where it was.
    make: (ev, m) => {
      const k = find(
        ev,
        is('thread.archived', (e) => e.thread === w(m, 'api').thread),
      );
      const late = laterFrom(ev, k, 400_000);
      const jumped = insertAt(late, k, { kind: 'fault', fault: 'clock-jump', detail: '+600000 ms' });
      return insertAfter(
        jumped,
        is('assistant.message', (e) => e.text.startsWith('Starting db')),
        { kind: 'fault', fault: 'slow-tools', detail: '+600000 ms' },
      );
    },
    says: 'worker api showed no response 16 min after its dispatch and was not archived and replaced',
  },
  {
    id: 'S1.jump-without-a-size',
    rule: 'S1',
    clause: 'a worker silent past the startup window is archived and replaced',
    base: 'never-starts',
    // api is replaced 400 s late; a clock jump inside its window that does not say by how much
    // moves its deadline by nothing.
    make: (ev, m) => {
      const k = find(
        ev,
        is('thread.archived', (e) => e.thread === w(m, 'api').thread),
      );
      return insertAfter(
        laterFrom(ev, k, 400_000),
        is('assistant.message', (e) => e.text.startsWith('Starting db')),
        { kind: 'fault', fault: 'clock-jump', detail: 'clock skew' },
      );
    },
    says: 'worker api showed no response 16 min after its dispatch and was not archived and replaced',
  },
  {
    id: 'S1.given-up-unarchived',
    rule: 'S1',
    clause: 'a worker silent past the startup window is archived and replaced',
    base: 'never-starts',
    // Reported as given up, but its thread was never archived.
    make: (ev, m) =>
      remove(
        apiReportedGivenUp(ev, m),
        is('thread.archived', (e) => e.thread === w(m, 'api').thread),
      ),
    says: 'worker api showed no response 16 min after its dispatch and was not archived and replaced',
    // Still live, api is missing from the roster the replacement was dispatched with.
    also: ['M3'],
  },
  {
    id: 'S1.given-up-without-a-final-report',
    rule: 'S1',
    clause: 'a worker silent past the startup window is archived and replaced',
    base: 'never-starts',
    make: (ev, m) => remove(apiGivenUp(ev, m), FINAL(ev)),
    says: 'worker api showed no response 16 min after its dispatch and was not archived and replaced',
  },
  {
    id: 'S1.replaced-and-reported-given-up',
    rule: 'S1',
    clause: 'the replacement is announced to the other workers',
    base: 'never-starts',
    // A task the final report calls given up was still replaced: the replacement's duties stand.
    make: (ev, m) =>
      finalReport(
        remove(
          ev,
          is('message.sent', (e) => e.to === w(m, 'ui').thread && /ROSTER UPDATE/.test(e.text)),
        ),
        (t) => t.replace('Not integrated:\n- none', 'Not integrated:\n- api: its worker never started'),
      ),
    says: 'the replacement of api was not broadcast to ui',
  },
  {
    id: 'S1.replacement-never-dispatched',
    rule: 'S1',
    clause: 'the replacement gets the same dispatch',
    base: 'never-starts',
    make: (ev, m) => {
      const second = [...m.workers.values()].filter((x) => x.role === 'api').at(-1)!;
      return remove(ev, (e) => e.i === second.dispatches[0]);
    },
    says: 'the replacement for api did not get the same dispatch',
  },
  {
    id: 'S1.roster-before-the-replacement',
    rule: 'S1',
    clause: 'the replacement is announced to the other workers',
    base: 'never-starts',
    // The update to ui goes out before the thread it announces exists.
    make: (ev, m) =>
      move(
        ev,
        is('message.sent', (e) => e.to === w(m, 'ui').thread && /ROSTER UPDATE/.test(e.text)),
        is('thread.archived', (e) => e.thread === w(m, 'api').thread),
      ),
    says: 'the replacement of api was not broadcast to ui',
  },
  {
    id: 'S1.late-answer-is-no-start',
    rule: 'S1',
    clause: 'a worker silent past the startup window is archived and replaced',
    base: 'never-starts',
    make: (ev, m) => {
      const out = remove(
        ev,
        is('thread.archived', (e) => e.thread === w(m, 'api').thread),
      );
      return insertAt(out, lastAtOrBefore(out, 980_000), {
        ...said(w(m, 'api').thread, 'turn-9', 'Starting api: Add the billing settings endpoint'),
        t: 980_000,
      } as unknown as TraceBody);
    },
    says: 'worker api showed no response 16 min after its dispatch and was not archived and replaced',
    also: ['J4', 'M3'],
  },
  {
    id: 'S1.given-up-unreported',
    rule: 'S1',
    clause: 'a worker silent past the startup window is archived and replaced',
    base: 'never-starts',
    make: (ev, m) => apiGivenUp(ev, m),
    says: 'worker api showed no response 16 min after its dispatch and was not archived and replaced',
    also: ['L2'],
  },
  {
    id: 'S1.given-up-late',
    rule: 'S1',
    clause: 'a worker silent past the startup window is archived and replaced',
    base: 'never-starts',
    make: (ev, m) => {
      const out = apiReportedGivenUp(ev, m);
      return laterFrom(
        out,
        find(
          out,
          is('thread.archived', (e) => e.thread === w(m, 'api').thread),
        ),
        400_000,
      );
    },
    says: 'worker api showed no response 16 min after its dispatch and was not archived and replaced',
  },
  {
    id: 'S1.cancel-after-the-deadline',
    rule: 'S1',
    clause: 'a worker silent past the startup window is archived and replaced',
    base: 'never-starts',
    make: (ev, m) =>
      inputAt(
        remove(
          ev,
          is('thread.archived', (e) => e.thread === w(m, 'api').thread),
        ),
        1_000_000,
        CANCEL,
        'cancel',
      ),
    says: 'worker api showed no response 16 min after its dispatch and was not archived and replaced',
    also: ['J4', 'M3', 'A1'],
  },
  {
    id: 'S1.broadcast-to-all',
    rule: 'S1',
    clause: 'the replacement is announced to the other workers',
    base: 'never-starts',
    make: (ev) =>
      remove(
        ev,
        is('message.sent', (e) => /ROSTER UPDATE/.test(e.text)),
      ),
    says: 'the replacement of api was not broadcast to ui, db',
  },
  {
    id: 'S2.progress-at-the-archive',
    rule: 'S2',
    clause: 'no replacing a worker that showed progress in the stall window',
    base: 'stalls-mid-task',
    make: (ev, m) => wroteAt(ev, m, 'ui', 1_022_000),
    says: 'worker ui was replaced although it showed progress in the 3 heartbeat passes before',
  },
  {
    id: 'S3.crash-after-the-archive',
    rule: 'S3',
    clause: 'a started worker gets a status request a pass before it is replaced',
    base: 'stalls-mid-task',
    make: (ev, m) =>
      crashAt(
        remove(
          ev,
          is('message.sent', (e) => e.from === L(ev) && /STATUS REQUEST/.test(e.text)),
        ),
        w(m, 'ui').thread,
        1_030_000,
      ),
    says: 'started worker ui was replaced without a status request a heartbeat pass earlier',
  },
  {
    id: 'S3.asked-by-someone-else',
    rule: 'S3',
    clause: 'a started worker gets a status request a pass before it is replaced',
    base: 'stalls-mid-task',
    // The leader asked db, and db passed the question on to ui: ui was never asked by the leader.
    make: (ev, m) => {
      const k = find(
        ev,
        is('message.sent', (e) => e.from === L(ev) && /STATUS REQUEST/.test(e.text)),
      );
      const out = change(
        ev,
        (_, j) => j === k,
        (e) => ({ ...e, to: w(m, 'db').thread }),
      );
      return insertAt(out, k, {
        ...(out[k] as EventOf<'message.sent'>),
        msg: 'm-peer',
        from: w(m, 'db').thread,
        to: w(m, 'ui').thread,
      } as unknown as TraceBody);
    },
    says: 'started worker ui was replaced without a status request a heartbeat pass earlier',
    also: ['M1', 'M5'],
  },
  {
    id: 'A1.told-by-a-peer',
    rule: 'A1',
    clause: 'every active worker is told to stop',
    base: 'cancel-mid-run',
    make: (ev, m) => {
      const out = stopRemoved(ev, w(m, 'ui').thread);
      return insertAfter(
        out,
        is('turn.start', (e) => e.turn === 'turn-14'),
        sent('m-peer', w(m, 'api').thread, w(m, 'ui').thread, `From: api (thread ID: ${w(m, 'api').thread})\nSTOP: the run is cancelled.`),
      );
    },
    says: 'after the cancel, worker ui was never told to stop',
    also: ['M5'],
  },
  {
    id: 'A1.refused-other-calls',
    rule: 'A1',
    clause: 'every active worker is told to stop',
    base: 'cancel-mid-run',
    // A stop refused before the cancel was read, and a refused archive after it, are no stop.
    make: (ev, m) => {
      const ui = w(m, 'ui').thread;
      const out = stopRemoved(ev, ui);
      const before = insertAt(
        out,
        find(
          out,
          is('turn.start', (e) => e.turn === 'turn-14'),
        ) - 1,
        tool(out, L(ev), 'turn-13', 'send_message_to_thread', { threadId: ui, prompt: 'STOP' }, false, 'refused'),
      );
      return insertAfter(
        before,
        is('turn.start', (e) => e.turn === 'turn-14'),
        tool(out, L(ev), 'turn-14', 'set_thread_archived', { threadId: ui, archived: true }, false, 'refused'),
      );
    },
    says: 'after the cancel, worker ui was never told to stop',
  },
  {
    id: 'U1.created-as-asked',
    rule: 'U1',
    clause: 'the answer names every live worker',
    base: 'status-query',
    make: (ev, m) => {
      const out = change(
        ev,
        is('user.input', (e) => e.intent === 'status'),
        (e) => ({ ...e, t: m.workers.get(w(m, 'db').thread)!.createdAt }),
        true,
      );
      return statusAnswers(out, (t) => t.replace(/\bdb\b/g, 'database'));
    },
    says: 'the status answer does not mention db',
  },
  {
    id: 'U1.roster-never-archived',
    rule: 'U1',
    clause: 'the answer names every live worker',
    base: 'status-query',
    make: (ev, m) =>
      statusAnswers(
        remove(
          ev,
          is('thread.archived', (e) => e.thread === w(m, 'ui').thread),
        ),
        (t) => t.replace(/\bui\b/g, 'front end'),
      ),
    says: 'the status answer does not mention ui',
  },
  {
    id: 'R4.reviewed-after-the-report',
    rule: 'R4',
    clause: 'the merged whole is diffed after the last merge',
    base: 'happy-three',
    make: (ev) => {
      const out = move(ev, (_, k) => k === find(ev, leaderWs(ev, 'changedFiles'), 3), FINAL(ev));
      return move(
        out,
        (_, k) => k === find(ev, leaderWs(ev, 'run'), 3),
        leaderWs(ev, 'changedFiles', (e) => e.t >= 802_000),
      );
    },
    says: 'the run was reported complete without reviewing and verifying the merged whole after the last merge',
  },
  {
    id: 'R3.never-archived',
    rule: 'R3',
    clause: "the leader never edits a live worker's worktree",
    base: 'happy-three',
    make: (ev, m) =>
      remove(
        insertAfter(ev, leaderWs(ev, 'changedFiles'), ws('writeFile', L(ev), w(m, 'ui').cwd, { paths: ['src/ui/settings-page.tsx'] })),
        is('thread.archived', (e) => e.thread === w(m, 'ui').thread),
      ),
    says: 'the leader changed src/ui/settings-page.tsx in the worktree of live worker ui instead of sending the rework to it',
  },
  {
    id: 'R3.two-files',
    rule: 'R3',
    clause: "the leader never edits a live worker's worktree",
    base: 'happy-three',
    make: (ev, m) => insertAfter(ev, leaderWs(ev, 'changedFiles'), ws('removeFile', L(ev), w(m, 'ui').cwd, { paths: ['src/ui/a.tsx', 'src/ui/b.tsx'] })),
    says: 'the leader changed src/ui/a.tsx, src/ui/b.tsx in the worktree of live worker ui instead of sending the rework to it',
  },
  {
    id: 'W2.worktree-after-dispatch',
    rule: 'W2',
    clause: 'a worker has its own worktree before its dispatch',
    base: 'happy-three',
    make: (ev, m) => {
      const api = w(m, 'api');
      const out = change(
        ev,
        is('thread.created', (e) => e.thread === api.thread),
        (e) => ({ ...e, worktree: null }),
      );
      return move(
        out,
        is('ws', (e) => e.op === 'worktreeAdd' && e.dir === api.cwd),
        is('message.sent', (e) => e.to === api.thread && /DISPATCH for/.test(e.text)),
      );
    },
    says: 'worker api was dispatched with no worktree of its own',
  },
  {
    id: 'W3.other-fault',
    rule: 'W3',
    clause: 'every worktree made for the run is removed by its end',
    base: 'happy-three',
    make: (ev, m) =>
      insertAfter(
        remove(
          ev,
          leaderWs(ev, 'worktreeRemove', (e) => e.dir === w(m, 'db').cwd),
        ),
        is('user.input'),
        { kind: 'fault', fault: 'slow-tools', detail: w(m, 'db').cwd },
      ),
    says: 'the worktree /worktrees/e6b44795/repo made for the run was not removed by its end',
  },
  {
    id: 'H1.deleted-after-the-report',
    rule: 'H1',
    clause: 'every heartbeat is deleted by the end of the run',
    base: 'happy-three',
    make: (ev) =>
      move(
        ev,
        is('automation', (e) => e.op === 'delete'),
        FINAL(ev),
      ),
    says: 'heartbeat auto-1 on the leader was never deleted',
  },
  {
    id: 'H1.no-run-end',
    rule: 'H1',
    clause: 'every heartbeat is deleted by the end of the run',
    base: 'happy-three',
    make: (ev) =>
      remove(
        remove(
          ev,
          is('automation', (e) => e.op === 'delete'),
        ),
        is('run.end'),
      ),
    says: 'heartbeat auto-1 on the leader was never deleted',
    also: ['L1'],
  },
  {
    id: 'H1.no-final-report',
    rule: 'H1',
    clause: 'every heartbeat is deleted by the end of the run',
    base: 'happy-three',
    make: (ev) =>
      remove(
        remove(
          ev,
          is('automation', (e) => e.op === 'delete'),
        ),
        FINAL(ev),
      ),
    says: 'heartbeat auto-1 on the leader was never deleted',
  },
  {
    id: 'H1.fired-after-the-end',
    rule: 'H1',
    clause: 'every heartbeat is deleted by the end of the run',
    base: 'happy-three',
    make: (ev) => {
      const out = remove(
        ev,
        is('automation', (e) => e.op === 'delete'),
      );
      return insertAfter(out, FINAL(ev), ...[1, 2, 3, 4].map(() => auto('fire', 'auto-1', L(ev))));
    },
    says: 'heartbeat auto-1 on the leader was never deleted and fired 4 time(s) after the run ended',
  },
  {
    id: 'H3.read-polling-four',
    rule: 'H3',
    clause: 'polls a worker at most twice in one turn',
    base: 'happy-three',
    make: (ev, m) => {
      const read = tool(ev, L(ev), 'turn-17', 'read_thread', { threadId: w(m, 'ui').thread }, true, {});
      return insertAfter(
        ev,
        is('tool.call', (e) => e.tool === 'wait_threads' && e.turn === 'turn-17'),
        read,
        read,
        read,
      );
    },
    says: 'the leader polled fd8dc42c-47b5-74b1-b69c-2e4446a94c13 4 times in one turn (turn-17) instead of ending the turn',
    also: ['M6'],
  },
  {
    id: 'H4.two-heartbeats-on',
    rule: 'H4',
    clause: 'the heartbeat is paused before a merge',
    base: 'happy-three',
    make: (ev) => {
      const out = remove(
        ev,
        is('automation', (e) => e.op === 'update' && e.status === 'PAUSED'),
      );
      return insertAt(out, find(out, leaderWs(ev, 'merge')) - 1, auto('create', 'auto-2', L(ev)));
    },
    says: 'the leader merged with its heartbeat auto-1, auto-2 still active',
    also: ['H1', 'H2'],
  },
  {
    id: 'J1.written-after-the-end',
    rule: 'J1',
    clause: 'a journal write after the last outward action',
    base: 'happy-three',
    make: (ev) => {
      const out = lastWritesRemoved(ev);
      return insertAfter(out, FINAL(ev), ev[find(ev, journalWrite(ev), 3)] as TraceBody);
    },
    says: "no journal write after worktreeRemove before the leader's run ended",
  },
  {
    id: 'J3.excluded-elsewhere',
    rule: 'J3',
    clause: '.thread-team/ is git-excluded before the first journal write',
    base: 'happy-three',
    make: (ev) => change(ev, leaderWs(ev, 'addExclude'), (e) => ({ ...e, detail: 'build/.thread-team/' })),
    says: '.thread-team/ was not git-excluded before the first journal write',
  },
  {
    id: 'J3.excluded-too-little',
    rule: 'J3',
    clause: '.thread-team/ is git-excluded before the first journal write',
    base: 'happy-three',
    make: (ev) => change(ev, leaderWs(ev, 'addExclude'), (e) => ({ ...e, detail: '.thread-team/notes.md' })),
    says: '.thread-team/ was not git-excluded before the first journal write',
  },
  {
    id: 'J3.commit-carries-two',
    rule: 'J3',
    clause: 'no commit carries .thread-team/',
    base: 'happy-three',
    make: (ev) =>
      insertAfter(
        ev,
        leaderWs(ev, 'changedFiles'),
        ws('commitAll', L(ev), '/repo', { paths: ['.thread-team/a.md', '.thread-team/b.md'], sha: 'd'.repeat(40) }),
      ),
    says: 'a commit in /repo carried .thread-team/a.md, .thread-team/b.md',
  },
  {
    id: 'J4.read-nothing-first',
    rule: 'J4',
    clause: 'after a context loss the first act reads the journal',
    base: 'context-loss-during-merge',
    make: (ev) => {
      const k = firstActAfterContextLoss(ev);
      return insertAt(ev, k - 1, ws('readFile', L(ev), '/repo'));
    },
    says: 'after losing its context the leader acted before rereading its journal',
  },
  {
    id: 'J5.hands-off-its-files',
    rule: 'J5',
    clause: "never touches another leader's unfinished run",
    base: 'two-leaders',
    make: (ev, m) => insertAfter(ev, journalWrite(ev), ws('writeFile', L(ev), m.root, { paths: [`.thread-team/${otherLeader(ev)}/state.md`], content: 'x' })),
    says: "the leader touched .thread-team/0199aaaa-0000-7000-8000-000000000001/state.md, another leader's unfinished run",
    also: ['J2'],
  },
  {
    id: 'M3.two-holes',
    rule: 'M3',
    clause: 'every hole of the template is filled',
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        is('message.sent', (e) => e.to === w(m, 'ui').thread && /DISPATCH for/.test(e.text)),
        (e) => ({ ...e, text: (e as EventOf<'message.sent'>).text.replace(/Scope:\n.*\n/, 'Scope:\n<scope>\n').replace(/Branch: .*\n/, 'Branch: <branch>\n') }),
      ),
    says: 'a dispatch went out with holes <scope>, <branch> unfilled or empty',
  },
  {
    id: 'M3.two-fields-missing',
    rule: 'M3',
    clause: 'every field of the template is there',
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        is('message.sent', (e) => e.to === w(m, 'ui').thread && /DISPATCH for/.test(e.text)),
        (e) => ({ ...e, text: (e as EventOf<'message.sent'>).text.replace(/Base commit: .*\n/, '').replace(/Working directory: .*\n/, '') }),
      ),
    says: 'a dispatch went out without Working directory, Base commit',
  },
  {
    id: 'M3.roster-misses-two',
    rule: 'M3',
    clause: 'a dispatch roster names every live worker',
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        is('message.sent', (e) => e.to === w(m, 'ui').thread && /DISPATCH for/.test(e.text)),
        (e) => ({ ...e, text: (e as EventOf<'message.sent'>).text.replace(/- db \| .*\n/, '').replace(/- api \| .*\n/, '') }),
      ),
    says: 'a dispatch roster misses api, db',
  },
  // Window edges (the holds below pin the other side of each).
  {
    id: 'M6.asked-long-ago',
    rule: 'M6',
    clause: 'a read counts as suspected only within three passes of a status request',
    base: 'stalls-mid-task',
    make: (ev, m) => readsOf(ev, w(m, 'ui').thread, [800_000, 782_000 + 360_001]),
    says: 'read_thread on worker ui, which had started and was neither suspected of stalling nor ambiguous: a routine read',
  },
  // What makes a read a check on a suspected stall, one part at a time (M6.asked-recently holds).
  {
    id: 'M6.asked-another',
    rule: 'M6',
    clause: 'only a status request to the read worker makes its read a check',
    base: 'stalls-mid-task',
    make: (ev, m) => messageThenLateRead(ev, m, { to: w(m, 'api').thread, at: 1_100_000 }),
    says: 'read_thread on worker ui, which had started and was neither suspected of stalling nor ambiguous: a routine read',
  },
  {
    id: 'M6.dispatch-is-no-request',
    rule: 'M6',
    clause: 'only a status request (not a dispatch) makes a read a check',
    base: 'stalls-mid-task',
    make: (ev, m) => {
      const dispatch = ev.find(
        (e): e is EventOf<'message.sent'> => e.kind === 'message.sent' && e.from === L(ev) && e.to === w(m, 'ui').thread && /DISPATCH for/.test(e.text),
      )!;
      return messageThenLateRead(ev, m, { text: dispatch.text, at: 1_100_000 });
    },
    also: ['M3'], // the old dispatch's roster predates the replacement
    says: 'read_thread on worker ui, which had started and was neither suspected of stalling nor ambiguous: a routine read',
  },
  {
    id: 'M6.asked-after-read',
    rule: 'M6',
    clause: 'a status request sent after the read does not explain it',
    base: 'stalls-mid-task',
    make: (ev, m) => messageThenLateRead(ev, m, { at: 782_000 + 360_002 }),
    says: 'read_thread on worker ui, which had started and was neither suspected of stalling nor ambiguous: a routine read',
  },
  // What makes a message ambiguous, one part at a time (M6.ambiguous-message holds with all).
  {
    id: 'M6.odd-message-from-another',
    rule: 'M6',
    clause: 'only a message from the read worker makes its read a check',
    base: 'happy-three',
    make: (ev, m) => oddMessageThenReads(ev, m, { from: w(m, 'ui').thread }),
    also: ['M1'],
    says: 'read_thread on worker api, which had started and was neither suspected of stalling nor ambiguous: a routine read',
  },
  {
    id: 'M6.odd-message-to-another',
    rule: 'M6',
    clause: 'only a message to the leader makes a read a check',
    base: 'happy-three',
    make: (ev, m) => oddMessageThenReads(ev, m, { to: w(m, 'ui').thread }),
    also: ['M1', 'M5'],
    says: 'read_thread on worker api, which had started and was neither suspected of stalling nor ambiguous: a routine read',
  },
  {
    id: 'M6.odd-message-after-read',
    rule: 'M6',
    clause: 'a message that lands after the read does not explain it',
    base: 'happy-three',
    make: (ev, m) => oddMessageThenReads(ev, m, { sentAt: 740_001 }),
    also: ['M1'],
    says: 'read_thread on worker api, which had started and was neither suspected of stalling nor ambiguous: a routine read',
  },
  {
    id: 'M6.odd-message-long-ago',
    rule: 'M6',
    clause: 'a read counts as a check only within two passes of the odd message',
    base: 'happy-three',
    make: (ev, m) => oddMessageThenReads(ev, m, { sentAt: 499_999 }),
    also: ['M1'],
    says: 'read_thread on worker api, which had started and was neither suspected of stalling nor ambiguous: a routine read',
  },
  {
    id: 'M6.header-checks-out',
    rule: 'M6',
    clause: 'a message whose header checks out makes no read a check',
    base: 'happy-three',
    make: (ev, m) => oddMessageThenReads(ev, m, { text: `From: api (thread ID: ${w(m, 'api').thread})\nSTATUS working` }),
    says: 'read_thread on worker api, which had started and was neither suspected of stalling nor ambiguous: a routine read',
  },
  {
    id: 'M4.over-limit',
    rule: 'M4',
    clause: "the leader's messages stay under the limit",
    base: 'stalls-mid-task',
    make: (ev) => padStatusRequest(ev, 1501),
    says: 'the leader sent a 1501-character message (limit 1500): a payload, not a signal',
  },
  {
    id: 'S2.progress-in-window',
    rule: 'S2',
    clause: 'no replacing a worker that showed progress in the stall window',
    base: 'stalls-mid-task',
    make: (ev, m) => progressAt(ev, m, 1_022_000 - 360_000 + 1),
    says: 'worker ui was replaced although it showed progress in the 3 heartbeat passes before',
  },
  {
    id: 'S3.asked-too-late',
    rule: 'S3',
    clause: 'a started worker gets a status request a pass before it is replaced',
    base: 'stalls-mid-task',
    make: (ev) =>
      change(
        ev,
        is('message.sent', (e) => e.from === L(ev) && /STATUS REQUEST/.test(e.text)),
        (e) => ({ ...e, t: 1_022_000 - 120_000 + 30_000 + 1 }),
      ),
    says: 'started worker ui was replaced without a status request a heartbeat pass earlier',
  },
  {
    id: 'H3.wait-over-bound',
    rule: 'H3',
    clause: 'does not sit in wait_threads when a heartbeat is there',
    base: 'happy-three',
    make: (ev) =>
      insertAfter(
        ev,
        is('tool.call', (e) => e.tool === 'wait_threads' && e.turn === 'turn-17'),
        tool(ev, L(ev), 'turn-17', 'wait_threads', { targets: [], timeoutMs: 240_001 }, true, { timedOut: true }),
      ),
    says: 'the leader sat 240 s in wait_threads in one turn (turn-17) although a heartbeat was available',
  },
  {
    id: 'A1.reason-given',
    rule: 'A1',
    clause: 'the journal is marked aborted with a reason',
    base: 'cancel-mid-run',
    make: (ev) => lastJournal(ev, (c) => c.replace('the user cancelled the run', 'no')),
    says: 'after the cancel, the journal was not marked aborted with a reason',
  },
  {
    id: 'U1.merges-named',
    rule: 'U1',
    clause: 'a status question gets roster, blockers, merges and next action',
    base: 'status-query',
    make: (ev) => statusAnswers(ev, (t) => t.replace(/Merges/g, 'Integrated')),
    says: 'a status question got no answer with roster, blockers, merge progress and next action',
  },
  {
    id: 'U1.next-named',
    rule: 'U1',
    clause: 'a status question gets roster, blockers, merges and next action',
    base: 'status-query',
    make: (ev) => statusAnswers(ev, (t) => t.replace(/Next action/g, 'Then')),
    says: 'a status question got no answer with roster, blockers, merge progress and next action',
  },
  {
    id: 'L2.reason-given',
    rule: 'L2',
    clause: 'every task is merged or excluded with a reason',
    base: 'happy-three',
    make: (ev) => {
      const out = remove(ev, (_, k) => k === find(ev, leaderWs(ev, 'merge'), 2));
      return finalReport(out, (t) => t.replace(/Not integrated:\n[^\n]*/, 'Not integrated:\n- db: no'));
    },
    says: 'the task of db was neither merged nor excluded with a reason in the final report',
  },
  {
    id: 'J2.own-journal-removed',
    rule: 'J2',
    clause: 'writes only the journal keyed by its own id',
    base: 'happy-three',
    make: (ev) =>
      insertAfter(ev, journalWrite(ev), ws('removeFile', L(ev), '/repo', { paths: ['.thread-team/22222222-2222-7222-8222-222222222222/state.md'] })),
    says: 'the leader wrote .thread-team/22222222-2222-7222-8222-222222222222/state.md, a journal not keyed by its own thread id',
  },
  {
    id: 'J3.excluded-before',
    rule: 'J3',
    clause: '.thread-team/ is git-excluded before the first journal write',
    base: 'happy-three',
    make: (ev) => move(ev, leaderWs(ev, 'addExclude'), journalWrite(ev)),
    says: '.thread-team/ was not git-excluded before the first journal write',
  },
  {
    id: 'J3.worker-commit',
    rule: 'J3',
    clause: 'no commit carries .thread-team/',
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        is('ws', (e) => e.actor === w(m, 'db').thread && e.op === 'commitAll'),
        (e) => ({ ...e, paths: [...((e as EventOf<'ws'>).paths ?? []), '.thread-team/report.md'] }),
      ),
    says: 'a commit in /worktrees/e6b44795/repo carried .thread-team/report.md',
    by: 'worker',
  },
  {
    id: 'J4.fast-forward-twice',
    rule: 'J4',
    clause: 'no branch merged twice',
    base: 'happy-three',
    make: (ev) => mergeAgain(ev, 'fast-forward'),
    says: 'branch codex/b4fe22fd was merged twice',
    also: ['R1', 'J1'],
  },
  {
    id: 'R1.report-read-ok',
    rule: 'R1',
    clause: "the worker's report is read before its merge",
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        leaderWs(ev, 'readFile', (e) => e.dir === w(m, 'api').cwd && (e.paths?.[0] ?? '').endsWith('report.md')),
        (e) => ({ ...e, ok: false }),
      ),
    says: "branch codex/b4fe22fd was merged without reading its worker's report first",
  },
  {
    id: 'R1.report-file',
    rule: 'R1',
    clause: "the worker's report is read before its merge",
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        leaderWs(ev, 'readFile', (e) => e.dir === w(m, 'api').cwd && (e.paths?.[0] ?? '').endsWith('report.md')),
        (e) => ({ ...e, paths: ['.thread-team/notes.md'] }),
      ),
    says: "branch codex/b4fe22fd was merged without reading its worker's report first",
  },
  {
    id: 'R1.diff-read-ok',
    rule: 'R1',
    clause: 'the diff is reviewed before the merge',
    base: 'happy-three',
    make: (ev) =>
      change(
        ev,
        (_, k) => k === find(ev, leaderWs(ev, 'changedFiles')),
        (e) => ({ ...e, ok: false }),
      ),
    says: 'branch codex/b4fe22fd was merged without reviewing its diff first',
  },
  {
    id: 'R1.tested-in-root',
    rule: 'R1',
    clause: 'a build/test run between one merge and the next',
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        (_, k) => k === find(ev, leaderWs(ev, 'run')),
        (e) => ({ ...e, dir: w(m, 'api').cwd }),
      ),
    says: 'branch codex/b4fe22fd was merged and codex/46a94c13 merged next without a build/test run in between',
  },
  {
    id: 'R4.verified-in-root',
    rule: 'R4',
    clause: 'the merged whole is verified after that review',
    base: 'happy-three',
    make: (ev, m) =>
      change(
        ev,
        (_, k) => k === find(ev, leaderWs(ev, 'run'), 3),
        (e) => ({ ...e, dir: w(m, 'api').cwd }),
      ),
    says: 'the run was reported complete without reviewing and verifying the merged whole after the last merge',
  },
  {
    id: 'J4.reread-before-any-call',
    rule: 'J4',
    clause: 'after a context loss the first act reads the journal',
    base: 'context-loss-during-merge',
    make: (ev) =>
      insertAfter(
        ev,
        is('fault', (f) => f.fault === 'context-loss'),
        tool(ev, L(ev), 'turn-x', 'list_threads', {}, true, {}),
      ),
    says: 'after losing its context the leader acted before rereading its journal',
  },
  {
    id: 'J4.reread-the-journal',
    rule: 'J4',
    clause: 'after a context loss the first act reads the journal',
    base: 'context-loss-during-merge',
    make: (ev) => {
      const k = firstActAfterContextLoss(ev);
      return change(
        ev,
        (_, j) => j === k,
        (e) => ({ ...e, paths: ['.thread-team/notes.md'] }),
      );
    },
    says: 'after losing its context the leader acted before rereading its journal',
  },
  {
    id: 'J5.reported-at-once',
    rule: 'J5',
    clause: "reports another leader's unfinished run at the start",
    base: 'two-leaders',
    make: (ev) => {
      const other = '0199aaaa-0000-7000-8000-000000000001';
      const out = change(
        ev,
        is('assistant.message', (e) => e.thread === L(ev) && e.text.includes(other)),
        (e) => ({ ...e, text: (e as EventOf<'assistant.message'>).text.replaceAll(other, 'another leader') }),
      );
      // Said only in a later turn, and by someone else in the first one.
      const later = insertAfter(
        out,
        is('turn.start', (e) => e.thread === L(ev) && e.turn === 'turn-2'),
        said(L(ev), 'turn-2', `Note: the run of leader ${other} is unfinished.`),
      );
      return insertAfter(
        later,
        is('turn.start', (e) => e.thread === L(ev)),
        said(OTHER, 'turn-1', `the run of leader ${other} is unfinished`),
      );
    },
    says: 'the unfinished run of leader 0199aaaa-0000-7000-8000-000000000001 was not reported when this run started',
  },
  {
    id: 'H3.read-polling',
    rule: 'H3',
    clause: 'polls a worker at most twice in one turn',
    base: 'happy-three',
    make: (ev, m) => {
      const read = tool(ev, L(ev), 'turn-17', 'read_thread', { threadId: w(m, 'ui').thread }, true, {});
      return insertAfter(
        ev,
        is('tool.call', (e) => e.tool === 'wait_threads' && e.turn === 'turn-17'),
        read,
        read,
      );
    },
    says: 'the leader polled fd8dc42c-47b5-74b1-b69c-2e4446a94c13 3 times in one turn (turn-17) instead of ending the turn',
    also: ['M6'],
  },
];

/**
 * never-starts with ui's branch merged just before (`offset` -1) or just after (1) api's
 * replacement thread is created, and the roster update to ui removed.
 */
function mergedAndUntold(ev: Events, m: TraceModel, offset: -1 | 1): TraceEvent[] {
  const ui = w(m, 'ui');
  const untold = remove(
    ev,
    is('message.sent', (e) => e.to === ui.thread && /ROSTER UPDATE/.test(e.text)),
  );
  const replacement = find(
    untold,
    is('thread.created', (e) => e.worktree !== null),
    3,
  );
  const merge = ws('merge', L(ev), (ev[0] as EventOf<'run.start'>).repo, { ref: ui.worktree!.branch, detail: 'fast-forward' });
  return insertAt(untold, replacement + Math.min(offset, 0), merge);
}

/** never-starts with a 400 s clock jump at `t` and api archived (and replaced) 400 s later for it. */
function apiLateAfterJump(ev: Events, m: TraceModel, t: number): TraceEvent[] {
  const k = find(
    ev,
    is('thread.archived', (e) => e.thread === w(m, 'api').thread),
  );
  const late = laterFrom(ev, k, 400_000);
  return insertAt(late, lastAtOrBefore(late, t), { kind: 'fault', fault: 'clock-jump', detail: '+400000 ms', t } as unknown as TraceBody);
}

export const HOLDS: readonly Holds[] = [
  {
    id: 'W1.replacement-reuses-folder',
    rule: 'W1',
    base: 'never-starts',
    why: 'a replacement may take over the folder of a worker archived before it was created',
    make: (ev, m) => {
      const [first, second] = [...m.workers.values()]
        .filter((x, _, all) => all.some((o) => o !== x && o.role === x.role))
        .sort((a, b) => a.created - b.created);
      const out = change(
        ev,
        is('thread.created', (e) => e.thread === second!.thread),
        (e) => ({ ...e, cwd: first!.cwd }),
      );
      return change(
        out,
        is('ws', (e) => e.actor === second!.thread && e.dir === second!.cwd),
        (e) => ({ ...e, dir: first!.cwd }),
      );
    },
  },
  {
    id: 'W3.keep-worktrees',
    rule: 'W3',
    base: 'happy-three',
    why: 'the user asked to keep the worktrees',
    make: (ev) => {
      const out = remove(ev, leaderWs(ev, 'worktreeRemove'));
      return insertAt(
        out,
        find(
          out,
          is('user.input', (e) => e.intent === 'confirm'),
        ),
        { kind: 'user.input', thread: L(ev), text: 'Please keep the worktrees afterwards.', intent: 'other' },
      );
    },
  },
  {
    id: 'W1.archived-as-replaced',
    rule: 'W1',
    base: 'never-starts',
    why: 'a worker archived at the very moment its replacement is made in its folder is no longer live',
    make: (ev, m) => {
      const [first, second] = [...m.workers.values()]
        .filter((x, _, all) => all.some((o) => o !== x && o.role === x.role))
        .sort((a, b) => a.created - b.created);
      const out = change(
        ev,
        is('thread.created', (e) => e.thread === second!.thread),
        (e) => ({ ...e, cwd: first!.cwd, t: first!.archivedAt! }),
      );
      return change(
        out,
        is('ws', (e) => e.actor === second!.thread && e.dir === second!.cwd),
        (e) => ({ ...e, dir: first!.cwd }),
      );
    },
  },
  {
    id: 'W2.worktree-added-by-leader',
    rule: 'W2',
    base: 'happy-three',
    why: 'a worker made without a worktree is fine when the leader added one in its folder before the dispatch',
    make: (ev, m) => {
      const out = change(
        ev,
        is('thread.created', (e) => e.thread === w(m, 'ui').thread),
        (e) => ({ ...e, worktree: null }),
      );
      return change(
        out,
        is('ws', (e) => e.op === 'worktreeAdd' && e.dir === w(m, 'ui').cwd),
        (e) => ({ ...e, actor: L(ev) }),
      );
    },
  },
  {
    id: 'W3.no-final-report',
    rule: 'W3',
    base: 'happy-three',
    why: 'a run that never ended is judged by L1, not W3',
    make: (ev) => remove(remove(ev, leaderWs(ev, 'worktreeRemove')), FINAL(ev)),
  },
  {
    id: 'W3.not-the-leaders',
    rule: 'W3',
    base: 'happy-three',
    why: "a worktree someone else made is not the leader's to remove",
    make: (ev, m) =>
      insertAfter(
        ev,
        is('thread.created', (e) => e.thread === w(m, 'db').thread),
        ws('worktreeAdd', w(m, 'db').thread, '/worktrees/db-scratch/repo', { ref: 'scratch' }),
      ),
  },
  {
    id: 'T4.spaced-settings',
    rule: 'T4',
    base: 'user-settings',
    why: 'the confirmation names its settings however it spaces them',
    make: (ev) =>
      change(
        ev,
        is('user.input', (e) => e.intent === 'confirm'),
        (e) => ({ ...e, text: (e as EventOf<'user.input'>).text.replace(/model\s+/i, 'model   ').replace(/thinking\s+/i, 'thinking \t ') }),
      ),
  },
  {
    id: 'M6.asked-recently',
    rule: 'M6',
    base: 'stalls-mid-task',
    why: 'reads within three passes of a status request are the leader checking a suspected stall',
    make: (ev, m) => readsOf(ev, w(m, 'ui').thread, [800_000, 782_000 + 360_000]),
  },
  {
    id: 'M6.failed-reads',
    rule: 'M6',
    base: 'happy-three',
    why: "a read the service refused put nothing in the leader's context",
    make: (ev, m) => {
      const out = readsOf(ev, w(m, 'api').thread, [700_000, 701_000, 702_000]);
      return change(
        out,
        is('tool.call', (e) => e.tool === 'read_thread' && e.t > 700_000),
        (e) => ({ ...e, ok: false }),
      );
    },
  },
  {
    id: 'M6.ambiguous-message',
    rule: 'M6',
    base: 'happy-three',
    why: 'reads within two passes of a message from the worker whose header did not check out',
    make: (ev, m) => oddMessageThenReads(ev, m, {}),
  },
  {
    id: 'M5.named-collaborator',
    rule: 'M5',
    base: 'happy-three',
    why: 'a worker may message a peer its dispatch names',
    make: (ev, m) => uiMessagesPeer(ev, m, w(m, 'api').thread),
  },
  {
    id: 'M5.collaborator-by-roster-id',
    rule: 'M5',
    base: 'happy-three',
    why: 'the roster says which thread a named peer is, even one the trace never saw created',
    make: (ev, m) => uiMessagesPeer(ev, m, OTHER_THREAD, (t) => t.replace(w(m, 'api').thread, OTHER_THREAD)),
  },
  {
    id: 'M5.collaborator-by-role',
    rule: 'M5',
    base: 'happy-three',
    why: 'a peer named by its bare role is recognised by that role even when the roster misses its line',
    make: (ev, m) => uiMessagesPeer(ev, m, w(m, 'api').thread, (t) => t.replace(/- api \| .*\n/, '').replace('- api: for the endpoint shape', '- api')),
  },
  {
    id: 'M6.asked-at-read',
    rule: 'M6',
    base: 'stalls-mid-task',
    why: 'a status request sent at the moment of the read makes it a check',
    make: (ev, m) => messageThenLateRead(ev, m, { at: 782_000 + 360_001 }),
  },
  {
    id: 'M6.no-header',
    rule: 'M6',
    base: 'happy-three',
    why: 'a message from the worker with no header at all is ambiguous too',
    make: (ev, m) => oddMessageThenReads(ev, m, { text: 'STATUS working' }),
  },
  {
    id: 'M6.odd-message-at-read',
    rule: 'M6',
    base: 'happy-three',
    why: 'a message that lands at the moment of the read is one the leader has',
    make: (ev, m) => oddMessageThenReads(ev, m, { sentAt: 600_000, deliveredAt: 740_000 }),
  },
  {
    id: 'M4.at-limit',
    rule: 'M4',
    base: 'stalls-mid-task',
    why: 'a message of exactly the limit is within it',
    make: (ev) => padStatusRequest(ev, 1500),
  },
  {
    id: 'S2.progress-before-window',
    rule: 'S2',
    base: 'stalls-mid-task',
    why: 'progress exactly three passes before the replacement is outside the stall window',
    make: (ev, m) => progressAt(ev, m, 1_022_000 - 360_000),
  },
  {
    id: 'S2.progress-after-archive',
    rule: 'S2',
    base: 'stalls-mid-task',
    why: 'work an archived worker did after it was archived is not a reason not to replace it',
    make: (ev, m) => progressAt(ev, m, 1_022_000 + 1),
  },
  {
    id: 'S3.asked-a-pass-before',
    rule: 'S3',
    base: 'stalls-mid-task',
    why: 'a status request a heartbeat pass (less a scheduler tick) before the replacement is in time',
    make: (ev) =>
      change(
        ev,
        is('message.sent', (e) => e.from === L(ev) && /STATUS REQUEST/.test(e.text)),
        (e) => ({ ...e, t: 1_022_000 - 120_000 + 30_000 }),
      ),
  },
  {
    id: 'H3.two-polls',
    rule: 'H3',
    base: 'happy-three',
    why: 'two polls of one worker in a turn, and any number the service refused, are not busy waiting',
    make: (ev, m) => {
      const poll = (ok: boolean) =>
        tool(ev, L(ev), 'turn-17', 'wait_threads', { targets: [{ threadId: w(m, 'ui').thread }], timeoutMs: 0 }, ok, { timedOut: false });
      return insertAfter(
        ev,
        is('tool.call', (e) => e.tool === 'wait_threads' && e.turn === 'turn-17'),
        poll(true),
        poll(false),
        poll(false),
      );
    },
  },
  {
    id: 'H3.steered-input',
    rule: 'H3',
    base: 'happy-three',
    why: 'a message steered into the running turn is new input: polling again to answer it is not busy waiting',
    make: (ev, m) => {
      const poll = tool(ev, L(ev), 'turn-17', 'wait_threads', { targets: [{ threadId: w(m, 'ui').thread }], timeoutMs: 0 }, true, { timedOut: false });
      return insertAfter(
        ev,
        is('tool.call', (e) => e.tool === 'wait_threads' && e.turn === 'turn-17'),
        poll,
        { kind: 'turn.steer', thread: L(ev), turn: 'turn-17', causes: ['delegation'], inputs: ['a report'] },
        poll,
        poll,
      );
    },
  },
  {
    id: 'S1.merged-workers-need-no-roster',
    rule: 'S1',
    base: 'never-starts',
    why: 'a worker whose branch was merged before the replacement came is done: there is no one to tell',
    make: (ev, m) => mergedAndUntold(ev, m, -1),
  },
  {
    id: 'H3.steered-twice',
    rule: 'H3',
    base: 'happy-three',
    why: 'each message steered into the turn is new input of its own: two polls after each are not busy waiting',
    make: (ev, m) => {
      const poll = tool(ev, L(ev), 'turn-17', 'wait_threads', { targets: [{ threadId: w(m, 'ui').thread }], timeoutMs: 0 }, true, { timedOut: false });
      const steer = (text: string): TraceBody => ({ kind: 'turn.steer', thread: L(ev), turn: 'turn-17', causes: ['delegation'], inputs: [text] });
      return insertAfter(
        ev,
        is('tool.call', (e) => e.tool === 'wait_threads' && e.turn === 'turn-17'),
        steer('a report'),
        poll,
        poll,
        steer('another report'),
        poll,
        poll,
      );
    },
  },
  {
    id: 'H3.wait-at-bound',
    rule: 'H3',
    base: 'happy-three',
    why: 'waiting two heartbeat intervals in a turn is allowed',
    make: (ev) =>
      insertAfter(
        ev,
        is('tool.call', (e) => e.tool === 'wait_threads' && e.turn === 'turn-17'),
        tool(ev, L(ev), 'turn-17', 'wait_threads', { targets: [], timeoutMs: 240_000 }, true, { timedOut: true }),
      ),
  },
  {
    id: 'H3.no-heartbeat-tool',
    rule: 'H3',
    base: 'no-heartbeat-tool',
    why: 'without a heartbeat tool, waiting in the turn is the only way to poll',
    make: (ev) =>
      insertAfter(
        ev,
        is('tool.call', (e) => e.tool === 'wait_threads'),
        tool(ev, L(ev), 'turn-x', 'wait_threads', { targets: [], timeoutMs: 3_600_000 }, true, { timedOut: true }),
      ),
  },
  {
    id: 'H4.worker-heartbeat',
    rule: 'H4',
    base: 'happy-three',
    why: "only the leader's own heartbeat must be paused for a merge",
    make: (ev, m) =>
      insertAfter(
        ev,
        is('automation', (e) => e.op === 'create'),
        { kind: 'automation', op: 'create', id: 'auto-w', thread: w(m, 'db').thread, status: 'ACTIVE', rrule: 'FREQ=HOURLY' },
      ),
  },
  {
    id: 'J1.redo-merge',
    rule: 'J1',
    base: 'happy-three',
    why: 'merging a branch already in changes nothing (a leader recovering from a context loss redoes it)',
    make: (ev) => {
      const k = find(ev, leaderWs(ev, 'merge'));
      return insertAt(ev, k, { ...(ev[k] as EventOf<'ws'>), detail: 'up-to-date' });
    },
  },
  {
    id: 'J2.own-files',
    rule: 'J2',
    base: 'happy-three',
    why: "files under the leader's own journal folder are its own",
    make: (ev) =>
      insertAfter(
        ev,
        journalWrite(ev),
        ws('writeFile', L(ev), '/repo', { paths: [`.thread-team/${L(ev)}/state.md`], content: 'x' }),
        ws('removeFile', L(ev), '/repo', { paths: ['.thread-team/notes.md'] }),
      ),
  },
  {
    id: 'A1.short-reason',
    rule: 'A1',
    base: 'cancel-mid-run',
    why: 'three characters are a reason',
    make: (ev) => lastJournal(ev, (c) => c.replace('the user cancelled the run', 'why')),
  },
  {
    id: 'A1.cancel-after-the-end',
    rule: 'A1',
    base: 'happy-three',
    why: 'a cancel read after the final report has nothing left to tear down',
    make: (ev) => insertAfter(ev, FINAL(ev), { kind: 'user.input', thread: L(ev), text: 'Cancel the run.', intent: 'cancel' }),
  },
  {
    id: 'L2.short-reason',
    rule: 'L2',
    base: 'happy-three',
    why: 'three characters are a reason',
    make: (ev) => {
      const out = remove(ev, (_, k) => k === find(ev, leaderWs(ev, 'merge'), 2));
      return finalReport(out, (t) => t.replace(/Not integrated:\n[^\n]*/, 'Not integrated:\n- db: why'));
    },
  },
  {
    id: 'M3.short-other',
    rule: 'M3',
    base: 'happy-three',
    why: 'a short message to a registered worker is not a task in disguise',
    make: (ev, m) =>
      change(
        ev,
        is('message.sent', (e) => e.to === w(m, 'ui').thread && /DISPATCH for/.test(e.text)),
        (e) => ({ ...e, text: `From: leader (thread ID: ${L(ev)})\n`.padEnd(400, 'x') }),
      ),
  },
  {
    id: 'J1.views-and-failures',
    rule: 'J1',
    base: 'happy-three',
    why: 'looking at a heartbeat and a call the service refused change nothing',
    make: (ev) =>
      insertAfter(
        ev,
        is('tool.call', (e) => e.tool === 'wait_threads' && e.turn === 'turn-17'),
        tool(ev, L(ev), 'turn-17', 'automation_update', { mode: 'view' }, true, {}),
        tool(ev, L(ev), 'turn-17', 'create_thread', { model: 'gpt-5.4', thinking: 'high' }, false, 'refused'),
        { kind: 'ws', op: 'merge', actor: L(ev), dir: '/repo', ref: 'codex/x', ok: false, detail: 'refused' },
      ),
  },
  {
    id: 'J2.failed-write',
    rule: 'J2',
    base: 'happy-three',
    why: 'a write that failed wrote nothing',
    make: (ev) =>
      insertAfter(ev, journalWrite(ev), {
        ...ws('writeFile', L(ev), '/repo', { paths: ['.thread-team/22222222-2222-7222-8222-222222222222/state.md'] }),
        ok: false,
      }),
  },
  ...['/.thread-team/', '.thread-team', '.thread-team/*', '.thread-team/**'].map(
    (pattern): Holds => ({
      id: `J3.exclude-spelling ${pattern}`,
      rule: 'J3',
      base: 'happy-three',
      why: 'each way of writing the exclusion excludes the folder',
      make: (ev) => change(ev, leaderWs(ev, 'addExclude'), (e) => ({ ...e, detail: pattern })),
    }),
  ),
  {
    id: 'J4.conflict-then-merge',
    rule: 'J4',
    base: 'conflict-maker',
    why: 'a conflicted attempt is not a merge: the branch merged once',
    make: (ev) => {
      const k = find(ev, leaderWs(ev, 'merge'));
      return insertAt(ev, k - 1, { ...(ev[k] as EventOf<'ws'>), detail: 'conflict' });
    },
  },
  {
    id: 'J5.finished-run',
    rule: 'J5',
    base: 'two-leaders',
    why: "another leader's finished run is history, not a run in progress",
    make: (ev) => {
      const out = change(
        ev,
        is('ws', (e) => e.actor === 'setup' && e.op === 'writeFile'),
        (e) => ({ ...e, content: '# Thread team journal\n\n## Status\ncomplete\n' }),
      );
      return change(
        out,
        is('assistant.message', (e) => e.thread === L(ev) && e.text.includes('0199aaaa')),
        (e) => ({ ...e, text: (e as EventOf<'assistant.message'>).text.replaceAll('0199aaaa-0000-7000-8000-000000000001', 'another leader') }),
      );
    },
  },
  {
    id: 'R1.aborted-conflict',
    rule: 'R1',
    base: 'happy-three',
    why: 'a merge that conflicted and was aborted took no effect: nothing to review or test',
    make: (ev) => {
      const k = find(ev, leaderWs(ev, 'merge'));
      const merge = ev[k] as EventOf<'ws'>;
      return insertAt(
        ev,
        k - 1,
        { ...merge, ref: 'codex/elsewhere', detail: 'conflict' },
        { kind: 'ws', op: 'abortMerge', actor: L(ev), dir: m0(ev), ok: true },
      );
    },
  },
  {
    id: 'R1.merge-elsewhere',
    rule: 'R1',
    base: 'happy-three',
    why: 'a merge outside the integration checkout is not an integration',
    make: (ev, m) => insertAfter(ev, leaderWs(ev, 'changedFiles'), ws('merge', L(ev), w(m, 'api').cwd, { ref: 'main', detail: 'merged' })),
  },
  {
    id: 'R2.failed-op',
    rule: 'R2',
    base: 'happy-three',
    why: 'an operation that failed did nothing to the integration checkout',
    make: (ev, m) =>
      insertAfter(
        ev,
        is('ws', (e) => e.actor === w(m, 'ui').thread && e.op === 'commitAll'),
        { ...ws('merge', w(m, 'ui').thread, m.root, { ref: 'codex/x' }), ok: false },
      ),
  },
  {
    id: 'R3.after-archive',
    rule: 'R3',
    base: 'happy-three',
    why: "once a worker is archived its worktree is the leader's to tidy",
    make: (ev, m) => {
      const ui = w(m, 'ui');
      const k = find(
        ev,
        is('thread.archived', (e) => e.thread === ui.thread),
      );
      return insertAt(ev, k, ws('writeFile', L(ev), ui.cwd, { paths: ['src/ui/settings-page.tsx'] }));
    },
  },
  {
    id: 'R3.failed-or-read',
    rule: 'R3',
    base: 'happy-three',
    why: "a write that failed, and a read, change nothing in the worker's worktree",
    make: (ev, m) =>
      insertAfter(
        ev,
        leaderWs(ev, 'changedFiles'),
        { ...ws('writeFile', L(ev), w(m, 'ui').cwd, { paths: ['x'] }), ok: false },
        ws('readFile', L(ev), w(m, 'ui').cwd, { paths: ['x'] }),
      ),
  },
  {
    id: 'R4.aborted-run',
    rule: 'R4',
    base: 'happy-three',
    why: 'a run reported as aborted is not claimed complete',
    make: (ev) => {
      const out = remove(ev, (_, k) => k === find(ev, leaderWs(ev, 'changedFiles'), 3));
      return finalReport(out, (t) => t.replace('Thread team run: complete', 'Thread team run: aborted: the user cancelled the run'));
    },
  },
  {
    id: 'H2.paused-or-for-a-worker',
    rule: 'H2',
    base: 'happy-three',
    why: 'a paused heartbeat, or one for another thread, is not a second active one on the leader',
    make: (ev, m) =>
      insertAfter(
        ev,
        is('tool.call', (e) => e.tool === 'wait_threads'),
        tool(ev, L(ev), 'turn-12', 'automation_update', { mode: 'create', status: 'PAUSED' }, false, 'refused'),
        tool(ev, L(ev), 'turn-12', 'automation_update', { mode: 'create', targetThreadId: w(m, 'db').thread }, false, 'refused'),
        tool(ev, L(ev), 'turn-12', 'automation_update', { mode: 'update', status: 'ACTIVE' }, false, 'refused'),
      ),
  },
  {
    id: 'H1.run-not-over',
    rule: 'H1',
    base: 'happy-three',
    why: 'a heartbeat of a run that has not ended yet is not leaked',
    make: (ev) => {
      const out = remove(
        remove(
          ev,
          is('automation', (e) => e.op === 'delete'),
        ),
        is('run.end'),
      );
      return remove(out, FINAL(ev));
    },
  },
  {
    id: 'J4.others-act-first',
    rule: 'J4',
    base: 'context-loss-during-merge',
    why: 'what workers do after the leader lost its context is not the leader acting',
    make: (ev, m) => {
      const api = w(m, 'api');
      return insertAfter(
        ev,
        is('fault', (f) => f.fault === 'context-loss'),
        tool(ev, api.thread, 'turn-w', 'send_message_to_thread', {}, true, {}),
        ws('readFile', api.thread, api.cwd, { paths: ['x'] }),
      );
    },
  },
  {
    id: 'J4.other-faults',
    rule: 'J4',
    base: 'happy-three',
    why: 'only a context loss asks for a reread',
    make: (ev) =>
      insertAfter(
        ev,
        is('tool.call', (e) => e.tool === 'wait_threads'),
        { kind: 'fault', fault: 'clock-jump', detail: '+0 ms' },
        tool(ev, L(ev), 'turn-12', 'list_threads', {}, true, {}),
      ),
  },
  {
    id: 'A1.refused-stop',
    rule: 'A1',
    base: 'cancel-mid-run',
    why: 'a stop the messaging service refused counts: the leader cannot do more than try',
    make: (ev, m) => stopRefused(ev, w(m, 'api').thread),
  },
  {
    id: 'A1.archived-before-the-cancel',
    rule: 'A1',
    base: 'cancel-mid-run',
    why: 'a worker archived before the cancel was read has nothing left to stop',
    make: (ev, m) =>
      move(
        stopRemoved(ev, w(m, 'api').thread),
        is('thread.archived', (e) => e.thread === w(m, 'api').thread),
        (_, k) =>
          k ===
          find(
            ev,
            is('user.input', (x) => x.intent === 'cancel'),
          ) -
            1,
      ),
  },
  {
    id: 'A1.merged-before-the-cancel',
    rule: 'A1',
    base: 'cancel-mid-run',
    why: 'a worker whose branch merged before the cancel is done, not active',
    make: (ev, m) => {
      const api = w(m, 'api');
      const out = remove(
        stopRemoved(ev, api.thread),
        is('thread.archived', (e) => e.thread === api.thread),
      );
      return insertAt(
        out,
        find(
          out,
          is('user.input', (e) => e.intent === 'cancel'),
        ) - 1,
        merge(ev, api.worktree!.branch),
      );
    },
  },
  {
    id: 'A1.read-after-the-end',
    rule: 'A1',
    base: 'happy-three',
    why: 'a cancel that came during the last turn but was read after the final report has nothing left to tear down',
    make: (ev) => {
      const last = find(
        ev,
        is('turn.start', (e) => e.thread === L(ev) && e.turn === 'turn-20'),
      );
      const out = insertAt(ev, last - 1, { kind: 'user.input', thread: L(ev), text: CANCEL, intent: 'cancel' });
      return insertAt(
        out,
        out.length - 2,
        { kind: 'turn.start', thread: L(ev), turn: 'turn-21', causes: ['user'], inputs: [CANCEL] },
        { kind: 'turn.end', thread: L(ev), turn: 'turn-21', status: 'completed' },
      );
    },
  },
  {
    id: 'A1.uncommitted-not-reported',
    rule: 'A1',
    base: 'cancel-mid-run',
    why: 'a branch no commit landed on (a refused commit, one with nothing to commit) has nothing to report',
    make: (ev, m) => {
      const ui = w(m, 'ui');
      const out = insertAfter(
        ev,
        is('ws', (e) => e.actor === ui.thread && e.op === 'writeFile'),
        { ...ws('commitAll', ui.thread, ui.cwd, { sha: 'a'.repeat(40) }), ok: false },
        ws('commitAll', ui.thread, ui.cwd, { sha: null }),
        ws('resolve', ui.thread, ui.cwd, { ref: 'HEAD', sha: 'b'.repeat(40) }),
      );
      return finalReport(out, (t) => t.replaceAll(ui.worktree!.branch, 'its branch'));
    },
  },
  {
    id: 'A1.branch-reported',
    rule: 'A1',
    base: 'cancel-mid-run',
    why: 'a branch with commits named in the final report is reported',
    make: (ev, m) =>
      insertAfter(
        ev,
        is('ws', (e) => e.actor === w(m, 'ui').thread && e.op === 'writeFile'),
        ws('commitAll', w(m, 'ui').thread, w(m, 'ui').cwd, { sha: 'a'.repeat(40) }),
      ),
  },
  {
    id: 'U1.read-a-turn-later',
    rule: 'U1',
    base: 'status-query',
    why: 'a question is answered in the turn that reads it, not in a heartbeat turn that started before it was read',
    make: (ev) =>
      insertAt(
        ev,
        find(
          ev,
          is('user.input', (e) => e.intent === 'status'),
        ),
        { kind: 'turn.start', thread: L(ev), turn: 'turn-h', causes: ['heartbeat'], inputs: ['<heartbeat/>'] },
        { kind: 'turn.end', thread: L(ev), turn: 'turn-h', status: 'completed' },
      ),
  },
  {
    id: 'U1.never-read',
    rule: 'U1',
    base: 'status-query',
    why: 'a question the run ended before reading cannot have been answered',
    make: (ev) => insertAt(ev, ev.length - 2, { kind: 'user.input', thread: L(ev), text: 'And now?', intent: 'status' }),
  },
  {
    id: 'U1.roster-at-the-time',
    rule: 'U1',
    base: 'status-query',
    why: 'the roster is the workers live when the question came: not db, created after it, nor api, archived before the second',
    make: (ev, m) => {
      const q = find(
        ev,
        is('user.input', (e) => e.intent === 'status'),
      );
      const early = move(
        ev,
        (_, k) => k === q,
        is('tool.call', (e) => e.tool === 'send_message_to_thread' && e.turn === 'turn-2' && (e.args as { threadId?: string }).threadId === w(m, 'ui').thread),
      );
      const first = change(
        early,
        is('assistant.message', (e) => e.thread === L(ev) && e.turn === 'turn-13'),
        (e) => ({ ...e, text: (e as EventOf<'assistant.message'>).text.replace(/\bdb\b/g, 'database') }),
      );
      const q2 = find(
        first,
        is('user.input', (e) => e.intent === 'status'),
        1,
      );
      const archived = move(
        first,
        is('thread.archived', (e) => e.thread === w(m, 'api').thread),
        (_, k) => k === q2 - 1,
      );
      return change(
        archived,
        is('assistant.message', (e) => e.thread === L(ev) && e.turn === 'turn-16'),
        (e) => ({ ...e, text: (e as EventOf<'assistant.message'>).text.replace(/\bapi\b/g, 'server') }),
      );
    },
  },
  {
    id: 'S1.jumps-in-the-window',
    rule: 'S1',
    base: 'never-starts',
    why: 'no turn happens inside a clock jump: a jump in the startup window moves its deadline, and so does one in the time that jump added (a jump without a size moves nothing)',
    make: (ev, m) => {
      const k1 = find(
        ev,
        is('assistant.message', (e) => e.text.startsWith('Starting db')),
      );
      const one = insertAt(
        laterFrom(ev, k1 + 1, 600_000),
        k1,
        { kind: 'fault', fault: 'clock-jump', detail: '+600000 ms' },
        { kind: 'fault', fault: 'clock-jump', detail: 'clock skew' },
      );
      const k2 = find(
        one,
        is('thread.archived', (e) => e.thread === w(m, 'api').thread),
      );
      return insertAt(laterFrom(one, k2, 400_000), k2 - 1, { kind: 'fault', fault: 'clock-jump', detail: '+400000 ms' });
    },
  },
  {
    id: 'S1.nobody-started',
    rule: 'S1',
    base: 'never-starts',
    why: "when no worker started, the fault is not one worker's: nothing to replace",
    make: (ev) =>
      remove(
        silenced(ev, [...new TraceModel(ev).workers.keys()]),
        is('thread.archived', (e) => e.t < 700_000),
      ),
  },
  {
    id: 'S1.others-started-late',
    rule: 'S1',
    base: 'never-starts',
    why: "others that started only after api's deadline had not started while api was silent",
    make: (ev, m) => {
      const out = remove(
        silenced(ev, [...m.workers.keys()]),
        is('thread.archived', (e) => e.t < 700_000),
      );
      return insertAt(out, lastAtOrBefore(out, 1_000_000), {
        ...said(w(m, 'ui').thread, 'turn-10', 'Starting ui: Build the billing settings page'),
        t: 1_000_000,
      } as unknown as TraceBody);
    },
  },
  {
    id: 'S1.others-gone-before-the-window-closed',
    rule: 'S1',
    base: 'never-starts',
    why: 'a worker that started but was archived before the silent one\'s window closed was not "another started" while it was silent',
    make: (ev, m) => {
      const ui = w(m, 'ui').thread;
      const others = [...m.workers.keys()].filter((t) => t !== ui);
      // Only ui ever started; it is archived at 600 s, before api's window closes (640 s).
      const out = remove(
        remove(
          silenced(ev, others),
          is('thread.archived', (e) => e.thread === ui),
        ),
        is('thread.archived', (e) => e.t < 700_000),
      );
      return insertAt(out, lastAtOrBefore(out, 600_000), { kind: 'thread.archived', thread: ui, archived: true, t: 600_000 } as unknown as TraceBody);
    },
  },
  {
    id: 'S1.cancelled-at-the-deadline',
    rule: 'S1',
    base: 'never-starts',
    why: 'a cancel at the deadline itself comes in time: nobody is left to replace',
    make: (ev, m) =>
      inputAt(
        remove(
          ev,
          is('thread.archived', (e) => e.thread === w(m, 'api').thread),
        ),
        970_000,
        CANCEL,
        'cancel',
      ),
  },
  {
    id: 'S1.ended-at-the-deadline',
    rule: 'S1',
    base: 'never-starts',
    why: 'a trace that ends at the deadline itself cannot show a missed replacement',
    make: (ev, m) => {
      const out = remove(
        remove(
          ev,
          is('thread.archived', (e) => e.thread === w(m, 'api').thread),
        ),
        (e) => e.t > 970_000,
      );
      return insertAt(out, out.length - 1, { ...said(w(m, 'ui').thread, 'turn-10', 'Still working on ui.'), t: 970_000 } as unknown as TraceBody);
    },
  },
  {
    id: 'S1.jump-at-the-dispatch',
    rule: 'S1',
    base: 'never-starts',
    why: 'a clock jump at the very moment of the dispatch is inside the startup window: it moves the deadline',
    make: (ev, m) => apiLateAfterJump(ev, m, 40_000),
  },
  {
    id: 'S1.jump-at-the-deadline',
    rule: 'S1',
    base: 'never-starts',
    why: 'a clock jump at the deadline itself still comes before the leader could judge: it moves the deadline',
    make: (ev, m) => apiLateAfterJump(ev, m, 970_000),
  },
  {
    id: 'S1.archived-at-the-deadline',
    rule: 'S1',
    base: 'never-starts',
    why: 'a silent worker archived at the deadline itself is replaced in time',
    make: (ev, m) => apiArchivedAt(ev, m, 970_000),
  },
  {
    id: 'S1.incapacitated-is-not-silent',
    rule: 'S1',
    base: 'never-starts',
    why: 'a worker whose thread failed (systemError) did not fail to start: S1 leaves it to the other rules',
    make: (ev, m) =>
      crashAt(
        remove(
          ev,
          is('thread.archived', (e) => e.thread === w(m, 'api').thread),
        ),
        w(m, 'api').thread,
        100_000,
      ),
  },
  {
    id: 'S1.given-up-at-the-deadline',
    rule: 'S1',
    base: 'never-starts',
    why: 'a task given up with its worker archived at the deadline itself, and reported, is given up in time',
    make: (ev, m) => apiArchivedAt(apiReportedGivenUp(ev, m), m, 970_000),
  },
  {
    id: 'S2.crashed-as-it-was-archived',
    rule: 'S2',
    base: 'stalls-mid-task',
    why: 'a worker whose thread failed at the moment it was archived was replaced for the failure, not despite its progress',
    make: (ev, m) => {
      const at =
        ev[
          find(
            ev,
            is('thread.archived', (e) => e.thread === w(m, 'ui').thread),
          )
        ]!.t;
      return crashAt(wroteAt(ev, m, 'ui', at - 60_000), w(m, 'ui').thread, at);
    },
  },
  {
    id: 'S3.crashed-as-it-was-archived',
    rule: 'S3',
    base: 'stalls-mid-task',
    why: 'a worker whose thread failed at the moment it was archived was replaced for the failure: no status request is owed',
    make: (ev, m) => {
      const asked = remove(
        ev,
        is('message.sent', (e) => e.from === L(ev) && /STATUS REQUEST/.test(e.text)),
      );
      const at =
        asked[
          find(
            asked,
            is('thread.archived', (e) => e.thread === w(m, 'ui').thread),
          )
        ]!.t;
      return crashAt(asked, w(m, 'ui').thread, at);
    },
  },
  {
    id: 'S1.answer-at-the-deadline',
    rule: 'S1',
    base: 'never-starts',
    why: 'an answer at the deadline itself is in time',
    make: (ev, m) => {
      const out = remove(
        ev,
        is('thread.archived', (e) => e.thread === w(m, 'api').thread),
      );
      return insertAt(out, lastAtOrBefore(out, 970_000), {
        ...said(w(m, 'api').thread, 'turn-9', 'Starting api: Add the billing settings endpoint'),
        t: 970_000,
      } as unknown as TraceBody);
    },
  },
  {
    id: 'S1.given-up',
    rule: 'S1',
    base: 'never-starts',
    why: 'giving up on a task after its worker never started is allowed when the worker is archived in time and the task reported',
    make: (ev, m) => apiReportedGivenUp(ev, m),
  },
  {
    id: 'S1.cancelled-in-time',
    rule: 'S1',
    base: 'never-starts',
    why: 'a run cancelled before the deadline has nobody left to replace',
    make: (ev, m) =>
      inputAt(
        remove(
          ev,
          is('thread.archived', (e) => e.thread === w(m, 'api').thread),
        ),
        500_000,
        CANCEL,
        'cancel',
      ),
  },
  {
    id: 'S1.ended-before-the-deadline',
    rule: 'S1',
    base: 'never-starts',
    why: 'a trace that ends before the deadline cannot show a missed replacement',
    make: (ev, m) =>
      remove(
        remove(
          ev,
          is('thread.archived', (e) => e.thread === w(m, 'api').thread),
        ),
        (e) => e.t > 960_000,
      ),
  },
  {
    id: 'S1.gone-before-the-replacement',
    rule: 'S1',
    base: 'never-starts',
    why: 'a worker archived before the replacement came needs no roster update',
    make: (ev, m) => {
      const second = [...m.workers.values()].filter((x) => x.role === 'api').at(-1)!;
      const out = remove(
        ev,
        is('message.sent', (e) => e.to === w(m, 'db').thread && /ROSTER UPDATE/.test(e.text)),
      );
      return move(
        out,
        is('thread.archived', (e) => e.thread === w(m, 'db').thread),
        (_, k) =>
          k ===
          find(
            out,
            is('thread.created', (e) => e.thread === second.thread),
          ) -
            1,
      );
    },
  },
  {
    id: 'S2.archived-at-the-end',
    rule: 'S2',
    base: 'happy-three',
    why: 'archiving a worker that is not replaced (at the end of a run) is no replacement',
    make: (ev, m) => wroteAt(ev, m, 'api', 798_000),
  },
  {
    id: 'S2.crashed-then-replaced',
    rule: 'S2',
    base: 'stalls-mid-task',
    why: 'a worker its system error stopped may be replaced whatever it did before',
    make: (ev, m) => crashAt(wroteAt(ev, m, 'ui', 1_000_000), w(m, 'ui').thread, 1_010_000),
  },
  {
    id: 'S3.answered-after-the-archive',
    rule: 'S3',
    base: 'never-starts',
    why: 'a worker whose first words came after it was archived had not started when it was replaced',
    make: (ev, m) =>
      insertAt(ev, lastAtOrBefore(ev, 700_000), {
        ...said(w(m, 'api').thread, 'turn-9', 'Starting api: Add the billing settings endpoint'),
        t: 700_000,
      } as unknown as TraceBody),
  },
  {
    id: 'A1.dispatched-after-the-cancel',
    rule: 'A1',
    base: 'cancel-mid-run',
    why: 'a worker first dispatched after the cancel was read was not active when it came',
    make: (ev, m) => {
      const db = w(m, 'db').thread;
      const out = remove(
        stopRemoved(ev, db),
        is('thread.archived', (e) => e.thread === db),
      );
      return move(
        out,
        is('message.sent', (e) => e.to === db && /DISPATCH for/.test(e.text)),
        is('turn.start', (e) => e.turn === 'turn-14'),
      );
    },
  },
  {
    id: 'U1.quoted-elsewhere-first',
    rule: 'U1',
    base: 'status-query',
    why: 'another thread quoting the question does not read it for the leader',
    make: (ev) =>
      insertAfter(
        ev,
        is('user.input', (e) => e.intent === 'status'),
        { kind: 'turn.start', thread: OTHER, turn: 'turn-o', causes: ['user'], inputs: ['What is the status of the team?'] },
        { kind: 'turn.end', thread: OTHER, turn: 'turn-o', status: 'completed' },
      ),
  },
  {
    id: 'U1.archived-as-asked',
    rule: 'U1',
    base: 'status-query',
    why: 'a worker archived at the moment of the question is gone from the roster',
    make: (ev, m) => {
      const q = find(
        ev,
        is('user.input', (e) => e.intent === 'status'),
      );
      const out = move(
        ev,
        is('thread.archived', (e) => e.thread === w(m, 'ui').thread),
        (_, k) => k === q - 1,
      );
      return change(
        out,
        is('assistant.message', (e) => e.thread === L(ev) && e.turn === 'turn-13'),
        (e) => ({ ...e, text: (e as EventOf<'assistant.message'>).text.replace(/\bui\b/g, 'front end') }),
      );
    },
  },
  {
    id: 'R1.report-deeper',
    rule: 'R1',
    base: 'happy-three',
    why: 'the report is known by its file name, however deep the skill puts it',
    make: (ev) => start(ev, (st) => ({ ...st, profile: { ...st.profile, workerReportPath: '.thread-team/reports/report.md' } })),
  },
  {
    id: 'R3.worker-in-the-root',
    rule: 'R3',
    base: 'happy-three',
    why: "the leader's own checkout is not a worker's worktree, even when a worker was wrongly put there",
    make: (ev, m) =>
      change(
        ev,
        is('thread.created', (e) => e.thread === w(m, 'ui').thread),
        (e) => ({ ...e, cwd: '/repo' }),
      ),
  },
  {
    id: 'R4.nothing-merged',
    rule: 'R4',
    base: 'happy-three',
    why: 'a run that merged nothing has no merged whole to review',
    make: (ev) => remove(ev, leaderWs(ev, 'merge')),
  },
  {
    id: 'W2.worktree-from-the-app',
    rule: 'W2',
    base: 'happy-three',
    why: "a worker created with its worktree has one, whether or not the app's git work shows in the trace",
    make: (ev, m) =>
      remove(
        ev,
        is('ws', (e) => e.op === 'worktreeAdd' && e.dir === w(m, 'api').cwd),
      ),
  },
  {
    id: 'H1.deleted-just-before-the-report',
    rule: 'H1',
    base: 'happy-three',
    why: 'a heartbeat deleted right before the final report is deleted in time',
    make: (ev) =>
      move(
        ev,
        is('automation', (e) => e.op === 'delete'),
        (_, k) => k === find(ev, FINAL(ev)) - 2,
      ),
  },
  {
    id: 'H2.paused-then-another',
    rule: 'H2',
    base: 'happy-three',
    why: 'a paused heartbeat is not active: one new active one beside it is one',
    make: (ev) =>
      insertAfter(
        ev,
        is('tool.call', (e) => e.tool === 'automation_update' && (e.args as { mode?: string }).mode === 'create'),
        auto('update', 'auto-1', L(ev), 'PAUSED'),
        auto('create', 'auto-2', L(ev)),
      ),
  },
  {
    id: 'H3.wait-without-targets',
    rule: 'H3',
    base: 'happy-three',
    why: 'waits that name no thread poll no thread',
    make: (ev) =>
      insertAfter(
        ev,
        is('tool.call', (e) => e.tool === 'wait_threads' && e.turn === 'turn-17'),
        ...[1, 2, 3].map(() => tool(ev, L(ev), 'turn-17', 'wait_threads', { timeoutMs: 1000 }, true, { timedOut: false })),
      ),
  },
  {
    id: 'H3.waits-that-returned',
    rule: 'H3',
    base: 'happy-three',
    why: 'a wait that returned because a worker spoke was not time spent blocked',
    make: (ev) =>
      insertAfter(
        ev,
        is('tool.call', (e) => e.tool === 'wait_threads' && e.turn === 'turn-17'),
        ...[1, 2].map(() => tool(ev, L(ev), 'turn-17', 'wait_threads', { targets: [], timeoutMs: 200_000 }, true, { timedOut: false })),
      ),
  },
  {
    id: 'J1.written-just-before-the-end',
    rule: 'J1',
    base: 'happy-three',
    why: 'a journal write right before the final report is after the last act and in time',
    make: (ev) => {
      const out = lastWritesRemoved(ev);
      return insertAt(out, find(out, FINAL(ev)) - 1, ev[find(ev, journalWrite(ev), 3)] as TraceBody);
    },
  },
  {
    id: 'J1.up-to-date-merge',
    rule: 'J1',
    base: 'happy-three',
    why: 'merging a branch that is already in changes nothing the journal must record',
    make: (ev) =>
      insertAt(ev, find(ev, leaderWs(ev, 'merge'), 1) - 1, {
        kind: 'ws',
        op: 'merge',
        actor: L(ev),
        dir: '/repo',
        ref: 'codex/b4fe22fd',
        ok: true,
        detail: 'up-to-date',
      }),
  },
  {
    id: 'J1.refused-right-before-an-act',
    rule: 'J1',
    base: 'happy-three',
    why: 'a call the service refused, or a look at the heartbeats, just before an act changes nothing',
    make: (ev) =>
      insertAt(
        ev,
        find(ev, leaderWs(ev, 'merge'), 1) - 1,
        tool(ev, L(ev), 'turn-18', 'create_thread', { model: 'gpt-5.4', thinking: 'high' }, false, 'refused'),
        tool(ev, L(ev), 'turn-18', 'automation_update', { mode: 'view' }, true, {}),
      ),
  },
  {
    id: 'J2.no-path',
    rule: 'J2',
    base: 'happy-three',
    why: 'a write that names no file names no journal',
    make: (ev) => insertAfter(ev, journalWrite(ev), ws('writeFile', L(ev), '/repo')),
  },
  {
    id: 'J4.refused-then-merged',
    rule: 'J4',
    base: 'happy-three',
    why: 'a merge git refused did not merge: the branch merged once',
    make: (ev) => {
      const k = find(ev, leaderWs(ev, 'merge'));
      return insertAt(ev, k - 1, { ...(ev[k] as EventOf<'ws'>), ok: false });
    },
  },
  {
    id: 'J5.own-and-other-files',
    rule: 'J5',
    base: 'two-leaders',
    why: "what setup left that is not another leader's unfinished journal (this leader's own, other files) is no foreign run",
    make: (ev) =>
      insertAfter(
        ev,
        is('ws', (e) => e.actor === 'setup' && e.op === 'writeFile'),
        ws('writeFile', 'setup', '/repo', { paths: [`.thread-team/${L(ev)}/state.md`], content: '# Thread team journal\n\n## Status\nrunning\n' }),
        ws('writeFile', 'setup', '/repo', { paths: ['README.md'], content: 'hello' }),
        ws('writeFile', 'setup', '/repo'),
        ws('readFile', 'setup', '/repo', { paths: ['.thread-team/0199bbbb-0000-7000-8000-000000000002/state.md'] }),
      ),
  },
  {
    id: 'J5.aborted-run',
    rule: 'J5',
    base: 'two-leaders',
    why: "another leader's aborted run is history, not a run in progress",
    make: (ev) => {
      const out = change(
        ev,
        is('ws', (e) => e.actor === 'setup' && e.op === 'writeFile'),
        (e) => ({ ...e, content: '# Thread team journal\n\n## Status\naborted\n' }),
      );
      return change(
        out,
        is('assistant.message', (e) => e.thread === L(ev) && e.text.includes(otherLeader(ev))),
        (e) => ({ ...e, text: (e as EventOf<'assistant.message'>).text.replaceAll(otherLeader(ev), 'another leader') }),
      );
    },
  },
  {
    id: 'J5.no-journal-written',
    rule: 'J5',
    base: 'two-leaders',
    why: 'without a journal write there is no run start to have reported at (J1 and J3 say what is wrong)',
    make: (ev) => remove(ev, journalWrite(ev)),
  },
  {
    id: 'J5.other-turn-ends-first',
    rule: 'J5',
    base: 'two-leaders',
    why: "another thread's turn ending does not end the leader's first turn",
    make: (ev) => insertAfter(ev, journalWrite(ev), { kind: 'turn.end', thread: OTHER, turn: 'turn-o', status: 'completed' }),
  },
  {
    id: 'J5.said-among-others',
    rule: 'J5',
    base: 'two-leaders',
    why: 'the report may be one message among several in that turn',
    make: (ev) => insertAfter(ev, journalWrite(ev), said(L(ev), 'turn-1', 'Looking at the repository first.')),
  },
];

export { find, sound };
