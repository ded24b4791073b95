// Every fault family of a scenario, applied by FaultPlan to a World driven by scripted agents:
// each one strikes (what it does is visible) and is written to the trace as a `fault` event.

import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { unwrapDelegation } from '../../src/contract/envelopes.ts';
import { FaultPlan } from '../../sim/faults.ts';
import { parseScenario } from '../../sim/scenario/load.ts';
import { faultSchema, type Fault } from '../../sim/scenario/schema.ts';
import type { Agent } from '../../src/ports/agent.ts';
import {
  LEADER_ID,
  REPO_ROOT,
  ScriptedAgent,
  type Step,
  type TestWorld,
  checkWorldsAfterEach,
  makeWorld,
  must,
  worktreeTarget,
} from '../support/scripted-leader.ts';

// Whatever a test did, every successful call's payload must satisfy the contract.
const enroll = checkWorldsAfterEach();
/** The faults of a scenario file with areas `api` and `ui`, parsed as a scenario is. */
function scenarioFaults(faultsYaml: string): Fault[] {
  const text = `name: faults
repo:
  files:
    src/a.ts: "a"
task:
  prompt: do it
  areas:
    - role: api
      scope: the api
      owns: [src/a.ts]
    - role: ui
      scope: the ui
      owns: [src/b.ts]
faults:
${faultsYaml}
expect:
  outcome: complete
`;
  const s = parseScenario(text, 'faults.yaml');
  // The raw fault objects through the fault schema alone give the same faults.
  expect((parseYaml(faultsYaml) as unknown[]).map((f) => faultSchema.parse(f))).toEqual(s.faults);
  return s.faults;
}

interface FaultWorld {
  t: TestWorld;
  /** The thread playing role `api`, running `worker`. */
  api: string;
  plan: FaultPlan;
}

/**
 * A world with the plan's hooks installed and its timed faults scheduled; the leader runs
 * `steps`, a thread in role `api` runs `worker` (created here unless `viaCreate`).
 */
async function faultWorld(
  faultsYaml: string,
  steps: (api: string) => Step[],
  worker: Agent = new ScriptedAgent(),
  opts: { freshLeader?: () => Agent; viaCreate?: boolean } = {},
): Promise<FaultWorld> {
  const plan = new FaultPlan(scenarioFaults(faultsYaml), () => LEADER_ID, opts.freshLeader ?? (() => new ScriptedAgent()));
  const leader = new ScriptedAgent();
  const t = await makeWorld({
    leader,
    faults: plan,
    hooks: { beforeTurn: (w, th) => (th.id === LEADER_ID ? plan.beforeLeaderTurn(w, th) : undefined) },
    workers: (w, th) => {
      w.roles.set(th.id, 'api');
      return worker;
    },
  });
  enroll(t);
  let api = '';
  if (!opts.viaCreate) {
    api = t.world.addThread({ cwd: REPO_ROOT, title: 'api', agent: worker }).id;
    t.world.roles.set(api, 'api');
  }
  leader.push(...steps(api));
  plan.schedule(t.world);
  return { t, api, plan };
}

const texts = (a: ScriptedAgent) => a.turns.map((x) => x.inputs.map((i) => unwrapDelegation(i.text)?.text ?? i.text));
const send =
  (api: string, ...prompts: string[]): Step =>
  async (ctx) => {
    for (const prompt of prompts) await must(ctx, 'send_message_to_thread', { threadId: api, prompt });
  };

