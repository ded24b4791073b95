// fillForm case by case on one small journal template: choices picked by value or first word,
// a blank field filled from its label's slot, a leader row kept fixed while the other rows
// repeat, slot aliases, empty collections written as `none`, and the one-line error for a
// hole without a value. The golden and property tests fill whole templates; these pin each
// rule on its own.

import { describe, expect, it } from 'vitest';
import { fillForm, formOf, RenderError, type FillValues } from '../src/skill/index.ts';
import { lazy } from './support/lazy.ts';

const TEMPLATE = [
  'Status: running/aborted',
  'Leader thread ID:',
  'Phase: <phase>',
  'Workers:',
  '| Role | Thread ID | Dispatch |',
  '| --- | --- | --- |',
  '| Leader | <leader-thread-id> | n/a |',
  '| <role> | <thread-id> | pending/received |',
  'Merges:',
  '1. <branch>',
  'Decisions:',
  '- <decision>',
].join('\n');
const form = lazy(() => formOf('state', 'refs/state.md', 10, TEMPLATE));
const BASE: FillValues = { phase: 'merge', 'leader-thread-id': 'lead-1', roster: [], merges: [], decisions: [] };
const lines = (values: FillValues, opts = {}) => fillForm(form(), { ...BASE, ...values }, opts).split('\n');

describe('fillForm', () => {
  it('a whole journal: rows repeat under the fixed leader row (a leader given as a row is not repeated), aliases fill ids', () => {
    const text = fillForm(form(), {
      status: 'Aborted: user asked',
      phase: 'merge',
      'leader-thread-id': 'lead-1',
      roster: [
        { role: 'Leader', 'thread-id': 'lead-1' },
        { role: 'api', 'worker-thread-id': 'w-1' },
        { role: 'db', 'thread-id': 'w-2', 'pending/received': 'received' },
      ],
      merges: [{ branch: 'codex/api' }, { branch: 'codex/db' }],
      decisions: 'one\n- two',
    });
    expect(text).toBe(
      [
        'Status: aborted',
        'Leader thread ID: lead-1',
        'Phase: merge',
        'Workers:',
        '| Role | Thread ID | Dispatch |',
        '| --- | --- | --- |',
        '| Leader | lead-1 | n/a |',
        '| api | w-1 | pending |',
        '| db | w-2 | received |',
        'Merges:',
        '1. codex/api',
        '2. codex/db',
        'Decisions:',
        '- one',
        '- two',
      ].join('\n'),
    );
  });

  it("empty collections say none, in the list's own style; an empty table keeps its fixed rows", () => {
    expect(lines({ status: 'running' })).toEqual([
      'Status: running',
      'Leader thread ID: lead-1',
      'Phase: merge',
      'Workers:',
      '| Role | Thread ID | Dispatch |',
      '| --- | --- | --- |',
      '| Leader | lead-1 | n/a |',
      'Merges:',
      '1. none',
      'Decisions:',
      '- none',
    ]);
  });

  it('a choice: the value, its first word, any case; else what choose returns, written as it is; else the first option', () => {
    expect(lines({ status: 'ABORTED' })[0]).toBe('Status: aborted');
    expect(lines({ status: 'running — all well' })[0]).toBe('Status: running');
    const seen: unknown[] = [];
    const chosen = lines(
      { status: 'paused' },
      {
        choose: (options: string[], ctx: { name: string; value?: string }) => {
          seen.push([options, ctx.name, ctx.value]);
          return 'halted';
        },
      },
    );
    expect(chosen[0]).toBe('Status: halted');
    expect(seen).toEqual([[['running', 'aborted'], 'running/aborted', 'paused']]);
    expect(lines({ status: 'paused' }, { choose: () => undefined })[0]).toBe('Status: running');
    expect(lines({ status: 'paused' })[0]).toBe('Status: running');
    expect(lines({})[0]).toBe('Status: running');
  });

  it('a blank field stays blank without a value for its slot', () => {
    expect(lines({ 'leader-thread-id': undefined, roster: [] }, { free: () => 'x' })[1]).toBe('Leader thread ID:');
  });

  it('a hole without a value is one line naming the template file, the line and the slot; free fills it instead', () => {
    expect(() => fillForm(form(), { status: 'running' })).toThrow(new RenderError('refs/state.md:12: no value for hole <phase> (slot phase)'));
    expect(() => fillForm(form(), { ...BASE, merges: ['a'] })).toThrow(new RenderError('refs/state.md:19: no value for hole <branch> (slot branch)'));
    const free = lines({ phase: undefined }, { free: (h: { name: string; slot: string | null; label: string | null }) => `${h.name}/${h.slot}/${h.label}` });
    expect(free[2]).toBe('Phase: phase/phase/Phase');
  });

  it('an inline hole given several lines writes them on one line', () => {
    expect(lines({ phase: '- merge\n- review' })[2]).toBe('Phase: merge; review');
  });
});

