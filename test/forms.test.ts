// Templates as forms: what the parser makes of real template shapes, and the reader's
// forgiveness case by case (the property test covers it at large).

import { describe, expect, it } from 'vitest';
import {
  assignmentOf,
  composeMessage,
  fillForm,
  finalOf,
  formOf,
  formsOf,
  loadSkill,
  parseForm,
  readForm,
  recognise,
  reportOf,
  rowsOf,
  signalOf,
  stateOf,
} from '../src/skill/index.ts';
import { tokenize } from '../src/skill/form.ts';
import { lazy } from './support/lazy.ts';
import { ALT, FORM_STYLE, SKILL, TERSE, publicSkill } from './support/skills.ts';

const PUBLIC = publicSkill();

describe('reading a line with holes (a pattern)', () => {
  const form = lazy(() => parseForm('report', 'x.md', 1, ['Report', '', 'Merged <branch> at <commit-sha>.', 'Between <left> <right>', 'Done'].join('\n')));
  const read = (...lines: string[]) => {
    const r = readForm(form(), lines.join('\n'));
    return { holes: r.holes, missing: r.missing.map((m) => m.what) };
  };

  it('reads each hole, the last one up to the line end, a closing period left out', () => {
    expect(form().elements.map((e) => e.kind)).toEqual(['literal', 'pattern', 'pattern', 'literal']);
    expect(read('Report', 'Merged feat/x at abc123.', 'Between a b', 'Done')).toEqual({
      holes: { branch: 'feat/x', 'commit-sha': 'abc123', left: 'a', right: 'b' },
      missing: [],
    });
    expect(read('Report', 'merged  feat/x   AT abc123', 'between a   b', 'Done')).toEqual({
      holes: { branch: 'feat/x', 'commit-sha': 'abc123', left: 'a', right: 'b' },
      missing: [],
    });
    expect(read('Report', 'Merged feat/x at abc123;', 'Between a b;', 'Done').holes).toEqual({
      branch: 'feat/x',
      'commit-sha': 'abc123',
      left: 'a',
      right: 'b',
    });
  });

  it('a line with words before the pattern is not it', () => {
    expect(read('Report', 'So Merged feat/x at abc123.', 'Between a b', 'Done').missing).toEqual(['Merged <branch> at <commit-sha>.']);
  });

  it('two holes parted by a space need the space', () => {
    expect(read('Report', 'Merged feat/x at abc123.', 'Between ab', 'Done').missing).toEqual(['Between <left> <right>']);
  });
});

