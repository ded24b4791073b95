// Heartbeat automations: the 30 s scheduler, idle-only firing, one ACTIVE per thread, pause,
// resume, delete, the heartbeat envelope, three runs a tick.

import { describe, expect, it } from 'vitest';
import { unwrapHeartbeat } from '../../src/contract/envelopes.ts';
import { LEADER_ID, REPO_ROOT, ScriptedAgent, type TestWorld, EPOCH_MS, errorOf, checkWorldsAfterEach, makeWorld, must } from '../support/scripted-leader.ts';
import type { TurnContext } from '../../src/ports/agent.ts';

// Whatever a test did, every successful call's payload must satisfy the contract.
const enroll = checkWorldsAfterEach();
async function world(leader: ScriptedAgent): Promise<TestWorld> {
  const t = await makeWorld({ leader });
  enroll(t);
  return t;
}

const EVERY_MINUTE = 'FREQ=MINUTELY;INTERVAL=1';
const create = (ctx: TurnContext, extra: Record<string, unknown> = {}) =>
  ctx.call('automation_update', { mode: 'create', kind: 'heartbeat', name: 'team check', prompt: 'Check the team', rrule: EVERY_MINUTE, ...extra });

const fires = (t: TestWorld, id?: string) => t.events('automation').filter((e) => e.op === 'fire' && (id === undefined || e.id === id));

