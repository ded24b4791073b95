import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSkill } from '../../src/skill/index.ts';
import { runWithCodex } from '../../app/live/codex-run.ts';
import { findCodexBinary } from '../../src/live/codex-binary.ts';
import { checkTrace } from '../../src/invariants/index.ts';
import { CODEX_APP_TOOL_NAMES } from '../../src/contract/index.ts';
import { imported, quickHappyThree, text } from '../support/codex-runs.ts';
import { scratchFolder } from '../support/scratch-folder.ts';

// The real Codex runtime as the leader, offline: `codex app-server` loads our SKILL.md, is
// served the simulated thread tools, runs its shell commands in a real repository, and takes
// its model steps from the local model server (the reference leader decides). The same with the
// public skill is in codex-public.test.ts (a file of its own, so that the two run side by side);
// a stalled worker replaced through Codex, in codex-workers.test.ts, where every thread is Codex's.

const binary = findCodexBinary();
if (!binary) console.log('[live] codex binary not installed (optional dependency @openai/codex): the Codex leader tests are skipped');

const SKILL = 'skill';
const profile = (await loadSkill(SKILL)).profile!;
const scratch = scratchFolder('codex-leader-');

/**
 * The happy path through Codex (its workers quick: quickHappyThree), recorded as it runs (the reference brain answers, a cassette
 * keeps each answer): the first test checks the run, the cassette test replays it, so the
 * three-worker team runs through Codex once for both (a Codex run is most of this file's time).
 */
let happy: Promise<{ r: Awaited<ReturnType<typeof runWithCodex>>; cassette: string; sessions: string }> | undefined;
function happyRecorded() {
  happy ??= (async () => {
    const scenario = await quickHappyThree();
    const sessions = await mkdtemp(join(scratch(), 'happy-'));
    const cassette = join(scratch(), 'happy.cassette.json');
    const r = await runWithCodex({ scenario, profile, skillDir: SKILL, mode: { kind: 'record', file: cassette, upstream: 'reference' }, sessionsTo: sessions });
    return { r, cassette, sessions };
  })();
  return happy;
}

