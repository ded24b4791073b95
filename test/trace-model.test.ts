import { describe, expect, it } from 'vitest';
import { TraceModel, isWrite } from '../src/invariants/model.ts';
import { lazy, lazyObject } from './support/lazy.ts';
import { sound } from './support/sound-traces.ts';
import { change, find, insertAt, is, leaderOf, remove } from './support/trace-edit.ts';
import type { EventOf, TraceBody, TraceEvent } from '../src/trace/events.ts';

// Every checker reads a run through TraceModel, so a wrong derivation here (a worker missed, a
// response counted too early, the wrong end of the run) silently skews every verdict. The
// clause tests only reach it indirectly; these pin its derivations one by one, on the stored
// sound traces and on small edits of them.

const H3 = sound('happy-three');
const L = leaderOf(H3);
const API = '981c0207-d06f-796a-b8e4-bf69b4fe22fd';
const UI = 'fd8dc42c-47b5-74b1-b69c-2e4446a94c13';
const DB = '94511ead-f8e2-7252-bfb9-1240e6b44795';
const OTHER = '77777777-7777-7777-8777-777777777777';

/** A body inserted at a time of its own (insertAt keeps a body's own t). */
const timed = (t: number, b: TraceBody): TraceBody => ({ t, ...b }) as unknown as TraceBody;
const model = (ev: readonly TraceEvent[]) => new TraceModel(ev);
const w = (m: TraceModel, thread: string) => m.workers.get(thread)!;
const at = (ev: readonly TraceEvent[], pred: Parameters<typeof find>[1], nth = 0) => find(ev, pred, nth);
const sentMsg = (msg: string) => is('message.sent', (e) => e.msg === msg);
const textOf = (ev: readonly TraceEvent[], msg: string) => (ev[at(ev, sentMsg(msg))] as EventOf<'message.sent'>).text;

describe('run facts', () => {
  const m = lazyObject(() => model(H3));

  it('start, leader, root, journal path and heartbeat come from run.start', () => {
    expect(m.start).toBe(H3[0]);
    expect(m.leader).toBe('00000000-0000-7000-8000-00000000leed');
    expect(m.root).toBe('/repo');
    expect(m.journalPath).toBe('.thread-team/00000000-0000-7000-8000-00000000leed/state.md');
    expect(m.heartbeatMs).toBe(120_000);
    expect(m.events).toBe(H3);
  });

  it('end is the trailing run.end; the final report is the leader’s last filled-in final template', () => {
    expect(m.end).toBe(H3[377]);
    expect(m.finalReport?.ev).toBe(H3[374]);
    expect(m.endT).toBe(802_000);
    expect(m.endI).toBe(374);
  });

  it('without a final report the run ends at run.end, without run.end at the last event', () => {
    const noFinal = remove(H3, (e) => e.kind === 'assistant.message' && e.thread === L && e.text.startsWith('Thread team run:'));
    const a = model(noFinal);
    expect(a.finalReport).toBeNull();
    expect(a.end).toBe(noFinal[376]);
    expect(a.endI).toBe(376);
    expect(a.endT).toBe(810_000);

    // The last event moved to its own time, so that its time tells it from the others.
    const noEnd = change(
      remove(noFinal, is('run.end')),
      (e) => e.i === 375,
      (e) => ({ ...e, t: 805_000 }),
    );
    const b = model(noEnd);
    expect(b.end).toBeNull();
    expect(noEnd.length).toBe(376);
    expect(b.endI).toBe(375);
    expect(b.endT).toBe(805_000);
  });

  it('a final report without run.end still ends the run at the report', () => {
    const m2 = model(remove(H3, is('run.end')));
    expect(m2.end).toBeNull();
    expect(m2.endI).toBe(374);
    expect(m2.endT).toBe(802_000);
  });

  it('a trace must start with run.start', () => {
    expect(() => model(H3.slice(1))).toThrow('a trace starts with a run.start event');
    expect(() => model([])).toThrow('a trace starts with a run.start event');
  });
});