// A report-like form with what the journal above lacks: slot aliases for single holes, a
// free-text hole inside a repeated item and a fixed leader item in a list. (Its last line is
// a literal element; lines after the last element are the edge case below.)
const REPORT = [
  'Report for <role>',
  'Commit: <commit-sha>',
  'Verification: <verification-results>',
  'Worker thread: <worker-thread-id>',
  'Team:',
  '- Leader: <leader-thread-id>',
  '- <role>: <thread-id> (<note>)',
  '',
  'Trailing text stays.',
].join('\n');
const report = lazy(() => formOf('report', 'refs/report.md', 5, REPORT));
const TEAM = lazy(() =>
  formOf('state', 'refs/team.md', 1, ['Team:', '- <role>: <thread-id>', '', '| Role | Thread ID |', '| --- | --- |', '| <role> | <thread-id> |'].join('\n')),
);
const REPORT_BASE: FillValues = { role: 'api', 'commit-sha': 'abc', 'verification-commands': 'npm test', 'thread-id': 'w-9', 'leader-thread-id': 'lead-1' };

describe('fillForm, rows and aliases', () => {
  it('a leader row is any spelling of the leader, whole word; other rows repeat; a row without a value falls back to the top level', () => {
    const seen: unknown[] = [];
    const text = fillForm(
      report(),
      {
        ...REPORT_BASE,
        roster: [
          { role: 'The  Leader', 'thread-id': 'l' },
          { role: 'the\tcoordinator' },
          { role: 'leadership', 'worker-thread-id': 'w-2', note: 'n2' },
          { role: 'xleader', 'thread-id': 'w-3', note: 'n3' },
          { role: 'db' },
        ],
      },
      {
        free: (h) => {
          seen.push(h);
          return `free ${h.name}`;
        },
      },
    );
    expect(text.split('\n')).toEqual([
      'Report for api',
      'Commit: abc',
      'Verification: npm test',
      'Worker thread: w-9',
      'Team:',
      '- Leader: lead-1',
      '- leadership: w-2 (n2)',
      '- xleader: w-3 (n3)',
      '- db: w-9 (free note)',
      '',
      'Trailing text stays.',
    ]);
    expect(seen).toEqual([{ name: 'note', slot: null, label: 'Team', row: { role: 'db' } }]);
  });

  it('without a leader item or row, a leader in the roster is a row like any other', () => {
    const text = fillForm(TEAM(), {
      roster: [
        { role: 'Leader', 'thread-id': 'lead-1' },
        { role: 'api', 'thread-id': 'w-1' },
      ],
    });
    expect(text.split('\n')).toEqual([
      'Team:',
      '- Leader: lead-1',
      '- api: w-1',
      '',
      '| Role | Thread ID |',
      '| --- | --- |',
      '| Leader | lead-1 |',
      '| api | w-1 |',
    ]);
  });

  it('a free-text hole without a value names no slot in its error', () => {
    expect(() => fillForm(report(), { ...REPORT_BASE, roster: [{ role: 'db' }] })).toThrow(new RenderError('refs/report.md:10: no value for hole <note>'));
  });

  it('a scalar hole given a list writes its items on one line; an empty list is none; one line is kept as written', () => {
    const phase = (v: FillValues[string]) => lines({ phase: v })[2];
    expect(phase(['merge', 'review'])).toBe('Phase: merge; review');
    expect(phase([{ text: 'merge' }, { text: 'review' }])).toBe('Phase: merge; review');
    expect(phase([])).toBe('Phase: none');
    expect(phase('- merge')).toBe('Phase: - merge');
  });

  it('a choice reads the trimmed value and its first word only at the start', () => {
    expect(lines({ status: ' aborted ' })[0]).toBe('Status: aborted');
    expect(lines({ status: ' aborted: the user asked' })[0]).toBe('Status: aborted');
    expect(lines({ status: '(aborted)' })[0]).toBe('Status: running');
    expect(lines({ status: '— nothing' })[0]).toBe('Status: running');
  });
});

describe('fillForm, edges', () => {
  it('an option of two words is matched by the whole trimmed value; blank lines after the last element stay', () => {
    const form = formOf('state', 'refs/x.md', 1, 'Status: done/not started\nPhase: <phase>\n\n');
    expect(fillForm(form, { status: ' not started ', phase: 'p' })).toBe('Status: not started\nPhase: p\n\n');
  });
});

