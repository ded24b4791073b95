import { describe, expect, it } from 'vitest';
import {
  SkillDirError,
  TEMPLATE_KINDS,
  classifyHole,
  composeMessage,
  formOf,
  formSlots,
  lintSkill,
  loadSkill,
  parseHeader,
  renderHeader,
  slotFor,
  SLOT_SYNONYMS,
  type SkillProfile,
} from '../src/skill/index.ts';
import { ALT, FORM_STYLE, SKILL } from './support/skills.ts';

async function ours(): Promise<SkillProfile> {
  const { profile, findings } = await loadSkill(SKILL);
  expect(findings).toEqual([]);
  expect(profile).not.toBeNull();
  return profile!;
}

describe('our skill', () => {
  it('loads and lints with zero findings', async () => {
    await ours();
    const lint = await lintSkill(SKILL);
    expect(lint.findings).toEqual([]);
    expect(lint.profile).not.toBeNull();
  });

  it('has the expected profile facts', async () => {
    const p = await ours();
    expect(p.name.value).toBe('thread-team');
    expect(p.description.value).toMatch(/thread team/);
    expect(p.description.value).toMatch(/parallel Codex threads/);
    expect(p.description.value).toMatch(/worker threads/);
    expect(p.requiredTools.value).toEqual(['create_thread', 'send_message_to_thread', 'read_thread']);
    expect(p.optionalTools.value).toEqual(['list_threads', 'wait_threads', 'set_thread_archived', 'automation_update']);
    expect(p.defaultModel.value).toBe('gpt-5.4');
    expect(p.defaultThinking.value).toBe('high');
    expect(p.heartbeat.value).toEqual({ minutes: 2, rrule: 'FREQ=MINUTELY;INTERVAL=2' });
    expect(p.stallPasses.value).toBe(3);
    expect(p.startupWindowMinutes.value).toBe(10);
    expect(p.phases.value).toEqual([
      'Analysis and split',
      'Worker initialization',
      'Design and dispatch',
      'Polling and decisions',
      'Review and serial merge',
      'Final review and cleanup',
    ]);
    expect(p.workerSteps.value).toEqual(['Execute', 'Self-review and verify', 'Commit and report']);
    expect(p.header.value).toBe('From: <role> (thread ID: <thread-id>)');
    expect(p.journalPath.value).toBe('.thread-team/<leader-thread-id>/state.md');
    expect(p.workerNotesPath.value).toBe('.thread-team/notes.md');
    expect(p.workerReportPath.value).toBe('.thread-team/report.md');
    expect(p.completionSignal.value).toBe('COMPLETE');
    expect(p.blockedSignal.value).toBe('BLOCKED');
    expect(p.messageLimit.value).toBe(1500);
    for (const kind of TEMPLATE_KINDS) expect(p.templates[kind].kind).toBe(kind);
  });

  it('traces every fact to a line that holds it, with the rule that found it', async () => {
    const p = await ours();
    const { readFile } = await import('node:fs/promises');
    const lines = (await readFile(`${SKILL}/SKILL.md`, 'utf8')).split('\n');
    expect(lines[p.defaultModel.line - 1]).toContain('`gpt-5.4`');
    expect(lines[p.heartbeat.line - 1]).toContain('FREQ=MINUTELY;INTERVAL=2');
    expect(lines[p.header.line - 1]).toContain('From: <role>');
    expect(lines[p.phases.line - 1]).toMatch(/^### 1\. Analysis and split/);
    expect(p.heartbeat.rule).toBe('heartbeat.rrule');
    expect(p.phases.rule).toBe('phases.numbered-headings');
    expect(p.defaultModel.file).toBe('SKILL.md');
  });

  it('holds no unclassified hole; envelope tags are literal', async () => {
    const p = await ours();
    for (const t of Object.values(p.templates)) {
      expect(t.holes.filter((h) => h.slot === null)).toEqual([]);
    }
    expect(p.templates.registration.text).toContain('<input>TEXT</input>');
    expect(p.templates.registration.holes.map((h) => h.name)).not.toContain('input');
  });

  it('loads deterministically', async () => {
    expect(await loadSkill(SKILL)).toEqual(await loadSkill(SKILL));
  });

  it('throws SkillDirError for a missing directory', async () => {
    await expect(loadSkill('/nonexistent/skill-dir')).rejects.toThrow(SkillDirError);
    await expect(loadSkill(`${SKILL}/SKILL.md`)).rejects.toThrow(/not a directory/);
  });
});

describe('header', () => {
  it('renders and parses', async () => {
    const p = await ours();
    expect(renderHeader(p, 'backend', 't-2')).toBe('From: backend (thread ID: t-2)');
    expect(parseHeader(p, 'From: backend (thread ID: t-2)\nCOMPLETE .thread-team/report.md abc123')).toEqual({
      role: 'backend',
      threadId: 't-2',
    });
    expect(parseHeader(p, renderHeader(p, 'api worker', '019a-xy'))).toEqual({ role: 'api worker', threadId: '019a-xy' });
    expect(parseHeader(p, 'Hello\nFrom: backend (thread ID: t-2)')).toBeNull();
    expect(parseHeader(p, 'From: backend thread t-2')).toBeNull();
  });

  it('reads the header inside a delegation envelope', async () => {
    const p = await ours();
    const env = '<codex_delegation><source_thread_id>t-9</source_thread_id><input>From: leader (thread ID: t-1)\nSTOP</input></codex_delegation>';
    expect(parseHeader(p, env)).toEqual({ role: 'leader', threadId: 't-1' });
  });

  it('the registration and dispatch start with the header, whether or not the template has it', async () => {
    for (const dir of [SKILL, ALT, FORM_STYLE]) {
      const p = (await loadSkill(dir)).profile!;
      for (const kind of ['registration', 'dispatch'] as const) {
        const text = composeMessage(p, kind, { 'leader-thread-id': 't-1' }, { free: () => 'x' }, { role: 'leader', id: 't-1' });
        expect(parseHeader(p, text), `${dir} ${kind}`).toEqual({ role: 'leader', threadId: 't-1' });
      }
    }
  });
});

describe('hole classification', () => {
  it.each([
    ['worktree-path', 'working-directory'],
    ['base-sha', 'base-commit'],
    ['team-roster', 'roster'],
    ['coordinator-thread-id', 'leader-thread-id'],
    ['member-thread-id', 'worker-thread-id'],
    ['your-thread-id', 'worker-thread-id'],
    ['sender-id', 'thread-id'],
    ['off-limits-files', 'not-owned-files'],
    ['files-you-own', 'owned-files'],
    ['not-owned-files', 'not-owned-files'],
    ['owned-files', 'owned-files'],
    ['done-criteria', 'acceptance-criteria'],
    ['test-commands', 'verification-commands'],
    ['verification-results', 'verification-results'],
    ['tip-commit', 'commit-sha'],
    ['merged-branches', 'merges'],
    ['unmerged-branches', 'excluded'],
    ['branch-name', 'branch'],
    ['report-layout', 'report-format'],
    ['report-file', 'report-path'],
    ['journal-location', 'journal-path'],
    ['member-role', 'role'],
    ['sha-or-branch-the-worker-branch-starts-from', 'base-commit'],
    ['leader-integration-branch', 'integration-branch'],
    ['absolute-path-to-worker-worktree-or-workspace', 'working-directory'],
    ['commands or checks', 'verification-commands'],
    ['commands run and results, or why not run', 'verification-results'],
    ['which workers depend on which outputs or contracts', 'dependencies'],
    ['confirmed-model', 'model'],
    ['confirmed-thinking', 'thinking'],
    ['responsibility', 'scope'],
    ['flux-capacitor', null],
  ] as const)('<%s> → %s', (name, slot) => {
    expect(classifyHole(name)).toBe(slot);
  });

  it('src/skill/README.md shows the synonym table exactly as slots.ts has it', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../src/skill/README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('| pattern over the kebab-case name | slot |');
    expect(start).toBeGreaterThan(0);
    const lines = readme.slice(start).split('\n').slice(2);
    const rows = lines.slice(
      0,
      lines.findIndex((x) => !x.startsWith('|')),
    );
    const shown = rows.map((r) => {
      const m = /^\| `(.*)` \| ([a-z-]+) \|$/.exec(r)!;
      return [m[1]!.replace(/\\\|/g, '|'), m[2]];
    });
    expect(shown).toEqual(SLOT_SYNONYMS.map(([re, slot]) => [re.source, slot]));
  });

  it.each([
    // A specific hole name wins; a generic one leaves it to the label.
    ['sha-or-branch-the-worker-branch-starts-from', 'Base commit', 'dispatch', 'base-commit'],
    ['sha', 'Commit SHA', 'report', 'commit-sha'],
    ['sha', 'Final HEAD', 'final', 'commit-sha'],
    ['id', 'Thread ID', 'state', 'thread-id'],
    ['summary or none', 'Bugs or risks found and fixed', 'report', 'open-issues'],
    ['files/modules/behaviors this worker owns', 'Your task boundary', 'dispatch', 'scope'],
    ['who owns which files, modules, APIs, UI areas, tests, or decisions', 'Responsibility map', 'dispatch', 'ownership'],
    ['checks', 'Verification', 'final', 'verification-results'],
    ['checks', 'Verification', 'dispatch', 'verification-commands'],
    ['outcome', 'Thread team run', 'final', 'outcome'],
    ['leader-thread-id', 'Thread ID', 'final', 'leader-thread-id'],
  ] as const)('<%s> under "%s" (%s) → %s', (hole, label, kind, slot) => {
    expect(slotFor(hole, label, kind)).toBe(slot);
  });
});