describe('workers', () => {
  const m = lazyObject(() => model(H3));

  it('are the threads the leader created, in creation order, with their facts', () => {
    expect([...m.workers.keys()]).toEqual([API, UI, DB]);
    const { dispatch, worktree, ...api } = w(m, API);
    expect(api).toEqual({
      thread: API,
      role: 'api',
      cwd: '/worktrees/b4fe22fd/repo',
      createdAt: 31_000,
      created: 18,
      archivedAt: 799_000,
      archived: 354,
      model: 'gpt-5.4',
      thinking: 'high',
      registrations: [32],
      dispatches: [81],
      respondedAt: 72_000,
      activity: [111, 151, 191, 214, 254, 256, 257, 258, 260, 291],
      incapacitatedAt: null,
      placedByHost: false,
    });
    expect(worktree).toEqual({ base: 'd48542a57d5f1552965015aa923f9705849cd5fa', branch: 'codex/b4fe22fd' });
    expect(dispatch?.role).toBe('api');
    expect(w(m, UI)).toMatchObject({
      role: 'ui',
      created: 36,
      createdAt: 34_000,
      registrations: [55],
      dispatches: [89],
      archived: 357,
      archivedAt: 800_000,
      respondedAt: 73_000,
    });
    expect(w(m, DB)).toMatchObject({
      role: 'db',
      created: 59,
      createdAt: 37_000,
      registrations: [78],
      dispatches: [95],
      archived: 360,
      archivedAt: 801_000,
      respondedAt: 74_000,
    });
    expect(w(m, UI).activity).toEqual([114, 153, 193, 216, 263, 265, 266, 267, 269, 309]);
    expect(w(m, DB).activity).toEqual([117, 155, 195, 218, 276, 278, 280, 281, 282, 284, 319]);
  });

  it('a thread created by another thread is not a worker, nor a team thread', () => {
    const ev = insertAt(H3, 120, { kind: 'thread.created', thread: OTHER, by: API, cwd: '/repo', model: 'gpt-5.4', thinking: 'high', worktree: null });
    const m2 = model(ev);
    expect([...m2.workers.keys()]).toEqual([API, UI, DB]);
    expect(m2.isTeamThread(OTHER)).toBe(false);
    expect(m2.isTeamThread(L)).toBe(true);
    expect(m2.isTeamThread(API)).toBe(true);
    expect(m2.isTeamThread(DB)).toBe(true);
  });

  it('role comes from the first registration; a later registration for another role does not move it', () => {
    const k = at(H3, sentMsg('m7'));
    const ev = insertAt(H3, k, { kind: 'message.sent', msg: 'mx', from: L, to: API, text: textOf(H3, 'm4') });
    const m2 = model(ev);
    expect(m2.messages.find((x) => x.ev.msg === 'mx')?.kind).toBe('registration');
    expect(w(m2, API).registrations).toEqual([32, k + 1]);
    expect(w(m2, API).role).toBe('api');
  });

  it('role comes from the dispatch when no registration came first', () => {
    const ev = remove(H3, sentMsg('m2'));
    const m2 = model(ev);
    expect(w(m2, API).registrations).toEqual([]);
    expect(w(m2, API).dispatches).toEqual([80]);
    expect(w(m2, API).role).toBe('api');
  });

  it('a registration sent by someone other than the leader does not count', () => {
    const ev = insertAt(H3, 120, { kind: 'message.sent', msg: 'mx', from: UI, to: API, text: textOf(H3, 'm4') });
    const m2 = model(ev);
    expect(w(m2, API).registrations).toEqual([32]);
    expect(w(m2, API).role).toBe('api');
  });

  it('a worker never registered nor dispatched has no role, and byRole skips it', () => {
    const ev = remove(H3, (e) => e.kind === 'message.sent' && (e.msg === 'm2' || e.msg === 'm7'));
    const m2 = model(ev);
    expect(w(m2, API).role).toBeNull();
    expect(w(m2, API).dispatches).toEqual([]);
    expect(w(m2, API).dispatch).toBeNull();
    expect([...m2.byRole().keys()]).toEqual(['ui', 'db']);
  });

  it('byRole groups workers by role in creation order', () => {
    const byRole = (name: Parameters<typeof sound>[0]) => Object.fromEntries([...model(sound(name)).byRole()].map(([r, ws]) => [r, ws.map((x) => x.created)]));
    expect([...model(H3).byRole().keys()]).toEqual(['api', 'ui', 'db']);
    expect(byRole('happy-three')).toEqual({ api: [18], ui: [36], db: [59] });
    expect(byRole('system-error')).toEqual({ api: [18, 168], ui: [36], db: [59] });
    expect(byRole('worktree-removed')).toEqual({ api: [18], ui: [36, 172], db: [59] });
  });

  it('archived is the first archive only: an un-archive does not count, a second archive does not move it', () => {
    const k = at(
      H3,
      is('thread.archived', (e) => e.thread === API),
    );
    const unarchive = insertAt(H3, k - 1, timed(798_500, { kind: 'thread.archived', thread: API, archived: false }));
    expect(w(model(unarchive), API)).toMatchObject({ archived: k + 1, archivedAt: 799_000 });
    const twice = insertAt(H3, k, timed(799_500, { kind: 'thread.archived', thread: API, archived: true }));
    expect(w(model(twice), API)).toMatchObject({ archived: k, archivedAt: 799_000 });
    const none = remove(
      H3,
      is('thread.archived', (e) => e.thread === API),
    );
    expect(w(model(none), API)).toMatchObject({ archived: null, archivedAt: null });
    const onlyUn = change(
      H3,
      is('thread.archived', (e) => e.thread === API),
      (e) => ({ ...e, archived: false }) as TraceEvent,
    );
    expect(w(model(onlyUn), API)).toMatchObject({ archived: null, archivedAt: null });
  });
});

