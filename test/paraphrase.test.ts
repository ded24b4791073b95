// `paraphrase`, the model-like rewriter the forms property test leans on, pinned rewrite by
// rewrite with a scripted random source: the property test only checks that the reader copes
// with whatever comes out, so a rewrite that quietly stopped happening (or started breaking
// values) would pass there unnoticed.
//
// The source of randomness is read in a fixed order: first one number per rewrite in
// PARAPHRASES order (below one half: applied), then whatever the applied rewrites draw.

import { describe, expect, it } from 'vitest';
import { formOf, paraphrase, PARAPHRASES, type Paraphrase } from '../src/skill/index.ts';
import { lazy } from './support/lazy.ts';

const TEMPLATE = [
  'From: <role> (thread ID: <thread-id>)',
  '',
  'Task: <task>',
  'Branch: <branch>',
  'Base commit: <base-commit>',
  '',
  'Steps:',
  '1. <step>',
  '2. <step>',
  '',
  'Files:',
  '- <file>',
  '',
  '| Worker | Thread |',
  '| --- | --- |',
  '| <role> | <thread-id> |',
  '',
].join('\n');
const form = lazy(() => formOf('dispatch', 'dispatch.md', 1, TEMPLATE));

const BODY = [
  'Task: build it',
  'Branch: feat/a',
  'Base commit: abc',
  '',
  'Steps:',
  '1. one',
  '2. two',
  '',
  'Files:',
  '- a.ts',
  '  - b.ts',
  '',
  '| Worker | Thread |',
  '| :-- | --: |',
  '| api | t-1 |',
  '| db | t-2 |',
];
const TEXT = ['From: lead (thread ID: t-0)', '', ...BODY, '<!-- notes -->'].join('\n');
/** How the rewriter lays the text out when a rewrite leaves the body alone. */
const layout = (body: string[]) => ['From: lead (thread ID: t-0)', '', '', ...body, '', '<!-- notes -->'].join('\n');

/** A scripted source: the numbers given, then 0.7 for ever. */
const seq = (values: number[]) => {
  let i = 0;
  return () => (i < values.length ? values[i++]! : 0.7);
};
/** Exactly one rewrite applied, then `draws` for what it draws. */
const only = (p: Paraphrase, draws: number[] = []) => seq([...PARAPHRASES.map((q) => (q === p ? 0 : 0.9)), ...draws]);
const DRAWS = [0.1, 0.6, 0.3, 0.8, 0.2, 0.95];

const swapped = (body: string[], edits: Record<number, string>) => body.map((l, i) => edits[i] ?? l);

describe('paraphrase, one rewrite at a time', () => {
  it.each<[Paraphrase, string]>([
    ['reorder-fields', layout(swapped(BODY, { 0: 'Base commit: abc', 2: 'Task: build it' }))],
    ['renumber-lists', layout(swapped(BODY, { 5: '0. one', 6: '1) two' }))],
    ['remark-lists', layout(swapped(BODY, { 9: '+ a.ts', 10: '  + b.ts' }))],
    ['add-prose', layout(['Task: build it', 'All the fields are below.', '', 'Branch: feat/a', 'Please read this carefully.', '', ...BODY.slice(2)])],
    ['add-table-row', layout([...BODY.slice(0, 14), '| db | t-2 |', '| api | t-1 |', '| — | — |'])],
    ['wrap-markdown', ['From: lead (thread ID: t-0)', '', '```text', '', ...BODY, '', '```', '<!-- notes -->'].join('\n')],
    ['bold-labels', layout(swapped(BODY, { 0: '**Task**: build it', 1: '**Branch**: feat/a', 2: '**Base commit**: abc' }))],
    ['code-values', layout(swapped(BODY, { 0: 'Task: `build it`', 1: 'Branch: `feat/a`', 2: 'Base commit: `abc`' }))],
  ])('%s', (p, expected) => {
    const r = paraphrase(TEXT, form(), only(p, DRAWS));
    expect(r.applied).toEqual([p]);
    expect(r.text).toBe(expected);
  });

  it('trailing-space: every third line from the second gets two spaces', () => {
    const r = paraphrase(TEXT, form(), only('trailing-space'));
    const lines = ['', ...BODY, ''].map((l, i) => (i % 3 === 1 ? `${l}  ` : l));
    expect(r.text).toBe(['From: lead (thread ID: t-0)', '', ...lines, '<!-- notes -->'].join('\n'));
  });

  it('crlf: every line ending, the comment kept after the text', () => {
    expect(paraphrase(TEXT, form(), only('crlf')).text).toBe(layout(BODY).replace(/\n/g, '\r\n'));
  });
});

