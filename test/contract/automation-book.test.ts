/**
 * The automation book (src/contract/automation-book.ts): what every host does with
 * `automation_update`, and which heartbeats are due when. The World and the live host both
 * schedule from it, so its refusals are pinned word for word, and its schedule (due, nextDue,
 * fired) instant for instant, including the instant a heartbeat falls due.
 */
import { describe, expect, it } from 'vitest';
import { AutomationBook, type BookHost } from '../../src/contract/automation-book.ts';
import type { ArgsOf } from '../../src/contract/registry.ts';

type Args = ArgsOf<'automation_update'>;

const T0 = 1_000_000;
const MINUTE = 60_000;
const EVERY_MINUTE = 'FREQ=MINUTELY';

/**
 * A book over a hand-driven clock. Every thread exists but `ghost`; ids are `auto-N` in order,
 * or the given ones (to make creation order and id order differ).
 */
function setup(ids: string[] = []) {
  let clock = T0;
  let n = 0;
  const host: BookHost = {
    now: () => clock,
    secs: (t) => Math.floor(t / 1000),
    threadProblem: (id) => (id === 'ghost' ? `thread not found: ${id}` : null),
    newId: () => ids[n++] ?? `auto-${n}`,
  };
  const book = new AutomationBook(host);
  return {
    book,
    at(t: number) {
      clock = t;
    },
    /** Creates on `thread` and returns the new id (failing the test if the book refused). */
    create(thread: string, over: Partial<Extract<Args, { mode: 'create' }>> = {}): string {
      const r = book.update(thread, { mode: 'create', kind: 'heartbeat', name: 'check', prompt: 'Check the team', rrule: EVERY_MINUTE, ...over });
      if (!r.ok) throw new Error(r.error);
      return (r.payload as { automationId: string }).automationId;
    },
    get(id: string) {
      const a = book.all.get(id);
      if (!a) throw new Error(`no automation ${id}`);
      return a;
    },
  };
}

describe('create', () => {
  it('stores an ACTIVE heartbeat on the calling thread, first due one interval after now', () => {
    const s = setup();
    const r = s.book.update('leader', { mode: 'create', kind: 'heartbeat', name: 'check', prompt: 'Check the team', rrule: 'FREQ=MINUTELY;INTERVAL=5' });
    expect(r).toEqual({
      ok: true,
      payload: { automationId: 'auto-1', mode: 'create', status: 'ACTIVE' },
      change: { op: 'create', id: 'auto-1', thread: 'leader', status: 'ACTIVE', rrule: 'FREQ=MINUTELY;INTERVAL=5' },
    });
    expect(s.get('auto-1')).toEqual({
      id: 'auto-1',
      kind: 'heartbeat',
      name: 'check',
      prompt: 'Check the team',
      rrule: 'FREQ=MINUTELY;INTERVAL=5',
      intervalMs: 5 * MINUTE,
      status: 'ACTIVE',
      thread: 'leader',
      createdAt: T0,
      updatedAt: T0,
      due: T0 + 5 * MINUTE,
    });
  });

  it('stores it on targetThreadId when given, and in the status asked for', () => {
    const s = setup();
    const r = s.book.update('leader', {
      mode: 'create',
      kind: 'heartbeat',
      name: 'w',
      prompt: 'P',
      rrule: EVERY_MINUTE,
      targetThreadId: 'worker',
      status: 'PAUSED',
    });
    expect(r).toEqual({
      ok: true,
      payload: { automationId: 'auto-1', mode: 'create', status: 'PAUSED' },
      change: { op: 'create', id: 'auto-1', thread: 'worker', status: 'PAUSED', rrule: EVERY_MINUTE },
    });
    expect(s.get('auto-1').thread).toBe('worker');
  });

  it("refuses a thread the host does not know, with the host's reason, and stores nothing", () => {
    const s = setup();
    expect(s.book.update('leader', { mode: 'create', kind: 'heartbeat', name: 'c', prompt: 'P', rrule: EVERY_MINUTE, targetThreadId: 'ghost' })).toEqual({
      ok: false,
      error: 'thread not found: ghost',
    });
    expect(s.book.all.size).toBe(0);
  });

  it('refuses a rule it cannot schedule, and stores nothing', () => {
    const s = setup();
    expect(s.book.update('leader', { mode: 'create', kind: 'heartbeat', name: 'c', prompt: 'P', rrule: 'FREQ=MONTHLY' })).toEqual({
      ok: false,
      error: 'unsupported rrule: FREQ=MONTHLY',
    });
    expect(s.book.all.size).toBe(0);
  });

  it('refuses a second ACTIVE heartbeat on a thread, naming the one it has', () => {
    const s = setup();
    s.create('leader');
    expect(s.book.update('worker', { mode: 'create', kind: 'heartbeat', name: 'c', prompt: 'P', rrule: EVERY_MINUTE, targetThreadId: 'leader' })).toEqual({
      ok: false,
      error: 'thread leader already has an active heartbeat (auto-1); update or delete it first',
    });
    expect([...s.book.all.keys()]).toEqual(['auto-1']);
  });

  it('allows a PAUSED heartbeat, or an ACTIVE cron, beside an ACTIVE heartbeat', () => {
    const s = setup();
    s.create('leader');
    expect(s.create('leader', { status: 'PAUSED' })).toBe('auto-2');
    expect(s.create('leader', { kind: 'cron' })).toBe('auto-3');
  });

  it('allows an ACTIVE heartbeat on a thread whose other automations are a cron and a PAUSED heartbeat', () => {
    const s = setup();
    s.create('leader', { kind: 'cron' });
    s.create('leader', { status: 'PAUSED' });
    expect(s.create('leader')).toBe('auto-3');
    expect(s.book.activeHeartbeat('leader')?.id).toBe('auto-3');
  });

  it("allows one ACTIVE heartbeat on each thread: another thread's does not count", () => {
    const s = setup();
    s.create('leader');
    expect(s.create('worker')).toBe('auto-2');
  });
});

