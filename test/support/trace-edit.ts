// One-edit changes to a sound trace, for the clause tests: each returns a new, re-indexed
// event list and leaves its input untouched. An edit that finds nothing to change throws, so
// a clause test never passes on a trace it did not break.

import type { EventOf, TraceBody, TraceEvent, TraceKind } from '../../src/trace/events.ts';

export type Events = readonly TraceEvent[];
type Pred = (e: TraceEvent, k: number) => boolean;

export const reindex = (list: readonly (TraceEvent | TraceBody)[]): TraceEvent[] => list.map((e, i) => ({ ...(e as TraceEvent), i }));

export function leaderOf(ev: Events): string {
  return (ev[0] as EventOf<'run.start'>).leader;
}

/** Index of the `nth` (0-based) event matching `pred`. */
export function find(ev: Events, pred: Pred, nth = 0): number {
  let seen = 0;
  for (let k = 0; k < ev.length; k++) if (pred(ev[k]!, k) && seen++ === nth) return k;
  throw new Error(`trace edit: no event #${nth} matching ${pred.toString().slice(0, 120)}`);
}

export function is<K extends TraceKind>(kind: K, where: (e: EventOf<K>) => boolean = () => true): Pred {
  return (e) => e.kind === kind && where(e as EventOf<K>);
}

/** Insert events right after index `k`, at that event's time unless they carry their own. */
export function insertAt(ev: Events, k: number, ...bodies: TraceBody[]): TraceEvent[] {
  const t = ev[k]!.t;
  return reindex([...ev.slice(0, k + 1), ...bodies.map((b) => ({ t, ...b }) as TraceEvent), ...ev.slice(k + 1)]);
}

export function insertAfter(ev: Events, pred: Pred, ...bodies: TraceBody[]): TraceEvent[] {
  return insertAt(ev, find(ev, pred), ...bodies);
}

export function remove(ev: Events, pred: Pred): TraceEvent[] {
  const kept = ev.filter((e, k) => !pred(e, k));
  if (kept.length === ev.length) throw new Error(`trace edit: nothing to remove matching ${pred.toString().slice(0, 120)}`);
  return reindex(kept);
}

/** Change every event matching `pred` (`only` the first when set). */
export function change(ev: Events, pred: Pred, f: (e: TraceEvent) => TraceEvent | TraceBody, only = false): TraceEvent[] {
  let hit = 0;
  const out = ev.map((e, k) => {
    if (!pred(e, k) || (only && hit !== 0)) return e;
    hit++;
    return f(e) as TraceEvent;
  });
  if (!hit) throw new Error(`trace edit: nothing to change matching ${pred.toString().slice(0, 120)}`);
  return reindex(out);
}

/** Move the event at `from` to right after the first event matching `after`. */
export function move(ev: Events, from: Pred, after: Pred): TraceEvent[] {
  const k = find(ev, from);
  const moved = ev[k]!;
  const rest = ev.filter((_, j) => j !== k);
  const at = find(rest, after);
  return reindex([...rest.slice(0, at + 1), { ...moved, t: rest[at]!.t }, ...rest.slice(at + 1)]);
}

export function start(ev: Events, f: (s: EventOf<'run.start'>) => EventOf<'run.start'>): TraceEvent[] {
  return reindex([f(ev[0] as EventOf<'run.start'>), ...ev.slice(1)]);
}

const STRANGER = '99999999-9999-7999-8999-999999999999';

/**
 * Events of a thread that is neither the leader nor one of its workers (another session on
 * the same app-server), put at the start and just before the end of a trace. Every checker
 * must ignore them: a verdict that changes with them counts what is not the leader's.
 */
export function noisy(ev: Events): TraceEvent[] {
  const s = STRANGER;
  const noise = (turn: string): TraceBody[] => [
    { kind: 'user.input', thread: s, text: `Yes, go ahead (${turn}). Status? Cancel the run. Keep the worktrees.`, intent: 'confirm' },
    { kind: 'user.input', thread: s, text: `Status of ${turn}?`, intent: 'status' },
    { kind: 'user.input', thread: s, text: `Cancel ${turn}.`, intent: 'cancel' },
    { kind: 'turn.start', thread: s, turn, causes: ['user'], inputs: [`Status of ${turn}?`, `Cancel ${turn}.`] },
    { kind: 'thread.created', thread: `${s}-child`, by: s, cwd: '/repo', model: 'other', thinking: 'low', worktree: null },
    { kind: 'tool.call', thread: s, turn, tool: 'spawn_agent', args: {}, ok: true, result: {} },
    { kind: 'tool.call', thread: s, turn, tool: 'create_thread', args: { model: 'other', thinking: 'low' }, ok: true, result: {} },
    ...[1, 2, 3].map((): TraceBody => ({ kind: 'tool.call', thread: s, turn, tool: 'read_thread', args: { threadId: `${s}-child` }, ok: true, result: {} })),
    { kind: 'tool.call', thread: s, turn, tool: 'wait_threads', args: { targets: [], timeoutMs: 3_600_000 }, ok: true, result: { timedOut: true } },
    { kind: 'tool.call', thread: s, turn, tool: 'send_message_to_thread', args: { threadId: `${s}-child` }, ok: true, result: {} },
    { kind: 'message.sent', msg: `${turn}-m`, from: s, to: `${s}-child`, text: 'hello'.repeat(400) },
    {
      kind: 'assistant.message',
      thread: s,
      turn,
      text: 'read_thread create_thread send_message_to_thread: blocked, merged, next; gpt-5.4 high, gpt-5.5 medium; Thread team run: complete',
    },
    { kind: 'ws', op: 'writeFile', actor: s, dir: '/repo', paths: ['notes.txt'], ok: true },
    { kind: 'ws', op: 'readFile', actor: s, dir: '/repo', paths: ['notes.txt'], ok: true },
    { kind: 'ws', op: 'merge', actor: s, dir: '/repo', ref: 'codex/stranger', ok: true, detail: 'merged' },
    { kind: 'ws', op: 'worktreeAdd', actor: s, dir: '/worktrees/stranger', ref: 'codex/stranger', ok: true },
    {
      kind: 'tool.call',
      thread: s,
      turn,
      tool: 'automation_update',
      args: { mode: 'create', kind: 'heartbeat', status: 'ACTIVE' },
      ok: true,
      result: { automationId: `auto-${turn}-x` },
    },
    { kind: 'automation', op: 'create', id: `auto-${turn}`, thread: s, status: 'ACTIVE', rrule: 'FREQ=MINUTELY;INTERVAL=1' },
    { kind: 'automation', op: 'fire', id: `auto-${turn}`, thread: s, status: 'ACTIVE', rrule: 'FREQ=MINUTELY;INTERVAL=1' },
    { kind: 'turn.end', thread: s, turn, status: 'completed' },
  ];
  const last = ev.length - 1;
  const head = noise('stranger-turn-1').map((b) => ({ t: ev[0]!.t, ...b }) as TraceEvent);
  const tail = noise('stranger-turn-2').map((b) => ({ t: ev[last]!.t, ...b }) as TraceEvent);
  return reindex([ev[0]!, ...head, ...ev.slice(1, last), ...tail, ev[last]!]);
}
