import { describe, expect, it } from 'vitest';
import { checkRun, checkTrace } from '../src/invariants/index.ts';
import { effectiveMerges } from '../src/invariants/merges.ts';
import { TraceModel } from '../src/invariants/model.ts';
import type { RuleId } from '../src/invariants/types.ts';
import type { EventOf, TraceBody, TraceEvent } from '../src/trace/events.ts';
import { sound } from './support/sound-traces.ts';
import { change, type Events, find, insertAt, is, leaderOf, remove } from './support/trace-edit.ts';

// The edges of the checkers' conditions that the clause table (one broken trace per clause)
// does not reach: each half of a condition, each side of a time window, each guard against a
// thread or field that is not there. Every test states the verdict exactly (rule, sentence,
// evidence), so that dropping or loosening one part of a condition changes an answer here.

const H3 = sound('happy-three');
const L = leaderOf(H3);
const API = '981c0207-d06f-796a-b8e4-bf69b4fe22fd';
const UI = 'fd8dc42c-47b5-74b1-b69c-2e4446a94c13';
/** ui writing a file of its own in its worktree: progress, or a first answer. */
const UI_WRITES = { kind: 'ws', op: 'writeFile', actor: UI, dir: '/worktrees/46a94c13/repo', paths: ['src/ui/page.tsx'], ok: true } as TraceBody;
const DB = '94511ead-f8e2-7252-bfb9-1240e6b44795';
const STRANGER = '77777777-7777-7777-8777-777777777777';

/** The violations of `rules` alone, as [rule, sentence, evidence], of a trace the reader would accept as to order. */
const verdict = (ev: Events, ...rules: RuleId[]) => {
  expect(
    ev.filter((e, k) => e.i !== k || (k > 0 && e.t < ev[k - 1]!.t)).map((e) => e.i),
    'events out of place or back in time',
  ).toEqual([]);
  return checkTrace(ev, rules).violations.map((v) => [v.rule, v.message, v.events]);
};

/** Index of the last event at or before time `t` (where an event of time `t` goes). */
function lastAtOrBefore(ev: Events, t: number): number {
  let k = 0;
  ev.forEach((e, j) => {
    if (e.t <= t) k = j;
  });
  return k;
}

/** `body` inserted at time `t`, after every event that happened by then. */
const at = (ev: Events, t: number, body: TraceBody): TraceEvent[] => insertAt(ev, lastAtOrBefore(ev, t), { ...body, t } as unknown as TraceBody);
const sent = (msg: string, from: string, to: string, text: string): TraceBody => ({ kind: 'message.sent', msg, from, to, text });
const delivered = (msg: string, to: string): TraceBody => ({ kind: 'message.delivered', msg, to, turn: 'turn-x' }) as TraceBody;
const readOf = (thread: string): TraceBody => ({
  kind: 'tool.call',
  thread: L,
  turn: 'turn-x',
  tool: 'read_thread',
  args: { threadId: thread },
  ok: true,
  result: {},
});
const sentIs = (msg: string) => is('message.sent', (e) => e.msg === msg);
const textOf = (ev: Events, msg: string) => (ev[find(ev, sentIs(msg))] as EventOf<'message.sent'>).text;
/** The message `msg` with its text edited. */
const edited = (ev: Events, msg: string, f: (text: string) => string) =>
  change(ev, sentIs(msg), (e) => ({ ...e, text: f((e as EventOf<'message.sent'>).text) }));
const ROUTINE = (role: string) => `read_thread on worker ${role}, which had started and was neither suspected of stalling nor ambiguous: a routine read`;

describe('M3: which messages are judged as forms', () => {
  // happy-three: m2 is api's registration (index 32), m8 ui's dispatch (index 89).
  it("judges the leader's registrations as well as its dispatches", () => {
    const ev = edited(H3, 'm2', (t) => t.replace('Branch: codex/b4fe22fd', 'Branch: <branch>'));
    expect(verdict(ev, 'M3')).toEqual([['M3', 'a registration went out with the hole <branch> unfilled or empty', [32]]]);
  });

  it("does not judge a worker's message shaped like a dispatch: only the leader dispatches", () => {
    // ui passes a copy of its own dispatch, Base commit gone, on to api: a worker's misstep
    // (M5 judges whom it wrote to), not an incomplete dispatch of the leader's.
    const copy = textOf(H3, 'm8').replace(/Base commit: .*\n/, '');
    const ev = at(H3, 450_000, sent('m-copy', UI, API, copy));
    expect(new TraceModel(ev).messages.find((x) => x.ev.msg === 'm-copy')?.kind).toBe('dispatch');
    expect(verdict(ev, 'M3')).toEqual([]);
  });
});