describe('view', () => {
  it('lists every automation with whole-second times', () => {
    const s = setup();
    s.create('leader', { name: 'a', prompt: 'A' });
    s.at(T0 + 2_500);
    s.create('worker', { kind: 'cron', name: 'b', prompt: 'B', rrule: 'FREQ=DAILY', status: 'PAUSED' });
    expect(s.book.update('leader', { mode: 'view' })).toEqual({
      ok: true,
      payload: {
        automations: [
          {
            id: 'auto-1',
            kind: 'heartbeat',
            name: 'a',
            prompt: 'A',
            status: 'ACTIVE',
            rrule: EVERY_MINUTE,
            targetThreadId: 'leader',
            createdAt: 1_000,
            updatedAt: 1_000,
          },
          {
            id: 'auto-2',
            kind: 'cron',
            name: 'b',
            prompt: 'B',
            status: 'PAUSED',
            rrule: 'FREQ=DAILY',
            targetThreadId: 'worker',
            createdAt: 1_002,
            updatedAt: 1_002,
          },
        ],
      },
    });
  });
});

describe('delete', () => {
  it('removes the automation and reports it DELETED', () => {
    const s = setup();
    s.create('leader');
    expect(s.book.update('leader', { mode: 'delete', id: 'auto-1' })).toEqual({
      ok: true,
      payload: { automationId: 'auto-1', mode: 'delete', status: 'DELETED' },
      change: { op: 'delete', id: 'auto-1', thread: 'leader', status: 'DELETED', rrule: EVERY_MINUTE },
    });
    expect(s.book.all.size).toBe(0);
  });

  it('refuses an unknown id', () => {
    const s = setup();
    expect(s.book.update('leader', { mode: 'delete', id: 'nope' })).toEqual({ ok: false, error: 'automation not found: nope' });
    expect(s.book.update('leader', { mode: 'update', id: 'nope', name: 'x' })).toEqual({ ok: false, error: 'automation not found: nope' });
  });
});

