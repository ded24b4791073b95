// The reference leader's decisions (src/leader/decisions.ts), each held to a table, and its
// deliberate defects (src/leader/defects.ts) shown to stay out of the sound path.
import { describe, expect, it } from 'vitest';
import { FLAWS } from '../src/core/flaws.ts';
import {
  announcedMinutes,
  blockedOn,
  confirmation,
  mergeGate,
  quietPasses,
  replacement,
  respondedToDispatch,
  reviewFindings,
  reworkOrGiveUp,
  route,
  showsWork,
  stallPass,
  stallVerdict,
  startupExpired,
  waitCycle,
} from '../src/leader/decisions.ts';
import { defects, STEPS } from '../src/leader/defects.ts';
import type { UserIntent } from '../src/leader/messages.ts';
import type { RunStatus, WorkerPhase } from '../src/leader/state.ts';
import type { TurnContext } from '../src/ports/agent.ts';

describe('the router', () => {
  const rows: [RunStatus | null, UserIntent[], number, string, boolean, boolean][] = [
    // status, intents, heartbeats → route, deleteOrphans, answerStatus
    [null, ['task'], 0, 'analyse', false, false],
    [null, ['status'], 0, 'idle', false, false],
    [null, ['cancel'], 0, 'idle', false, false],
    [null, [], 1, 'idle', false, false],
    ['complete', ['task'], 0, 'analyse', false, false],
    ['complete', ['status'], 0, 'idle-status', false, false],
    ['aborted', ['cancel'], 0, 'nothing-to-cancel', false, false],
    ['declined', [], 2, 'idle', true, false],
    ['complete', ['status', 'cancel'], 1, 'idle-status', true, false],
    ['awaiting-confirmation', ['confirm'], 0, 'confirm', false, false],
    ['awaiting-confirmation', ['decline', 'confirm'], 0, 'decline', false, false],
    ['awaiting-confirmation', ['status'], 1, 'await-answer', false, false],
    ['running', [], 1, 'work', false, false],
    ['running', ['status'], 0, 'work', false, true],
    ['running', ['cancel', 'status'], 0, 'cancel', false, true],
    ['aborting', ['cancel'], 1, 'finish-abort', false, false],
    ['aborting', ['status'], 0, 'finish-abort', false, true],
    ['merging', ['task'], 0, 'work', false, false],
  ];
  it.each(rows)('%s with %j and %i heartbeat(s): %s', (status, intents, hbs, r, orphans, answer) => {
    expect(route(status, intents, hbs)).toEqual({ route: r, deleteOrphans: orphans, answerStatus: answer });
  });
});