describe('respondedAt', () => {
  it('is null for a worker that never answers its dispatch (never-starts)', () => {
    const m = model(sound('never-starts'));
    expect(w(m, API).respondedAt).toBeNull();
    expect(w(m, API).activity).toEqual([]);
    expect(w(m, UI).respondedAt).toBe(73_000);
  });

  it('does not count an assistant message before any dispatch', () => {
    // API's "Waiting for registration and dispatch." at 33 000 came before its dispatch.
    expect(H3[29]).toMatchObject({ kind: 'assistant.message', thread: API, t: 33_000 });
    expect(w(model(H3), API).respondedAt).toBe(72_000);
  });

  it('does not count a response between the dispatch sent and delivered, and counts one right after delivery', () => {
    const sent = at(H3, sentMsg('m7'));
    const before = insertAt(H3, sent, timed(40_500, { kind: 'assistant.message', thread: API, turn: 'turn-x', text: 'On it.' }));
    expect(w(model(before), API).respondedAt).toBe(72_000);
    const delivered = at(
      H3,
      is('message.delivered', (e) => e.msg === 'm7'),
    );
    const after = insertAt(H3, delivered, timed(42_500, { kind: 'assistant.message', thread: API, turn: 'turn-x', text: 'On it.' }));
    expect(w(model(after), API).respondedAt).toBe(42_500);
  });

  it('another thread’s message or write does not answer for the worker', () => {
    const delivered = at(
      H3,
      is('message.delivered', (e) => e.msg === 'm7'),
    );
    const ev = insertAt(
      H3,
      delivered,
      timed(42_500, { kind: 'assistant.message', thread: UI, turn: 'turn-x', text: 'On it.' }),
      timed(42_600, { kind: 'ws', op: 'writeFile', actor: L, dir: '/worktrees/b4fe22fd/repo', paths: ['x'], ok: true }),
    );
    expect(w(model(ev), API).respondedAt).toBe(72_000);
  });

  const silent = remove(H3, (e) => e.kind === 'assistant.message' && e.thread === API);

  it('an ok write counts as a response, a read or a failed write does not', () => {
    // Without its own messages, API's first sign of life is its notes write at 72 000.
    expect(w(model(silent), API).respondedAt).toBe(72_000);
    const failed = change(
      silent,
      is('ws', (e) => e.actor === API && e.op === 'writeFile'),
      (e) => ({ ...e, ok: false }) as TraceEvent,
      true,
    );
    const m = model(failed);
    expect(w(m, API).respondedAt).toBe(252_000);
    expect(w(m, API).activity).toEqual([149, 189, 212, 252, 254, 255, 256, 258, 288]);
  });

  it('a completion signal delivered to the leader counts as a response', () => {
    const quiet = remove(silent, (e) => e.kind === 'ws' && e.actor === API);
    const m = model(quiet);
    const delivered = at(
      quiet,
      is('message.delivered', (e) => e.msg === 'm10'),
    );
    expect(w(m, API).activity).toEqual([delivered]);
    expect(w(m, API).respondedAt).toBe(quiet[delivered]!.t);
    expect(w(m, API).respondedAt).toBe(795_000);
  });
});