describe('update', () => {
  it('changes only the fields given, and stamps updatedAt', () => {
    const s = setup();
    s.create('leader', { name: 'old', prompt: 'Old prompt' });
    s.at(T0 + 7_000);
    expect(s.book.update('leader', { mode: 'update', id: 'auto-1', name: 'new' })).toEqual({
      ok: true,
      payload: { automationId: 'auto-1', mode: 'update', status: 'ACTIVE' },
      change: { op: 'update', id: 'auto-1', thread: 'leader', status: 'ACTIVE', rrule: EVERY_MINUTE },
    });
    expect(s.get('auto-1')).toMatchObject({
      name: 'new',
      prompt: 'Old prompt',
      rrule: EVERY_MINUTE,
      intervalMs: MINUTE,
      status: 'ACTIVE',
      createdAt: T0,
      updatedAt: T0 + 7_000,
      due: T0 + MINUTE,
    });
    s.book.update('leader', { mode: 'update', id: 'auto-1', prompt: 'New prompt' });
    expect(s.get('auto-1')).toMatchObject({ name: 'new', prompt: 'New prompt', status: 'ACTIVE' });
  });

  it('takes a new rule, which sets the interval from the occurrence already due on', () => {
    const s = setup();
    s.create('leader');
    expect(s.book.update('leader', { mode: 'update', id: 'auto-1', rrule: 'FREQ=HOURLY;INTERVAL=2' })).toEqual({
      ok: true,
      payload: { automationId: 'auto-1', mode: 'update', status: 'ACTIVE' },
      change: { op: 'update', id: 'auto-1', thread: 'leader', status: 'ACTIVE', rrule: 'FREQ=HOURLY;INTERVAL=2' },
    });
    expect(s.get('auto-1')).toMatchObject({ rrule: 'FREQ=HOURLY;INTERVAL=2', intervalMs: 7_200_000, due: T0 + MINUTE });
    s.book.fired(s.get('auto-1'), T0 + MINUTE);
    expect(s.get('auto-1').due).toBe(T0 + MINUTE + 7_200_000);
  });

  it('refuses a new rule it cannot schedule, and changes nothing', () => {
    const s = setup();
    s.create('leader', { name: 'old' });
    s.at(T0 + 5_000);
    expect(s.book.update('leader', { mode: 'update', id: 'auto-1', rrule: 'FREQ=YEARLY', name: 'new' })).toEqual({
      ok: false,
      error: 'unsupported rrule: FREQ=YEARLY',
    });
    expect(s.get('auto-1')).toMatchObject({ name: 'old', rrule: EVERY_MINUTE, intervalMs: MINUTE, updatedAt: T0 });
  });

  it('refuses to resume a heartbeat on a thread that has another ACTIVE one', () => {
    const s = setup();
    s.create('leader');
    s.create('leader', { status: 'PAUSED' });
    expect(s.book.update('leader', { mode: 'update', id: 'auto-2', status: 'ACTIVE' })).toEqual({
      ok: false,
      error: 'thread leader already has an active heartbeat (auto-1)',
    });
    expect(s.get('auto-2').status).toBe('PAUSED');
  });

  it('lets a PAUSED heartbeat be edited while another is ACTIVE on its thread', () => {
    const s = setup();
    s.create('leader');
    s.create('leader', { status: 'PAUSED' });
    expect(s.book.update('leader', { mode: 'update', id: 'auto-2', name: 'renamed', rrule: 'FREQ=HOURLY' }).ok).toBe(true);
    expect(s.book.update('leader', { mode: 'update', id: 'auto-2', status: 'PAUSED' }).ok).toBe(true);
    expect(s.get('auto-2')).toMatchObject({ name: 'renamed', rrule: 'FREQ=HOURLY', status: 'PAUSED' });
  });

  it('lets a cron be resumed beside an ACTIVE heartbeat', () => {
    const s = setup();
    s.create('leader');
    s.create('leader', { kind: 'cron', status: 'PAUSED' });
    expect(s.book.update('leader', { mode: 'update', id: 'auto-2', status: 'ACTIVE' })).toEqual({
      ok: true,
      payload: { automationId: 'auto-2', mode: 'update', status: 'ACTIVE' },
      change: { op: 'update', id: 'auto-2', thread: 'leader', status: 'ACTIVE', rrule: EVERY_MINUTE },
    });
  });

  it('lets the ACTIVE heartbeat itself be re-set ACTIVE', () => {
    const s = setup();
    s.create('leader');
    expect(s.book.update('leader', { mode: 'update', id: 'auto-1', status: 'ACTIVE' }).ok).toBe(true);
  });

  it('pausing keeps the due instant; resuming makes it one interval after the resume', () => {
    const s = setup();
    s.create('leader');
    s.at(T0 + 10_000);
    s.book.update('leader', { mode: 'update', id: 'auto-1', status: 'PAUSED' });
    expect(s.get('auto-1')).toMatchObject({ status: 'PAUSED', due: T0 + MINUTE });
    s.at(T0 + 5 * MINUTE);
    s.book.update('leader', { mode: 'update', id: 'auto-1', status: 'ACTIVE' });
    expect(s.get('auto-1')).toMatchObject({ status: 'ACTIVE', due: T0 + 6 * MINUTE });
  });

  it('leaves the due instant alone when the status given is the one it has', () => {
    const s = setup();
    s.create('leader');
    s.at(T0 + 30_000);
    s.book.update('leader', { mode: 'update', id: 'auto-1', status: 'ACTIVE' });
    expect(s.get('auto-1').due).toBe(T0 + MINUTE);
    s.book.update('leader', { mode: 'update', id: 'auto-1', status: 'PAUSED' });
    s.at(T0 + 45_000);
    s.book.update('leader', { mode: 'update', id: 'auto-1', status: 'PAUSED' });
    expect(s.get('auto-1')).toMatchObject({ status: 'PAUSED', due: T0 + MINUTE });
  });
});

