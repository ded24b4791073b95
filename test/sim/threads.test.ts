// wait_threads, delivery into busy threads, and archiving a running thread.

import { describe, expect, it } from 'vitest';
import { unwrapDelegation } from '../../src/contract/envelopes.ts';
import {
  REPO_ROOT,
  ScriptedAgent,
  type MakeWorldOptions,
  type Step,
  type TestWorld,
  checkWorldsAfterEach,
  makeWorld,
  must,
} from '../support/scripted-leader.ts';

// Whatever a test did, every successful call's payload must satisfy the contract.
const enroll = checkWorldsAfterEach();
async function mk(opts: MakeWorldOptions = {}): Promise<TestWorld> {
  const t = await makeWorld(opts);
  enroll(t);
  return t;
}
/** A world whose leader runs `steps`, with one extra thread `w` running `worker`. */
async function withWorker(worker: ScriptedAgent, steps: (w: string) => Step[], opts: MakeWorldOptions = {}) {
  const leader = new ScriptedAgent();
  const t = await mk({ ...opts, leader });
  const w = t.world.addThread({ cwd: REPO_ROOT, title: 'worker', agent: worker });
  leader.push(...steps(w.id));
  return { t, w };
}

const text = (i: { text: string }) => unwrapDelegation(i.text)?.text ?? i.text;