describe('M3: who a dispatch roster must name', () => {
  it('a thread the leader created but never registered nor dispatched is no worker the roster must name', () => {
    const ev = at(H3, 38_000, {
      kind: 'thread.created',
      thread: STRANGER,
      by: L,
      cwd: '/worktrees/77777777/repo',
      model: 'gpt-5.4',
      thinking: 'high',
      worktree: { branch: 'codex/77777777', base: 'd48542a57d5f1552965015aa923f9705849cd5fa' },
    } as TraceBody);
    expect(new TraceModel(ev).workers.get(STRANGER)?.role).toBeNull();
    expect(verdict(ev, 'M3')).toEqual([]);
  });

  it('a worker registered but never dispatched has a role, yet is no worker the roster must name', () => {
    // ui's dispatch (m8) never sent, and db's dispatch (m9) leaves ui off its roster.
    const ev = edited(remove(H3, sentIs('m8')), 'm9', (t) => t.replace(/- ui \| .*\n/, ''));
    expect(new TraceModel(ev).workers.get(UI)?.role).toBe('ui');
    expect(verdict(ev, 'M3')).toEqual([]);
  });

  // Times only ever run forward in a trace (the reader refuses one that goes back), so an
  // edit that makes two events simultaneous moves everything between them to that moment.
  const sameMoment = (ev: Events, from: number, to: number, t: number) =>
    change(
      ev,
      (e) => e.i >= from && e.i <= to,
      (e) => ({ ...e, t }),
    );

  it('a worker created at the very moment of a dispatch is live then: the roster must name it', () => {
    // db created (index 59) in the second ui's dispatch (m8, index 89, 41 s) goes out, and left off its roster.
    const ev = sameMoment(
      edited(H3, 'm8', (t) => t.replace(/- db \| .*\n/, '')),
      59,
      89,
      41_000,
    );
    expect(verdict(ev, 'M3')).toEqual([['M3', 'a dispatch roster misses db', [89]]]);
  });

  // never-starts: api's first worker is archived (index 215, 663 s); its replacement's dispatch
  // (m12, index 238, 667 s) leaves it off the roster.
  const NS = sound('never-starts');
  it('a worker archived at the very moment of a dispatch is gone by then: the roster need not name it', () => {
    expect(verdict(sameMoment(NS, 215, 238, 663_000), 'M3')).toEqual([]);
  });
  it('a worker archived a moment after the dispatch was still live: the roster must name it', () => {
    const ev = at(
      remove(NS, (e) => e.i === 215),
      667_001,
      { kind: 'thread.archived', thread: API, archived: true },
    );
    expect(verdict(ev, 'M3')).toEqual([['M3', 'a dispatch roster misses api', [237]]]);
  });
});

describe("M3: a registered worker's task that is not the dispatch template", () => {
  // ui registered (m4) but its dispatch (m8) never sent: what else reaches ui decides.
  const undispatched = remove(H3, sentIs('m8'));
  const long = (from: string) => `From: ${from}\n${'Please look at the settings page layout again. '.repeat(10)}`;

  it('only messages to that worker count', () => {
    const ev = at(undispatched, 450_000, sent('m-long', L, API, long(`leader (thread ID: ${L})`)));
    expect(verdict(ev, 'M3')).toEqual([]);
  });
  it('only messages from the leader count', () => {
    const ev = at(undispatched, 450_000, sent('m-long', API, UI, long(`api (thread ID: ${API})`)));
    expect(verdict(ev, 'M3')).toEqual([]);
  });
  it('a registration sent again is no task', () => {
    const ev = at(undispatched, 450_000, sent('m-again', L, UI, textOf(H3, 'm4')));
    expect(textOf(H3, 'm4').length).toBeGreaterThan(400);
    expect(verdict(ev, 'M3')).toEqual([]);
  });
  it('a long free-text message from the leader to it is', () => {
    const ev = at(undispatched, 450_000, sent('m-long', L, UI, long(`leader (thread ID: ${L})`)));
    const k = find(ev, sentIs('m-long'));
    expect(verdict(ev, 'M3')).toEqual([['M3', 'worker ui got a task that is not the dispatch template sent verbatim', [k]]]);
  });
});

describe('M5: a worker with no dispatch', () => {
  it('may message no peer at all, and the checker says so instead of failing', () => {
    // ui's dispatch never sent: it has no roster and no collaborators, yet writes to api.
    const ev = at(remove(H3, sentIs('m8')), 450_000, sent('m-peer', UI, API, `From: ui (thread ID: ${UI})\nWhich fields does GET /billing return?`));
    const k = find(ev, sentIs('m-peer'));
    expect(verdict(ev, 'M5')).toEqual([['M5', 'worker ui messaged api, which its dispatch does not name as a collaborator', [k]]]);
  });
});