describe('parsing a template into a form', () => {
  type ListEl = { kind: 'list'; slot: string | null; collection: boolean; layout: unknown[] };
  type FieldEl = { kind: 'field'; subject: string | null; value: { t: string; slot?: string | null }[] };
  const listOf = (kind: Parameters<typeof parseForm>[0], text: string) =>
    parseForm(kind, 'x.md', 1, text).elements.find((e) => e.kind === 'list') as unknown as ListEl;
  const fieldOf = (text: string) => parseForm('state', 'x.md', 1, text).elements.find((e) => e.kind === 'field') as unknown as FieldEl;

  it.each([
    'roster',
    'plan',
    'decisions',
    'dependencies',
    'merges',
    'retired',
    'reports',
    'collaborators',
    'excluded',
    'files-changed',
    'acceptance-criteria',
    'verification-commands',
    'invariants',
    'owned-files',
    'not-owned-files',
    'open-issues',
    'follow-ups',
    'awaiting',
    'ownership',
  ])('a list under a %s section is a collection even with one item of two holes', (slot) => {
    const label = slot[0]!.toUpperCase() + slot.slice(1).replace(/-/g, ' ');
    for (const kind of ['state', 'dispatch', 'report', 'final'] as const) {
      expect(listOf(kind, `${label}:\n- <what> then <why>\n`)).toMatchObject({ slot, collection: true });
    }
  });

  it.each(['role', 'branch', 'worker-thread-id', 'thread-id'])('a list whose one item holds a <%s> is a row per worker', (key) => {
    expect(listOf('state', `Next:\n- <${key}> then <why>\n`)).toMatchObject({ collection: true });
  });

  it('a list of one item of two holes, under a section that is no collection and with no key, is not one', () => {
    expect(listOf('state', 'Next:\n- <what> then <why>\n')).toMatchObject({ slot: 'next-action', collection: false });
  });

  it.each(['yes', 'no', 'n-a', 'na', 'true', 'false'])('a choice offering %s is an answer, not a status', (word) => {
    const choice = (text: string) => fieldOf(text).value.find((p) => p.t === 'choice');
    expect(choice(`Status: ${word}/maybe`)).toMatchObject({ slot: null });
    expect(choice(`Status: maybe/${word}`)).toMatchObject({ slot: null });
    expect(choice('Status: maybe/perhaps')).toMatchObject({ slot: 'status' });
  });

  it.each(['the   leader   thread', 'Leader thread', 'The Lead Thread'])('a field labelled "%s" is about the leader: its id is the leader\'s', (label) => {
    // A label naming a thread makes any hole under it a thread id, so only ids are asked here.
    const ids = (hole: string) => fieldOf(`${label}: <${hole}>`);
    expect(ids('thread-id')).toMatchObject({ subject: 'leader', value: [{ t: 'hole', slot: 'leader-thread-id' }] });
    expect(ids('worker-thread-id')).toMatchObject({ subject: 'leader', value: [{ t: 'hole', slot: 'leader-thread-id' }] });
  });

  it.each(['Leader', 'leader', 'The leader', 'Coordinator', 'Lead', 'Orchestrator', 'Manager'])(
    'a field labelled "%s" is about the leader: its ids and branch are the leader\'s',
    (label) => {
      const ids = (hole: string) => fieldOf(`${label}: <${hole}>`);
      expect(ids('thread-id')).toMatchObject({ subject: 'leader', value: [{ t: 'hole', slot: 'leader-thread-id' }] });
      expect(ids('worker-thread-id')).toMatchObject({ subject: 'leader', value: [{ t: 'hole', slot: 'leader-thread-id' }] });
      expect(ids('branch')).toMatchObject({ subject: 'leader', value: [{ t: 'hole', slot: 'integration-branch' }] });
      expect(ids('working-directory')).toMatchObject({ subject: 'leader', value: [{ t: 'hole', slot: 'repo-path' }] });
    },
  );

  it.each(['Leaders', 'Team leader', 'the leader threads', 'theleader'])('a field labelled "%s" is about no one in particular', (label) => {
    expect(fieldOf(`${label}: <thread-id>`)).toMatchObject({ subject: null });
  });

  // Where an enumeration starts and ends: a word glued to a path, a file name or another word is not a choice.
  it.each([
    ['done/failed', ['done', 'failed']],
    ['done/failed.', ['done', 'failed']],
    ['done/failed; then stop', ['done', 'failed']],
    ['in-progress/done-ok', ['in-progress', 'done-ok']],
    ['_done/failed', null],
    ['.done/failed', null],
    ['/done/failed', null],
    ['-done/failed', null],
    ['9done/failed', null],
    ['Done/failed', null],
    ['done/failed.md', null],
    ['done/failed/', null],
    ['done/failed_x', null],
    ['done/failedX', null],
    ['a/bc', null],
    ['ab/c', null],
    ['`done/failed`', null],
  ])('the value "%s" offers the choice %j', (value, options) => {
    // Mid-line, where the field's first-word rule does not hide it.
    const mid = tokenize(`done/failed ${value}`, 'state', null, true)
      .filter((p) => p.t === 'choice')
      .slice(1);
    expect(mid).toEqual(options === null ? [] : [{ t: 'choice', options, slot: null }]);
    const [el] = parseForm('state', 'x.md', 1, `Result: ${value}`).elements;
    // Without a choice the line has nothing to fill: it stays a literal.
    if (options === null) expect(el).toMatchObject({ kind: 'literal' });
    else expect((el as unknown as FieldEl).value.find((p) => p.t === 'choice')).toMatchObject({ options });
  });

  it('a line splits into literal runs, holes and choices with no empty runs between them', () => {
    expect(tokenize('a <x> b', 'state', null)).toEqual([
      { t: 'lit', text: 'a ' },
      { t: 'hole', name: 'x', slot: null, options: null },
      { t: 'lit', text: ' b' },
    ]);
    expect(tokenize('<x> b', 'state', null)).toEqual([
      { t: 'hole', name: 'x', slot: null, options: null },
      { t: 'lit', text: ' b' },
    ]);
    expect(tokenize('<x><y>', 'state', null).map((p) => p.t)).toEqual(['hole', 'hole']);
    expect(tokenize('done/failed', 'state', null, true)).toEqual([{ t: 'choice', options: ['done', 'failed'], slot: null }]);
    expect(tokenize('ok done/failed now', 'state', null, true)).toEqual([
      { t: 'lit', text: 'ok ' },
      { t: 'choice', options: ['done', 'failed'], slot: null },
      { t: 'lit', text: ' now' },
    ]);
    expect(tokenize('done/failed ab/cd', 'state', null, true).map((p) => p.t)).toEqual(['choice', 'lit', 'choice']);
  });

  it('a code span before a choice keeps the pieces where they were', () => {
    expect(tokenize('`x` done/failed', 'state', null, true)).toEqual([
      { t: 'lit', text: '`x` ' },
      { t: 'choice', options: ['done', 'failed'], slot: null },
    ]);
    expect(tokenize('`a longer span` ok/fail now', 'state', null, true)).toEqual([
      { t: 'lit', text: '`a longer span` ' },
      { t: 'choice', options: ['ok', 'fail'], slot: null },
      { t: 'lit', text: ' now' },
    ]);
  });

  it.each([
    ['not-started/started/replaced', 'startup'],
    ['started/replaced', 'startup'],
    ['not-started/x-y', 'startup'],
    ['dispatched/x-y', 'status'],
    ['integrated/x-y', 'status'],
    ['received/x-y', 'status'],
    ['started/x-y', null],
    ['replaced/x-y', null],
  ])('a choice of %s is about %s by its words (under a label that names nothing)', (options, slot) => {
    const [el] = parseForm('state', 'x.md', 1, `Thing: ${options}`).elements;
    expect((el as unknown as FieldEl).value.find((p) => p.t === 'choice')).toMatchObject({ slot });
  });

  it('a label names a hole only when the hole is the whole value', () => {
    expect(fieldOf('Branch: <zzz-qqq>').value).toEqual([{ t: 'hole', name: 'zzz-qqq', slot: 'branch', options: null }]);
    expect(fieldOf('Branch: on <zzz-qqq> today').value.find((p) => p.t === 'hole')).toMatchObject({ slot: null });
  });

  it("only the leader field's id, branch and folder holes are renamed; its other holes and text stay as they are", () => {
    expect(fieldOf('Leader: <thread-id> as <role> (lead)').value).toEqual([
      { t: 'hole', name: 'thread-id', slot: 'leader-thread-id', options: null },
      { t: 'lit', text: ' as ' },
      { t: 'hole', name: 'role', slot: 'role', options: null },
      { t: 'lit', text: ' (lead)' },
    ]);
  });

  it('a hole alone on an indented line, spaces around it, is a block; with a word beside it, it is not', () => {
    const blocks = (text: string) => parseForm('state', 'x.md', 1, text).elements.filter((e) => e.kind === 'block');
    expect(blocks('Notes:\n    <notes>   \n')).toHaveLength(1);
    expect(blocks('Notes:\n<notes> here\n')).toHaveLength(0);
    expect(blocks('Notes:\n<notes> <more>\n')).toHaveLength(0);
  });

  it('a list item whose first word is a hole, after extra spaces, is a row repeated per worker', () => {
    const list = listOf('state', 'Workers:\n-   <role>: <branch>\n');
    expect(list.layout).toEqual(['repeat']);
    expect(list.collection).toBe(true);
    // A literal word first: one fixed line, not a row per worker.
    expect(parseForm('state', 'x.md', 1, 'Workers:\n- `x` <role>: <branch>\n').elements[1]).toMatchObject({ kind: 'pattern' });
  });

  it('finds labelled fields, blank fields, sections with a body, lists of any length and repeated table rows', () => {
    const f = parseForm(
      'state',
      'x.md',
      1,
      [
        'Lead journal',
        '',
        'Leader thread ID:',
        'Phase: startup-gate/polling/complete',
        'Roster:',
        '| Role | Thread ID | Status |',
        '| --- | --- | --- |',
        '| Leader | <id> | active |',
        '| <worker> | <id> | registered/dispatched/integrated |',
        '',
        'Decisions:',
        '- <decision>',
        '',
        'Next:',
        '<next-action>',
      ].join('\n'),
    );
    const kinds = f.elements.map((e) => e.kind);
    expect(kinds).toEqual(['literal', 'field', 'field', 'literal', 'table', 'literal', 'list', 'literal', 'block']);
    const [, blank, phase] = f.elements as never[] as { kind: string; blankSlot?: string; value?: { t: string; slot: string | null; options?: string[] }[] }[];
    expect(blank!.blankSlot).toBe('leader-thread-id');
    expect(phase!.value![0]).toMatchObject({ t: 'choice', options: ['startup-gate', 'polling', 'complete'], slot: 'phase' });
    const table = f.elements[4] as Extract<(typeof f.elements)[number], { kind: 'table' }>;
    expect(table.slot).toBe('roster');
    expect(table.rows.map((r) => ('fixed' in r ? `fixed:${r.fixed.subject}` : 'repeat'))).toEqual(['fixed:leader', 'repeat']);
    // The Leader row's id is the leader's own.
    expect('fixed' in table.rows[0]! ? table.rows[0].fixed.cells[1]![0] : null).toMatchObject({ slot: 'leader-thread-id' });
    const list = f.elements[6] as Extract<(typeof f.elements)[number], { kind: 'list' }>;
    expect(list).toMatchObject({ slot: 'decisions', collection: true });
  });

  it('keeps tags, [CAPS] fill-ins and enumerations in prose literal', () => {
    const f = parseForm(
      'registration',
      'x.md',
      1,
      'Messages arrive as <codex_delegation><input>TEXT</input></codex_delegation>.\nReply [ONE-LINE] when done.\nReview generated/cache files too.',
    );
    expect(f.elements.every((e) => e.kind === 'literal')).toBe(true);
  });

  it('numbers each hole with its line in the skill file', () => {
    const f = formOf('dispatch', 'd.md', 10, 'Work form\n\nBase commit: <sha-or-branch-the-worker-branch-starts-from>\nVerification:\n<commands or checks>');
    const holes = f.elements.flatMap((e) => (e.kind === 'field' ? e.value : e.kind === 'block' ? [e.hole] : []));
    expect(holes.map((h) => h.t === 'hole' && [h.name, h.slot])).toEqual([
      ['sha-or-branch-the-worker-branch-starts-from', 'base-commit'],
      ['commands or checks', 'verification-commands'],
    ]);
    expect(f.elements.map((e) => e.line)).toEqual([10, 12, 13, 14]);
  });
});