describe('activity', () => {
  const sentAndDelivered = (text: string, to = L) => {
    const k = at(H3, (e) => e.i === 160);
    return insertAt(H3, k, { kind: 'message.sent', msg: 'mx', from: API, to, text }, { kind: 'message.delivered', msg: 'mx', to, turn: 'turn-x' });
  };
  const header = `From: api (thread ID: ${API})`;
  const base = lazy(() => w(model(H3), API).activity);

  it('isWrite covers the writing ops only', () => {
    for (const op of ['writeFile', 'removeFile', 'commitAll', 'commitMerge', 'merge', 'run', 'checkout', 'discardChanges', 'abortMerge'])
      expect(isWrite(op), op).toBe(true);
    for (const op of ['readFile', 'listFiles', 'resolve', 'changedFiles', 'status', 'currentBranch', 'worktreeAdd', 'worktreeRemove', 'addExclude'])
      expect(isWrite(op), op).toBe(false);
  });

  it('a blocked signal delivered to the leader is activity', () => {
    const ev = sentAndDelivered(`${header}\nBLOCKED: the API needs a secret`);
    expect(w(model(ev), API).activity).toEqual([111, 151, 162, 193, 216, 256, 258, 259, 260, 262, 293]);
  });

  it('a plain status line is not activity', () => {
    const ev = sentAndDelivered(`${header}\nSTATUS: still working on the endpoint`);
    expect(w(model(ev), API).activity).toEqual(base().map((i) => (i > 160 ? i + 2 : i)));
  });

  it('a signal delivered to another thread is not activity', () => {
    const ev = sentAndDelivered(`${header}\nBLOCKED: the API needs a secret`, UI);
    expect(w(model(ev), API).activity).toEqual(base().map((i) => (i > 160 ? i + 2 : i)));
  });

  it('a second delivery of the same signal is not counted again', () => {
    const k = at(
      H3,
      is('message.delivered', (e) => e.msg === 'm10'),
    );
    const ev = insertAt(H3, k, { kind: 'message.delivered', msg: 'm10', to: L, turn: 'turn-x' });
    const m = model(ev);
    expect(w(m, API).activity).toEqual(base());
    expect(m.deliveredAt.get('m10')).toBe(k);
  });
});