describe('M6: the reads that count', () => {
  // happy-three: api responded at 72 s (index 109), the heartbeat is 2 min.
  it("a read of a thread that is no worker's is not judged, and does not stop the checker", () => {
    const ev = at(at(H3, 500_000, readOf(L)), 740_000, readOf(STRANGER));
    expect(verdict(ev, 'M6')).toEqual([]);
  });

  it('a read at the very moment the worker responded is still part of the startup gate', () => {
    // So the read after it is the first free one, not a routine read.
    const ev = at(at(H3, 72_000, readOf(API)), 500_000, readOf(API));
    expect(verdict(ev, 'M6')).toEqual([]);
    const later = at(at(H3, 72_001, readOf(API)), 500_000, readOf(API));
    expect(verdict(later, 'M6')).toEqual([
      [
        'M6',
        ROUTINE('api'),
        [
          find(
            later,
            is('tool.call', (e) => e.tool === 'read_thread' && e.t === 500_000),
          ),
        ],
      ],
    ]);
  });

  it("a peer's message to the worker is no status request: the read after it is routine", () => {
    let ev = at(H3, 400_000, readOf(API));
    ev = at(ev, 450_000, sent('m-peer', UI, API, `From: ui (thread ID: ${UI})\nSTATUS REQUEST: reply with one status line.`));
    ev = at(ev, 450_000, delivered('m-peer', API));
    ev = at(ev, 500_000, readOf(API));
    const k = find(
      ev,
      is('tool.call', (e) => e.tool === 'read_thread' && e.t === 500_000),
    );
    expect(verdict(ev, 'M6')).toEqual([['M6', ROUTINE('api'), [k]]]);
  });

  it('an odd message that never reached the leader makes no read a check, however early the read', () => {
    // The reads come within two passes of the start of the run, where a message with no
    // delivery time would fall inside the window if it were taken to have landed at 0.
    let ev = at(H3, 100_000, sent('m-odd', API, L, 'From: api (thread ID: somebody-else)\nSTATUS working'));
    ev = at(ev, 150_000, readOf(API));
    ev = at(ev, 200_000, readOf(API));
    const k = find(
      ev,
      is('tool.call', (e) => e.tool === 'read_thread' && e.t === 200_000),
    );
    expect(verdict(ev, 'M6')).toEqual([['M6', ROUTINE('api'), [k]]]);
    // Delivered, the same message makes that read a check.
    expect(verdict(at(ev, 100_000, delivered('m-odd', L)), 'M6')).toEqual([]);
  });
});

describe('J1: which changes need a journal write', () => {
  // happy-three: a journal write at 353, then the archive of api (354) and its tool call (355).
  const ws = (op: string, extra: Record<string, unknown> = {}): TraceBody => ({ kind: 'ws', op, actor: L, dir: '/repo', ok: true, ...extra }) as TraceBody;
  it('only a merge is excused by finding its branch already in: another git change saying up-to-date still changed things', () => {
    const ev = insertAt(H3, 353, ws('setBranch', { ref: 'main', detail: 'up-to-date' }));
    expect(verdict(ev, 'J1')).toEqual([['J1', "no journal write after setBranch before the leader's next outward action", [354, 356]]]);
    expect(verdict(insertAt(H3, 353, ws('merge', { ref: 'codex/b4fe22fd', detail: 'up-to-date' })), 'J1')).toEqual([]);
  });
});

describe("J5: the leader's writes into another run's folder", () => {
  // two-leaders: setup left leader 0199aaaa…0001's run unfinished (index 1); the leader
  // reported it and kept off it. A leader write inserted after index 20.
  const TL = sound('two-leaders');
  const OTHER_RUN = '0199aaaa-0000-7000-8000-000000000001';
  const write = (ev: Events, extra: Record<string, unknown>) =>
    insertAt(ev, 20, { kind: 'ws', op: 'writeFile', actor: L, dir: '/repo', ok: true, ...extra } as TraceBody);

  it("a write under a .thread-team folder below the root is not in another run's folder", () => {
    expect(verdict(write(TL, { paths: [`docs/.thread-team/${OTHER_RUN}/notes.md`] }), 'J5')).toEqual([]);
    expect(verdict(write(TL, { paths: [`.thread-team/${OTHER_RUN}/notes.md`] }), 'J5')).toEqual([
      ['J5', `the leader touched .thread-team/${OTHER_RUN}/notes.md, another leader's unfinished run`, [1, 21]],
    ]);
  });

  it('a write that names no file touches no run, and does not stop the checker', () => {
    expect(verdict(write(TL, {}), 'J5')).toEqual([]);
    expect(verdict(insertAt(TL, 20, { kind: 'ws', op: 'removeFile', actor: L, dir: '/repo', ok: true } as TraceBody), 'J5')).toEqual([]);
  });

  it("with a journal path of the skill's own, outside .thread-team/, another run's journal is still known by it", () => {
    const path = (id: string) => `.codex/team/${id}.md`;
    let ev = change(TL, is('run.start'), (e) => {
      const s = e as EventOf<'run.start'>;
      return { ...s, profile: { ...s.profile, journalPath: path('<leader-thread-id>') } };
    });
    ev = change(
      ev,
      (e) => e.i === 1,
      (e) => ({ ...e, paths: [path(OTHER_RUN)] }),
    );
    ev = write(ev, { paths: [path(OTHER_RUN)] });
    expect(verdict(ev, 'J5')).toEqual([['J5', `the leader touched ${path(OTHER_RUN)}, another leader's unfinished run`, [1, 21]]]);
  });
});