describe('wait_threads', () => {
  it('timeoutMs 0 answers a snapshot at once: timed out, with polls', async () => {
    let r: any;
    let spent = -1;
    const { t, w } = await withWorker(new ScriptedAgent(), (w) => [
      async (ctx) => {
        const before = ctx.now();
        r = await must(ctx, 'wait_threads', { targets: [{ threadId: w }], timeoutMs: 0 });
        spent = ctx.now() - before;
      },
    ]);
    await t.start();
    expect(spent).toBe(1_000); // one model step, no waiting
    expect(r).toEqual({
      timedOut: true,
      wake: null,
      polls: [
        {
          thread: { id: w.id, status: { type: 'idle' } },
          cursor: expect.stringMatching(/^rev:\d+$/),
          changed: true,
          latestTurn: null,
          latestAssistantMessage: null,
          latestToolMarker: null,
        },
      ],
    });
  });

  it('a blocking wait wakes with turnCompleted when the target finishes its turn', async () => {
    let r: any;
    let wokeAt = -1;
    const worker = new ScriptedAgent([
      async (ctx) => {
        await ctx.sleep(30_000);
        ctx.say('done');
      },
    ]);
    const { t, w } = await withWorker(worker, (w) => [
      async (ctx) => {
        await must(ctx, 'send_message_to_thread', { threadId: w, prompt: 'work' });
        r = await must(ctx, 'wait_threads', { targets: [{ threadId: w }], timeoutMs: 120_000 });
        wokeAt = ctx.now();
      },
    ]);
    await t.start();
    const end = t.events('turn.end').find((e) => e.thread === w.id)!;
    expect(end.status).toBe('completed');
    // send at 1 s, delivered 2 s later, 30 s of work: the wait returns the moment it ends.
    expect(end.t).toBe(33_000);
    expect(wokeAt).toBe(33_000);
    expect(r.timedOut).toBe(false);
    expect(r.wake).toEqual({ threadId: w.id, reason: 'turnCompleted', turnId: w.turns[0]!.id });
    expect(r.polls[0]).toMatchObject({
      latestTurn: { id: w.turns[0]!.id, status: 'completed', error: null },
      latestAssistantMessage: 'done',
      changed: true,
    });
  });

  it('wakes with inactiveStatus when a target falls into systemError, and at once for an archived one', async () => {
    let r: any;
    let wokeAt = -1;
    let archivedWait: any;
    const worker = new ScriptedAgent([async (ctx) => ctx.sleep(600_000)]);
    const { t, w } = await withWorker(worker, (w) => [
      async (ctx) => {
        await must(ctx, 'send_message_to_thread', { threadId: w, prompt: 'work' });
        r = await must(ctx, 'wait_threads', { targets: [{ threadId: w }], timeoutMs: 120_000 });
        wokeAt = ctx.now();
        const other = t.world.addThread({ cwd: REPO_ROOT, title: 'other', agent: null });
        await must(ctx, 'set_thread_archived', { threadId: other.id, archived: true });
        archivedWait = await must(ctx, 'wait_threads', { targets: [{ threadId: other.id }], timeoutMs: 0 });
      },
    ]);
    t.world.sched.at(20_000, 'fault', () => t.world.setStatus(w, 'systemError'));
    await t.start();
    expect(wokeAt).toBe(20_000);
    expect(r.timedOut).toBe(false);
    expect(r.wake).toEqual({ threadId: w.id, reason: 'inactiveStatus' });
    expect(r.polls[0].thread.status).toEqual({ type: 'systemError' });
    // The failed thread's turn stopped when it failed.
    expect(t.events('turn.end').find((e) => e.thread === w.id)).toMatchObject({ status: 'interrupted', t: 20_000 });
    expect(archivedWait.timedOut).toBe(false);
    expect(archivedWait.wake.reason).toBe('inactiveStatus');
  });

  it('times out after exactly timeoutMs of virtual time when nothing happens', async () => {
    let r: any;
    let spent = -1;
    const { t } = await withWorker(new ScriptedAgent(), (w) => [
      async (ctx) => {
        await ctx.sleep(1); // not at a round time
        const before = ctx.now();
        r = await must(ctx, 'wait_threads', { targets: [{ threadId: w }], timeoutMs: 50_000 });
        spent = ctx.now() - before;
      },
    ]);
    await t.start();
    expect(spent).toBe(1_000 + 50_000);
    expect(r.timedOut).toBe(true);
    expect(r.wake).toBeNull();
  });

  it('afterCursor: wakes only on news after the cursor; an older cursor wakes at once', async () => {
    const seen: Record<string, any> = {};
    const worker = new ScriptedAgent([], async (ctx, inputs) => {
      await ctx.sleep(10_000);
      ctx.say(`reply to ${inputs.map(text).join(',')}`);
    });
    const { t, w } = await withWorker(worker, (w) => [
      async (ctx) => {
        const target = (afterCursor?: string) => [{ threadId: w, ...(afterCursor ? { afterCursor } : {}) }];
        await must(ctx, 'send_message_to_thread', { threadId: w, prompt: 'one' });
        seen.first = await must(ctx, 'wait_threads', { targets: target(), timeoutMs: 120_000 });
        const c1 = seen.first.polls[0].cursor;
        seen.noNews = await must(ctx, 'wait_threads', { targets: target(c1), timeoutMs: 0 });
        seen.plainSnapshot = await must(ctx, 'wait_threads', { targets: target(), timeoutMs: 0 });
        seen.oldCursor = await must(ctx, 'wait_threads', { targets: target('rev:0'), timeoutMs: 0 });
        await must(ctx, 'send_message_to_thread', { threadId: w, prompt: 'two' });
        seen.second = await must(ctx, 'wait_threads', { targets: target(c1), timeoutMs: 120_000 });
      },
    ]);
    await t.start();
    const [turn1, turn2] = w.turns;
    expect(seen.first.wake).toEqual({ threadId: w.id, reason: 'turnCompleted', turnId: turn1!.id });
    expect(seen.noNews).toMatchObject({ timedOut: true, wake: null, polls: [{ changed: false }] });
    expect(seen.plainSnapshot).toMatchObject({ timedOut: true, wake: null });
    expect(seen.oldCursor).toMatchObject({ timedOut: false, wake: { reason: 'turnCompleted', turnId: turn1!.id } });
    expect(seen.second).toMatchObject({
      timedOut: false,
      wake: { reason: 'turnCompleted', turnId: turn2!.id },
      polls: [{ changed: true, latestAssistantMessage: 'reply to two' }],
    });
  });

  it('reports unknown targets in errors beside the polls of the known ones; all unknown is a failure', async () => {
    let mixed: any;
    let none: any;
    const { t, w } = await withWorker(new ScriptedAgent(), (w) => [
      async (ctx) => {
        mixed = await must(ctx, 'wait_threads', { targets: [{ threadId: w }, { threadId: 'ghost' }], timeoutMs: 0 });
        none = await ctx.call('wait_threads', { targets: [{ threadId: 'ghost' }], timeoutMs: 0 });
      },
    ]);
    await t.start();
    expect(mixed.polls.map((p: any) => p.thread.id)).toEqual([w.id]);
    expect(mixed.errors).toEqual([expect.objectContaining({ threadId: 'ghost', message: expect.stringContaining('not found') })]);
    expect(none).toEqual({ ok: false, error: 'no waitable targets: ghost' });
  });
});

