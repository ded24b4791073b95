// Form parsing edge cases, pinned.
//
// Mutation testing of `src/skill/form.ts` left mutants alive: the real skills the other suites
// read never hit these shapes (a list with no section label above it, a wrapped list item, a
// blank line of spaces, a table row with an empty first cell, two repeated items that differ
// only in a hole's name, a scalar given twice). Each case asserts a whole value, so a mutant
// that changes what the parser does fails a test. The expectations are what the code does today.

import { describe, expect, it } from 'vitest';
import { type Form, type FormElement, formOf, formPieces, formSchema, formSlots, parseForm, tokenize } from '../src/skill/form.ts';

const form = (text: string): Form => parseForm('state', 'x.md', 1, text);
const elements = (text: string): FormElement[] => form(text).elements;
const only = (text: string): FormElement => {
  const els = elements(text);
  expect(els).toHaveLength(1);
  return els[0]!;
};
const listOf = (text: string) => {
  const el = only(text);
  if (el.kind !== 'list') throw new Error(`not a list: ${el.kind}`);
  return el;
};
const tableOf = (text: string) => {
  const el = only(text);
  if (el.kind !== 'table') throw new Error(`not a table: ${el.kind}`);
  return el;
};
const hole = (name: string, slot: string | null) => ({ t: 'hole', name, slot, options: null });
const lit = (text: string) => ({ t: 'lit', text });
const choice = (options: string[], slot: string | null) => ({ t: 'choice', options, slot });

describe('tokenizing a value', () => {
  it('a label names the hole only when the hole is the whole value', () => {
    expect(tokenize('<zzz-qqq>', 'state', 'Branch')).toStrictEqual([hole('zzz-qqq', 'branch')]);
    expect(tokenize('on <zzz-qqq>', 'state', 'Branch')).toStrictEqual([lit('on '), hole('zzz-qqq', null)]);
    expect(tokenize('<zzz-qqq> <yyy>', 'state', 'Branch')).toStrictEqual([hole('zzz-qqq', null), lit(' '), hole('yyy', null)]);
  });

  it('a code span before an enumeration is kept as written, and the choice found where it is', () => {
    expect(tokenize('`x` ab/cd', 'state', null, true)).toStrictEqual([lit('`x` '), choice(['ab', 'cd'], null)]);
    expect(tokenize('ok done/failed now', 'state', null, true)).toStrictEqual([lit('ok '), choice(['done', 'failed'], null), lit(' now')]);
  });

  it.each([
    ['not-started/x-y', 'startup'],
    ['started/replaced', 'startup'],
    ['started/x-y', null],
    ['replaced/x-y', null],
    ['dispatched/x-y', 'status'],
    ['integrated/x-y', 'status'],
    ['received/x-y', 'status'],
    ['x-y/z-w', null],
  ])('an unlabelled choice of %s is about %s', (text, slot) => {
    expect(tokenize(text, 'state', null, true)).toStrictEqual([choice(text.split('/'), slot)]);
  });
});

describe('parsing a table', () => {
  it("a leader row renames its holes' slots only: a choice under the Branch column keeps the column's slot", () => {
    const t = tableOf('| Who | Branch | Role |\n|---|---|---|\n| Leader | ab/cd | <role> |');
    expect(t.rows).toStrictEqual([
      { fixed: { key: 'leader', cells: [[lit('Leader')], [choice(['ab', 'cd'], 'branch')], [hole('role', 'role')]], subject: 'leader' } },
    ]);
  });

  it("a cell's hole is named by its column when it is the whole cell", () => {
    const t = tableOf('| Who | Branch |\n|---|---|\n| <role> | <zzz-qqq> |');
    expect(t.rows).toStrictEqual([{ repeat: [[hole('role', 'role')], [hole('zzz-qqq', 'branch')]] }]);
  });

  it('a row with an empty first cell is a repeated row, not a fixed one', () => {
    const t = tableOf('| Who | Sha |\n| --- | --- |\n|  | <commit-sha> |');
    expect(t.rows).toStrictEqual([{ repeat: [[], [hole('commit-sha', 'commit-sha')]] }]);
  });

  it('with no section label above it, a table with a repeated row among fixed ones is the roster', () => {
    const t = tableOf('| Who | Id |\n|---|---|\n| Leader | <thread-id> |\n| <role> | <thread-id> |');
    expect(t.slot).toBe('roster');
    expect(tableOf('| Who | Id |\n|---|---|\n| Leader | <thread-id> |').slot).toBeNull();
  });

  it('a separator row under a line that is no table row starts no table', () => {
    expect(elements('Title\n|---|---|\n')).toStrictEqual([
      { kind: 'literal', from: 0, to: 0, line: 1, text: 'Title', key: 'title', sectionLabel: false },
      { kind: 'literal', from: 1, to: 1, line: 2, text: '|---|---|', key: '|---|---|', sectionLabel: false },
    ]);
  });
});