describe('TraceModel: where a worker works, and what a signal is', () => {
  it('on the terminal UI, a thread created in a worktree of its own was placed by the leader, not the host', () => {
    // db created with a worktree yet in the leader's checkout: the leader's choice, so W1
    // holds it to that folder (a host placement would have been replaced by its registration's).
    const tui = change(H3, is('run.start'), (e) => ({ ...e, host: 'tui' }));
    const ev = change(
      tui,
      is('thread.created', (e) => e.thread === DB),
      (e) => ({ ...e, cwd: '/repo' }),
    );
    const db = new TraceModel(ev).workers.get(DB)!;
    expect([db.placedByHost, db.cwd]).toEqual([false, '/repo']);
    expect(verdict(ev, 'W1')[0]).toEqual(['W1', "worker db was given the leader's own checkout /repo", [59]]);
  });

  // A signal on a line of its own below other words (BLOCKED: no commit, so no fallback
  // reading the whole text as a completion).
  const m = new TraceModel(H3);
  it('a signal below a first line of words counts, after a header', () => {
    expect(m.isSignal(`From: api (thread ID: ${API})\nThe schema is not there yet.\nBLOCKED waiting for the db migration`)).toBe(true);
  });
  it('a signal below a first line of words counts, without a header', () => {
    expect(m.isSignal('The schema is not there yet.\nBLOCKED waiting for the db migration')).toBe(true);
  });
  it('words with no signal line are no signal', () => {
    expect(m.isSignal(`From: api (thread ID: ${API})\nThe schema is not there yet.\nStill waiting for the db migration`)).toBe(false);
  });
});

describe('effectiveMerges: which merges took effect', () => {
  // conflict-maker: a fast-forward (367), then two conflicted merges (375, 388), each finished
  // by a commitMerge in the leader's checkout (379, 392).
  const CM = sound('conflict-maker');
  const merges = (ev: Events) => effectiveMerges(new TraceModel(ev)).map((e) => e.i);
  const op = (o: string, dir: string, extra: Record<string, unknown> = {}): TraceBody =>
    ({ kind: 'ws', op: o, actor: L, dir, ok: true, ...extra }) as TraceBody;

  it('the catalogue run: the clean merge and both conflicted ones that were committed', () => {
    expect(merges(CM)).toEqual([367, 375, 388]);
  });
  it('a merge that found its branch already in changed nothing', () => {
    expect(merges(insertAt(CM, 398, op('merge', '/repo', { ref: 'codex/b4fe22fd', detail: 'up-to-date' })))).toEqual([367, 375, 388]);
  });
  it("an abort in another checkout does not settle a conflict in the leader's", () => {
    expect(merges(insertAt(CM, 375, op('abortMerge', '/worktrees/46a94c13/repo')))).toEqual([367, 375, 389]);
  });
  it('a conflicted merge is settled by the first abort, commit or merge after it: aborted, it never took effect', () => {
    expect(merges(insertAt(CM, 375, op('abortMerge', '/repo')))).toEqual([367, 389]);
  });
  it('a conflicted merge followed by another merge before any commit never took effect; the retry committed did', () => {
    expect(merges(insertAt(CM, 375, op('merge', '/repo', { ref: 'codex/46a94c13', detail: 'conflict' })))).toEqual([367, 376, 389]);
  });
  it('a conflicted merge with nothing after it never took effect', () => {
    expect(merges(remove(CM, (e) => e.i === 392))).toEqual([367, 375]);
  });
});

describe("R1: reading the merged worker's report", () => {
  // happy-three: api's report read at 327 in its worktree, then its branch merged at 331.
  it("the owner is known by its worktree's branch even when its dispatch names another", () => {
    let ev = edited(H3, 'm7', (t) => t.replace('Branch: codex/b4fe22fd', 'Branch: codex/api'));
    ev = change(
      ev,
      (e) => e.i === 327,
      (e) => ({ ...e, dir: '/worktrees/46a94c13/repo' }),
    );
    expect(verdict(ev, 'R1')).toEqual([['R1', "branch codex/b4fe22fd was merged without reading its worker's report first", [331]]]);
  });
  it('a read that failed is no read', () => {
    const ev = change(
      H3,
      (e) => e.i === 327,
      (e) => ({ ...e, ok: false }),
    );
    expect(verdict(ev, 'R1')).toEqual([['R1', "branch codex/b4fe22fd was merged without reading its worker's report first", [331]]]);
  });
  it('listing the report among the files is not reading it', () => {
    const ev = change(
      H3,
      (e) => e.i === 327,
      (e) => ({ ...(e as EventOf<'ws'>), op: 'listFiles' }),
    );
    expect(verdict(ev, 'R1')).toEqual([['R1', "branch codex/b4fe22fd was merged without reading its worker's report first", [331]]]);
  });
  it('a read that names no file is no report read, and does not stop the checker', () => {
    const ev = insertAt(H3, 326, { kind: 'ws', op: 'readFile', actor: L, dir: '/worktrees/b4fe22fd/repo', ok: true } as TraceBody);
    expect(verdict(ev, 'R1')).toEqual([]);
  });
});