describe('faults', () => {
  it('drop-message: the matched message never arrives; the count runs out', async () => {
    const worker = new ScriptedAgent();
    const { t, api } = await faultWorld('  - kind: drop-message\n    from: leader\n    to: api\n', (api) => [send(api, 'one', 'two')], worker);
    await t.start();
    expect(texts(worker)).toEqual([['two']]);
    const [m1, m2] = t.events('message.sent');
    expect(t.events('message.delivered').map((e) => e.msg)).toEqual([m2!.msg]);
    expect(t.events('fault')).toEqual([expect.objectContaining({ fault: 'drop-message', detail: `message ${m1!.msg}`, target: api })]);
  });

  it('a message fault aimed at another role leaves this one alone', async () => {
    const worker = new ScriptedAgent();
    const { t } = await faultWorld('  - kind: drop-message\n    to: ui\n', (api) => [send(api, 'one')], worker);
    await t.start();
    expect(texts(worker)).toEqual([['one']]);
    expect(t.events('fault')).toEqual([]);
  });

  it('delay-message: the message arrives that much later', async () => {
    const worker = new ScriptedAgent();
    const { t, api } = await faultWorld('  - kind: delay-message\n    to: api\n    by: 5m\n', (api) => [send(api, 'late')], worker);
    await t.start();
    // Sent at 1 s, 2 s of latency, 5 min of delay.
    expect(worker.turns.map((x) => x.at)).toEqual([303_000]);
    expect(t.events('fault')).toEqual([expect.objectContaining({ fault: 'delay-message', target: api, t: 1_000 })]);
  });

  it('duplicate-message: the message arrives twice', async () => {
    const worker = new ScriptedAgent();
    const { t } = await faultWorld('  - kind: duplicate-message\n    to: api\n', (api) => [send(api, 'twice')], worker);
    await t.start();
    expect(texts(worker).flat()).toEqual(['twice', 'twice']);
    const [m1] = t.events('message.sent');
    expect(t.events('message.delivered').filter((e) => e.msg === m1!.msg)).toHaveLength(2);
    expect(t.events('fault').map((e) => e.fault)).toEqual(['duplicate-message']);
  });

  it('reorder-messages: the held message is overtaken by the next one', async () => {
    const worker = new ScriptedAgent();
    const { t } = await faultWorld('  - kind: reorder-messages\n    to: api\n', (api) => [send(api, 'first', 'second')], worker);
    await t.start();
    expect(texts(worker)).toEqual([['second'], ['first']]);
    expect(t.events('fault').map((e) => e.fault)).toEqual(['reorder-messages']);
  });

  it('system-error: the role’s thread fails at the given time and its turn stops', async () => {
    const worker = new ScriptedAgent([async (ctx) => ctx.sleep(600_000)]);
    const { t, api } = await faultWorld('  - kind: system-error\n    at: 1m\n    target: api\n', (api) => [send(api, 'work')], worker);
    await t.start();
    expect(t.world.thread(api)!.status).toBe('systemError');
    expect(t.events('fault')).toEqual([expect.objectContaining({ fault: 'system-error', target: api, t: 60_000 })]);
    expect(t.events('turn.end').find((e) => e.thread === api)).toMatchObject({ status: 'interrupted', t: 60_000 });
    expect(
      t
        .events('thread.status')
        .filter((e) => e.thread === api)
        .map((e) => e.status),
    ).toEqual(['active', 'systemError']);
  });

  it('tool-failure: the tool fails the given number of times, then works', async () => {
    const answers: (string | true)[] = [];
    const { t } = await faultWorld('  - kind: tool-failure\n    tool: list_threads\n    count: 2\n', () => [
      async (ctx) => {
        for (let k = 0; k < 3; k++) {
          const r = await ctx.call('list_threads', {});
          answers.push(r.ok ? true : r.error);
        }
        await must(ctx, 'list_projects', {});
      },
    ]);
    await t.start();
    const outage = 'list_threads failed: the service is temporarily unavailable';
    expect(answers).toEqual([outage, outage, true]);
    expect(t.events('fault').map((e) => [e.fault, e.detail, e.target])).toEqual([
      ['tool-failure', 'list_threads', LEADER_ID],
      ['tool-failure', 'list_threads', LEADER_ID],
    ]);
    expect(t.events('tool.call').map((e) => [e.tool, e.ok])).toEqual([
      ['list_threads', false],
      ['list_threads', false],
      ['list_threads', true],
      ['list_projects', true],
    ]);
  });

  it('remove-worktree: the role’s worktree disappears at the given time', async () => {
    let created = '';
    const { t } = await faultWorld(
      '  - kind: remove-worktree\n    at: 1m\n    target: api\n',
      () => [async (ctx) => void (created = (await must(ctx, 'create_thread', { prompt: 'api work', target: worktreeTarget() })).threadId)],
      new ScriptedAgent(),
      { viaCreate: true },
    );
    let before: string[] = [];
    t.world.sched.at(59_000, 'look', async () => void (before = (await t.ws.worktrees()).map((w) => w.dir)));
    await t.start();
    const dir = t.world.thread(created)!.cwd;
    expect(before).toEqual([REPO_ROOT, dir]);
    expect((await t.ws.worktrees()).map((w) => w.dir)).toEqual([REPO_ROOT]);
    expect(t.events('fault')).toEqual([expect.objectContaining({ fault: 'remove-worktree', detail: dir, target: created, t: 60_000 })]);
  });

  it('move-branch: the role’s branch is put back to its base', async () => {
    let created = '';
    let t!: TestWorld;
    const worker = new ScriptedAgent([
      async (ctx) => {
        const me = t.world.thread(ctx.thread)!;
        await ctx.ws.writeFile(me.cwd, 'src/a.ts', 'export const a = 2;\n');
        await ctx.ws.commitAll(me.cwd, 'api: a = 2');
      },
    ]);
    ({ t } = await faultWorld(
      '  - kind: move-branch\n    at: 2m\n    target: api\n',
      () => [async (ctx) => void (created = (await must(ctx, 'create_thread', { prompt: 'api work', target: worktreeTarget() })).threadId)],
      worker,
      { viaCreate: true },
    ));
    let before = '';
    t.world.sched.at(100_000, 'look', async () => void (before = await t.ws.resolve(t.world.thread(created)!.worktree!.branch)));
    await t.start();
    const { branch, base } = t.world.thread(created)!.worktree!;
    expect(before).not.toBe(base);
    expect(await t.ws.resolve(branch)).toBe(base);
    expect(t.events('fault')).toEqual([expect.objectContaining({ fault: 'move-branch', detail: `${branch} -> ${base}`, target: created, t: 120_000 })]);
  });

  it('clock-jump: time leaps forward; what was due in between happens late, never earlier', async () => {
    let wokeAt = -1;
    const { t } = await faultWorld('  - kind: clock-jump\n    at: 1m\n    by: 10m\n', () => [
      async (ctx) => {
        await ctx.sleep(119_000); // due at 2 min
        wokeAt = ctx.now();
      },
    ]);
    await t.start();
    expect(t.events('fault')).toEqual([expect.objectContaining({ fault: 'clock-jump', detail: '+600000 ms', t: 60_000 })]);
    expect(wokeAt).toBe(660_000);
    const times = t.world.trace.events.map((e) => e.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(t.events('turn.end').at(-1)!.t).toBe(660_000);
  });

  it('context-loss: before the given leader turn, the leader is replaced by a fresh one', async () => {
    const fresh = new ScriptedAgent();
    const { t } = await faultWorld('  - kind: context-loss\n    turn: 2\n', () => [async (ctx) => ctx.say('turn one')], new ScriptedAgent(), {
      freshLeader: () => fresh,
    });
    const original = t.script!;
    t.world.sched.at(60_000, 'user', () => t.world.userSays(LEADER_ID, 'again', 'other'));
    t.world.sched.at(120_000, 'user', () => t.world.userSays(LEADER_ID, 'and again', 'other'));
    await t.start();
    expect(original.turns.map((x) => x.at)).toEqual([0]);
    expect(fresh.turns.map((x) => x.at)).toEqual([60_000, 120_000]);
    expect(t.leader.agent).toBe(fresh);
    expect(t.events('fault')).toEqual([expect.objectContaining({ fault: 'context-loss', detail: 'before leader turn 2', target: LEADER_ID, t: 60_000 })]);
  });

  it('context-loss at a time strikes at the first leader turn from then on', async () => {
    const fresh = new ScriptedAgent();
    const { t } = await faultWorld('  - kind: context-loss\n    at: 90s\n', () => [], new ScriptedAgent(), { freshLeader: () => fresh });
    for (const at of [60_000, 120_000]) t.world.sched.at(at, 'user', () => t.world.userSays(LEADER_ID, `at ${at}`, 'other'));
    await t.start();
    expect(t.script!.turns.map((x) => x.at)).toEqual([0, 60_000]);
    expect(fresh.turns.map((x) => x.at)).toEqual([120_000]);
    expect(t.events('fault').map((e) => [e.fault, e.t])).toEqual([['context-loss', 120_000]]);
  });
});