describe('reading forgivingly', () => {
  const setup = lazy(async () => {
    const ours = (await loadSkill(SKILL)).profile!;
    const forms = formsOf(ours.templates);
    const values = {
      'leader-thread-id': 'lead-0001',
      role: 'api',
      'worker-thread-id': 'work-0002',
      branch: 'codex/api',
      'working-directory': '/wt/api',
      'base-commit': 'd48542a57d5f',
      scope: 'Add the billing endpoint',
      plan: ['Execute: edit', 'Verify: run tests'],
      'owned-files': '- src/api/billing.ts\n- src/api/server.ts',
      'not-owned-files': '- src/ui/page.tsx',
      'acceptance-criteria': '- GET /billing works',
      'verification-commands': '- npm test',
      invariants: '- the API stays',
      roster: [{ text: 'leader | lead-0001' }, { text: 'api | work-0002' }, { text: 'ui | work-0003' }],
      collaborators: '- ui',
      'notes-path': '.thread-team/notes.md',
      'report-path': '.thread-team/report.md',
      'report-format': ours.templates.report.text,
    };
    const dispatch = fillForm(forms.dispatch, values);
    const expected = {
      role: 'api',
      self: 'work-0002',
      leader: 'lead-0001',
      branch: 'codex/api',
      dir: '/wt/api',
      base: 'd48542a57d5f',
      owned: ['src/api/billing.ts', 'src/api/server.ts'],
      notOwned: ['src/ui/page.tsx'],
      verification: ['npm test'],
      collaborators: ['ui'],
    };
    const read = (text: string) => {
      const seen = recognise(forms, text, ['registration', 'dispatch']);
      expect(seen?.kind).toBe('dispatch');
      return assignmentOf(seen!.reading);
    };
    return { forms, values, dispatch, expected, read };
  });

  it('reads a dispatch as written', async () => {
    const { dispatch, expected, read } = await setup();
    expect(read(dispatch)).toMatchObject(expected);
    expect(read(dispatch).roster).toEqual([
      { role: 'leader', threadId: 'lead-0001' },
      { role: 'api', threadId: 'work-0002' },
      { role: 'ui', threadId: 'work-0003' },
    ]);
  });

  it.each([
    [
      'fields in another order',
      (t: string) =>
        t.replace(/Working directory: .*\nBranch: .*\nBase commit: .*/, 'Base commit: d48542a57d5f\nWorking directory: /wt/api\nBranch: codex/api'),
    ],
    ['other list markers', (t: string) => t.replace(/^- /gm, '* ')],
    ['renumbered lists', (t: string) => t.replace(/^(\d)\. /gm, (_, n) => `${Number(n) + 4}) `)],
    [
      'bold labels and values in backticks',
      (t: string) => t.replace('Branch: codex/api', '**Branch:** `codex/api`').replace('Base commit: d48542a57d5f', '- **Base commit**: `d48542a57d5f`'),
    ],
    ['trailing spaces and CRLF', (t: string) => t.replace(/\n/g, '  \r\n')],
    ['a line of prose added between fields', (t: string) => t.replace('Branch: codex/api', 'Note: these came from the plan.\nBranch: codex/api')],
    ['a preamble and the whole wrapped in a code fence', (t: string) => `Here is your task.\n\n\`\`\`text\n${t}\n\`\`\``],
    [
      'a delegation envelope around it',
      (t: string) => `<codex_delegation><source_thread_id>lead-0001</source_thread_id><input>${t}</input></codex_delegation>`,
    ],
    [
      'a label that also occurs inside the report format it carries, fields reordered',
      (t: string) => t.replace(/Working directory: .*\nBranch: .*\n/, 'Branch: codex/api\nWorking directory: /wt/api\n'),
    ],
  ])('reads a dispatch with %s', async (_, edit) => {
    const { dispatch, expected, read } = await setup();
    expect(read(edit(dispatch))).toMatchObject(expected);
  });

  it('reports what a text lacks and which holes were left unfilled', async () => {
    const { forms, dispatch } = await setup();
    const r = readForm(forms.dispatch, dispatch.replace('Base commit: d48542a57d5f\n', '').replace('- npm test', '<verification-commands>'));
    expect(r.missing.map((m) => m.what)).toEqual(['Base commit']);
    expect(r.unfilled.map((u) => u.name)).toContain('verification-commands');
    expect(r.score).toBeLessThan(1);
  });

  it('tells a registration from a dispatch, and neither from a free message', async () => {
    const { forms, values } = await setup();
    const reg = fillForm(forms.registration, values);
    expect(recognise(forms, reg, ['registration', 'dispatch'])?.kind).toBe('registration');
    expect(recognise(forms, 'From: leader (thread ID: lead-0001)\nSTATUS REQUEST: reply with one line.', ['registration', 'dispatch'])).toBeNull();
  });

  it('counts text a registration or dispatch carries beyond its template', async () => {
    const { forms, dispatch } = await setup();
    const pasted = `From: leader (thread ID: lead-0001)\nFYI, here is a report:\n${'x'.repeat(300)}\n\n${dispatch}`;
    const r = readForm(forms.dispatch, pasted);
    expect(r.score).toBe(1);
    expect(r.extra).toContain('FYI, here is a report:');
    expect(r.extra.length).toBeGreaterThan(300);
    expect(readForm(forms.dispatch, dispatch).extra).toBe('');
  });
});