describe('S1: the startup window', () => {
  // never-starts: api (dispatched at 40 s, index 81) never answers; its deadline is 970 s
  // (10 min window and 5.5 min of slack). Here its replacement is no worker of the leader's,
  // so api was never replaced: a violation exactly when some other worker had started by then.
  const NS = sound('never-starts');
  const API2 = '5d1bd110-7e67-759c-94f6-a7a7ba370fc8';
  const notReplaced = remove(
    NS,
    is('thread.created', (e) => e.thread === API2),
  );
  // api's dispatch (m7) is the evidence, wherever the edit put it.
  const gaveUp = (ev: Events, min: number): unknown[] => [
    'S1',
    `worker api showed no response ${min} min after its dispatch and was not archived and replaced`,
    [find(ev, sentIs('m7'))],
  ];
  const archivedAt = (ev: Events, thread: string, t: number) => at(ev, t, { kind: 'thread.archived', thread, archived: true });
  const jumpAt = (t: number) => at(notReplaced, t, { kind: 'fault', fault: 'clock-jump', detail: '+60000 ms' } as TraceBody);

  it('the catalogue run with api not replaced', () => {
    expect(verdict(notReplaced, 'S1')).toEqual([gaveUp(notReplaced, 16)]);
    expect(find(notReplaced, sentIs('m7'))).toBe(81);
  });
  it('a clock jump before the dispatch does not stretch the window; one at the dispatch does', () => {
    const before = jumpAt(20_000);
    expect(verdict(before, 'S1')).toEqual([gaveUp(before, 16)]);
    const atDispatch = jumpAt(40_000);
    expect(verdict(atDispatch, 'S1')).toEqual([gaveUp(atDispatch, 17)]);
  });
  it('workers never archived are still live when the window closes: they started while api did not', () => {
    const ev = remove(
      notReplaced,
      is('thread.archived', (e) => e.thread === UI || e.thread === DB),
    );
    expect(verdict(ev, 'S1')).toEqual([gaveUp(ev, 16)]);
  });
  it('workers archived when the window closed (dispatch + 10 min) no longer count as started; a moment later they do', () => {
    const both = (t: number) => archivedAt(archivedAt(notReplaced, UI, t), DB, t);
    expect(verdict(both(640_000), 'S1')).toEqual([]);
    const later = both(640_001);
    expect(verdict(later, 'S1')).toEqual([gaveUp(later, 16)]);
  });
  it("another worker's first answer at the deadline itself counts as started; a moment later it does not", () => {
    // ui silent until its one write at `t`; db archived when the window closed, so only ui can count.
    const uiFirstWritesAt = (t: number) => {
      const quiet = remove(
        notReplaced,
        (e) => (e.kind === 'assistant.message' && e.thread === UI) || (e.kind === 'ws' && e.actor === UI) || (e.kind === 'message.sent' && e.from === UI),
      );
      const ev = at(archivedAt(quiet, DB, 640_000), t, UI_WRITES);
      expect(new TraceModel(ev).workers.get(UI)?.respondedAt).toBe(t);
      return ev;
    };
    const atDeadline = uiFirstWritesAt(970_000);
    expect(verdict(atDeadline, 'S1')).toEqual([gaveUp(atDeadline, 16)]);
    expect(verdict(uiFirstWritesAt(970_001), 'S1')).toEqual([]);
  });
});