describe('parsing lines and blank lines', () => {
  it('a line of spaces is blank: the section label above it still names the list below', () => {
    expect(elements('Steps:\n   \n- <step>')).toStrictEqual([
      { kind: 'literal', from: 0, to: 0, line: 1, text: 'Steps:', key: 'steps', sectionLabel: true },
      {
        kind: 'list',
        from: 2,
        to: 2,
        line: 3,
        label: 'Steps',
        slot: 'plan',
        collection: true,
        ordered: false,
        marker: '-',
        layout: ['repeat'],
        repeats: [[hole('step', 'plan')]],
      },
    ]);
  });

  it('a literal line is kept trimmed', () => {
    expect(only('Some text   ')).toStrictEqual({ kind: 'literal', from: 0, to: 0, line: 1, text: 'Some text', key: 'some text', sectionLabel: false });
  });

  it('a blank field at the end of the template, only blank lines after it, is a field', () => {
    expect(elements('Branch:\n\n')).toStrictEqual([
      { kind: 'field', from: 0, to: 0, line: 1, label: 'Branch', key: 'branch', head: 'Branch:', value: [], subject: null, blankSlot: 'branch' },
    ]);
  });

  it.each([
    ['an empty line', 'Branch:\n\n<zzz>'],
    ['a line of spaces', 'Branch:\n   \n<zzz>'],
  ])('a label with a hole alone below it, %s between, is a section title over a block', (_, text) => {
    expect(elements(text)).toStrictEqual([
      { kind: 'literal', from: 0, to: 0, line: 1, text: 'Branch:', key: 'branch', sectionLabel: true },
      { kind: 'block', from: 2, to: 2, line: 3, hole: hole('zzz', 'branch'), label: 'Branch' },
    ]);
  });

  it('a blank labelled item followed by its next sibling is a blank field', () => {
    expect(elements('- Branch:\n- Notes: see docs')).toStrictEqual([
      { kind: 'field', from: 0, to: 0, line: 1, label: 'Branch', key: 'branch', head: '- Branch:', value: [], subject: null, blankSlot: 'branch' },
      { kind: 'literal', from: 1, to: 1, line: 2, text: '- Notes: see docs', key: 'notes: see docs', sectionLabel: false },
    ]);
  });
});