describe('decisions', () => {
  it.each([
    ['yes', {}, false],
    ['yes, model gpt-5.5 and thinking High', { model: 'gpt-5.5', thinking: 'high' }, false],
    ['ok, keep the worktrees', {}, true],
    ['go ahead with thinking superb', {}, false],
  ])('the answer %j sets %j (keep worktrees: %s)', (answer, set, keep) => {
    expect(confirmation(answer)).toEqual({ ...set, keepWorktrees: keep });
  });

  it.each([
    // waited, window, anyStarted → expired
    [10, 10, true, false],
    [11, 10, true, true],
    [11, 10, false, false],
    [20, 10, false, false],
    [21, 10, false, true],
  ])('a silent worker %i ms after its dispatch, window %i, others started %s: replace %s', (waited, window, any, out) => {
    expect(startupExpired(waited, window, any)).toBe(out);
  });

  it.each([
    [null, false],
    ['0:abcdefabcdef', false],
    ['12:abcdefabcdef', true],
    ['0:123456789012', true],
  ])('files %s show work: %s', (sig, out) => {
    expect(showsWork({ base: 'abcdefabcdef0000' }, sig)).toBe(out);
  });

  const user = (text: string) => ({ type: 'userMessage', text });
  const act = { type: 'commandExecution' };
  it.each([
    ['an action after the dispatch in its turn', [{ items: [user('DISPATCH'), act] }], false, true],
    ['the dispatch alone', [{ items: [user('DISPATCH')] }], false, false],
    ['a newer turn that acts', [{ items: [user('other'), act] }, { items: [user('DISPATCH')] }], false, true],
    ['no dispatch on a whole history', [{ items: [act] }], false, false],
    ['no dispatch on a page with older turns, acting', [{ items: [act] }], true, true],
    ['no dispatch on a page with older turns, idle', [{ items: [user('x')] }], true, false],
  ])('responded to the dispatch: %s', (_, turns, older, out) => {
    expect(respondedToDispatch(turns, older, (t) => t === 'DISPATCH')).toBe(out);
  });

  it.each([
    [true, true, true, 'progress'],
    [false, true, true, 'skip'],
    [false, false, false, 'skip'],
    [false, false, true, 'count'],
  ])('a pass (progressed %s, excused %s, heartbeat %s): %s', (progressed, excused, pass, out) => {
    expect(stallPass({ progressed, excused, pass })).toBe(out);
  });

  const base = { quiet: 3, passes: 3, nudges: 0, reworks: 0, asked: false, sinceAskedMs: 0, intervalMs: 100 };
  it.each([
    [{ quiet: 2 }, 'wait'],
    [{}, 'ask'],
    [{ asked: true }, 'hold'],
    [{ asked: true, quiet: 4, sinceAskedMs: 99 }, 'hold'],
    [{ asked: true, quiet: 4, sinceAskedMs: 100 }, 'replace-unanswered'],
    [{ asked: true, quiet: 3, sinceAskedMs: 500 }, 'hold'],
    [{ nudges: 2 }, 'redispatch'],
    [{ nudges: 2, reworks: 1 }, 'replace-idle'],
    [{ askFirst: false }, 'replace-unasked'],
    [{ quiet: 0, patient: false }, 'ask'],
    [{ quiet: 0, patient: false, asked: true }, 'replace-unanswered'],
  ] as const)('the stall ladder at %j: %s', (facts, out) => {
    expect(stallVerdict({ ...base, ...facts })).toBe(out);
  });

  it.each([
    [3, 300, 100, 3],
    [3, 150, 100, 1],
    [1, 1000, 100, 1],
  ])('%i silent passes over %i ms at a %i ms interval count as %i', (silent, ms, interval, out) => {
    expect(quietPasses(silent, ms, interval)).toBe(out);
  });

  it('a task gets three workers and two rework rounds', () => {
    expect([1, 2, 3, 4].map(replacement)).toEqual(['replace', 'replace', 'give-up', 'give-up']);
    expect([0, 1, 2, 3].map(reworkOrGiveUp)).toEqual(['rework', 'rework', 'give-up', 'give-up']);
  });

  it.each([
    ['running tests, about 12 min', 12],
    ['About 3 MIN left', 3],
    ['working', null],
  ])('the status line %j announces %s minutes', (text, out) => {
    expect(announcedMinutes(text)).toBe(out);
  });

  it.each([
    ['waiting on api', 'ui', { named: 'api', peer: 'api' }],
    ['Waiting on peer api for the schema', 'ui', { named: 'api', peer: 'api' }],
    ['waiting on db', 'ui', { named: 'db', peer: '' }],
    ['waiting on ui', 'ui', { named: 'ui', peer: '' }],
    ['the tests are red', 'ui', { named: '', peer: '' }],
  ])('blocked %j (from %s) waits on %j', (reason, self, out) => {
    expect(blockedOn(reason, self, ['api', 'ui'])).toEqual(out);
  });

  it('a circle of waits is found from the worker that closes it, and only a circle', () => {
    const ws = [
      { role: 'a', waitingOn: 'b' },
      { role: 'b', waitingOn: 'c' },
      { role: 'c', waitingOn: 'a' },
      { role: 'd', waitingOn: 'a' },
    ];
    expect(waitCycle(ws, ws[0]!)).toEqual(['a', 'b', 'c', 'a']);
    expect(waitCycle(ws, ws[3]!)).toBeNull();
    expect(
      waitCycle(
        [
          { role: 'a', waitingOn: 'b' },
          { role: 'b', waitingOn: '' },
        ],
        { role: 'a', waitingOn: 'b' },
      ),
    ).toBeNull();
  });

  const w = (state: WorkerPhase) => ({ state });
  it.each([
    [['reported', 'started'], 'wait'],
    [['reported', 'pending'], 'wait'],
    [['merged', 'excluded'], 'finish'],
    [[], 'finish'],
    [['reported', 'merged', 'reported'], 'merge'],
  ] as [WorkerPhase[], string][])('merging with %j: %s', (states, kind) => {
    const gate = mergeGate(states.map(w));
    expect(gate.kind).toBe(kind);
    if (gate.kind === 'merge') expect(gate.ready.map((x) => x.state)).toEqual(states.filter((s) => s === 'reported'));
  });

  const facts = {
    reportRead: true,
    report: { failed: false },
    reportPath: 'REPORT.md',
    branch: 'tt/api',
    tip: 'b'.repeat(40),
    reported: 'b'.repeat(40),
    base: 'a'.repeat(40),
    changed: ['src/api.ts'],
    mayTouch: ['src/api.ts', 'CHANGELOG.md'],
  };
  it.each([
    [{}, []],
    [{ report: null }, ['no readable report at REPORT.md']],
    [{ report: null, reportRead: false }, []],
    [{ tip: null, changed: [] }, ['branch tt/api is gone']],
    [{ reported: 'c'.repeat(40) }, [`branch tip ${'b'.repeat(12)} is not the reported commit ${'c'.repeat(12)}`]],
    [{ reported: '' }, []],
    [{ tip: 'a'.repeat(40), reported: '', changed: [] }, ['no commit on the branch beyond the base commit']],
    [{ changed: ['src/api.ts', 'src/ui.ts'] }, ['changes outside the files you own: src/ui.ts']],
    [{ changed: ['.thread-team/x.md'] }, ['changes outside the files you own: .thread-team/x.md', '.thread-team/ was committed']],
    [{ report: { failed: true } }, ['your verification failed']],
  ])('review of %j finds %j', (over, out) => {
    expect(reviewFindings({ ...facts, ...over })).toEqual(out);
  });
});

