// Form reader edge cases, pinned.
//
// Mutation testing of `src/skill/form-read.ts` left mutants alive where the real skills'
// templates never reach: a closing `.`/`;` in the middle of a pattern, a body right after an
// anchor on the text's first line, a list mixing repeated items with fixed, blank and literal
// items, a non-collection list with no item, table rows with dashes, missing cells, extra
// template cells and a cell that repeats its header, the anchor kinds `locateAnchors` reports,
// and the reading memo. Each case asserts a whole value, so a mutant that changes what the code
// does fails a test. The expectations are what the code does today.

import { describe, expect, it } from 'vitest';
import { parseForm } from '../src/skill/form.ts';
import { locateAnchors, readForm, textToLines } from '../src/skill/form-read.ts';

const form = (kind: 'report' | 'dispatch', ...lines: string[]) => parseForm(kind, 'x.md', 1, lines.join('\n'));
const text = (...lines: string[]) => lines.join('\n');

describe('patterns', () => {
  it('a `;` closing a literal between two holes is required; only the last literal may drop it', () => {
    const f = form('report', 'Report', 'Merged <branch>; <next>', 'Done');
    expect(readForm(f, text('Report', 'Merged a; b', 'Done')).holes).toEqual({ branch: 'a', next: 'b' });
    const r = readForm(f, text('Report', 'Merged a b', 'Done'));
    expect({ holes: r.holes, missing: r.missing }).toEqual({ holes: {}, missing: [{ line: 2, what: 'Merged <branch>; <next>' }] });
  });
});

describe('bodies', () => {
  it('a body after an anchor on the first line of the text reads the lines after it', () => {
    const f = form('report', '<summary>', '## Notes', '<notes>');
    expect(f.elements.map((e) => e.kind)).toEqual(['block', 'literal', 'block']);
    const r = readForm(f, text('## Notes', 'some notes'));
    expect({ holes: r.holes, extra: r.extra }).toEqual({ holes: { summary: '', notes: 'some notes' }, extra: '' });
  });
});

describe('lists with fixed items', () => {
  const roster = () =>
    form('dispatch', 'Workers:', '- <role>: <task>', '- Leader: <leader-thread-id>', '- Model: <model>', '- Last heartbeat:', '- Run the tests.');

  it('reads repeated items, fixed labelled items, a blank labelled item and skips the literal one and "none"', () => {
    const r = readForm(
      roster(),
      text(
        'Workers:',
        '- api: build it',
        ' more',
        '- Leader: t-1',
        '- Model: gpt-5',
        '- Last heartbeat: 12:00',
        '- Run the tests.',
        '- (None).',
        '- Model',
        '- none yet',
        '- see none',
        '- no colon',
      ),
    );
    expect(r).toEqual({
      score: 1,
      anchors: 1,
      found: 1,
      values: { 'leader-thread-id': 't-1', model: 'gpt-5', 'last-wake': '12:00' },
      holes: { 'leader-thread-id': 't-1', model: 'gpt-5', 'Last heartbeat': '12:00' },
      lists: [
        {
          slot: 'roster',
          label: 'Workers',
          rows: [
            { text: 'api: build it\nmore', values: { role: 'api', task: 'build it more' }, holes: { role: 'api', task: 'build it more' } },
            { text: 'Model', values: {}, holes: {} },
            { text: 'none yet', values: {}, holes: {} },
            { text: 'see none', values: {}, holes: {} },
            { text: 'no colon', values: {}, holes: {} },
          ],
        },
      ],
      subjects: { leader: { text: 't-1', values: { 'leader-thread-id': 't-1' }, holes: { 'leader-thread-id': 't-1' } } },
      missing: [],
      unfilled: [],
      extra: '',
    });
  });

  it('a blank fixed item about the leader is its subject, with the text after its label', () => {
    const f = form('dispatch', 'Workers:', '- <role>: <task>', '- Leader:');
    const r = readForm(f, text('Workers:', '- Leader: t-9'));
    expect({ subjects: r.subjects, lists: r.lists, values: r.values }).toEqual({
      subjects: { leader: { text: 't-9', values: {}, holes: {} } },
      lists: [{ slot: 'roster', label: 'Workers', rows: [] }],
      values: {},
    });
  });

  it('a list that is not a collection takes its first item, and no item leaves it unread', () => {
    const f = form('report', 'Report', '- <thing> at <place>');
    expect(f.elements[1]).toMatchObject({ kind: 'list', collection: false });
    expect(readForm(f, text('Report', '- x at y', '- u at v')).holes).toEqual({ thing: 'x', place: 'y' });
    const r = readForm(f, 'Report');
    expect({ holes: r.holes, lists: r.lists, unfilled: r.unfilled }).toEqual({ holes: {}, lists: [], unfilled: [] });
  });
});