describe('heartbeats', () => {
  it('fire on 30 s ticks once due, as a turn whose input is exactly the heartbeat envelope', async () => {
    let receipt: any;
    const leader = new ScriptedAgent([
      async (ctx) =>
        void (receipt = await must(ctx, 'automation_update', {
          mode: 'create',
          kind: 'heartbeat',
          name: 'team check',
          prompt: 'Check the team',
          rrule: EVERY_MINUTE,
        })),
    ]);
    const t = await world(leader);
    await t.start('go', 250_000);
    expect(receipt).toEqual({ automationId: 'auto-1', mode: 'create', status: 'ACTIVE' });
    // Created at 1 s, due at 61 s: the 60 s tick is too early, the 90 s one fires; then every minute.
    expect(fires(t).map((e) => e.t)).toEqual([90_000, 150_000, 210_000]);
    const hbTurns = leader.turns.slice(1);
    expect(hbTurns.map((x) => x.at)).toEqual([90_000, 150_000, 210_000]);
    const first = hbTurns[0]!.inputs;
    expect(first).toHaveLength(1);
    expect(first[0]).toEqual({
      cause: 'heartbeat',
      automation: 'auto-1',
      text:
        '<heartbeat>\n  <automation_id>auto-1</automation_id>\n  <current_time_iso>2026-01-05T09:01:30.000Z</current_time_iso>\n' +
        '  <instructions>\nCheck the team\n  </instructions>\n</heartbeat>',
    });
    expect(new Date(EPOCH_MS + 90_000).toISOString()).toBe('2026-01-05T09:01:30.000Z');
    expect(unwrapHeartbeat(first[0]!.text)).toEqual({ automationId: 'auto-1', nowIso: '2026-01-05T09:01:30.000Z', instructions: 'Check the team' });
    expect(
      t
        .events('turn.start')
        .filter((e) => e.thread === LEADER_ID)
        .map((e) => e.causes),
    ).toEqual([['user'], ['heartbeat'], ['heartbeat'], ['heartbeat']]);
  });

  it('skip a busy thread at a tick and fire at a later tick once it is idle', async () => {
    const worker = new ScriptedAgent([async (ctx) => ctx.sleep(120_000)]);
    const leader = new ScriptedAgent();
    const t = await world(leader);
    const w = t.world.addThread({ cwd: REPO_ROOT, title: 'worker', agent: worker });
    leader.push(
      async (ctx) =>
        void (await must(ctx, 'automation_update', {
          mode: 'create',
          kind: 'heartbeat',
          name: 'w',
          prompt: 'Check',
          rrule: EVERY_MINUTE,
          targetThreadId: w.id,
        })),
    );
    // Busy from 80 s to 200 s: the ticks at 90, 120, 150 and 180 s find it active.
    t.world.sched.at(80_000, 'work', () => t.world.userSays(w.id, 'work for two minutes', 'other'));
    await t.start('go', 300_000);
    expect(fires(t).map((e) => [e.t, e.thread])).toEqual([
      [210_000, w.id],
      [270_000, w.id],
    ]);
    expect(worker.turns.map((x) => [x.at, x.inputs.map((i) => i.cause)])).toEqual([
      [80_000, ['user']],
      [210_000, ['heartbeat']],
      [270_000, ['heartbeat']],
    ]);
    expect(t.leader.turns).toHaveLength(1); // the heartbeat woke the worker, not its creator
  });

  it('allow at most one ACTIVE heartbeat per thread', async () => {
    const answers: Record<string, any> = {};
    const leader = new ScriptedAgent([
      async (ctx) => {
        answers.first = await must(ctx, 'automation_update', { mode: 'create', kind: 'heartbeat', name: 'a', prompt: 'A', rrule: EVERY_MINUTE });
        answers.second = await create(ctx);
        answers.paused = await must(ctx, 'automation_update', {
          mode: 'create',
          kind: 'heartbeat',
          name: 'b',
          prompt: 'B',
          rrule: EVERY_MINUTE,
          status: 'PAUSED',
        });
        answers.resume = await ctx.call('automation_update', { mode: 'update', id: answers.paused.automationId, status: 'ACTIVE' });
        const other = t.world.addThread({ cwd: REPO_ROOT, title: 'other', agent: null });
        answers.elsewhere = await must(ctx, 'automation_update', {
          mode: 'create',
          kind: 'heartbeat',
          name: 'c',
          prompt: 'C',
          rrule: EVERY_MINUTE,
          targetThreadId: other.id,
        });
        answers.view = await must(ctx, 'automation_update', { mode: 'view' });
      },
    ]);
    const t = await world(leader);
    await t.start('go', 10_000);
    expect(answers.first.automationId).toBe('auto-1');
    expect(errorOf(answers.second)).toMatch(new RegExp(`^thread ${LEADER_ID} already has an active heartbeat \\(auto-1\\)`));
    expect(answers.paused).toEqual({ automationId: 'auto-2', mode: 'create', status: 'PAUSED' });
    expect(errorOf(answers.resume)).toMatch(/already has an active heartbeat \(auto-1\)/);
    expect(answers.elsewhere.status).toBe('ACTIVE');
    expect(answers.view.automations.map((a: any) => [a.id, a.status, a.targetThreadId === LEADER_ID])).toEqual([
      ['auto-1', 'ACTIVE', true],
      ['auto-2', 'PAUSED', true],
      ['auto-3', 'ACTIVE', false],
    ]);
    expect(
      t
        .events('automation')
        .filter((e) => e.op === 'create')
        .map((e) => e.id),
    ).toEqual(['auto-1', 'auto-2', 'auto-3']);
  });

  it('PAUSED does not fire, ACTIVE again fires, delete stops it for good', async () => {
    let id = '';
    const leader = new ScriptedAgent([
      async (ctx) =>
        void (id = (await must(ctx, 'automation_update', { mode: 'create', kind: 'heartbeat', name: 'hb', prompt: 'Check', rrule: EVERY_MINUTE }))
          .automationId),
      // First heartbeat turn (90 s): pause it.
      async (ctx) =>
        void expect(await must(ctx, 'automation_update', { mode: 'update', id, status: 'PAUSED' })).toEqual({
          automationId: id,
          mode: 'update',
          status: 'PAUSED',
        }),
      // The user comes back at 10 min: resume it.
      async (ctx) => void (await must(ctx, 'automation_update', { mode: 'update', id, status: 'ACTIVE' })),
      // Its next heartbeat turn: delete it.
      async (ctx) => void expect(await must(ctx, 'automation_update', { mode: 'delete', id })).toEqual({ automationId: id, mode: 'delete', status: 'DELETED' }),
    ]);
    const t = await world(leader);
    t.world.sched.at(600_000, 'user', () => t.world.userSays(LEADER_ID, 'resume', 'other'));
    // Ten hours: a heartbeat that leaked would fire hundreds of times; instead nothing is left.
    expect(await t.start('go', 10 * 3_600_000)).toBe('empty');
    // Resumed at 601 s, due again a minute later: the 690 s tick.
    expect(fires(t).map((e) => e.t)).toEqual([90_000, 690_000]);
    expect(t.events('automation').map((e) => `${e.op}:${e.status}`)).toEqual([
      'create:ACTIVE',
      'fire:ACTIVE',
      'update:PAUSED',
      'update:ACTIVE',
      'fire:ACTIVE',
      'delete:DELETED',
    ]);
    expect(t.world.automations.size).toBe(0);
    expect(leader.turns).toHaveLength(4);
    expect(t.world.now()).toBeLessThan(800_000);
  });

  it('run at most three heartbeats a tick; the rest wait for the next tick', async () => {
    const leader = new ScriptedAgent();
    const t = await world(leader);
    const ws = Array.from({ length: 4 }, (_, k) => t.world.addThread({ cwd: REPO_ROOT, title: `w${k}`, agent: new ScriptedAgent() }));
    leader.push(async (ctx) => {
      for (const w of ws)
        await must(ctx, 'automation_update', { mode: 'create', kind: 'heartbeat', name: w.title, prompt: 'Check', rrule: EVERY_MINUTE, targetThreadId: w.id });
    });
    await t.start('go', 600_000);
    const byTick = new Map<number, string[]>();
    for (const e of fires(t)) byTick.set(e.t, [...(byTick.get(e.t) ?? []), e.id]);
    expect(byTick.get(90_000)).toEqual(['auto-1', 'auto-2', 'auto-3']);
    expect(byTick.get(120_000)).toEqual(['auto-4']);
    for (const [tick, ids] of byTick) {
      expect(tick % 30_000).toBe(0);
      expect(ids.length).toBeLessThanOrEqual(3);
    }
    // Every thread does get its heartbeats.
    for (let k = 1; k <= 4; k++) expect(fires(t, `auto-${k}`).length).toBeGreaterThanOrEqual(4);
  });

  it('refuses a bad rrule, cron-only fields on a heartbeat, and unknown ids', async () => {
    const answers: string[] = [];
    const leader = new ScriptedAgent([
      async (ctx) => {
        answers.push(errorOf(await create(ctx, { rrule: 'FREQ=FORTNIGHTLY' })));
        answers.push(errorOf(await create(ctx, { model: 'gpt-5' })));
        answers.push(errorOf(await ctx.call('automation_update', { mode: 'update', id: 'nope', status: 'PAUSED' })));
        answers.push(errorOf(await ctx.call('automation_update', { mode: 'delete', id: 'nope' })));
      },
    ]);
    const t = await world(leader);
    await t.start('go', 10_000);
    expect(answers[0]).toMatch(/^automation_update: rrule: FREQ must be one of/);
    expect(answers[1]).toBe('automation_update: model: only allowed when kind is "cron" (this is a heartbeat)');
    expect(answers.slice(2)).toEqual(['automation not found: nope', 'automation not found: nope']);
    expect(t.world.automations.size).toBe(0);
  });
});