describe('S1: the replacement broadcast', () => {
  // never-starts: api's replacement (created at index 221) announced to ui (m13) and db (m14).
  const NS = sound('never-starts');
  const API2 = '5d1bd110-7e67-759c-94f6-a7a7ba370fc8';
  it('a worker never archived is still there to be told, and the checker says so instead of failing', () => {
    expect(
      verdict(
        remove(
          NS,
          is('thread.archived', (e) => e.thread === UI),
        ),
        'S1',
      ),
    ).toEqual([]);
  });
  // db left untold (m14 gone): owed the news, unless the leader retires it in the same turn in
  // which it created api's replacement (as it does when it replaces two stalled workers at once).
  const untoldDb = remove(NS, sentIs('m14'));
  const leaderTurnEnd = untoldDb.findIndex((e) => e.i > 221 && e.kind === 'turn.end' && e.thread === L);
  /** db archived right after event k. */
  const archivedAfter = (k: number) => insertAt(untoldDb, k, { kind: 'thread.archived', thread: DB, archived: true } as TraceBody);
  it('a worker retired in the same leader turn as the replacement is not owed it; one retired after that turn is', () => {
    expect(leaderTurnEnd).toBeGreaterThan(222);
    expect(untoldDb.slice(222, leaderTurnEnd).some((e) => e.kind === 'turn.end')).toBe(true);
    const owed = [['S1', 'the replacement of api was not broadcast to db', [221]]];
    expect(verdict(untoldDb, 'S1')).toEqual(owed);
    expect(verdict(archivedAfter(leaderTurnEnd - 1), 'S1')).toEqual([]);
    expect(verdict(archivedAfter(leaderTurnEnd), 'S1')).toEqual(owed);
  });
  it('only the leader can announce the replacement: a peer passing it on does not count', () => {
    const ev = at(remove(NS, sentIs('m13')), 669_000, sent('m-peer', DB, UI, `From: db (thread ID: ${DB})\napi is now thread ${API2}`));
    expect(verdict(ev, 'S1')).toEqual([['S1', 'the replacement of api was not broadcast to ui', [221]]]);
  });
});

describe('S2: whose replacement, and which progress counts', () => {
  it('a thread with no role has no successor: a later role-less thread does not replace it', () => {
    const body = (b: Record<string, unknown>) => b as unknown as TraceBody;
    const created = (thread: string) =>
      body({ kind: 'thread.created', thread, by: L, cwd: `/worktrees/${thread.slice(0, 8)}/repo`, model: 'gpt-5.4', thinking: 'high', worktree: null });
    const other = '88888888-8888-7888-8888-888888888888';
    let ev = at(H3, 300_000, created(STRANGER));
    ev = at(ev, 400_000, body({ kind: 'ws', op: 'writeFile', actor: STRANGER, dir: '/worktrees/77777777/repo', paths: ['x.ts'], ok: true }));
    ev = at(ev, 410_000, body({ kind: 'thread.archived', thread: STRANGER, archived: true }));
    ev = at(ev, 420_000, created(other));
    expect(new TraceModel(ev).workers.get(STRANGER)?.activity.length).toBe(1);
    expect(verdict(ev, 'S2')).toEqual([]);
  });

  // stalls-mid-task: ui archived at 1022 s (index 328) and replaced; here it wrote a file just
  // before (progress in the window), and fell into a system error at `crash`.
  const SMT = sound('stalls-mid-task');
  const wroteThenCrashed = (crash: number) => {
    const ev = insertAt(SMT, 327, UI_WRITES);
    return at(ev, crash, { kind: 'thread.status', thread: UI, status: 'systemError' });
  };
  it('a worker that crashed only after its archive was replaced for all its progress', () => {
    expect(verdict(wroteThenCrashed(1_030_000), 'S2')).toEqual([
      ['S2', 'worker ui was replaced although it showed progress in the 3 heartbeat passes before', [328, 329]],
    ]);
  });
  it('a worker that crashed by the moment of its archive could be replaced', () => {
    expect(verdict(wroteThenCrashed(1_022_000), 'S2')).toEqual([]);
  });
});

describe('A1: which workers a cancel still concerns, by their branch', () => {
  // cancel-mid-run: the cancel (index 173, 360 s) is read at once; each worker is told to
  // stop (m10 to api), archived, and its branch named in the aborted report. Here api's thread
  // was created without a worktree, so its branch is the one its dispatch names.
  const CMR = sound('cancel-mid-run');
  const apiNoWorktree = change(
    CMR,
    is('thread.created', (e) => e.thread === API),
    (e) => ({ ...e, worktree: null }),
  );
  /** The stop to api taken out: its message (m10) and the call that sent it. */
  const stopToApiRemoved = (ev: Events) =>
    remove(
      ev,
      (e) =>
        (e.kind === 'message.sent' && e.msg === 'm10') ||
        (e.kind === 'tool.call' && e.tool === 'send_message_to_thread' && (e.args as { threadId?: string }).threadId === API && e.t === 361_000),
    );
  const cancelOf = (ev: Events) =>
    find(
      ev,
      is('user.input', (e) => e.intent === 'cancel'),
    );
  const apiBranchMerged = at(apiNoWorktree, 300_000, {
    kind: 'ws',
    op: 'merge',
    actor: L,
    dir: '/repo',
    ref: 'codex/b4fe22fd',
    detail: 'merged',
    ok: true,
  } as TraceBody);

  it('a worker whose dispatch branch was merged before the cancel need not be told to stop', () => {
    const ev = stopToApiRemoved(apiBranchMerged);
    expect(new TraceModel(ev).workers.get(API)?.worktree).toBeNull();
    expect(verdict(ev, 'A1')).toEqual([]);
    // Not merged, the same worker must be.
    const unmerged = stopToApiRemoved(apiNoWorktree);
    expect(verdict(unmerged, 'A1')).toEqual([['A1', 'after the cancel, worker api was never told to stop', [173]]]);
  });

  it('the commits of a worker without a worktree are reported under its dispatch branch', () => {
    let ev = at(apiNoWorktree, 300_000, {
      kind: 'ws',
      op: 'commitAll',
      actor: API,
      dir: '/worktrees/b4fe22fd/repo',
      sha: 'a'.repeat(40),
      ok: true,
    } as TraceBody);
    ev = change(
      ev,
      is('assistant.message', (e) => e.text.startsWith('Thread team run:')),
      (e) => ({ ...e, text: (e as EventOf<'assistant.message'>).text.replace(' (branch codex/b4fe22fd)', '') }),
    );
    const fin = find(
      ev,
      is('assistant.message', (e) => e.text.startsWith('Thread team run:')),
    );
    expect(verdict(ev, 'A1')).toEqual([['A1', 'unmerged branch codex/b4fe22fd with commits was not reported after the cancel', [cancelOf(ev), fin]]]);
  });
});