describe('tables', () => {
  it('reads rows by their cells: dashes, holes, repeated headers skipped; missing and extra cells empty', () => {
    const f = form(
      'report',
      'Workers',
      '',
      '| Role | Work | Status |',
      '|---|---|---|',
      '| Leader | <branch> | <status> |',
      '| <role> | <branch> at <sha> | <status> | <note> | <cause> by <who> |',
    );
    const r = readForm(
      f,
      text(
        'Workers',
        '| Role | Work | Status |',
        '|---|---|---|',
        '| Leader | main | ok |',
        '| api | feat at abc | done |',
        '| Role | Work | Status |',
        '| db | main | — |',
        '|  |  |  |',
        '| — | <branch> | — |',
        '| web |',
        '  | ops | x at y | Status |',
      ),
    );
    const empty = { note: '', cause: '' };
    expect(r.lists).toEqual([
      {
        slot: 'roster',
        label: null,
        rows: [
          {
            text: '| api | feat at abc | done |',
            values: { role: 'api', branch: 'feat', 'commit-sha': 'abc', status: 'done', reason: '' },
            holes: { role: 'api', branch: 'feat', sha: 'abc', status: 'done', ...empty },
          },
          {
            text: '| db | main | — |',
            values: { role: 'db', branch: 'main', status: '—', reason: '' },
            holes: { role: 'db', branch: 'main', status: '—', ...empty },
          },
          {
            text: '| web |',
            values: { role: 'web', branch: '', status: '', reason: '' },
            holes: { role: 'web', branch: '', status: '', ...empty },
          },
          {
            text: '| ops | x at y | Status |',
            values: { role: 'ops', branch: 'x', 'commit-sha': 'y', status: 'Status', reason: '' },
            holes: { role: 'ops', branch: 'x', sha: 'y', status: 'Status', ...empty },
          },
        ],
      },
    ]);
    expect(r.subjects).toEqual({
      leader: { text: '| Leader | main | ok |', values: { 'integration-branch': 'main', status: 'ok' }, holes: { branch: 'main', status: 'ok' } },
    });
  });
});

describe('an anchor with several candidate lines (a label written twice)', () => {
  const f = (...lines: string[]) => form('dispatch', ...lines);
  it('takes the line after the nearest anchor settled before it, not after an earlier one', () => {
    const r = readForm(f('Alpha: <task>', 'Beta: <branch>', 'Gamma: <role>'), text('Alpha: a', 'Gamma: x', 'Beta: b', 'Gamma: y'));
    expect(r.holes).toEqual({ task: 'a', branch: 'b', role: 'y' });
  });
  it('bounds the window by the nearest anchor settled after it: none inside, so the nearest line', () => {
    const r = readForm(
      f('Alpha: <task>', 'Gamma: <role>', 'Beta: <branch>', 'Delta: <model>'),
      text('Gamma: x', 'Alpha: a', 'Beta: b', 'filler', 'Gamma: y', 'Delta: d'),
    );
    expect(r.holes).toEqual({ task: 'a', role: 'x', branch: 'b', model: 'd' });
  });
  it('prefers a line between its neighbours to a nearer one outside them', () => {
    const r = readForm(
      f('Alpha: <task>', 'Gamma: <role>', 'Beta: <branch>'),
      text('Alpha: a', '1', '2', '3', '4', 'Gamma: x', '6', '7', '8', '9', 'Beta: b', 'Gamma: y'),
    );
    expect(r.holes).toEqual({ task: 'a', role: 'x', branch: 'b' });
  });
  it('with no anchor settled after it and every line before its neighbour, takes the nearest one', () => {
    const r = readForm(f('Alpha: <task>', 'Gamma: <role>'), text('Gamma: x', 'Gamma: y', 'Alpha: a'));
    expect(r.holes).toEqual({ task: 'a', role: 'y' });
  });
});

describe('a literal of no words', () => {
  it('markup alone (a code span of a space) is never found, not even on a blank line', () => {
    const f = form('report', 'Report', '` `', '<summary>');
    expect(f.elements.map((e) => (e.kind === 'literal' ? e.key : e.kind))).toEqual(['report', '', 'block']);
    const r = readForm(f, text('Report', '', 'all done'));
    expect({ found: r.found, anchors: r.anchors, holes: r.holes }).toEqual({ found: 1, anchors: 2, holes: { summary: 'all done' } });
  });
});

describe('locateAnchors', () => {
  it('tells labelled fields from other anchors', () => {
    const f = form('dispatch', 'Task: <task>', 'Base commit: <base-commit>', 'Go');
    expect([...locateAnchors(f, text('Task: x', 'Base commit: y', 'Go'))]).toEqual([
      [0, 'field'],
      [1, 'field'],
      [2, 'other'],
    ]);
  });
});

describe('the reading memo', () => {
  it('a text read twice with one form is read once; lines are read afresh each time', () => {
    const f = form('dispatch', 'Task: <task>', 'Go');
    const t = text('Task: x', 'Go');
    const first = readForm(f, t);
    expect(first.holes).toEqual({ task: 'x' });
    expect(readForm(f, t)).toBe(first);
    expect(readForm(f, text('Task: y', 'Go')).holes).toEqual({ task: 'y' });
    expect(readForm(f, t)).toBe(first);
    const lines = textToLines(t);
    const a = readForm(f, lines);
    expect(a).toEqual(first);
    expect(a).not.toBe(first);
    expect(readForm(f, lines)).not.toBe(a);
  });
});
