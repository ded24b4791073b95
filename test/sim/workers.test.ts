// SimWorkers driven by a scripted leader that sends the skill's own registration and dispatch
// templates: the worker understands them, works in its worktree over simulated time, commits,
// reports, and signals completion with the header, as its behaviour says.

import { describe, expect, it } from 'vitest';
import { unwrapDelegation } from '../../src/contract/envelopes.ts';
import { composeMessage, parseHeader, type FillValues } from '../../src/skill/index.ts';
import type { SkillProfile } from '../../src/skill/types.ts';
import { contributionLine } from '../../sim/workers/kit.ts';
import type { BehaviourSpec } from '../../sim/workers/behaviours.ts';
import type { TurnContext } from '../../src/ports/agent.ts';
import { LEADER_ID, REPO_ROOT, ScriptedAgent, type TestWorld, checkWorldsAfterEach, makeWorld, must, worktreeTarget } from '../support/scripted-leader.ts';

// Whatever a test did, every successful call's payload must satisfy the contract.
const enroll = checkWorldsAfterEach();
const SCOPE = 'Add the answer constant';

/** A template of the skill filled for one worker; holes the test does not care about get `none`. */
function fill(p: SkillProfile, kind: 'registration' | 'dispatch', values: FillValues): string {
  return composeMessage(p, kind, values, { free: () => 'none' }, { role: 'leader', id: LEADER_ID });
}

/** The leader's first turn: create a worktree worker, register it, dispatch it (verbatim templates). */
function registerAndDispatch(t: () => TestWorld, p: SkillProfile) {
  return async (ctx: TurnContext) => {
    // As the protocol has it: the team's notes and reports are never committed.
    await ctx.ws.addExclude(REPO_ROOT, '.thread-team/');
    const { threadId } = await must(ctx, 'create_thread', { prompt: 'You are a worker of the team; wait for your registration.', target: worktreeTarget() });
    const th = t().world.thread(threadId)!;
    const values: FillValues = {
      'leader-thread-id': LEADER_ID,
      'thread-id': LEADER_ID,
      role: 'api',
      'worker-thread-id': threadId,
      branch: th.worktree!.branch,
      'working-directory': th.cwd,
      'base-commit': th.worktree!.base,
      scope: SCOPE,
      plan: '1. add the constant',
      'owned-files': '- src/a.ts',
      'not-owned-files': '- src/b.ts',
      'acceptance-criteria': '- the constant is there',
      'verification-commands': '- npm test',
      invariants: '- nothing else changes',
      'notes-path': p.workerNotesPath.value,
      'report-path': p.workerReportPath.value,
      'report-format': p.templates.report.text,
      roster: `leader | ${LEADER_ID}\napi | ${threadId}`,
      collaborators: 'none',
    };
    await must(ctx, 'send_message_to_thread', { threadId, prompt: fill(p, 'registration', values) });
    await must(ctx, 'send_message_to_thread', { threadId, prompt: fill(p, 'dispatch', values) });
  };
}

async function teamOfOne(behaviour: BehaviourSpec, horizonMs = 3 * 3_600_000) {
  const leader = new ScriptedAgent();
  const t = await makeWorld({
    leader,
    workers: 'sim',
    behaviour: () => behaviour,
    commands: {
      'npm test': (files) => (Object.values(files).some((c) => c.includes('// BUG')) ? { exitCode: 1, output: 'FAIL' } : { exitCode: 0, output: 'ok' }),
    },
  });
  enroll(t);
  leader.push(registerAndDispatch(() => t, t.profile!));
  await t.start('Use the team', horizonMs);
  const worker = t.spawned[0]!.thread;
  const fromWorker = leader.turns
    .flatMap((x) => x.inputs)
    .map((i) => unwrapDelegation(i.text))
    .filter((d) => d?.source === worker.id)
    .map((d) => d!.text);
  return { t, worker, fromWorker, p: t.profile! };
}

describe('SimWorker with a scripted leader', () => {
  it('diligent: works in its worktree, commits on its branch, reports, signals completion with its header', async () => {
    const { t, worker, fromWorker, p } = await teamOfOne({ kind: 'diligent', workMinutes: 6 });
    expect(t.world.roles.get(worker.id)).toBe('api');
    const { branch, base } = worker.worktree!;
    const head = await t.ws.resolve(branch);
    expect(head).not.toBe(base);
    expect(await t.ws.changedFiles(base, head)).toEqual([{ path: 'src/a.ts', kind: 'modified' }]);
    expect(await t.ws.readFile(worker.cwd, 'src/a.ts')).toBe(`export const a = 1;\n${contributionLine('api', SCOPE)}\n`);
    // The leader's checkout is untouched.
    expect(await t.ws.readFile(REPO_ROOT, 'src/a.ts')).toBe('export const a = 1;\n');
    const report = await t.ws.readFile(worker.cwd, p.workerReportPath.value);
    expect(report).toContain(head);
    expect(report).toContain('npm test: exit 0');
    expect(await t.ws.readFile(worker.cwd, p.workerNotesPath.value)).toMatch(/implementing: 6\/6 min/);
    expect(fromWorker).toHaveLength(1);
    expect(parseHeader(p, fromWorker[0]!)).toEqual({ role: 'api', threadId: worker.id });
    expect(fromWorker[0]).toContain(`${p.completionSignal.value} ${p.workerReportPath.value} ${head}`);
    // The work took simulated time: half a minute to start, six of work, then the signal.
    const sent = t.events('message.sent').find((e) => e.from === worker.id)!;
    expect(sent.t).toBeGreaterThanOrEqual(6.5 * 60_000);
    expect(sent.t).toBeLessThan(10 * 60_000);
  });

  it('buggy: the planted defect fails verification and the report says so', async () => {
    const { t, worker, p } = await teamOfOne({ kind: 'buggy', workMinutes: 3 });
    expect(await t.ws.readFile(worker.cwd, 'src/a.ts')).toContain('// BUG');
    expect(await t.ws.readFile(worker.cwd, p.workerReportPath.value)).toContain('npm test: exit 1');
  });

  it('stalls-mid-task: shows progress, then stays active and silent', async () => {
    const { t, worker, fromWorker, p } = await teamOfOne({ kind: 'stalls-mid-task', afterMinutes: 3 }, 3_600_000);
    expect(fromWorker).toEqual([]);
    expect(worker.status).toBe('active');
    expect(worker.turns.at(-1)!.status).toBe('inProgress');
    expect(await t.ws.readFile(worker.cwd, p.workerNotesPath.value)).toMatch(/implementing: 3\/3 min/);
    expect(await t.ws.resolve(worker.worktree!.branch)).toBe(worker.worktree!.base);
  });

  it('never-starts: the dispatch arrives and nothing is ever shown for it', async () => {
    const { t, worker, fromWorker } = await teamOfOne({ kind: 'never-starts' }, 3_600_000);
    expect(fromWorker).toEqual([]);
    expect(worker.status).toBe('active');
    expect(t.events('ws').filter((e) => e.actor === worker.id)).toEqual([]);
    // Its only words answer the creation prompt, before the registration arrived.
    expect(
      t
        .events('assistant.message')
        .filter((e) => e.thread === worker.id)
        .map((e) => e.text),
    ).toEqual(['Waiting for registration and dispatch.']);
    const dispatchTurn = worker.turns.at(-1)!;
    expect(dispatchTurn.items.map((i) => i.type)).toEqual(dispatchTurn.items.map(() => 'userMessage'));
  });
});