describe('incapacitatedAt', () => {
  const SE = sound('system-error');
  const WR = sound('worktree-removed');

  it('is set by the worker’s systemError status', () => {
    const m = model(SE);
    expect(w(m, API).incapacitatedAt).toBe(300_000);
    expect(w(m, UI).incapacitatedAt).toBeNull();
    expect(w(m, DB).incapacitatedAt).toBeNull();
  });

  it('a system-error fault alone does not set it (only the status does)', () => {
    const ev = remove(
      SE,
      is('thread.status', (e) => e.status === 'systemError'),
    );
    expect(w(model(ev), API).incapacitatedAt).toBeNull();
  });

  it('is set by a remove-worktree fault aimed at the worker', () => {
    const m = model(WR);
    expect(w(m, UI).incapacitatedAt).toBe(300_000);
    expect(w(m, API).incapacitatedAt).toBeNull();
  });

  it('not by another fault kind, nor by a fault without target', () => {
    const other = change(WR, is('fault'), (e) => ({ ...e, fault: 'system-error' }) as TraceEvent);
    expect(w(model(other), UI).incapacitatedAt).toBeNull();
    const untargeted = change(WR, is('fault'), (e) => {
      const { target: _, ...rest } = e as EventOf<'fault'>;
      return rest as TraceEvent;
    });
    expect(w(model(untargeted), UI).incapacitatedAt).toBeNull();
  });

  it('the first one wins', () => {
    const k = at(WR, is('fault'));
    const later = insertAt(WR, k + 5, timed(400_000, { kind: 'thread.status', thread: UI, status: 'systemError' }));
    expect(w(model(later), UI).incapacitatedAt).toBe(300_000);
    const earlier = insertAt(WR, k - 1, timed(250_000, { kind: 'thread.status', thread: UI, status: 'systemError' }));
    expect(w(model(earlier), UI).incapacitatedAt).toBe(250_000);
    const k2 = at(
      SE,
      is('thread.status', (e) => e.status === 'systemError'),
    );
    const fault = insertAt(SE, k2 + 3, timed(301_000, { kind: 'fault', fault: 'remove-worktree', target: API, detail: 'x' }));
    expect(w(model(fault), API).incapacitatedAt).toBe(300_000);
  });
});

describe('messages', () => {
  const m = lazyObject(() => model(H3));
  const kinds = (mm: TraceModel) => mm.messages.map((x) => `${x.ev.msg}:${x.kind}`);

  it('are classified registration, dispatch, intro or other, with their delivery index', () => {
    expect(kinds(m)).toEqual([
      'm1:intro',
      'm2:registration',
      'm3:intro',
      'm4:registration',
      'm5:intro',
      'm6:registration',
      'm7:dispatch',
      'm8:dispatch',
      'm9:dispatch',
      'm10:other',
      'm11:other',
      'm12:other',
    ]);
    expect(m.messages.map((x) => m.deliveredAt.get(x.ev.msg))).toEqual([27, 41, 50, 64, 73, 85, 93, 99, 107, 291, 309, 319]);
    expect(m.messages[0]!.ev).toBe(H3[19]);
    expect(m.messages[0]!.reading).toBeNull();
    expect(m.messages[0]!.assignment).toBeNull();
    expect(m.messages[1]!.assignment?.role).toBe('api');
    expect(m.messages[6]!.assignment?.role).toBe('api');
    expect(m.messages[6]!.reading).not.toBeNull();
  });

  it('an intro must follow its thread.created at once', () => {
    const ev = insertAt(H3, 18, { kind: 'thread.status', thread: API, status: 'idle' });
    expect(kinds(model(ev))[0]).toBe('m1:other');
  });

  it('an intro must go to the thread just created', () => {
    const ev = change(H3, sentMsg('m1'), (e) => ({ ...e, to: UI }) as TraceEvent);
    expect(kinds(model(ev))[0]).toBe('m1:other');
  });

  it('a registration right after thread.created stays a registration', () => {
    const ev = change(H3, sentMsg('m1'), (e) => ({ ...e, text: textOf(H3, 'm2') }) as TraceEvent);
    const mm = model(ev);
    expect(kinds(mm)[0]).toBe('m1:registration');
    expect(w(mm, API).registrations).toEqual([19, 32]);
  });

  it('a message never delivered has no delivery index', () => {
    const ev = remove(
      H3,
      is('message.delivered', (e) => e.msg === 'm12'),
    );
    expect(model(ev).deliveredAt.has('m12')).toBe(false);
  });
});