describe('what filled-in templates say, in any skill', () => {
  it('a worker report: its commit, and whether its verification failed', async () => {
    for (const dir of [SKILL, ALT, FORM_STYLE, TERSE, ...(PUBLIC ? [PUBLIC] : [])]) {
      const p = (await loadSkill(dir)).profile!;
      const forms = formsOf(p.templates);
      const text = composeMessage(
        p,
        'report',
        { role: 'api', 'commit-sha': 'a'.repeat(40), summary: 'did it', 'verification-results': '- npm test: exit 1' },
        { free: () => 'none', choose: (o) => o[0]! },
        null,
      );
      const r = reportOf(readForm(forms.report, text));
      expect(r.commit, dir).toBe('a'.repeat(40));
      expect(r.failed, dir).toBe(true);
    }
  });

  it('a journal: aborted with its reason, from a status block, a status field or an enumeration', async () => {
    for (const dir of [SKILL, ALT, FORM_STYLE, TERSE, ...(PUBLIC ? [PUBLIC] : [])]) {
      const p = (await loadSkill(dir)).profile!;
      const f = formsOf(p.templates).state;
      const text = fillForm(f, { status: 'aborted\nthe user cancelled the run', reason: 'the user cancelled the run' }, { free: () => '-' });
      expect(stateOf(readForm(f, text)), dir).toEqual({ status: 'aborted', reason: 'the user cancelled the run' });
    }
  });

  it('a final report: the outcome, and each task not integrated with its reason', async () => {
    for (const dir of [SKILL, ALT, FORM_STYLE, TERSE, ...(PUBLIC ? [PUBLIC] : [])]) {
      const p = (await loadSkill(dir)).profile!;
      const f = formsOf(p.templates).final;
      const text = fillForm(
        f,
        {
          outcome: 'aborted: the user cancelled',
          reason: 'the user cancelled',
          excluded: '- ui: stopped by cancel',
          roster: [{ role: 'ui', status: 'excluded', outcome: 'stopped by cancel', summary: 'stopped by cancel' }],
        },
        { free: () => '-' },
      );
      // A template with no outcome field says it in words, as the reference leader does.
      const said = /abort/.test(text) ? text : `Run aborted: the user cancelled.\n\n${text}`;
      const fin = finalOf(readForm(f, said), said);
      expect(fin.outcome, dir).toBe('aborted');
      expect(fin.excluded.get('ui'), dir).toMatch(/stopped by cancel/);
    }
  });

  it("a worker's signal: by keyword, in the skill's own words, or by structure", () => {
    const words = { complete: 'DONE', blocked: 'HELP' };
    const sha = 'b'.repeat(40);
    expect(signalOf(`DONE .thread-team/r.md ${sha}`, words, '.thread-team/r.md')).toMatchObject({ kind: 'complete', sha, reportPath: '.thread-team/r.md' });
    expect(signalOf('HELP waiting on peer api', words, 'r.md')).toMatchObject({ kind: 'blocked', text: 'waiting on peer api' });
    expect(signalOf('**help**: waiting on peer api', words, 'r.md')).toMatchObject({ kind: 'blocked', text: 'waiting on peer api' });
    expect(signalOf('BLOCKED waiting', words, 'r.md').kind).toBe('other');
    expect(signalOf(`Thanks.\nReport .thread-team/r.md, commit ${sha}`, words, '.thread-team/r.md')).toMatchObject({ kind: 'complete', sha });
    expect(signalOf(`Blocked: cannot commit ${sha} to .thread-team/r.md`, words, '.thread-team/r.md').kind).toBe('other');
    expect(signalOf('STATUS working; notes at n.md', words, 'r.md')).toMatchObject({ kind: 'status', text: 'working; notes at n.md' });
  });
});