describe('paraphrase, choices and edges', () => {
  it('several rewrites at once, in PARAPHRASES order', () => {
    const r = paraphrase(TEXT, form(), seq([0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.2, 0.49, 0.9, 0.9]));
    expect(r.applied).toEqual(['bold-labels', 'code-values']);
    expect(r.text).toBe(layout(swapped(BODY, { 0: '**Task**: `build it`', 1: '**Branch**: `feat/a`', 2: '**Base commit**: `abc`' })));
  });

  it('none drawn: one is picked by the next number', () => {
    expect(paraphrase('x', null, seq([...PARAPHRASES.map(() => 0.5), 0.75])).applied).toEqual(['code-values']);
    expect(paraphrase('x', null, seq([...PARAPHRASES.map(() => 0.9), 0])).applied).toEqual(['reorder-fields']);
    expect(paraphrase('x', null, seq([...PARAPHRASES.map(() => 0.9), 0.99])).applied).toEqual(['crlf']);
  });

  it('without a form nothing is known to be a field: no field moves, bold or code; prose only goes first', () => {
    const r = paraphrase('Task: a\nBranch: b', null, seq([0, 0.9, 0.9, 0, 0.9, 0.9, 0, 0, 0.9, 0.9, 0.3]));
    expect(r.applied).toEqual(['reorder-fields', 'add-prose', 'bold-labels', 'code-values']);
    expect(r.text).toBe('Please read this carefully.\n\nTask: a\nBranch: b');
  });

  it('no header line and no comment: nothing is added around the body', () => {
    expect(paraphrase('Task: a\nBranch: b', null, only('crlf')).text).toBe('Task: a\r\nBranch: b');
    expect(paraphrase('  from: x\nTask: a', null, only('wrap-markdown')).text).toBe('  from: x\n\n```text\nTask: a\n```');
  });

  it('a value that already holds code is not wrapped again; an empty value gets nothing', () => {
    const text = ['From: lead (thread ID: t-0)', '', 'Task: run `npm test`', 'Branch:', 'Base commit: abc'].join('\n');
    expect(paraphrase(text, form(), only('code-values')).text).toBe(
      ['From: lead (thread ID: t-0)', '', '', 'Task: run `npm test`', 'Branch:', 'Base commit: `abc`'].join('\n'),
    );
  });

  it('a list after a blank line starts its numbering again', () => {
    const text = 'Steps:\n1. a\n2. b\n\n1. c';
    expect(paraphrase(text, null, only('renumber-lists', [0.9, 0, 0.9, 0.9, 0])).text).toBe('Steps:\n2) a\n3) b\n\n2. c');
  });

  it('only a table whose second row is dashes gets rows shuffled and a row added', () => {
    const text = '| a | b |\n| x | y |\n| 1 | 2 |';
    expect(paraphrase(text, null, only('add-table-row', [0])).text).toBe(text);
    const table = '| a | b |\n|:-:|---|\n| 1 | 2 |\n| 3 | 4 |\ntext';
    expect(paraphrase(table, null, only('add-table-row', [0])).text).toBe('| a | b |\n|:-:|---|\n| 3 | 4 |\n| 1 | 2 |\n| — | — |\ntext');
  });

  it('each line of prose a model adds', () => {
    const prose = [0, 0.2, 0.4, 0.6, 0.8].map((d) => paraphrase('x', null, only('add-prose', [d])).text.split('\n')[0]);
    expect(prose).toEqual([
      'Here is the update.',
      'Please read this carefully.',
      'Written up below.',
      'Thanks, see the details that follow.',
      'All the fields are below.',
    ]);
  });

  it('a text that is all comment is left whole; a header only on the first line, at its start', () => {
    expect(paraphrase('<!-- all private -->', null, only('crlf')).text).toBe('\r\n<!-- all private -->');
    expect(paraphrase('Note from: x\nTask: a', null, only('wrap-markdown')).text).toBe('```text\nNote from: x\nTask: a\n```');
  });

  it('numbering: a blank line of spaces restarts it, the space after a marker goes, a draw of one half gives ")"', () => {
    expect(paraphrase('1.   a\n   \n1. b', null, only('renumber-lists', [0, 0.9, 0.5, 0.49])).text).toBe('0) a\n   \n0. b');
  });

  it('without bold-labels or code-values a field line is left exactly as written', () => {
    const text = ['From: lead (thread ID: t-0)', '', 'Task:    build it  ', 'Branch:feat/a'].join('\n');
    expect(paraphrase(text, form(), only('add-table-row')).text).toBe(
      ['From: lead (thread ID: t-0)', '', '', 'Task:    build it  ', 'Branch:feat/a'].join('\n'),
    );
  });

  it('tables: a row before a line of text, a separator with one cell of text or text around dashes, a table at the very end', () => {
    const untouched = ['| a |\ntext', '| a | b |\n| --- | x |\n| 1 | 2 |', '| a |\n| x--- |\n| 1 |', '| a |\n| ---x |\n| 1 |'];
    for (const text of untouched) expect(paraphrase(text, null, only('add-table-row', [0])).text).toBe(text);
    expect(paraphrase('| a |\n| - |\n| 1 |\n| 2 |', null, only('add-table-row', [0])).text).toBe('| a |\n| - |\n| 2 |\n| 1 |\n| — |');
  });
});