describe('due', () => {
  it('is the ACTIVE heartbeats due at or before now: not crons, not PAUSED ones, not later ones', () => {
    const s = setup();
    s.create('a');
    s.create('b', { kind: 'cron' });
    s.create('c', { status: 'PAUSED' });
    s.create('d', { rrule: 'FREQ=MINUTELY;INTERVAL=2' });
    expect(s.book.due(T0 + MINUTE - 1)).toEqual([]);
    // The instant it falls due, a heartbeat is due.
    expect(s.book.due(T0 + MINUTE).map((a) => a.id)).toEqual(['auto-1']);
    expect(s.book.due(T0 + 2 * MINUTE).map((a) => a.id)).toEqual(['auto-1', 'auto-4']);
  });

  it('lists the earliest due first, whatever the creation or id order', () => {
    const s = setup(['a', 'b', 'c', 'd']);
    s.create('t1', { rrule: 'FREQ=SECONDLY;INTERVAL=40' });
    s.create('t2', { rrule: 'FREQ=SECONDLY;INTERVAL=30' });
    s.create('t3', { rrule: 'FREQ=SECONDLY;INTERVAL=10' });
    s.create('t4', { rrule: 'FREQ=SECONDLY;INTERVAL=20' });
    expect(s.book.due(T0 + MINUTE).map((a) => a.id)).toEqual(['c', 'd', 'b', 'a']);
  });

  it('lists heartbeats due at the same instant by id', () => {
    const s = setup(['b', 'c', 'a']);
    s.create('t1');
    s.create('t2');
    s.create('t3');
    expect(s.book.due(T0 + MINUTE).map((a) => a.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('nextDue', () => {
  it('is null without an ACTIVE heartbeat', () => {
    const s = setup();
    expect(s.book.nextDue()).toBeNull();
    s.create('a', { kind: 'cron' });
    s.create('b', { status: 'PAUSED' });
    expect(s.book.nextDue()).toBeNull();
  });

  it('is the earliest due of the ACTIVE heartbeats, earlier crons and PAUSED ones aside', () => {
    const s = setup();
    s.create('a', { rrule: 'FREQ=MINUTELY;INTERVAL=3' });
    s.create('b', { kind: 'cron', rrule: 'FREQ=SECONDLY' });
    s.create('c', { status: 'PAUSED', rrule: 'FREQ=SECONDLY' });
    s.create('d', { rrule: 'FREQ=MINUTELY;INTERVAL=2' });
    s.create('e', { rrule: 'FREQ=MINUTELY;INTERVAL=4' });
    expect(s.book.nextDue()).toBe(T0 + 2 * MINUTE);
  });
});

describe('fired', () => {
  it('moves a heartbeat fired at its due instant one interval on', () => {
    const s = setup();
    s.create('leader');
    s.book.fired(s.get('auto-1'), T0 + MINUTE);
    expect(s.get('auto-1').due).toBe(T0 + 2 * MINUTE);
  });

  it('skips the occurrences it missed: the next is the first after now', () => {
    const s = setup();
    s.create('leader');
    s.book.fired(s.get('auto-1'), T0 + 4 * MINUTE + 1);
    expect(s.get('auto-1').due).toBe(T0 + 5 * MINUTE);
  });
});
