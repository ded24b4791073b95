// The harness on skills written in other words: the public thread-team skill (read through
// the helper, skipped with a reason when absent), and the fixtures in our own words. Each
// lints without an error, reads its facts from where the skill states them, and runs the
// explorer clean; the catalogue for each is in found.test.ts.

import { runReference } from './support/run.ts';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../app/cli/main.ts';
import { lintSkill, loadSkill, type Fact } from '../src/skill/index.ts';
import { loadScenario } from '../sim/scenario/load.ts';
import { capture } from './support/cli.ts';
import { ALT, FORM_STYLE, TERSE, publicSkill } from './support/skills.ts';

const PUBLIC = publicSkill();
const ROOT = join(import.meta.dirname, '..');

/** The fact's value appears on the line it is said to come from. */
async function expectAt(dir: string, fact: Fact<unknown>, needle: string): Promise<void> {
  const lines = (await readFile(join(dir, fact.file), 'utf8')).split('\n');
  expect(lines[fact.line - 1], `${fact.file}:${fact.line}`).toContain(needle);
}

describe.skipIf(!PUBLIC)('the public thread-team skill', () => {
  it('lints with no error and exits 0; its --json profile holds the facts it states, each with its file and line', async () => {
    const io = capture(ROOT);
    expect(await main(['lint', '--skill', PUBLIC!, '--json'], io)).toBe(0);
    const data = JSON.parse(io.outs.join('\n'));
    expect(data.ok).toBe(true);
    expect(data.counts.error).toBe(0);
    const p = data.profile;
    expect(p.defaultModel.value).toBe('gpt-5.4');
    expect(p.defaultThinking.value).toBe('high');
    expect(p.heartbeat.value.minutes).toBe(2);
    expect(p.journalPath.value).toBe('.thread-team/<leader-thread-id>/state.md');
    expect(p.phases.value).toEqual([
      'Deep task analysis and parallel split',
      'Worker thread initialization',
      'Per-worker deep task design and dispatch',
      'Progress polling and collaboration decisions',
      'Report collection and merge orchestration',
      'Final leader review and repair',
    ]);
    expect(p.workerSteps.value).toEqual(['Execute assigned task', 'Review and verify changes', 'Commit changes and report completion to leader']);
    expect(p.header.value).toBe('From: <role> (thread ID: <id>)');
    // "If `create_thread`, … or `read_thread` is unavailable, … stop"; "`fork_thread` — only when a worker … needs …" is not a requirement.
    expect(p.requiredTools.value).toEqual(['create_thread', 'send_message_to_thread', 'read_thread']);
    expect(p.optionalTools.value).toContain('fork_thread');
    await expectAt(PUBLIC!, p.defaultModel, '`gpt-5.4`');
    await expectAt(PUBLIC!, p.defaultThinking, '`high`');
    await expectAt(PUBLIC!, p.heartbeat, 'two-minute heartbeat');
    await expectAt(PUBLIC!, p.journalPath, '`.thread-team/<leader-thread-id>/state.md`');
    await expectAt(PUBLIC!, p.phases, '### 1. Deep task analysis and parallel split');
    await expectAt(PUBLIC!, p.workerSteps, '`update_plan` using exactly');
    await expectAt(PUBLIC!, p.header, '`From: <role> (thread ID: <id>)`');
    // COMPLETE is stated in the report template's preamble, not in SKILL.md.
    expect(p.completionSignal).toMatchObject({ value: 'COMPLETE', file: 'references/worker-report-template.md' });
    // What it does not state stands in from the protocol, as a warning.
    expect(p.startupWindowMinutes).toMatchObject({ value: 10, rule: 'default' });
    expect(data.findings.filter((f: { level: string }) => f.level === 'warning').map((f: { message: string }) => f.message)).toContain(
      'no startup window (N minutes on a line about startup); using the protocol default `10`',
    );
  });

  it('explore --runs 300 finds no violation', { timeout: 600_000 }, async () => {
    const io = capture(ROOT);
    const out = await mkdtemp(join(tmpdir(), 'explore-public-'));
    // One job: the suite keeps both cores busy already, and two jobs cost twice the processor
    // time of one (each loads the project afresh). The jobs are tested in explore and shard.
    const code = await main(['explore', '--runs', '300', '--seed', '9', '--jobs', '1', '--skill', PUBLIC!, '--out', out], io);
    await rm(out, { recursive: true, force: true });
    expect(io.text()).toContain('no invariant was broken');
    expect(code).toBe(0);
  });
});

describe('fixture skills in other words', () => {
  it('a form-style skill (tables, blank fields, enumerations) lints clean and states its own facts', async () => {
    const { profile, findings } = await lintSkill(FORM_STYLE);
    expect(findings.filter((f) => f.level !== 'info')).toEqual([]);
    const p = profile!;
    expect([p.defaultModel.value, p.defaultThinking.value, p.heartbeat.value.minutes, p.stallPasses.value, p.startupWindowMinutes.value]).toEqual([
      'gpt-5.4-codex',
      'xhigh',
      3,
      2,
      8,
    ]);
    expect([p.completionSignal.value, p.blockedSignal.value, p.messageLimit.value]).toEqual(['FINISHED', 'STUCK', 1200]);
    expect(p.workerSteps.value).toEqual(['Implement the task', 'Check the work', 'Commit and report back']);
    expect(findings.filter((f) => f.level === 'info').map((f) => f.message)).toContain(
      'hole <part> is free text (it fits no slot): the reference leader fills it with plain text from its plan',
    );
  });

  it('a terse skill that states almost nothing runs on the protocol defaults, each one a warning', async () => {
    const { profile, findings } = await lintSkill(TERSE);
    expect(findings.filter((f) => f.level === 'error')).toEqual([]);
    const defaulted = Object.entries(profile!)
      .filter(([, f]) => (f as Fact<unknown>)?.rule === 'default')
      .map(([k]) => k);
    expect(defaulted).toContain('completionSignal');
    expect(findings.filter((f) => f.level === 'warning')).toHaveLength(defaulted.length);
  });

  it('the terse skill defines completion by its report path and commit, and a run completes on that alone', async () => {
    const profile = (await loadSkill(TERSE)).profile!;
    const r = await runReference('happy-three', { profile });
    expect(r.outcome).toBe('complete');
    const done = r.events.filter((e) => e.kind === 'message.sent' && /commit [0-9a-f]{40}/.test(e.text));
    expect(done).toHaveLength(3);
    for (const e of done) expect((e as { text: string }).text).not.toMatch(/\bCOMPLETE\b/);
  });
});

describe('a skill that declares its own signal words (alt-team: DONE, HELP)', () => {
  it('workers say HELP when blocked and DONE when finished; the leader unblocks on HELP (scenarios/declared-signals.yaml)', async () => {
    const profile = (await loadSkill(ALT)).profile!;
    const s = await loadScenario('scenarios/declared-signals.yaml');
    expect(s.skill).toBe('alt-team');
    const r = await runReference(s, { profile });
    const sent = r.events.flatMap((e) => (e.kind === 'message.sent' ? [e] : []));
    const help = sent.find((e) => /\nHELP waiting on peer api/.test(e.text));
    expect(help).toBeDefined();
    expect(sent.some((e) => /\nBLOCKED\b/.test(e.text))).toBe(false);
    expect(sent.some((e) => e.i > help!.i && e.to === help!.from && /^UNBLOCKED: peer api is complete/m.test(e.text))).toBe(true);
    expect(sent.filter((e) => /\nDONE \S+ [0-9a-f]{40}/.test(e.text))).toHaveLength(3);
    expect(r.counts.replacements).toBe(0);
  });
});