describe('leader’s tools, workspace ops and journal writes', () => {
  const m = lazyObject(() => model(H3));
  const J = '.thread-team/00000000-0000-7000-8000-00000000leed/state.md';
  const journal = lazy(() => m.journalWrites().map((e) => e.i));

  it('journalWrites are the leader’s ok writeFiles of the journal in the root', () => {
    expect(journal().length).toBe(54);
    expect(journal().slice(0, 5)).toEqual([8, 16, 21, 25, 34]);
    expect(journal().at(-1)).toBe(373);
    for (const e of m.journalWrites()) expect(e).toMatchObject({ actor: L, op: 'writeFile', ok: true, dir: '/repo', paths: [J] });
  });

  it.each([
    ['a failed write', (e: EventOf<'ws'>) => ({ ...e, ok: false })],
    ['another dir', (e: EventOf<'ws'>) => ({ ...e, dir: '/worktrees/b4fe22fd/repo' })],
    ['another path', (e: EventOf<'ws'>) => ({ ...e, paths: ['.thread-team/other/state.md'] })],
    ['a worker’s write', (e: EventOf<'ws'>) => ({ ...e, actor: API })],
    ['another op', (e: EventOf<'ws'>) => ({ ...e, op: 'removeFile' })],
  ])('not %s', (_, f) => {
    const ev = change(
      H3,
      (e) => e.i === 16,
      (e) => f(e as EventOf<'ws'>) as TraceEvent,
    );
    const got = model(ev)
      .journalWrites()
      .map((e) => e.i);
    expect(got).toEqual(journal().filter((i) => i !== 16));
  });

  it('leaderWs and leaderTools keep only the leader’s', () => {
    expect(m.leaderWs('merge').map((e) => e.i)).toEqual([331, 339, 347]);
    expect(m.leaderWs().every((e) => e.actor === L)).toBe(true);
    expect(m.leaderWs().length).toBe(H3.filter((e) => e.kind === 'ws' && e.actor === L).length);
    expect(m.leaderWs().length).toBeLessThan(H3.filter((e) => e.kind === 'ws').length);
    const sends = m.leaderTools('send_message_to_thread');
    expect(sends.map((e) => e.i)).toEqual([33, 56, 79, 82, 90, 96]);
    expect(m.leaderTools().length).toBe(H3.filter((e) => e.kind === 'tool.call' && e.thread === L).length);
    expect(m.leaderTools().length).toBeLessThan(H3.filter((e) => e.kind === 'tool.call').length);
    expect(m.leaderTools('no-such-tool')).toEqual([]);
  });

  it('ofKind filters by event kind', () => {
    expect(m.ofKind('thread.created').map((e) => e.i)).toEqual([18, 36, 59]);
    expect(m.ofKind('run.end')).toEqual([H3[377]]);
  });
});

describe('texts: signals, headers, envelopes', () => {
  const m = lazyObject(() => model(H3));
  const header = `From: api (thread ID: ${API})`;
  const sha = '4dd27d47e63c6bf5d76402bc64a0227b5eda17e7';

  it.each([
    ['a completion with header', `${header}\nCOMPLETE .thread-team/report.md ${sha}`],
    ['a completion without header', `COMPLETE .thread-team/report.md ${sha}`],
    ['a completion after blank lines', `\n\n${header}\nCOMPLETE .thread-team/report.md ${sha}`],
    ['a blocked signal with header', `${header}\nBLOCKED: need the billing API key`],
    ['a blocked signal without header', 'BLOCKED: need the billing API key'],
    ['a completion by its shape', `${header}\nDone: ${sha}, report at .thread-team/report.md`],
    // The header line is not read as the body: a role named "blocker" must not veto a completion by shape.
    ['a completion by its shape from a role named blocker', `From: blocker (thread ID: ${API})\nDone: ${sha},\nreport at .thread-team/report.md`],
    ['the same after blank lines', `\n  \nFrom: blocker (thread ID: ${API})\nDone: ${sha},\nreport at .thread-team/report.md`],
  ])('isSignal: %s', (_, text) => {
    expect(m.isSignal(text)).toBe(true);
  });

  it.each([
    ['a status line', `${header}\nSTATUS: working`],
    ['plain text', `${header}\nStill working on the endpoint.`],
    ['the header alone', header],
    ['a report path without sha', `${header}\nsee .thread-team/report.md`],
    ['empty', ''],
  ])('isSignal is false for %s', (_, text) => {
    expect(m.isSignal(text)).toBe(false);
  });

  it('header reads the From: line, once per text', () => {
    const text = `${header}\nCOMPLETE`;
    const h = m.header(text);
    expect(h).toEqual({ role: 'api', threadId: API });
    expect(m.header(text)).toBe(h);
    expect(m.header('no header here')).toBeNull();
    expect(m.header('no header here')).toBeNull();
  });

  it('unwrap opens a delegation envelope and leaves other text alone', () => {
    const inner = `From: leader (thread ID: ${L})\nThread-team worker api: wait.`;
    expect(m.unwrap(`<codex_delegation><source_thread_id>${L}</source_thread_id><input>${inner}</input></codex_delegation>`)).toBe(inner);
    expect(m.unwrap(inner)).toBe(inner);
    expect(m.unwrap('')).toBe('');
  });

  it('journalState reads a journal text', () => {
    const j = (H3[373] as EventOf<'ws'>).content!;
    expect(m.journalState(j).status).toBe('complete');
  });
});

