// The line readers every template and message goes through (src/skill/lines.ts), pinned case
// by case: what each one takes as decoration, and the near misses it must leave alone. Each
// pattern's anchors, counts and classes have a case on both sides of their edge, so a
// loosened or tightened pattern fails here first, in milliseconds.

import { describe, expect, it } from 'vitest';
import {
  escapeRegExp,
  isTableSeparator,
  kebab,
  labelled,
  listItems,
  listMarker,
  norm,
  plain,
  stripMarker,
  tableCells,
  textLines,
  unwrapValue,
  withoutComments,
} from '../src/skill/lines.ts';

describe('textLines', () => {
  it.each([
    ['a\nb', ['a', 'b']],
    ['a\r\nb', ['a', 'b']],
    ['a\rb', ['a', 'b']],
    ['a\r\n\r\nb\r', ['a', '', 'b', '']],
    ['', ['']],
  ])('%j → %j', (text, lines) => {
    expect(textLines(text)).toEqual(lines);
  });
});

describe('listMarker', () => {
  it.each([
    ['- a', { text: '-', ordered: false, indent: 0 }],
    ['* a', { text: '*', ordered: false, indent: 0 }],
    ['+ a', { text: '+', ordered: false, indent: 0 }],
    ['• a', { text: '•', ordered: false, indent: 0 }],
    ['1. a', { text: '1.', ordered: true, indent: 0 }],
    ['12) a', { text: '12)', ordered: true, indent: 0 }],
    ['123456789. a', { text: '123456789.', ordered: true, indent: 0 }],
    ['   - a', { text: '-', ordered: false, indent: 3 }],
    ['\t2. a', { text: '2.', ordered: true, indent: 1 }],
    ['-\ta', { text: '-', ordered: false, indent: 0 }],
    ['-   a', { text: '-', ordered: false, indent: 0 }],
    ['* *a*', { text: '*', ordered: false, indent: 0 }],
  ])('%j is an item: %j', (line, marker) => {
    expect(listMarker(line)).toEqual(marker);
  });

  it.each([
    ['-a'], // no space after the marker
    ['- '], // nothing after it
    ['-'],
    ['1234567890. a'], // ten digits
    ['1: a'],
    ['a. b'],
    ['x - a'],
    ['**Label**: value'], // a bold lead, not a bullet
    ['# a'],
    [''],
  ])('%j is not', (line) => {
    expect(listMarker(line)).toBeNull();
  });

  it('a bullet followed by bold text is still a bullet', () => {
    expect(listMarker('* **Label**: value')).toEqual({ text: '*', ordered: false, indent: 0 });
  });
});

describe('stripMarker', () => {
  it.each([
    ['- a', 'a'],
    ['  2) a b', 'a b'],
    ['> - a', 'a'],
    ['>- a', 'a'],
    ['>  a', ' a'], // one space after the quote mark goes with it
    ['## a', 'a'],
    ['##  a', 'a'], // all the space after the hashes
    ['   ### a', 'a'],
    ['    # a', '    # a'], // four spaces: not a heading
    ['####### a', '####### a'], // seven hashes: not a heading
    ['#a', '#a'],
    ['> ## a', 'a'],
    ['- ## a', 'a'],
    ['a - b', 'a - b'],
    ['x > a', 'x > a'],
    ['**Label**: v', '**Label**: v'],
  ])('%j → %j', (line, out) => {
    expect(stripMarker(line)).toBe(out);
  });
});

describe('plain', () => {
  it.each([
    ['`a`', 'a'],
    ['``a ` b``', 'a b'],
    ['**a b**', 'a b'],
    ['__a b__', 'a b'],
    ['**a__', '**a__'], // the closing marker must match the opening one
    ['*a* b', 'a b'],
    ['_a_ b', 'a b'],
    ['x (*a*)', 'x (a)'],
    ['*a*.', 'a.'],
    ['*a*, *b*; *c*: *d*! *e*?', 'a, b; c: d! e?'],
    ['*a b*', 'a b'],
    ['*a*b', '*a*b'], // a marker inside a word stays
    ['snake_case_name', 'snake_case_name'],
    ['2*3*4', '2*3*4'],
    ['* a*', '* a*'], // a space after the opening marker: not emphasis
    ['*a *', '*a *'],
    ['**', '**'],
    ['  a \t\n b  ', 'a b'],
  ])('%j → %j', (s, out) => {
    expect(plain(s)).toBe(out);
  });
});