describe.skipIf(!binary)('the real Codex runtime as leader (offline)', () => {
  it('leads the three-worker happy path to completion; the trace passes every invariant', { timeout: 300_000 }, async () => {
    const scenario = await quickHappyThree();
    const { r, sessions } = await happyRecorded();
    expect(r.outcome).toBe('complete');
    expect(r.counts).toMatchObject({ workers: 3, replacements: 0, merges: 3 });
    expect(checkTrace(r.events).violations).toEqual([]);
    expect(r.codexTurns).toBeGreaterThan(5);
    // The rollout alone says the same.
    expect(await imported(sessions)).toMatchObject({ code: 0, violations: [], missing: expect.arrayContaining([expect.any(String)]) });

    // SKILL.md reached the model because the prompt named the skill ($thread-team)...
    const skillFile = await readFile(join(SKILL, 'SKILL.md'), 'utf8');
    const injected = r.requests[0]!.input.map(text).find((t) => t.startsWith('<skill>'));
    expect(injected).toBeDefined();
    expect(injected).toContain('<name>thread-team</name>');
    expect(injected).toContain(skillFile.split('\n').find((l) => l.startsWith('## '))!);
    expect(scenario.task.prompt).toContain('$thread-team');
    // ...and the tools it was offered held the whole codex_app namespace and automation_update.
    const tools = r.requests[0]!.tools as { type: string; name?: string; tools?: { name: string }[] }[];
    const ns = tools.find((t) => t.type === 'namespace' && t.name === 'codex_app');
    expect(ns?.tools?.map((t) => t.name).sort()).toEqual([...CODEX_APP_TOOL_NAMES].sort());
    expect(tools.some((t) => t.name === 'automation_update')).toBe(true);
    // Codex really ran the leader's git and file steps: exec_command calls in the requests.
    const execs = r.requests
      .flatMap((q) => q.input)
      .filter((i) => (i as { type?: string; name?: string }).type === 'function_call' && (i as { name?: string }).name === 'exec_command');
    expect(execs.length).toBeGreaterThan(20);

    // Each worker message reached the model as the hosts deliver it: a function_call_output of
    // send_message_to_thread with no call id, carrying Codex's delegation envelope, one per message.
    const outputs = new Set<string>();
    for (const q of r.requests) {
      for (const i of q.input as { type?: string; call_id?: string; name?: string; namespace?: string; output?: unknown }[]) {
        if (i.type !== 'function_call_output' || i.call_id) continue;
        expect(i).toMatchObject({ name: 'send_message_to_thread', namespace: 'codex_app' });
        expect(i.output).toMatch(/^<codex_delegation>\n {2}<source_thread_id>[^<]+<\/source_thread_id>\n {2}<input>[^<]*<\/input>\n<\/codex_delegation>$/);
        outputs.add(i.output as string);
      }
    }
    const toLeader = [
      ...r.events.flatMap((e) => (e.kind === 'turn.start' && e.thread === r.leader ? e.inputs.filter((_, k) => e.causes[k] === 'delegation') : [])),
      ...r.events.flatMap((e) => (e.kind === 'turn.steer' && e.thread === r.leader ? e.inputs.filter((_, k) => e.causes[k] === 'delegation') : [])),
    ];
    expect(toLeader.length).toBeGreaterThanOrEqual(3);
    expect([...outputs].sort()).toEqual([...new Set(toLeader)].sort());
    expect(
      r.requests.flatMap((q) => q.input.filter((i) => text(i).trimStart().startsWith('<codex_delegation>')).map((i) => JSON.stringify(i).slice(0, 300))),
    ).toEqual([]);
    // Each heartbeat started a Codex turn with the heartbeat trigger, its envelope the turn's input.
    const meta = (q: (typeof r.requests)[number]) => JSON.parse(q.headers['x-codex-turn-metadata'] ?? '{}') as { turn_id?: string; turn_trigger?: string };
    const firstOfTurn = new Map<string, (typeof r.requests)[number]>();
    for (const q of r.requests) if (meta(q).turn_id && !firstOfTurn.has(meta(q).turn_id!)) firstOfTurn.set(meta(q).turn_id!, q);
    const heartbeatTurns = [...firstOfTurn.values()].filter((q) => meta(q).turn_trigger === 'automation_heartbeat_scheduled');
    const worldHeartbeatTurns = r.events.filter((e) => e.kind === 'turn.start' && e.thread === r.leader && e.causes[0] === 'heartbeat');
    expect(worldHeartbeatTurns.length).toBeGreaterThan(0);
    expect(heartbeatTurns.length).toBe(worldHeartbeatTurns.length);
    for (const q of heartbeatTurns)
      expect(text(q.input.filter((i) => (i as { role?: string }).role === 'user').at(-1))).toMatch(/^<heartbeat>\n {2}<automation_id>/);
  });

  it('records a cassette, which replays to the same trace hash twice, and the replayed trace passes every invariant', { timeout: 400_000 }, async () => {
    const scenario = await quickHappyThree();
    const { r: recorded, cassette: file } = await happyRecorded();
    expect(recorded.outcome).toBe('complete');
    // One after the other: a cassette replays at the one path it was recorded at.
    const a = await runWithCodex({ scenario, profile, skillDir: SKILL, mode: { kind: 'cassette', file } });
    const b = await runWithCodex({ scenario, profile, skillDir: SKILL, mode: { kind: 'cassette', file } });
    expect(a.outcome).toBe('complete');
    expect(a.hash).toBe(b.hash);
    // The replayed leader's shell is watched (ShellObserver): its trace is checkable too.
    expect(checkTrace(a.events).violations).toEqual([]);
    expect(a.requests.length).toBe(recorded.requests.length);
  });
});