describe('the deliberate defects stay out of the sound path', () => {
  it("with no flaws every step is done, the port is the turn's own and the journal is keyed on the thread", () => {
    const d = defects(new Set());
    expect(STEPS.filter((s) => !d.does(s))).toEqual([]);
    const ctx = { call: async () => ({ ok: true }) } as unknown as TurnContext;
    expect(d.port(ctx)).toBe(ctx);
    expect(d.journalKey('t-1')).toBe('t-1');
  });

  it('every step is left out by some defect (no dead switch), and each defect leaves out at most two', () => {
    const left = (f: (typeof FLAWS)[number]) => STEPS.filter((s) => !defects(new Set([f])).does(s));
    expect(STEPS.filter((s) => !FLAWS.some((f) => left(f).includes(s)))).toEqual([]);
    expect(FLAWS.filter((f) => left(f).length > 2)).toEqual([]);
    expect(left('merge-two-at-once')).toEqual(['test-each-merge', 'one-merge-at-a-time']);
    expect(left('no-header')).toEqual([]);
  });

  async function calls(flaws: (typeof FLAWS)[number][], tool: string, args: Record<string, unknown>) {
    const seen: [string, unknown][] = [];
    const call = async (t: string, a: unknown) => {
      seen.push([t, a]);
      return { ok: true, payload: {} };
    };
    const ctx = { call } as unknown as TurnContext;
    await defects(new Set(flaws)).port(ctx).call(tool, args);
    return seen;
  }

  it('effect-altering defects change only the calls they concern', async () => {
    const header = 'From: leader (t-0)';
    expect(await calls(['no-header'], 'send_message_to_thread', { threadId: 'w', prompt: `${header}\nSTATUS REQUEST: hm` })).toEqual([
      ['send_message_to_thread', { threadId: 'w', prompt: 'STATUS REQUEST: hm' }],
    ]);
    expect(await calls(['no-header'], 'send_message_to_thread', { threadId: 'w', prompt: `${header}\nRegistration` })).toEqual([
      ['send_message_to_thread', { threadId: 'w', prompt: `${header}\nRegistration` }],
    ]);
    expect(await calls(['unfilled-dispatch'], 'send_message_to_thread', { threadId: 'w', prompt: `Base commit: ${'a'.repeat(40)}` })).toEqual([
      ['send_message_to_thread', { threadId: 'w', prompt: 'Base commit: <base-commit>' }],
    ]);
    expect(await calls(['omit-settings'], 'create_thread', { prompt: 'p', model: 'm', thinking: 'high' })).toEqual([['create_thread', { prompt: 'p' }]]);
    expect(await calls(['shared-worktree'], 'create_thread', { prompt: 'p', target: { type: 'project', environment: { type: 'worktree' } } })).toEqual([
      ['create_thread', { prompt: 'p', target: { type: 'project', environment: { type: 'local' } } }],
    ]);
    const snapshot = { targets: [{ threadId: 'a' }, { threadId: 'b' }], timeoutMs: 0 };
    expect((await calls(['busy-wait'], 'wait_threads', snapshot)).length).toBe(5);
    expect((await calls(['busy-wait'], 'wait_threads', { ...snapshot, timeoutMs: 1000 })).length).toBe(1);
    expect(await calls(['read-sweep'], 'wait_threads', snapshot)).toEqual([
      ['wait_threads', snapshot],
      ['read_thread', { threadId: 'a', turnLimit: 1 }],
      ['read_thread', { threadId: 'b', turnLimit: 1 }],
    ]);
    const create = { mode: 'create', name: 'thread-team poll', prompt: 'Poll' };
    expect(await calls(['two-heartbeats'], 'automation_update', create)).toEqual([
      ['automation_update', create],
      ['automation_update', { ...create, name: 'extra', prompt: 'poll' }],
    ]);
    expect(await calls(['two-heartbeats'], 'automation_update', { mode: 'delete', id: 'h' })).toHaveLength(1);
    expect(defects(new Set(['fixed-journal-path'])).journalKey('t-1')).toBe('leader');
  });
});