describe('delivery into a busy thread', () => {
  it('a message sent during a turn waits for the next turn; queued inputs arrive together', async () => {
    let statusDuring: unknown;
    const worker = new ScriptedAgent([async (ctx) => ctx.sleep(600_000)]);
    const { t, w } = await withWorker(worker, (w) => [
      async (ctx) => {
        await must(ctx, 'send_message_to_thread', { threadId: w, prompt: 'A' });
        await ctx.sleep(5_000);
        statusDuring = (await must(ctx, 'read_thread', { threadId: w })).thread.status;
        await must(ctx, 'send_message_to_thread', { threadId: w, prompt: 'B' });
        await must(ctx, 'send_message_to_thread', { threadId: w, prompt: 'C' });
      },
    ]);
    await t.start();
    expect(statusDuring).toEqual({ type: 'active', activeFlags: [] });
    expect(worker.turns.map((x) => x.inputs.map(text))).toEqual([['A'], ['B', 'C']]);
    const [first, second] = w.turns;
    const end1 = t.events('turn.end').find((e) => e.turn === first!.id)!;
    const start2 = t.events('turn.start').find((e) => e.turn === second!.id)!;
    expect(start2.t).toBe(end1.t);
    expect(end1.t).toBe(3_000 + 600_000);
    const sent = t.events('message.sent');
    const delivered = t.events('message.delivered');
    const msgOf = (body: string) => sent.find((e) => e.text === body)!.msg;
    expect(delivered.filter((e) => e.msg === msgOf('B') || e.msg === msgOf('C')).map((e) => [e.turn, e.t])).toEqual([
      [second!.id, end1.t],
      [second!.id, end1.t],
    ]);
    expect(start2.inputs).toHaveLength(2);
  });

  it('archiving interrupts a running turn, and the archived thread gets no more turns', async () => {
    let archivedAt = -1;
    let finished = false;
    const worker = new ScriptedAgent([], async (ctx) => {
      await ctx.sleep(600_000);
      finished = true;
    });
    const { t, w } = await withWorker(worker, (w) => [
      async (ctx) => {
        await must(ctx, 'send_message_to_thread', { threadId: w, prompt: 'work' });
        await ctx.sleep(60_000);
        await must(ctx, 'set_thread_archived', { threadId: w, archived: true });
        archivedAt = ctx.now();
        const again = await ctx.call('send_message_to_thread', { threadId: w, prompt: 'more' });
        expect(again).toEqual({ ok: false, error: `thread is archived: ${w}` });
      },
    ]);
    await t.start();
    const ends = t.events('turn.end').filter((e) => e.thread === w.id);
    expect(ends).toEqual([expect.objectContaining({ status: 'interrupted', t: archivedAt })]);
    expect(finished).toBe(false);
    expect(w.turns[0]!.status).toBe('interrupted');
    // Input that still reaches it (from the user) starts nothing.
    t.world.userSays(w.id, 'are you there?', 'other');
    await t.run();
    expect(w.turns).toHaveLength(1);
    expect(worker.turns).toHaveLength(1);
    expect(w.inbox.map((i) => i.text)).toEqual(['are you there?']);
  });
});