describe('what does not count', () => {
  const end = (ev: readonly TraceEvent[]) => ev.length - 1;

  it("a worker's text in the final template is not the leader's final report", () => {
    const final = model(H3).finalReport!;
    const ev = insertAt(H3, end(H3), timed(H3.at(-1)!.t, { kind: 'assistant.message', thread: API, turn: 'turn-x', text: final.ev.text } as TraceBody));
    expect(model(ev).finalReport!.ev.thread).toBe(L);
    expect(model(ev).finalReport!.ev.i).toBe(final.ev.i);
  });

  it("a thread a worker created is not one of the leader's workers", () => {
    const ev = insertAt(H3, end(H3), {
      kind: 'thread.created',
      thread: OTHER,
      by: API,
      cwd: '/worktrees/x/repo',
      model: null,
      thinking: null,
      worktree: null,
    } as TraceBody);
    expect(model(ev).workers.has(OTHER)).toBe(false);
    expect(model(ev).workers.size).toBe(3);
  });

  it('an unarchive is no archive', () => {
    const ev = change(
      H3,
      is('thread.archived', (e) => e.thread === API),
      (e) => ({ ...e, archived: false }),
    );
    expect(w(model(ev), API).archived).toBeNull();
    expect(w(model(ev), API).archivedAt).toBeNull();
  });

  it('a failed write is no progress; a status other than systemError, or one of the leader, incapacitates nobody', () => {
    const k = at(
      H3,
      is('ws', (e) => e.actor === API && e.op === 'writeFile'),
    );
    const failed = change(
      H3,
      (_, j) => j === k,
      (e) => ({ ...e, ok: false }),
    );
    expect(w(model(failed), API).activity).not.toContain(k);
    expect(w(model(H3), API).activity).toContain(k);
    const statuses = insertAt(insertAt(H3, 40, { kind: 'thread.status', thread: API, status: 'notLoaded' } as TraceBody), 40, {
      kind: 'thread.status',
      thread: L,
      status: 'systemError',
    } as TraceBody);
    expect([...model(statuses).workers.values()].map((x) => x.incapacitatedAt)).toEqual([null, null, null]);
    // A worktree a fault removed without saying whose, or the leader's, incapacitates nobody either.
    const faults = insertAt(insertAt(H3, 40, { kind: 'fault', fault: 'remove-worktree', detail: '/worktrees/x/repo' } as TraceBody), 40, {
      kind: 'fault',
      fault: 'remove-worktree',
      detail: '/repo',
      target: L,
    } as TraceBody);
    expect([...model(faults).workers.values()].map((x) => x.incapacitatedAt)).toEqual([null, null, null]);
  });

  it("a worker's own workspace acts are not the leader's", () => {
    const m = model(H3);
    expect(m.leaderWs().every((e) => e.actor === L)).toBe(true);
    expect(m.leaderWs().length).toBeLessThan(H3.filter((e) => e.kind === 'ws').length);
    // A journal write is the leader's write of the journal path in its checkout, first path first.
    const other = change(
      H3,
      (_, j) =>
        j ===
        at(
          H3,
          is('ws', (e) => e.actor === L && e.op === 'writeFile' && (e.paths?.[0] ?? '').includes('state.md')),
        ),
      (e) => ({ ...e, paths: undefined }),
    );
    expect(model(other).journalWrites().length).toBe(m.journalWrites().length - 1);
  });
});