describe('L2: a registered worker with neither worktree nor dispatch', () => {
  it('has no branch that could have been merged, and the checker says so instead of failing', () => {
    const ev = change(
      remove(H3, sentIs('m8')),
      is('thread.created', (e) => e.thread === UI),
      (e) => ({ ...e, worktree: null }),
    );
    const fin = find(
      ev,
      is('assistant.message', (e) => e.text.startsWith('Thread team run:')),
    );
    expect(verdict(ev, 'L2')).toEqual([['L2', 'the task of ui was neither merged nor excluded with a reason in the final report', [fin]]]);
  });
});

describe('U1: the status questions to answer, and who the answer must name', () => {
  // status-query: "What is the status of the team?" asked at 300 s (index 156), answered in
  // turn-13 (index 160); asked again at 540 s. Here the first answer leaves db out.
  const SQ = sound('status-query');
  const QUESTION = 'What is the status of the team?';
  const withoutDb = change(
    SQ,
    (e) => e.i === 160,
    (e) => ({ ...e, text: (e as EventOf<'assistant.message'>).text.replace(/- db \| .*\n/, '') }),
  );

  it("the leader's own question is judged", () => {
    expect(verdict(withoutDb, 'U1')).toEqual([['U1', 'the status answer does not mention db', [156]]]);
  });
  it("the same question typed in a worker's thread is not the leader's to answer", () => {
    const ev = insertAt(withoutDb, 155, { kind: 'user.input', thread: API, text: QUESTION, intent: 'status' } as TraceBody);
    expect(verdict(ev, 'U1')).toEqual([['U1', 'the status answer does not mention db', [157]]]);
  });
  it('a worker archived at the moment of the question need not be named; one archived a moment later must', () => {
    const dbArchivedAt = (t: number) => at(withoutDb, t, { kind: 'thread.archived', thread: DB, archived: true });
    expect(verdict(dbArchivedAt(300_000), 'U1')).toEqual([]);
    const later = dbArchivedAt(300_001);
    expect(verdict(later, 'U1')).toEqual([['U1', 'the status answer does not mention db', [156]]]);
  });
});

describe('H2: heartbeats counted per thread', () => {
  // happy-three: auto-1 on the leader, created at 101, paused at 323, deleted at 363.
  const auto = (op: string, id: string, thread: string, status: string): TraceBody =>
    ({ kind: 'automation', op, id, thread, status, rrule: 'FREQ=MINUTELY;INTERVAL=2' }) as TraceBody;
  const call = (tool: string, args: Record<string, unknown>, ok = true): TraceBody =>
    ({ kind: 'tool.call', thread: L, turn: 'turn-17', tool, args, ok, result: {} }) as TraceBody;

  it('a deleted heartbeat is gone, whatever status its deletion reports', () => {
    let ev = change(
      H3,
      (e) => e.i === 363,
      (e) => ({ ...(e as EventOf<'automation'>), status: 'ACTIVE' as const }),
    );
    ev = insertAt(ev, 365, auto('create', 'auto-2', L, 'ACTIVE'));
    expect(verdict(ev, 'H2')).toEqual([]);
  });
  it("only automation_update asks for a heartbeat: another tool's create is none", () => {
    expect(verdict(insertAt(H3, 240, call('apply_patch', { mode: 'create', path: 'notes.txt' })), 'H2')).toEqual([]);
  });
  it("a second heartbeat asked for a worker's thread names that thread", () => {
    let ev = at(H3, 200_000, auto('create', 'auto-w', UI, 'ACTIVE'));
    ev = insertAt(ev, 241, call('automation_update', { mode: 'create', kind: 'heartbeat', status: 'ACTIVE', targetThreadId: UI }, false));
    expect(verdict(ev, 'H2')).toEqual([['H2', `the leader tried to create a second active heartbeat for ${UI}`, [242]]]);
  });
});