describe('delivery into a busy thread, steered (world.delivery: steer)', () => {
  /** A worker busy for 600 s with message A; 5 s in, the leader goes on with `then`. */
  const busyWorker = async (then: (ctx: Parameters<Step>[0], w: string) => Promise<void>) => {
    const worker = new ScriptedAgent([async (ctx) => ctx.sleep(600_000)]);
    const made = await withWorker(
      worker,
      (w) => [
        async (ctx) => {
          await must(ctx, 'send_message_to_thread', { threadId: w, prompt: 'A' });
          await ctx.sleep(5_000);
          await then(ctx, w);
        },
      ],
      { delivery: 'steer' },
    );
    return { ...made, worker };
  };

  it('a message sent during a turn joins that turn: recorded at once, handed to the agent when its step ends', async () => {
    const { t, w, worker } = await busyWorker(async (ctx, w) => {
      await must(ctx, 'send_message_to_thread', { threadId: w, prompt: 'B' });
      await must(ctx, 'send_message_to_thread', { threadId: w, prompt: 'C' });
    });
    await t.start();
    // One turn; the agent is called a second time within it with both steered messages.
    expect(w.turns).toHaveLength(1);
    const turn = w.turns[0]!.id;
    expect(worker.turns.map((x) => [x.turn, x.inputs.map(text)])).toEqual([
      [turn, ['A']],
      [turn, ['B', 'C']],
    ]);
    expect(worker.turns[1]!.at).toBe(3_000 + 600_000);
    const steers = t.events('turn.steer');
    expect(steers.map((e) => [e.thread, e.turn, e.causes, e.inputs.map((x) => text({ text: x })), e.t])).toEqual([
      [w.id, turn, ['delegation', 'delegation'], ['B', 'C'], 3_000 + 600_000],
    ]);
    // Delivered when steered in (latency after sending), not when the agent got to them.
    const sent = t.events('message.sent');
    const delivered = t.events('message.delivered');
    for (const body of ['B', 'C']) {
      const m = sent.find((e) => e.text === body)!;
      expect(delivered.filter((e) => e.msg === m.msg).map((e) => [e.turn, e.t])).toEqual([[turn, m.t + 2_000]]);
    }
    expect(w.turns[0]!.items.filter((i) => i.type === 'userMessage').map((i) => text(i as { text: string }))).toEqual(['A', 'B', 'C']);
    expect(
      t
        .events('turn.end')
        .filter((e) => e.thread === w.id)
        .map((e) => e.status),
    ).toEqual(['completed']);
  });

  it("an idle thread still starts a turn; the person's words and heartbeats are never steered", async () => {
    const worker = new ScriptedAgent([async (ctx) => ctx.sleep(600_000)]);
    const { t, w } = await withWorker(worker, (w) => [async (ctx) => must(ctx, 'send_message_to_thread', { threadId: w, prompt: 'A' })], { delivery: 'steer' });
    t.world.sched.after(60_000, 'user', () => t.world.userSays(w.id, 'how is it going?', 'status'));
    await t.start();
    expect(t.events('turn.steer')).toEqual([]);
    expect(worker.turns.map((x) => x.inputs.map(text))).toEqual([['A'], ['how is it going?']]);
    expect(w.turns).toHaveLength(2);
  });

  it('input steered into a turn that is interrupted before handling it reaches the next turn', async () => {
    const { t, w, worker } = await busyWorker(async (ctx, w) => {
      await must(ctx, 'send_message_to_thread', { threadId: w, prompt: 'B' });
      await ctx.sleep(5_000);
      await must(ctx, 'set_thread_archived', { threadId: w, archived: true });
      await must(ctx, 'set_thread_archived', { threadId: w, archived: false });
    });
    await t.start();
    // Never handed over: the turn ended first.
    expect(t.events('turn.steer')).toEqual([]);
    expect(
      t
        .events('turn.end')
        .filter((e) => e.thread === w.id)
        .map((e) => e.status),
    ).toEqual(['interrupted', 'completed']);
    expect(worker.turns.map((x) => [x.turn, x.inputs.map(text)])).toEqual([
      [w.turns[0]!.id, ['A']],
      [w.turns[1]!.id, ['B']],
    ]);
  });
});