describe('parsing a list', () => {
  it('a deeper line, a wrapped sentence or a nested item, belongs to the item above it', () => {
    const wrapped = listOf('- <role>: x\n  wrapped\n- <role>: y');
    expect(wrapped).toMatchObject({ from: 0, to: 2, layout: ['repeat'] });
    expect(wrapped.repeats).toStrictEqual([
      [hole('role', 'role'), lit(': x')],
      [hole('role', 'role'), lit(': y')],
    ]);
    const nested = listOf('- <role>: x\n  - <zzz>');
    expect(nested).toMatchObject({ from: 0, to: 1, layout: ['repeat'] });
    expect(nested.repeats).toStrictEqual([[hole('role', 'role'), lit(': x')]]);
  });

  it('a line no deeper than the list ends it', () => {
    expect(elements('- <role>: x\nAfter\n  - <role>: y').map((e) => [e.kind, e.from, e.to])).toEqual([
      ['list', 0, 0],
      ['literal', 1, 1],
      ['list', 2, 2],
    ]);
  });

  it('a line of spaces ends a list: the items after it are a list of their own', () => {
    expect(elements('- <role>: x\n    \n- <role>: y').map((e) => [e.kind, e.from, e.to])).toEqual([
      ['list', 0, 0],
      ['list', 2, 2],
    ]);
  });

  it('items with no hole or choice at their start are lines of their own, each after its marker', () => {
    expect(elements('- Merged <zzz> today\n1. Done')).toStrictEqual([
      { kind: 'pattern', from: 0, to: 0, line: 1, prefix: '- ', pieces: [lit('Merged '), hole('zzz', null), lit(' today')] },
      { kind: 'literal', from: 1, to: 1, line: 2, text: '1. Done', key: 'done', sectionLabel: false },
    ]);
  });

  it('an item that starts with a choice is a repeated item; its choice is no slot of the list', () => {
    expect(listOf('- dispatched/received')).toMatchObject({ slot: null, collection: true, repeats: [[choice(['dispatched', 'received'], 'status')]] });
  });

  it("with no section label, a list of one repeated item with one hole is that hole's collection", () => {
    expect(listOf('- <commit-sha>')).toMatchObject({ slot: 'commit-sha', collection: true });
    expect(listOf('- <commit-sha> merged')).toMatchObject({ slot: 'commit-sha', collection: true });
    expect(listOf('- <commit-sha>\n- <zzz> and <yyy>')).toMatchObject({ slot: null, collection: true });
  });

  it('a list of two items of one shape is a collection, though its holes name no key', () => {
    const l = listOf('- <zzz> and <yyy>\n- <zzz> and <yyy>');
    expect(l).toMatchObject({ slot: null, collection: true, layout: ['repeat'] });
    expect(l.repeats).toHaveLength(1);
  });

  it.each([
    ['holes of different names', 2, '- <zzz> x\n- <yyy> x'],
    ['a hole and a choice', 2, '- <zzz> x\n- ab/cd x'],
    ['choices of different options', 2, '- <zzz> ab/cde\n- <zzz> abc/de'],
    ['holes named for workers a and b', 1, '- <thing-a-x> done\n- <thing-b-x> done'],
    ['a hole named for worker a and one for none', 1, '- <thing-a-x> done\n- <thing-x> done'],
    ['holes of one slot', 1, '- <commit-sha> x\n- <sha> x'],
  ])('two repeated items with %s are %i pattern(s), placed once', (_, n, text) => {
    const l = listOf(text);
    expect(l.repeats).toHaveLength(n);
    expect(l.layout).toEqual(['repeat']);
  });

  it('fixed items in a list with repeated ones: labelled values, choices, blanks and unlabelled text', () => {
    const l = listOf(
      ['- <role>: <zzz>', '- Leader: <thread-id> ok/fail', '- State: pending/done', '- Note: see ab/cd <yyy>', '- Keep going  ', '- Last heartbeat:'].join(
        '\n',
      ),
    );
    expect(l.layout).toStrictEqual([
      'repeat',
      {
        fixed: {
          label: 'Leader',
          key: 'leader',
          head: '- Leader:',
          value: [hole('thread-id', 'leader-thread-id'), lit(' '), choice(['ok', 'fail'], null)],
          offset: 1,
          subject: 'leader',
          blankSlot: null,
        },
      },
      { fixed: { label: 'State', key: 'state', head: '- State:', value: [choice(['pending', 'done'], 'status')], offset: 2, subject: null, blankSlot: null } },
      { fixed: { label: 'Note', key: 'note', head: '- Note:', value: [lit('see ab/cd '), hole('yyy', null)], offset: 3, subject: null, blankSlot: null } },
      { fixed: { label: null, key: 'keep going', head: '-', value: [lit('Keep going  ')], offset: 4, subject: null, blankSlot: null } },
      { fixed: { label: 'Last heartbeat', key: 'last heartbeat', head: '- Last heartbeat:', value: [], offset: 5, subject: null, blankSlot: 'last-wake' } },
    ]);
  });
});

/** The pieces of a state form read from `text` (starting at line 10), with the line of each. */
const piecesAt = (text: string) => formPieces(parseForm('state', 'x.md', 10, text)).map(({ piece, line }) => [piece.t, line]);

