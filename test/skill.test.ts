import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import {
  RenderError,
  SkillDirError,
  TEMPLATE_KINDS,
  classifyHole,
  lintSkill,
  loadSkill,
  makeTemplate,
  parseHeader,
  parseRendered,
  renderHeader,
  renderTemplate,
  templateSlots,
  inlineSlots,
  unfilledHoles,
  type SkillProfile,
  type Slot,
  type Template,
} from '../src/skill/index.ts';

const SKILL = fileURLToPath(new URL('../skill/', import.meta.url));
const ALT = fileURLToPath(new URL('../fixtures/skills/alt-team/', import.meta.url));

async function ours(): Promise<SkillProfile> {
  const { profile, findings } = await loadSkill(SKILL);
  expect(findings).toEqual([]);
  expect(profile).not.toBeNull();
  return profile!;
}

/** A value for every slot of a template; the dispatch's report format is the report template. */
function valuesFor(t: Template, p: SkillProfile): Partial<Record<Slot, string>> {
  const values: Partial<Record<Slot, string>> = {};
  const inline = inlineSlots(t);
  for (const slot of templateSlots(t)) {
    values[slot] = inline.has(slot) ? `${slot} value with <Angle> brackets, a < b > c, $& $1` : `${slot} value\n  second line with <Angle> brackets, a < b > c, $& $1`;
  }
  if (values['report-format'] !== undefined) values['report-format'] = p.templates.report.text;
  return values;
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

describe('templates', () => {
  it('render and parse back, for all five', async () => {
    const p = await ours();
    for (const kind of TEMPLATE_KINDS) {
      const t = p.templates[kind];
      const values = valuesFor(t, p);
      const text = renderTemplate(t, values, { extra: 'error' });
      expect(parseRendered(t, text)).toEqual(values);
      expect(parseRendered(t, text + '\n\n  ')).toEqual(values);
      if (kind === 'dispatch') {
        // The report format travels with the worker's own holes in it.
        expect(unfilledHoles(text)).toEqual(unfilledHoles(p.templates.report.text));
      } else {
        expect(unfilledHoles(text)).toEqual([]);
      }
    }
  });

  it('leaves every hole in an unrendered template, once each', async () => {
    const p = await ours();
    expect(unfilledHoles(p.templates.registration.text)).toEqual([
      'leader-thread-id',
      'worker-role',
      'worker-thread-id',
      'branch',
      'working-directory',
    ]);
    expect(unfilledHoles('a <b> <c_d> <x>y</x> <E> <f-1>')).toEqual(['b', 'f-1']);
  });

  it('refuses a hole without a value, naming the file and the hole', async () => {
    const p = await ours();
    const t = p.templates.dispatch;
    const values = valuesFor(t, p);
    delete values['base-commit'];
    expect(() => renderTemplate(t, values)).toThrow(RenderError);
    expect(() => renderTemplate(t, values)).toThrow(/references\/worker-dispatch-template\.md:\d+: no value for hole <base-commit>/);
  });

  it('refuses a hole with no slot', () => {
    const t = makeTemplate('final', 'x.md', 3, 'Outcome: <outcome>\nFlux: <flux-capacitor>');
    expect(t.holes.map((h) => [h.name, h.slot, h.line])).toEqual([
      ['outcome', 'outcome', 3],
      ['flux-capacitor', null, 4],
    ]);
    expect(() => renderTemplate(t, { outcome: 'complete' })).toThrow(/^x\.md:4: hole <flux-capacitor> fits no slot$/);
  });

  it('with extra: error, refuses a value for a slot the template lacks', async () => {
    const p = await ours();
    const t = p.templates.final;
    const values = { ...valuesFor(t, p), 'base-commit': 'abc' };
    expect(renderTemplate(t, values)).toContain('outcome value');
    expect(() => renderTemplate(t, values, { extra: 'error' })).toThrow(/base-commit/);
  });

  it('inserts values literally', () => {
    const t = makeTemplate('final', 'x.md', 1, 'A <outcome> B <summary> C');
    expect(renderTemplate(t, { outcome: '<summary>', summary: '$&' })).toBe('A <summary> B $& C');
  });

  it('parseRendered rejects an edited literal and a repeated slot with two values', async () => {
    const p = await ours();
    const t = p.templates.dispatch;
    const text = renderTemplate(t, valuesFor(t, p));
    expect(parseRendered(t, text)).not.toBeNull();
    expect(parseRendered(t, text.replace('Base commit:', 'Base commit -'))).toBeNull();
    expect(parseRendered(t, text.replace('Acceptance criteria:', 'Acceptance:'))).toBeNull();
    expect(parseRendered(t, 'prefix ' + text)).toBeNull();
    expect(parseRendered(t, text + '\nmore')).toBeNull();
    // <branch> occurs twice: change only its second occurrence.
    const branch = valuesFor(t, p).branch!;
    const second = text.lastIndexOf(`commit on ${branch}`);
    const edited = text.slice(0, second) + 'commit on other-branch' + text.slice(second + `commit on ${branch}`.length);
    expect(parseRendered(t, edited)).toBeNull();
    // An inline hole does not swallow line breaks: a pasted template inside a message is not it.
    expect(parseRendered(t, `${text.split('\n')[0]}\nFYI, pasted:\n${text}`)).toBeNull();
  });

  it('parseRendered answers quickly on a near miss', async () => {
    const p = await ours();
    const t = p.templates.dispatch;
    const text = renderTemplate(t, valuesFor(t, p)).replace('BLOCKED', 'BLOKED');
    expect(parseRendered(t, text)).toBeNull();
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

  it('the registration and dispatch start with the header', async () => {
    const p = await ours();
    for (const t of [p.templates.registration, p.templates.dispatch]) {
      const values = { ...valuesFor(t, p), 'leader-thread-id': 't-1' };
      const text = renderTemplate(t, values);
      expect(parseHeader(p, text)).toEqual({ role: 'leader', threadId: 't-1' });
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
    ['flux-capacitor', null],
  ] as const)('<%s> → %s', (name, slot) => {
    expect(classifyHole(name)).toBe(slot);
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

  it('renders and parses its templates with the same slots', async () => {
    const { profile } = await loadSkill(ALT);
    const p = profile!;
    const d = p.templates.dispatch;
    for (const slot of ['working-directory', 'base-commit', 'roster', 'owned-files', 'not-owned-files'] as const) {
      expect(templateSlots(d)).toContain(slot);
    }
    for (const kind of TEMPLATE_KINDS) {
      const t = p.templates[kind];
      const values = valuesFor(t, p);
      expect(parseRendered(t, renderTemplate(t, values))).toEqual(values);
    }
  });
});

describe('inline holes', () => {
  it('refuse a value with a line break, so render and parse stay inverses', async () => {
    const p = await loadSkill(SKILL);
    const t = p.profile!.templates.registration;
    const values = Object.fromEntries(templateSlots(t).map((s) => [s, `${s}-value`]));
    expect(() => renderTemplate(t, { ...values, branch: 'a\nb' })).toThrow(/takes one line/);
    expect(parseRendered(t, renderTemplate(t, values))).toEqual(values);
  });
});