describe('H3: polls and waits in one turn, and the evidence shown', () => {
  // happy-three: turn-17 (a heartbeat wake) has one call, wait_threads on all three workers at 240.
  const inTurn17 = (...calls: Record<string, unknown>[]) =>
    insertAt(H3, 240, ...calls.map((c) => ({ kind: 'tool.call', thread: L, turn: 'turn-17', ok: true, result: {}, ...c }) as TraceBody));
  const read = (args: Record<string, unknown>) => ({ tool: 'read_thread', args });

  it('reads that name no thread are counted together, as polls of no thread', () => {
    expect(verdict(inTurn17(read({}), read({}), read({})), 'H3')).toEqual([
      ['H3', 'the leader polled  3 times in one turn (turn-17) instead of ending the turn', [241, 242, 243]],
    ]);
  });
  it('the evidence of many polls is the first four', () => {
    const ev = inTurn17(...[1, 2, 3, 4, 5].map(() => read({ threadId: UI })));
    expect(verdict(ev, 'H3')).toEqual([['H3', `the leader polled ${UI} 6 times in one turn (turn-17) instead of ending the turn`, [240, 241, 242, 243]]]);
  });
  it("the evidence of a long wait is the turn's first four calls", () => {
    const wait = { tool: 'wait_threads', args: { targets: [], timeoutMs: 60_000 }, result: { timedOut: true } };
    const ev = inTurn17(wait, wait, wait, wait, wait);
    expect(verdict(ev, 'H3')).toEqual([
      ['H3', 'the leader sat 300 s in wait_threads in one turn (turn-17) although a heartbeat was available', [240, 241, 242, 243]],
    ]);
  });
});

describe('T1 and T4: the sentences when tools or settings are missing', () => {
  const withTools = (tools: string[]) => change(H3, is('run.start'), (e) => ({ ...e, tools }));
  const tools = (H3[0] as EventOf<'run.start'>).tools;

  it('two missing tools are named apart, and the evidence of silence is the first three things the leader said', () => {
    const ev = withTools(tools.filter((t) => t !== 'read_thread' && t !== 'send_message_to_thread'));
    expect(verdict(ev, 'T1')).toEqual([
      ['T1', 'send_message_to_thread, read_thread missing, yet the leader created 3 thread(s)', [18, 36, 59]],
      ['T1', 'send_message_to_thread, read_thread missing and the leader never said which', [9, 147, 170]],
    ]);
  });
  it('a create_thread that names no model says so', () => {
    const ev = change(
      H3,
      (e) => e.i === 20,
      (e) => {
        const { model: _, ...args } = (e as EventOf<'tool.call'>).args as Record<string, unknown>;
        return { ...e, args };
      },
    );
    expect(verdict(ev, 'T4')).toEqual([['T4', 'create_thread with model (none) and thinking high; confirmed were gpt-5.4/high', [20]]]);
  });
});

describe('checkTrace and checkRun: what they report besides violations', () => {
  it('the faults that struck are listed once each, in alphabetical order', () => {
    const fault = (f: string): TraceBody => ({ kind: 'fault', fault: f, detail: '+0 ms' }) as TraceBody;
    const ev = at(at(at(H3, 100_000, fault('stall')), 200_000, fault('clock-jump')), 300_000, fault('stall'));
    expect(checkTrace(ev).faultsFired).toEqual(['clock-jump', 'stall']);
  });
  it('a worker violation the scenario expects is missing when only the leader broke that rule', () => {
    // stalls-mid-task with the leader's status request (m10) padded past the message limit: M4 by the leader.
    const ev = edited(sound('stalls-mid-task'), 'm10', (t) => `${t}\n${'x'.repeat(1600)}`);
    const r = checkRun(ev, { workerViolations: ['M4'] });
    expect(r.violations.map((v) => [v.rule, v.by])).toEqual([['M4', 'leader']]);
    expect(r.failures.map((v) => v.rule)).toEqual(['M4']);
    expect(r.unexpectedMissing).toEqual(['a worker breaking M4, which never happened']);
  });
});

describe('W1: a worker that was never archived', () => {
  it('is live for as long as the trace goes: a later worker in its directory shares it', () => {
    let ev = change(
      H3,
      is('thread.created', (e) => e.thread === DB),
      (e) => ({ ...e, cwd: '/worktrees/b4fe22fd/repo' }),
    );
    ev = remove(
      ev,
      is('thread.archived', (e) => e.thread === API),
    );
    const shares = verdict(ev, 'W1').filter(([, s]) => String(s).startsWith('workers '));
    expect(shares).toEqual([['W1', 'workers api and db share the directory /worktrees/b4fe22fd/repo', [18, 59]]]);
  });
});
