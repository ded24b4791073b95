import { runReference } from './support/run.ts';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSkill } from '../src/skill/index.ts';
import type { SkillProfile } from '../src/skill/types.ts';
import { loadScenario } from '../sim/scenario/load.ts';
import type { Scenario } from '../sim/scenario/schema.ts';
import { parseJournal, renderJournal } from '../src/leader/index.ts';
import { checkTrace } from '../src/invariants/index.ts';
import { eventsOf } from '../src/trace/trace.ts';
import { copySkill } from './support/copy-skill.ts';

const ours = (await loadSkill('skill')).profile!;
const happy = await loadScenario('scenarios/happy-three.yaml');
const run = (scenario: Scenario, profile: SkillProfile = ours) => runReference(scenario, { profile });
const tmp: string[] = [];
afterAll(async () => {
  for (const d of tmp) await rm(d, { recursive: true, force: true });
});

/** A copy of skill/ with one edit applied to SKILL.md. */
async function editedSkill(edit: (text: string) => string): Promise<SkillProfile> {
  const dir = await mkdtemp(join(tmpdir(), 'tts-skill-'));
  tmp.push(dir);
  await copySkill(dir);
  const file = join(dir, 'SKILL.md');
  await writeFile(file, edit(await readFile(file, 'utf8')));
  const { profile, findings } = await loadSkill(dir);
  expect(findings).toEqual([]);
  return profile!;
}

describe('the reference leader', () => {
  it('survives losing its context at every turn boundary of the happy path, with the same merged tree', { timeout: 120_000 }, async () => {
    const base = await run(happy);
    expect(base.outcome).toBe('complete');
    expect(checkTrace(base.events).violations).toEqual([]);
    const leaderTurns = eventsOf(base.events, 'turn.start').filter((e) => e.thread === base.leader).length;
    expect(leaderTurns).toBeGreaterThan(5);
    for (let turn = 1; turn <= leaderTurns; turn++) {
      const r = await run({ ...happy, faults: [{ kind: 'context-loss', turn }] });
      expect(r.faultsFired, `turn ${turn}`).toEqual(['context-loss']);
      expect(r.outcome, `turn ${turn}`).toBe('complete');
      expect(r.treeHash, `turn ${turn}`).toBe(base.treeHash);
      expect(r.counts, `turn ${turn}`).toEqual(base.counts);
      expect(checkTrace(r.events).violations, `turn ${turn}`).toEqual([]);
    }
  });

  it('follows the skill: a changed heartbeat interval changes the heartbeat it schedules', async () => {
    const five = await editedSkill((t) =>
      t
        .replaceAll('FREQ=MINUTELY;INTERVAL=2', 'FREQ=MINUTELY;INTERVAL=5')
        .replace(/\b2-minute\b/g, '5-minute')
        .replace(/every 2 minutes/g, 'every 5 minutes'),
    );
    expect(five.heartbeat.value.minutes).toBe(5);
    const r = await run(happy, five);
    const created = eventsOf(r.events, 'automation').filter((e) => e.op === 'create');
    expect(created.map((e) => e.rrule)).toEqual(['FREQ=MINUTELY;INTERVAL=5']);
    const fires = eventsOf(r.events, 'automation')
      .filter((e) => e.op === 'fire')
      .map((e) => e.t);
    expect(fires.length).toBeGreaterThan(1);
    for (let k = 1; k < fires.length; k++) expect(fires[k]! - fires[k - 1]!).toBeGreaterThanOrEqual(5 * 60_000);
    expect(r.outcome).toBe('complete');
    expect(checkTrace(r.events).violations).toEqual([]);
  });

  it('follows the skill: a changed default model reaches the proposal and every create_thread', async () => {
    const other = await editedSkill((t) => t.replaceAll('gpt-5.4', 'gpt-6-mini'));
    expect(other.defaultModel.value).toBe('gpt-6-mini');
    const r = await run(happy, other);
    const creates = eventsOf(r.events, 'tool.call').filter((e) => e.tool === 'create_thread');
    expect(creates.length).toBe(3);
    for (const c of creates) expect((c.args as { model: string }).model).toBe('gpt-6-mini');
    expect(eventsOf(r.events, 'assistant.message')[0]!.text).toContain('gpt-6-mini');
    expect(checkTrace(r.events).violations).toEqual([]);
  });

  it('is driven by another skill in the same layout: its templates, facts and paths', { timeout: 30_000 }, async () => {
    const alt = (await loadSkill('fixtures/skills/alt-team')).profile!;
    const r = await run(happy, alt);
    expect(r.outcome).toBe('complete');
    expect(r.counts.merges).toBe(3);
    const journal = eventsOf(r.events, 'ws').find((e) => e.op === 'writeFile' && e.content !== undefined)!;
    expect(journal.paths![0]).toBe(alt.journalPath.value.replace(/<[^>]+>/, r.leader));
    const auto = eventsOf(r.events, 'automation').find((e) => e.op === 'create')!;
    expect(auto.rrule).toBe(alt.heartbeat.value.rrule);
    const creates = eventsOf(r.events, 'tool.call').filter((e) => e.tool === 'create_thread');
    for (const c of creates) expect(c.args).toMatchObject({ model: alt.defaultModel.value, thinking: alt.defaultThinking.value });
    expect(checkTrace(r.events).violations).toEqual([]);
  });

  it('writes a journal that parses back to the same state', async () => {
    const r = await run(happy);
    const writes = eventsOf(r.events, 'ws').filter((e) => e.content !== undefined);
    expect(writes.length).toBeGreaterThan(10);
    for (const w of writes) {
      const st = parseJournal(ours, w.content!, 'journal');
      expect(`${renderJournal(ours, st)}\n`).toBe(w.content);
    }
    expect(parseJournal(ours, writes.at(-1)!.content!, 'journal').status).toBe('complete');
  });

  it('recommends direct execution for a split that does not favour a team, and creates nothing', async () => {
    for (const name of ['not-a-team', 'core-refactor']) {
      const r = await run(await loadScenario(`scenarios/${name}.yaml`));
      expect(r.outcome).toBe('direct-execution');
      expect(eventsOf(r.events, 'thread.created')).toEqual([]);
      expect(eventsOf(r.events, 'assistant.message')[0]!.text).toMatch(/^Direct execution recommended/);
    }
  });
});