describe.skipIf(!PUBLIC)('the public skill', async () => {
  it('its dispatch, written by the leader, gives a worker everything the protocol asks', async () => {
    const p = (await loadSkill(PUBLIC!)).profile!;
    const forms = formsOf(p.templates);
    const text = composeMessage(
      p,
      'dispatch',
      {
        'leader-thread-id': 'lead-0001',
        'worker-thread-id': 'work-0002',
        'thread-id': 'work-0002',
        role: 'api',
        branch: 'codex/api',
        'working-directory': '/wt/api',
        'base-commit': 'd48542a57d5f',
        'integration-branch': 'main',
        ownership: '- api: src/api/billing.ts\n- ui: src/ui/page.tsx',
        scope: 'Add the billing endpoint',
        plan: ['Execute assigned task: edit src/api/billing.ts'],
        'verification-commands': '- npm test',
        collaborators: 'none: all coordination goes through the leader',
        roster: [
          { role: 'leader' },
          { role: 'api', 'thread-id': 'work-0002', branch: 'codex/api', scope: 'endpoint' },
          { role: 'ui', 'thread-id': 'work-0003', branch: 'codex/ui', scope: 'page' },
        ],
      },
      { free: () => 'none' },
      { role: 'leader', id: 'lead-0001' },
    );
    expect(text.split('\n')[0]).toBe('From: leader (thread ID: lead-0001)');
    expect(text).toContain('- Begin every message you send to the leader or a peer with `From: api (thread ID: work-0002)`');
    const seen = recognise(forms, text, ['registration', 'dispatch'])!;
    expect(seen.kind).toBe('dispatch');
    expect(seen.reading.unfilled).toEqual([]);
    expect(assignmentOf(seen.reading)).toMatchObject({
      role: 'api',
      self: 'work-0002',
      leader: 'lead-0001',
      base: 'd48542a57d5f',
      integration: 'main',
      owned: ['src/api/billing.ts'],
      notOwned: ['src/ui/page.tsx'],
      verification: ['npm test'],
      collaborators: [],
      roster: [
        { role: 'leader', threadId: 'lead-0001' },
        { role: 'api', threadId: 'work-0002' },
        { role: 'ui', threadId: 'work-0003' },
      ],
    });
    expect(rowsOf(seen.reading, 'plan').map((r) => r.text)).toEqual(['Execute assigned task: edit src/api/billing.ts']);
  });
});