describe("a form's pieces, slots and schema", () => {
  it("a list's fixed items are each on its own line, wherever the repeated items come", () => {
    expect(piecesAt('- <role>: <zzz>\n- Leader: <thread-id>\n- State: pending/done')).toEqual([
      ['hole', 11],
      ['choice', 12],
      ['hole', 10],
      ['lit', 10],
      ['hole', 10],
    ]);
  });

  it("a list's fixed item counts its line from the list's first, not the form's, when the list comes after other lines", () => {
    expect(piecesAt('Status: <status>\n- <role>: <zzz>\n- Leader: <thread-id>')).toEqual([
      ['hole', 10],
      ['hole', 12],
      ['hole', 11],
      ['lit', 11],
      ['hole', 11],
    ]);
  });

  it("a list's fixed items are on their own lines, one after another from the list's first", () => {
    expect(piecesAt('- Leader: <thread-id>\n- State: pending/done\n- <role>: <zzz>')).toEqual([
      ['hole', 10],
      ['choice', 11],
      ['hole', 10],
      ['lit', 10],
      ['hole', 10],
    ]);
  });

  it('a template text is parsed once: the same form comes back', () => {
    const text = '- <role>: <zzz>\nBranch: <branch>';
    expect(formOf('state', 'x.md', 3, text)).toBe(formOf('state', 'x.md', 3, text));
    expect(formOf('state', 'x.md', 3, text)).toStrictEqual(parseForm('state', 'x.md', 3, text));
  });

  it('the same text in another place or kind is another form, which carries its own place', () => {
    const text = '- <role>: <zzz>\nBranch: <branch>';
    const here = formOf('dispatch', 'x.md', 3, text);
    for (const [kind, file, line] of [
      ['registration', 'x.md', 3],
      ['dispatch', 'y.md', 3],
      ['dispatch', 'x.md', 40],
    ] as const) {
      const there = formOf(kind, file, line, text);
      expect(there).not.toBe(here);
      expect(there).toStrictEqual(parseForm(kind, file, line, text));
    }
    expect(formOf('dispatch', 'x.md', 40, text).elements.map((e) => e.line)).not.toEqual(here.elements.map((e) => e.line));
  });

  it('the slots of a form: named holes, blank fields and blank items; never a literal run, an unnamed hole or a list with no slot', () => {
    const f = form('Last heartbeat:\nBranch: on <zzz-qqq>\n- <zzz> and <yyy>\n- Owner: <role>\n- Commit:');
    expect([...formSlots(f)]).toEqual(['role', 'last-wake', 'commit-sha']);
    const g = form('State: pending/received\n\nSteps:\n- <zzz>\n\nWorkers:\n| Who | Id |\n|---|---|\n| <zzz> | <yyy> |');
    expect([...formSlots(g)]).toEqual(['status', 'role', 'thread-id', 'plan', 'roster']);
  });

  it('a blank field asks for the slot its label names', () => {
    expect(formSchema(form('Last heartbeat:'))).toStrictEqual({
      scalars: [{ key: 'last-wake', slot: 'last-wake', inline: true, options: null }],
      collections: [],
    });
  });

  it('a choice that names no slot is keyed by its options', () => {
    expect(formSchema(form('Pick: ab/cd'))).toStrictEqual({ scalars: [{ key: 'ab/cd', slot: null, inline: true, options: ['ab', 'cd'] }], collections: [] });
  });

  it.each([
    ['an inline hole, then a choice', 'Now: <status>\nState: pending/received', { key: 'status', slot: 'status', inline: true, options: null }],
    ['an inline hole, then a block', 'Summary: <summary>\n\n<summary>', { key: 'summary', slot: 'summary', inline: true, options: null }],
    ['a block, then an inline hole', '<summary>\n\nSummary: <summary>', { key: 'summary', slot: 'summary', inline: true, options: null }],
  ])('a slot given twice (%s) is asked once, as the first inline one', (_, text, spec) => {
    expect(formSchema(form(text))).toStrictEqual({ scalars: [spec], collections: [] });
  });

  it("a list's fixed items are scalars beside its collection", () => {
    expect(formSchema(form('- Leader: <thread-id>\n- <role>: <zzz>'))).toStrictEqual({
      scalars: [{ key: 'leader-thread-id', slot: 'leader-thread-id', inline: true, options: null }],
      collections: [
        {
          slot: null,
          columns: [
            { key: 'role', slot: 'role', inline: true, options: null },
            { key: 'zzz', slot: null, inline: true, options: null },
          ],
        },
      ],
    });
  });

  it("a list that is no collection asks for its item's holes as scalars", () => {
    expect(formSchema(form('Next:\n- <what> then <why>'))).toStrictEqual({
      scalars: [
        { key: 'what', slot: null, inline: true, options: null },
        { key: 'reason', slot: 'reason', inline: true, options: null },
      ],
      collections: [],
    });
  });
});
