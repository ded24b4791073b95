import type { TraceBody, TraceEvent } from '../trace/events.ts';
import { TraceModel } from './model.ts';
import type { RuleId } from './types.ts';

// Hand-broken traces: a sound trace with one event added, changed or removed, so that a
// rule a leader mutant cannot reach (a worker's misdeed) is still shown to be checked.

function reindex(events: TraceBody[]): TraceEvent[] {
  return events.map((e, i) => ({ ...(e as TraceEvent), i }));
}

/** Insert `body` right after the first event matching `where`, at that event's time. */
function insertAfter(
  events: readonly TraceEvent[],
  where: (e: TraceEvent, m: TraceModel) => boolean,
  body: (e: TraceEvent, m: TraceModel) => TraceBody,
): TraceEvent[] {
  const m = new TraceModel(events);
  const k = events.findIndex((e) => where(e, m));
  if (k < 0) throw new Error('broken trace: no event to insert after');
  const at = events[k]!;
  const added = { ...body(at, m), t: at.t } as unknown as TraceBody;
  return reindex([...events.slice(0, k + 1), added, ...events.slice(k + 1)]);
}

const workers = (m: TraceModel) => [...m.workers.values()].filter((w) => w.dispatches.length);

export const BROKEN_TRACES: readonly { name: string; rule: RuleId; make(sound: readonly TraceEvent[]): TraceEvent[] }[] = [
  {
    name: 'a worker messages a peer its dispatch does not name',
    rule: 'M5',
    make: (ev) =>
      insertAfter(
        ev,
        (e, m) => e.kind === 'turn.end' && m.workers.has(e.thread) && (m.workers.get(e.thread)!.dispatches[0] ?? Infinity) < e.i,
        (e, m) => {
          const [a, b] = workers(m)
            .filter((w) => w.thread !== (e as { thread: string }).thread)
            .concat(workers(m));
          const from = m.workers.get((e as { thread: string }).thread)!;
          const to = a!.thread === from.thread ? b! : a!;
          return {
            kind: 'message.sent',
            msg: 'm-broken',
            from: from.thread,
            to: to.thread,
            text: `From: ${from.role} (thread ID: ${from.thread})\nSTATUS can you change your file for me?`,
          };
        },
      ),
  },
  {
    name: 'a worker merges into the integration checkout',
    rule: 'R2',
    make: (ev) =>
      insertAfter(
        ev,
        (e, m) => e.kind === 'ws' && e.op === 'commitAll' && m.workers.has(e.actor),
        (e, m) => ({
          kind: 'ws',
          op: 'merge',
          actor: (e as { actor: string }).actor,
          dir: m.root,
          ref: 'codex/whatever',
          sha: 'f'.repeat(40),
          ok: true,
          detail: 'merged',
        }),
      ),
  },
  {
    name: "a worker writes into another worker's worktree",
    rule: 'W1',
    make: (ev) =>
      insertAfter(
        ev,
        (e, m) => e.kind === 'ws' && e.op === 'writeFile' && m.workers.has(e.actor),
        (e, m) => {
          const other = workers(m).find((w) => w.thread !== (e as { actor: string }).actor)!;
          return { kind: 'ws', op: 'writeFile', actor: (e as { actor: string }).actor, dir: other.cwd, paths: ['src/x.ts'], ok: true };
        },
      ),
  },
  {
    name: 'a commit carries the journal',
    rule: 'J3',
    make: (ev) => ev.map((e) => (e.kind === 'ws' && e.op === 'commitAll' && e.ok ? { ...e, paths: [...(e.paths ?? []), '.thread-team/notes.md'] } : e)),
  },
  {
    name: 'a second heartbeat is active on the leader',
    rule: 'H2',
    make: (ev) =>
      insertAfter(
        ev,
        (e) => e.kind === 'automation' && e.op === 'create',
        (e) => ({ ...(e as Extract<TraceEvent, { kind: 'automation' }>), id: 'auto-broken' }),
      ),
  },
  {
    name: 'the run never ends',
    rule: 'L1',
    make: (ev) => ev.slice(0, -1),
  },
  {
    name: "a worker signs with another thread's id",
    rule: 'M1',
    make: (ev) =>
      ev.map((e) => {
        if (e.kind !== 'message.sent' || !/\nCOMPLETE /.test(e.text)) return e;
        return { ...e, text: e.text.replace(/thread ID: [^)]+\)/, 'thread ID: 00000000-0000-0000-0000-000000000000)') };
      }),
  },
  {
    name: 'a worker pastes a diff into a message',
    rule: 'M4',
    make: (ev) =>
      ev.map((e) => (e.kind === 'message.sent' && /\nCOMPLETE /.test(e.text) ? { ...e, text: `${e.text}\n${'+ a line of the diff\n'.repeat(200)}` } : e)),
  },
];