describe('reading a form, element by element', () => {
  const read = (template: string, text: string) => readForm(parseForm('state', 'x.md', 1, template), text);

  it('a field whose value has another shape gives it whole to its first hole; the rest are unfilled', () => {
    const r = read('Branch: <branch> at <base-commit>\n', 'Branch: codex/api\n');
    expect(r.values).toEqual({ branch: 'codex/api' });
    expect(r.holes).toEqual({ branch: 'codex/api', 'base-commit': '' });
    expect(r.unfilled).toEqual([{ line: 1, name: 'base-commit', slot: 'base-commit' }]);
    // A first hole that names no slot takes the value as a hole only.
    const odd = read('Thing: <zzz-qqq> at <branch>\n', 'Thing: something else\n');
    expect(odd.values).toEqual({});
    expect(odd.holes['zzz-qqq']).toBe('something else');
    // A literal first: still the first hole.
    expect(read('Branch: on <branch> at <base-commit>\n', 'Branch: main\n').values).toEqual({ branch: 'main' });
  });

  it('empty values and values still holding a hole are unfilled; a filled one is not', () => {
    const r = read('Branch: <branch>\nBase: <base-commit>\nRole: <role>\n', 'Branch:\nBase: <base-commit>\nRole: api\n');
    expect(r.unfilled.map((u) => u.name)).toEqual(['branch', 'base-commit']);
    expect(r.values).toEqual({ role: 'api', 'base-commit': '<base-commit>' });
  });

  it('a hole or slot met twice keeps its first non-empty value', () => {
    const r = read('Summary:\n<summary>\n\nMore:\n<summary>\n', 'Summary:\n\nMore:\nsecond\n');
    expect(r.holes.summary).toBe('second');
    expect(r.values.summary).toBe('second');
    const twice = read('Summary:\n<summary>\n\nMore:\n<summary>\n', 'Summary:\nfirst\n\nMore:\nsecond\n');
    expect(twice.holes.summary).toBe('first');
    expect(twice.values.summary).toBe('first');
  });

  it('a closing period or semicolon may be left out at the end of a line only', () => {
    expect(read('Worker <role>; <branch>\n', 'Worker api codex/api\n').values).toEqual({});
    expect(read('Worker <role>; <branch>\n', 'Worker api; codex/api\n').values).toEqual({ role: 'api', branch: 'codex/api' });
    expect(read('Worker <role> on <branch>.\n', 'Worker api on codex/api\n').values).toEqual({ role: 'api', branch: 'codex/api' });
  });

  it("two holes of one slot on a line: the first value is the slot's", () => {
    const r = read('Merged <branch> then <branch-name>\n', 'Merged codex/api then codex/ui\n');
    expect(r.values.branch).toBe('codex/api');
    expect(r.holes).toEqual({ branch: 'codex/api', 'branch-name': 'codex/ui' });
    // And so in a list's row, where a hole without a slot adds no value.
    const list = read('Merges:\n- <branch> then <branch-name> by <zzz-qqq>\n', 'Merges:\n- codex/api then codex/ui by me\n');
    expect(list.lists[0]!.rows[0]!.values).toEqual({ branch: 'codex/api' });
  });

  it('a value that is one hole keeps its Markdown; inside a sentence it is read as plain text', () => {
    expect(read('Summary: <summary>\n', 'Summary: see **this** now\n').values.summary).toBe('see **this** now');
    expect(read('Summary: see <summary> now\n', 'Summary: see **this** now\n').values.summary).toBe('this');
  });

  it('a blank field is read when filled and never reported unfilled', () => {
    const filled = read('Branch:\n\nEnd.\n', 'Branch: codex/api\n\nEnd.\n');
    expect(filled.values).toEqual({ branch: 'codex/api' });
    const left = read('Branch:\n\nEnd.\n', 'Branch:\n\nEnd.\n');
    expect(left.values).toEqual({});
    expect(left.unfilled).toEqual([]);
  });

  it("a field about the leader is kept as the leader's row", () => {
    expect(read('Leader: <thread-id>\n', 'Leader: lead-1\n').subjects.leader).toMatchObject({ values: { 'leader-thread-id': 'lead-1' } });
    expect(read('Worker: <thread-id>\n', 'Worker: w-1\n').subjects).toEqual({});
    // A value of another shape: its first hole takes it, and a hole without a slot gives no value.
    expect(read('Leader: <zzz-qqq> at <thread-id>\n', 'Leader: somewhere\n').subjects.leader!.values).toEqual({});
  });

  it('a block takes the lines up to the next anchor, trimmed of blank lines and indentation around them', () => {
    const r = read('Summary:\n<summary>\n\nNext: <next-action>\n', 'Summary:\n\n   first\n\n   second\n\nNext: merge\n');
    expect(r.values.summary).toBe('first\n\n   second');
    expect(r.values['next-action']).toBe('merge');
  });

  it('a body with nothing before it starts at the first line; a second body right after it has no lines of its own', () => {
    const alone = read('<summary>\n', 'one\ntwo\n');
    expect(alone.values.summary).toBe('one\ntwo');
    const two = read('Head\n<summary>\n<details>\n', 'Head\none\ntwo\n');
    expect(two.values.summary).toBe('one\ntwo');
    expect(two.holes.details).toBe('');
    // Even with no anchor found at all.
    expect(read('<summary>\n<details>\n', 'one\n').holes.details).toBe('');
  });

  it('a body after anchors starts after the last one found, the first element of the form included', () => {
    expect(read('Start here\n<summary>\n', 'Start here\nhello\n').values.summary).toBe('hello');
    // An anchor on the text's first line, between two bodies, starts the second body.
    expect(read('<summary>\nHead\n<details>\n', 'Head\nbody\n').holes).toEqual({ summary: '', details: 'body' });
    // An anchor the text lacks is passed over for the one before it.
    expect(read('Head\nMiddle line\n<summary>\n', 'Head\nstuff\n').values.summary).toBe('stuff');
  });

  it('a table is read from its header, at the first line too; without its header it has no rows', () => {
    const table = '| Role | Branch |\n| --- | --- |\n| <role> | <branch> |\n';
    const at0 = read(table, '| Role | Branch |\n|---|---|\n| api | codex/api |\n');
    expect(at0.lists[0]!.rows.map((r) => r.values)).toEqual([{ role: 'api', branch: 'codex/api' }]);
    const none = read(table, 'nothing here\n| api | codex/api |\n');
    expect(none.lists.flatMap((l) => l.rows)).toEqual([]);
  });

  it('a table anchors at its own header: not at a table that shares one column, nor at any row', () => {
    const table = '| Role | Branch |\n| --- | --- |\n| <role> | <branch> |\n';
    const r = read(table, '| Role | Note |\n|---|---|\n| x | y |\n\n| Role | Branch |\n|---|---|\n| api | codex/api |\n');
    expect(r.lists[0]!.rows.map((x) => x.values)).toEqual([{ role: 'api', branch: 'codex/api' }]);
  });

  // A label met twice is settled by the anchors around it (lines numbered from 0).
  const abc = 'Alpha: <a>\nBeta: <b>\nGamma: <c>\n';
  const lines = (at: Record<number, string>, n: number) => Array.from({ length: n }, (_, i) => at[i] ?? 'x').join('\n');
  it('a label met twice: the line between its neighbours, searched from the anchor just before it', () => {
    // Alpha at 1, Gamma at 9: Beta at 3 lies between (7 does too, but 3 comes first).
    expect(read(abc, lines({ 1: 'Alpha: 2', 3: 'Beta: 1', 7: 'Beta: 4', 9: 'Gamma: 3' }, 10)).holes.b).toBe('1');
    // The anchor just before Gamma is Beta, at line 0, though Alpha (further back) is at 5.
    expect(read(abc, lines({ 0: 'Beta: 1', 2: 'Gamma: 3', 5: 'Alpha: 2', 8: 'Gamma: 4' }, 9)).holes.c).toBe('3');
  });

  it('a label met twice, neither between its neighbours: the one nearest either neighbour, the first on a tie', () => {
    // Alpha at 5, Gamma at 6: Beta at 2 is 3 from Alpha, Beta at 8 is 2 from Gamma.
    expect(read(abc, lines({ 2: 'Beta: 1', 5: 'Alpha: 2', 6: 'Gamma: 3', 8: 'Beta: 4' }, 9)).holes.b).toBe('4');
    // Beta at 3 is 2 from Alpha, at 8 is 2 from Gamma: the first.
    expect(read(abc, lines({ 3: 'Beta: 1', 5: 'Alpha: 2', 6: 'Gamma: 3', 8: 'Beta: 4' }, 9)).holes.b).toBe('1');
  });

  it('a label that two anchors share goes to one of them only', () => {
    const r = read('Branch: <branch>\nRole: <role>\nBranch: <branch-name>\n', 'Role: api\nBranch: a\nBranch: b\n');
    expect(r.holes).toEqual({ branch: 'a', role: 'api', 'branch-name': 'b' });
  });

  it('only anchors that carry holes are reported missing, a line of holes by its trimmed text', () => {
    const r = read('Head\nMode: strict\nBranch: <branch>\n   Merged <branch> at <commit-sha>.  \n| Role | Branch |\n| --- | --- |\n', 'nothing\n');
    expect(r.missing.map((m) => m.what)).toEqual(['Branch', 'Merged <branch> at <commit-sha>.']);
  });

  it('a form without anchors scores 0, whatever the text', () => {
    expect(read('<summary>\n', 'anything\n').score).toBe(0);
    expect(read('Head\n<summary>\n', 'Head\nanything\n').score).toBe(1);
  });

  const roster = 'Roster:\n- Leader: <thread-id> on <branch>\n- Branch:\n- <role>: <thread-id>\n- <role>: <thread-id>\n';
  const rows = (r: ReturnType<typeof read>) => r.lists.flatMap((l) => l.rows.map((x) => [x.text, x.values]));

  it('a list: items trimmed, an indented line continues the item above it, other lines end it', () => {
    const r = read(roster, 'Roster:\n  indented before any item\n- api: t-1   \n    continues here  \nnot indented\n- ui: t-2\n');
    expect(rows(r)).toEqual([
      ['api: t-1\ncontinues here', { role: 'api', 'thread-id': 't-1 continues here' }],
      ['ui: t-2', { role: 'ui', 'thread-id': 't-2' }],
    ]);
    expect(r.extra).toBe('');
  });

  it("a list's fixed items: the leader's row kept even in another shape, a blank item left blank, a literal item and none passed over", () => {
    const r = read(roster, 'Roster:\n- Leader: lead-1\n- Branch:\n- (none)\n- None.\n- api: t-1\n');
    expect(r.subjects.leader).toEqual({ text: 'lead-1', values: { 'leader-thread-id': 'lead-1' }, holes: { 'thread-id': 'lead-1' } });
    expect(r.values).toEqual({ 'leader-thread-id': 'lead-1' });
    // Only the leader's own <branch> is reported unfilled, not the blank `Branch:` item.
    expect(r.unfilled.map((u) => u.slot)).toEqual(['integration-branch']);
    expect(rows(r)).toEqual([['api: t-1', { role: 'api', 'thread-id': 't-1' }]]);
    const literal = read('Workers:\n- see the roster below\n- <role>: <thread-id>\n- <role>: <thread-id>\n', 'Workers:\n- see the roster below\n- api: t-1\n');
    expect(rows(literal)).toEqual([['api: t-1', { role: 'api', 'thread-id': 't-1' }]]);
  });

  it('a table: columns as the text orders them; separators, empty rows, rows of holes and a repeated header passed over; a fixed row is its subject', () => {
    const table = '| Role | Branch |\n| --- | --- |\n| leader | <branch> |\n| <role> | <branch> |\n';
    const text =
      '| Branch | Role |\n| :--- | ---: |\n| main | leader |\n| codex/api | api |\n| — | — |\n| <branch> | <role> |\n| Branch | Role |\n| codex/ui | ui |\n';
    const r = read(table, text);
    expect(rows(r)).toEqual([
      ['| codex/api | api |', { role: 'api', branch: 'codex/api' }],
      ['| codex/ui | ui |', { role: 'ui', branch: 'codex/ui' }],
    ]);
    expect(r.subjects.leader).toEqual({ text: '| main | leader |', values: { 'integration-branch': 'main' }, holes: { branch: 'main' } });
    expect(r.values).toEqual({ 'integration-branch': 'main' });
  });

  it('a table of fixed rows only reads no others; two cells of one slot: the first is its value', () => {
    const fixedOnly = read(
      '| Role | Branch |\n| --- | --- |\n| leader | <branch> |\n',
      '| Role | Branch |\n|---|---|\n| leader | main |\n| api | codex/api |\n',
    );
    expect(rows(fixedOnly)).toEqual([]);
    const two = read(
      '| Role | Branch | Also |\n| --- | --- | --- |\n| <role> | <branch> | <branch-name> |\n',
      '| Role | Branch | Also |\n|---|---|---|\n| api | codex/api | other |\n',
    );
    expect(two.lists[0]!.rows[0]).toEqual({
      text: '| api | codex/api | other |',
      values: { role: 'api', branch: 'codex/api' },
      holes: { role: 'api', branch: 'codex/api', 'branch-name': 'other' },
    });
  });

  it('a hole is kept under its name, a slash in it included, in a row and in the form', () => {
    const r = read('Done:\n- <role>: <done/blocked>\n- <role>: <done/blocked>\n', 'Done:\n- api: done\n');
    expect(r.lists[0]!.rows[0]!.holes).toEqual({ role: 'api', 'done/blocked': 'done' });
    // A list of one item that is no collection gives its holes to the form.
    expect(read('Outcome:\n- <done/blocked> since <since>\n', 'Outcome:\n- done since noon\n').holes).toEqual({ 'done/blocked': 'done', since: 'noon' });
  });

  it('lines the form does not account for are its extra text, in order, the line just before an anchor too', () => {
    const r = read('Head\n<summary>\n', 'junk one\njunk two\nHead\nbody\n');
    expect(r.extra).toBe('junk one\njunk two');
    expect(r.values.summary).toBe('body');
  });
});