describe('a skill with different prose', () => {
  it('loads clean with its own values', async () => {
    const { profile, findings } = await lintSkill(ALT);
    expect(findings).toEqual([]);
    const p = profile!;
    expect(p.name.value).toBe('alt-team');
    expect(p.defaultModel.value).toBe('gpt-5.5');
    expect(p.defaultThinking.value).toBe('medium');
    expect(p.heartbeat.value).toEqual({ minutes: 5, rrule: 'FREQ=MINUTELY;INTERVAL=5' });
    expect(p.stallPasses.value).toBe(4);
    expect(p.startupWindowMinutes.value).toBe(15);
    expect(p.messageLimit.value).toBe(2000);
    expect(p.requiredTools.value).toEqual(['create_thread', 'send_message_to_thread', 'read_thread']);
    expect(p.optionalTools.value).toEqual(['list_threads', 'wait_threads', 'set_thread_archived', 'automation_update']);
    expect(p.phases.value).toHaveLength(6);
    expect(p.phases.rule).toBe('phases.ordered-list');
    expect(p.phases.value[0]).toBe('Plan the split');
    expect(p.workerSteps.value).toEqual(['Do the work in its own worktree', 'Check it against the assignment and run the tests', 'Commit and report']);
    expect(p.header.value).toBe('From: <sender-role> (thread ID: <sender-id>)');
    expect(p.journalPath.value).toBe('.thread-team/runs/<coordinator-thread-id>/journal.md');
    expect(p.workerNotesPath.value).toBe('.thread-team/progress-notes.md');
    expect(p.workerReportPath.value).toBe('.thread-team/worker-report.md');
    expect(p.completionSignal.value).toBe('DONE');
    expect(p.blockedSignal.value).toBe('HELP');
    expect(p.templates.final.file).toBe('references/closing-summary.md');
    expect(p.templates.report.file).toBe('references/worker-completion-report.md');
    expect(renderHeader(p, 'db', 't-4')).toBe('From: db (thread ID: t-4)');
  });

  it('has a place for every slot a dispatch must carry', async () => {
    const p = (await loadSkill(ALT)).profile!;
    const d = p.templates.dispatch;
    const slots = formSlots(formOf('dispatch', d.file, d.line, d.text));
    for (const slot of ['working-directory', 'base-commit', 'roster', 'owned-files', 'not-owned-files'] as const) expect(slots).toContain(slot);
  });
});