describe('fillForm, rule by rule', () => {
  const fill = (text: string, values: FillValues, opts = {}) => fillForm(formOf('state', 'refs/x.md', 1, text), values, opts).split('\n');
  const WORKERS = (fixedRow: string) => ['| Role | Thread ID |', '| --- | --- |', fixedRow, '| <role> | <thread-id> |'].join('\n');
  const ROSTER = [
    { role: 'Leader', 'thread-id': 'lead-1' },
    { role: 'api', 'thread-id': 'w-1' },
  ];

  it('an enumeration hole picks an option by the first word of its value, or the first option; it never writes the value', () => {
    expect(fill('Tests pass: <yes/no>', { 'yes/no': 'No, two fail' })).toEqual(['Tests pass: no']);
    expect(fill('Tests pass: <yes/no>', {})).toEqual(['Tests pass: yes']);
  });

  it('a choice compares the whole trimmed value too, not only its leading ASCII word', () => {
    // The Kelvin sign lower-cases to `k` but is no \w character: only the trimmed whole value reaches `blocked`.
    expect(fill('Status: running/blocked', { status: ' bloc\u212Aed ' })).toEqual(['Status: blocked']);
  });

  it('a choice in a repeated table row hands the row to choose', () => {
    const seen: unknown[] = [];
    const out = fill(
      '| Role | Dispatch |\n| --- | --- |\n| <role> | pending/received |',
      { roster: [{ role: 'api', status: 'late' }] },
      {
        choose: (_options: string[], ctx: unknown) => {
          seen.push(ctx);
          return 'pending';
        },
      },
    );
    expect(out.at(-1)).toBe('| api | pending |');
    expect(seen).toEqual([{ name: 'pending/received', slot: 'status', label: 'Dispatch', row: { role: 'api', status: 'late' }, value: 'late' }]);
  });

  it('a free-text table cell is told its column header', () => {
    const labels: unknown[] = [];
    const free = (h: { label: string | null }) => {
      labels.push(h.label);
      return 'n';
    };
    expect(fill('| Role | Note |\n| --- | --- |\n| <role> | <note> |', { roster: [{ role: 'api' }] }, { free }).at(-1)).toBe('| api | n |');
    expect(labels).toEqual(['Note']);
  });

  it("a blank labelled list item is filled from its label's slot, else from a value named by the label, else stays blank", () => {
    const TEAM = 'Team:\n- Leader thread ID:\n- <role>: <thread-id>';
    const roster = [{ role: 'api', 'thread-id': 'w-1' }];
    expect(fill(TEAM, { 'leader-thread-id': 'lead-1', roster })).toEqual(['Team:', '- Leader thread ID: lead-1', '- api: w-1']);
    expect(fill(TEAM, { 'Leader thread ID': 'lead-2', roster })).toEqual(['Team:', '- Leader thread ID: lead-2', '- api: w-1']);
    // Blank means the head as written, with no space after the colon.
    expect(fill(TEAM, { roster })).toEqual(['Team:', '- Leader thread ID:', '- api: w-1']);
  });

  it('a list that is no collection writes its one item once, from the top-level values', () => {
    // Two slotless holes and a section whose slot is no collection: one item, not one per row.
    expect(fill('Notes:\n- <first thing> then <second thing>', { 'first thing': 'a', 'second thing': 'b' })).toEqual(['Notes:', '- a then b']);
  });

  it('a collection given no value at all says none, as an empty one does', () => {
    expect(fill('Decisions:\n- <decision>', {})).toEqual(['Decisions:', '- none']);
  });

  it("a collection given a list of lines writes one item per line, each line filling the item's hole", () => {
    expect(fill('Decisions:\n- <decision>', { decisions: ['one', 'two'] })).toEqual(['Decisions:', '- one', '- two']);
  });

  it('a block hole given rows writes each row text as an item; a row without text is an empty item', () => {
    expect(fill('Notes:\n<notes>\nEnd.', { notes: [{ text: 'a' }, { role: 'x' }] })).toEqual(['Notes:', '- a', '- ', 'End.']);
  });

  it('a fixed item or row that is not about the leader does not drop the leader from the repeated rows', () => {
    expect(fill('Team:\n- Model: gpt\n- <role>: <thread-id>', { roster: ROSTER })).toEqual(['Team:', '- Model: gpt', '- Leader: lead-1', '- api: w-1']);
    expect(fill(WORKERS('| Model | gpt |'), { roster: ROSTER }).slice(2)).toEqual(['| Model | gpt |', '| Leader | lead-1 |', '| api | w-1 |']);
  });
});