describe('norm', () => {
  it.each([
    ['- **Base commit**:', 'base commit'],
    ['## Base Commit', 'base commit'],
    ['Base commit :', 'base commit'],
    ['Base: commit', 'base: commit'],
    ['Base commit::', 'base commit:'],
    ['> 1. `Verify`  it', 'verify it'],
  ])('%j → %j', (line, out) => {
    expect(norm(line)).toBe(out);
  });
});

describe('kebab', () => {
  it.each([
    ['A1 b2', 'a1-b2'],
    ['--a--b--', 'a-b'],
    ['a__b', 'a-b'],
    ['Ünïcode name', 'n-code-name'],
    ['', ''],
  ])('%j → %j', (s, out) => {
    expect(kebab(s)).toBe(out);
  });
});

describe('labelled', () => {
  it.each([
    ['Branch: feat/x', { label: 'Branch', key: 'branch', rest: 'feat/x' }],
    ['- **Branch**: feat/x', { label: 'Branch', key: 'branch', rest: 'feat/x' }],
    ['- **Branch:** feat/x', { label: 'Branch', key: 'branch', rest: 'feat/x' }],
    ['__Branch__: feat/x', { label: 'Branch', key: 'branch', rest: 'feat/x' }],
    ['Branch:', { label: 'Branch', key: 'branch', rest: '' }],
    ['Branch:   ', { label: 'Branch', key: 'branch', rest: '' }],
    ['Branch:\tfeat/x', { label: 'Branch', key: 'branch', rest: 'feat/x' }],
    ['Branch : feat/x', { label: 'Branch', key: 'branch', rest: 'feat/x' }],
    ['Base commit: `abc123`', { label: 'Base commit', key: 'base commit', rest: 'abc123' }],
    ['`Branch`: feat/x', { label: 'Branch', key: 'branch', rest: 'feat/x' }],
    ['Time: 10:30', { label: 'Time', key: 'time', rest: '10:30' }],
    ['1) Scope: the API', { label: 'Scope', key: 'scope', rest: 'the API' }],
    ['> Scope: the API', { label: 'Scope', key: 'scope', rest: 'the API' }],
    ['## Scope', { label: 'Scope', key: 'scope', rest: '' }],
    ['## **Scope**', { label: 'Scope', key: 'scope', rest: '' }],
    ['> ## Scope', { label: 'Scope', key: 'scope', rest: '' }], // a quoted heading
    ['  > ## Scope', { label: 'Scope', key: 'scope', rest: '' }], // indented, too
    ['  > Scope: the API', { label: 'Scope', key: 'scope', rest: 'the API' }],
    ['- **`Branch`**: feat/x', { label: 'Branch', key: 'branch', rest: 'feat/x' }], // code inside bold
    ['** `Branch` **: feat/x', { label: 'Branch', key: 'branch', rest: 'feat/x' }], // with spaces inside the bold
    ['Label**: value', { label: 'Label', key: 'label', rest: 'value' }], // a stray bold marker is dropped
    ['## Scope: the API', { label: 'Scope', key: 'scope', rest: 'the API' }],
    ['## 2 Design', { label: '2 Design', key: '2 design', rest: '' }],
    ['## Étape', { label: 'Étape', key: 'étape', rest: '' }],
    ['9 lives: yes', { label: '9 lives', key: '9 lives', rest: 'yes' }],
    [`${'a'.repeat(80)}: v`, { label: 'a'.repeat(80), key: 'a'.repeat(80), rest: 'v' }],
    ['e.g.: x', { label: 'e.g.', key: 'e.g.', rest: 'x' }],
  ])('%j → %j', (line, out) => {
    expect(labelled(line)).toEqual(out);
  });

  it.each([
    ['no colon here'],
    ['http://example.com'], // the colon is not followed by a space
    ['Branch:feat/x'],
    ['Time:10 Branch: x'], // the first colon decides: a label holds none
    ['A: b\nc'], // one line only
    [': value'], // no label
    ['**: value'],
    [`${'a'.repeat(81)}: v`], // too long
    ['<role>: value'], // holes are not labels
    ['a > b: value'],
    ['Done. Next: value'], // a sentence end
    ['(note): value'], // starts with neither a letter nor a digit
    ['-: value'],
    ['A `b` c: value'], // a backtick pair that is not the whole label
    ['`a` `b`: value'],
    ['##'],
    ['## **'], // a heading of decoration only
    ['## (draft)'],
    ['## ---x'],
    [''],
  ])('%j → null', (line) => {
    expect(labelled(line)).toBeNull();
  });
});