describe('a line past what the regex engine takes', () => {
  it('reads as nothing instead of crashing (found by the CLI fuzz test: an inflated template line)', async () => {
    const { piecesRe } = await import('../src/skill/line-match.ts');
    const pieces = Array.from({ length: 40_000 }, (_, i) => [
      { t: 'lit' as const, text: ' and ' },
      { t: 'hole' as const, name: `h${i}`, slot: null, options: null },
    ]).flat();
    const re = piecesRe(pieces);
    expect(re.test(' and x'.repeat(40_000))).toBe(false);
    // A line of ordinary size still compiles to a working regex.
    expect(piecesRe(pieces.slice(0, 8)).test(' and a and b and c and d')).toBe(true);
  });

  it('reads as nothing when the regex is made but is too large to compile (a thousand holes: V8 compiles at first use)', async () => {
    const { piecesRe } = await import('../src/skill/line-match.ts');
    const pieces = Array.from({ length: 1_000 }, (_, i) => [
      { t: 'lit' as const, text: ' From: leader (thread ID: ' },
      { t: 'hole' as const, name: `h${i}`, slot: null, options: null },
      { t: 'lit' as const, text: ')' },
    ]).flat();
    expect(() => piecesRe(pieces).test(' From: leader (thread ID: x)'.repeat(1_000))).not.toThrow();
    expect(piecesRe(pieces).test(' From: leader (thread ID: x)'.repeat(1_000))).toBe(false);
  });
});