describe('unwrapValue', () => {
  it.each([
    ['  a  ', 'a'],
    ['`a`', 'a'],
    ['``a``', 'a'],
    ['**`a`**', 'a'],
    ['__ a __', 'a'],
    ['`a` and `b`', '`a` and `b`'],
    ['``', '``'], // nothing inside: kept as written
    ['** **', '** **'],
    ['`a\nb`', 'a\nb'],
    ['**a*', '**a*'],
    ['x `a`', 'x `a`'], // the decoration must be the whole value
    ['`a` x', '`a` x'],
    ['`a ``b`` c`', 'a ``b`` c'], // a longer run inside a shorter span is text
    ['`a ` b `` c`', '`a ` b `` c`'], // any run of the delimiter's length inside ends a span there
    ['``a `b` c``', 'a `b` c'], // a shorter run inside a longer span is text
    ['``a`` and ``b``', '``a`` and ``b``'],
    ['**a** and **b**', '**a** and **b**'],
    ['__a__ or __b__', '__a__ or __b__'],
    ['**`a` and `b`**', '`a` and `b`'],
  ])('%j → %j', (v, out) => {
    expect(unwrapValue(v)).toBe(out);
  });
});

describe('tableCells and isTableSeparator', () => {
  it.each([
    ['| a | b |', ['a', 'b']],
    ['|a|b', ['a', 'b']],
    ['  | a |  ', ['a']],
    ['| a \\| b | c |', ['a \\| b', 'c']],
    ['| | x |', ['', 'x']],
    ['||', ['']],
  ])('%j → %j', (line, cells) => {
    expect(tableCells(line)).toEqual(cells);
  });
  it.each([['a | b'], [''], ['x|']])('%j is not a row', (line) => {
    expect(tableCells(line)).toBeNull();
  });
  it.each([[['---', ':--', '--:', ':--:', '- -']], [['--']]])('%j separates', (cells) => {
    expect(isTableSeparator(cells)).toBe(true);
  });
  // One dash is not enough: a body row of `-` cells is a row of empty values, not a separator.
  it.each([[[]], [['-']], [[':-:']], [['---', 'a']], [['::--']], [['--::']], [['x---']], [['---x']]])('%j does not', (cells) => {
    expect(isTableSeparator(cells)).toBe(false);
  });
});

describe('listItems', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['a; b;  c', ['a', 'b', 'c']],
    ['a;b', ['a;b']], // the fold needs a space after the semicolon
    ['- a; b', ['a; b']], // a marked item is one item
    ['- a\n\n2. `b`\n* **c**', ['a', 'b', 'c']],
    ['a\r\nb', ['a', 'b']],
    ['none', []],
    ['(none)', []],
    ['None: nothing to do', []],
    ['none - not needed', []],
    ['none. really', []],
    ['none — n/a', []],
    ['none – n/a', []],
    ['none (yet)', []],
    ['- none\n- a', ['a']],
    ['nonesuch', ['nonesuch']],
    ['none of them; a', ['none of them', 'a']],
    ['not none', ['not none']],
  ])('%j → %j', (value, items) => {
    expect(listItems(value)).toEqual(items);
  });
});

describe('withoutComments', () => {
  it.each([
    ['a<!-- x -->b', 'ab'],
    ['a<!-- x\ny -->b<!-- z -->c', 'abc'],
    ['a<!-- x --> b -->c', 'a b -->c'], // the first close ends it
    ['a <!-- open', 'a <!-- open'],
    ['a -- b', 'a -- b'],
  ])('%j → %j', (text, out) => {
    expect(withoutComments(text)).toBe(out);
  });
});

describe('escapeRegExp', () => {
  it('every character that means something in a pattern is matched as itself', () => {
    const text = 'a.b*c+d?e^f$g{h}i(j)k|l[m]n\\o';
    const re = new RegExp(`^${escapeRegExp(text)}$`);
    expect(re.test(text)).toBe(true);
    for (const other of ['aXb*c+d?e^f$g{h}i(j)k|l[m]n\\o', 'a.bbc+d?e^f$g{h}i(j)k|l[m]n\\o', 'a']) expect(re.test(other)).toBe(false);
  });
});
