import { describe, expect, it, vi } from 'vitest';
import { codeSpans, firstList, itemName, parseMarkdown, sectionRange, splitLines, stripInline } from '../src/skill/markdown.ts';
import { lazy } from './support/lazy.ts';

// The YAML parser reports what it cannot read as errors; that it throws instead (a stack
// exhausted on a nesting its own limit misses) is made to happen by hand for one test.
const yamlFails = vi.hoisted(() => ({ with: null as Error | null }));
vi.mock('yaml', async (importOriginal) => {
  const real = await importOriginal<typeof import('yaml')>();
  const parseDocument = ((...args: Parameters<typeof real.parseDocument>) => {
    if (yamlFails.with) throw yamlFails.with;
    return real.parseDocument(...args);
  }) as typeof real.parseDocument;
  return { ...real, parseDocument };
});

const md = (...lines: string[]): string => lines.join('\n');

describe('front-matter', () => {
  it('reads the YAML, the line of each key and the closing line', () => {
    const doc = parseMarkdown(md('---', 'name: demo', 'description: >-', '  two', '  lines', '---', '', '# Title'));
    expect(doc.frontMatter).toEqual({
      data: { name: 'demo', description: 'two lines' },
      error: null,
      keyLines: { name: 2, description: 3 },
      end: 6,
    });
    expect(doc.prose.slice(0, 8)).toEqual([false, false, false, false, false, false, true, true]);
    expect(doc.headings).toEqual([{ line: 8, level: 1, text: 'Title' }]);
  });

  it('closes at a `...` line too', () => {
    const doc = parseMarkdown(md('---', 'name: demo', '...', 'text'));
    expect(doc.frontMatter?.data).toEqual({ name: 'demo' });
    expect(doc.frontMatter?.end).toBe(3);
    expect(doc.prose).toEqual([false, false, false, true]);
  });

  it('reports broken YAML at its line of the file', () => {
    const doc = parseMarkdown(md('---', 'name: demo', 'description: [unclosed', 'other: 1', '---', 'text'));
    expect(doc.frontMatter?.data).toBeNull();
    expect(doc.frontMatter?.error).toEqual({
      line: 4,
      message: 'Flow sequence in block collection must be sufficiently indented and end with a ]',
    });
    expect(doc.frontMatter?.keyLines).toEqual({ name: 2, description: 3, other: 4 });
    expect(doc.frontMatter?.end).toBe(5);
    const nested = parseMarkdown(md('---', 'name: demo', 'bad: : x', '---'));
    expect(nested.frontMatter?.error).toEqual({ line: 3, message: 'Nested mappings are not allowed in compact mappings' });
  });

  it('key lines: top-level keys only, the first of a repeated key (which the YAML refuses)', () => {
    const doc = parseMarkdown(md('---', 'my-key : x', '  nested: y', '- item', '1abc: z', '_u: 1', '---'));
    expect(doc.frontMatter?.keyLines).toEqual({ 'my-key': 2, _u: 6 });
    const twice = parseMarkdown(md('---', 'name: a', 'name: b', '---'));
    expect(twice.frontMatter).toEqual({ data: null, error: { line: 3, message: 'Map keys must be unique' }, keyLines: { name: 2 }, end: 4 });
  });

  it('YAML that is not a mapping reads as no keys; an empty block as well', () => {
    for (const body of [['- a', '- b'], ['just text'], []]) {
      const doc = parseMarkdown(md('---', ...body, '---', 'x'));
      expect(doc.frontMatter).toEqual({ data: {}, error: null, keyLines: {}, end: body.length + 2 });
    }
  });

  it("aliases: resolved when set, an error at line 2 when not; nesting past the parser's depth is one plain error", () => {
    expect(parseMarkdown(md('---', 'a: &x [1]', 'b: [*x, *x]', '---')).frontMatter?.data).toEqual({ a: [1], b: [[1], [1]] });
    expect(parseMarkdown(md('---', 'a: 1', 'b: *nope', '---')).frontMatter?.error).toEqual({
      line: 2,
      message: 'Unresolved alias (the anchor must be set before the alias): nope',
    });
    const deep = parseMarkdown(md('---', 'a: 1', `x: ${'['.repeat(5000)}${']'.repeat(5000)}`, '---'));
    expect(deep.frontMatter?.error).toEqual({ line: 3, message: 'nested too deeply to read' });
  });

  it('the error line counts blank lines; the fences may carry trailing blanks', () => {
    expect(parseMarkdown(md('---', 'a: 1', '', '', 'b: [', '---')).frontMatter?.error?.line).toBe(5);
    expect(parseMarkdown(md('---  ', 'name: a', '...\t', 'x')).frontMatter).toEqual({ data: { name: 'a' }, error: null, keyLines: { name: 2 }, end: 3 });
  });

  it('closes only at a line that is `---` or `...` and nothing else', () => {
    // A value ending in dots does not close it, nor does a line starting with them.
    expect(parseMarkdown(md('---', 'description: more to come...', '...', 'text')).frontMatter).toEqual({
      data: { description: 'more to come...' },
      error: null,
      keyLines: { description: 2 },
      end: 3,
    });
    expect(parseMarkdown(md('---', 'a: |', '  x', '...not the end', '---', 'text')).frontMatter?.end).toBe(5);
  });

  it('a byte order mark before it is dropped; one elsewhere is text', () => {
    expect(parseMarkdown('\uFEFF---\nname: a\n---\n# T').frontMatter?.data).toEqual({ name: 'a' });
    expect(parseMarkdown('a\uFEFFb').lines).toEqual(['a\uFEFFb']);
  });

  it('a YAML parser that throws: one plain error at line 2', () => {
    try {
      yamlFails.with = new RangeError('Maximum call stack size exceeded');
      expect(parseMarkdown(md('---', 'a: 1', 'b: [deep]', '---', 'thrown 1')).frontMatter).toEqual({
        data: null,
        error: { line: 2, message: 'nested too deeply to read' },
        keyLines: { a: 2, b: 3 },
        end: 4,
      });
      yamlFails.with = new Error('broken\nsecond line');
      expect(parseMarkdown(md('---', 'a: 1', '---', 'thrown 2')).frontMatter?.error).toEqual({ line: 2, message: 'broken' });
    } finally {
      yamlFails.with = null;
    }
  });

  it('is not front-matter when never closed, or not on line 1', () => {
    expect(parseMarkdown(md('---', 'name: demo', 'text')).frontMatter).toBeNull();
    expect(parseMarkdown(md('', '---', 'name: demo', '---')).frontMatter).toBeNull();
  });

  it('with frontMatter: false is not reported, stays prose and makes no heading', () => {
    const doc = parseMarkdown(md('---', 'name: demo', '---', '# Title'), { frontMatter: false });
    expect(doc.frontMatter).toBeNull();
    expect(doc.prose).toEqual([true, true, true, true]);
    expect(doc.headings).toEqual([{ line: 4, level: 1, text: 'Title' }]);
  });
});

describe('fenced blocks', () => {
  it('an unclosed fence runs to the end of the file and has no closing line', () => {
    const doc = parseMarkdown(md('# A', '', '```text', 'body', '# not a heading', ''));
    expect(doc.fences).toEqual([{ open: 3, close: null, text: expect.stringMatching(/^body\n# not a heading/) }]);
    expect(doc.prose).toEqual([true, true, false, false, false, false]);
    expect(doc.headings.map((h) => h.line)).toEqual([1]);
  });

  it('~~~ fences: only a ~~~ line at least as long closes them', () => {
    const doc = parseMarkdown(md('~~~~ md', '```', '~~~', 'x', '~~~~~', 'after'));
    expect(doc.fences).toEqual([{ open: 1, close: 5, text: '```\n~~~\nx' }]);
    expect(doc.prose).toEqual([false, false, false, false, false, true]);
  });

  it('# lines inside a fence are not headings', () => {
    const doc = parseMarkdown(md('## Real', '```', '# comment', '## also not', '```', '### After'));
    expect(doc.headings).toEqual([
      { line: 1, level: 2, text: 'Real' },
      { line: 6, level: 3, text: 'After' },
    ]);
    expect(doc.fences).toEqual([{ open: 2, close: 5, text: '# comment\n## also not' }]);
  });

  it('an empty fence is closed; an indented code block is not a fence', () => {
    const doc = parseMarkdown(md('```', '```', '', '    indented code', '', '```', '', '```'));
    expect(doc.fences).toEqual([
      { open: 1, close: 2, text: '' },
      { open: 6, close: 8, text: '' },
    ]);
    expect(doc.prose[3]).toBe(true);
  });

  it('a lone opening fence on the last line is not closed by itself', () => {
    expect(parseMarkdown(md('# A', '```')).fences).toEqual([{ open: 2, close: null, text: '' }]);
  });

  it('a fence line indented four columns is content, not the closing fence', () => {
    expect(parseMarkdown(md('```', 'x', '    ```')).fences).toEqual([{ open: 1, close: null, text: 'x\n    ```' }]);
  });

  it('a fence left open in a list item is not closed by a shorter run of its marker in a quote below', () => {
    // mdast ends the item's code block on the next line, so only the run's length tells it from a closing fence.
    expect(parseMarkdown(md('- ````', '> `')).fences).toEqual([{ open: 1, close: null, text: '' }]);
    expect(parseMarkdown(md('- ~~~~', '> ~')).fences).toEqual([{ open: 1, close: null, text: '' }]);
  });

  it('a fence in a list item', () => {
    const doc = parseMarkdown(md('1. Run:', '   ```sh', '   npm test', '   ```', '2. Done'));
    expect(doc.fences).toEqual([{ open: 2, close: 4, text: 'npm test' }]);
    expect(firstList(doc, 1, 5)).toEqual([
      { line: 1, text: 'Run:' },
      { line: 5, text: 'Done' },
    ]);
  });
});

describe('headings', () => {
  it('ATX and setext, with inline markup removed', () => {
    const doc = parseMarkdown(md('# The `code` and **bold** _x_ ##', '', 'Setext *title*', '===', '', 'Sub', '---'));
    expect(doc.headings).toEqual([
      { line: 1, level: 1, text: 'The code and bold x' },
      { line: 3, level: 1, text: 'Setext title' },
      { line: 6, level: 2, text: 'Sub' },
    ]);
    expect(sectionRange(doc, doc.headings[1]!)).toEqual({ from: 4, to: 7 });
  });

  it('white space inside a heading reads as one space, over lines too', () => {
    expect(parseMarkdown(md('# A  \t B', '', 'Two', 'lines', '===')).headings).toEqual([
      { line: 1, level: 1, text: 'A B' },
      { line: 3, level: 1, text: 'Two lines' },
    ]);
  });

  it('heading text is trimmed, white space from code spans included', () => {
    expect(parseMarkdown(md('# ` a`', '', 'b `c `', '===')).headings).toEqual([
      { line: 1, level: 1, text: 'a' },
      { line: 3, level: 1, text: 'b c' },
    ]);
  });

  it('a section ends before the next heading of its level or higher', () => {
    const doc = parseMarkdown(md('# One', 'text', '# Two', '## Sub', 'x'));
    expect(doc.headings.map((h) => sectionRange(doc, h))).toEqual([
      { from: 2, to: 2 },
      { from: 4, to: 5 },
      { from: 5, to: 5 },
    ]);
  });
});

describe('code spans', () => {
  const line = 'Use `` a`b `` and `c` but not \\`d`.';
  it('by line with 0-based columns, double backticks included', () => {
    const doc = parseMarkdown(md('# T', line));
    expect(doc.codeSpansByLine.get(2)).toEqual([
      { text: 'a`b', col: 4, end: 13 },
      { text: 'c', col: 18, end: 21 },
    ]);
    expect(line.slice(4, 13)).toBe('`` a`b ``');
    expect(line.slice(18, 21)).toBe('`c`');
    expect(codeSpans(line)).toEqual(doc.codeSpansByLine.get(2));
  });

  it('leaves out spans that cross lines and spans in fences', () => {
    const doc = parseMarkdown(md('a `multi', 'line` b `one`', '```', '`x`', '```'));
    expect([...doc.codeSpansByLine.entries()]).toEqual([[2, [{ text: 'one', col: 8, end: 13 }]]]);
  });

  it('codeSpans reads the first line only, a lone CR ending it as LF and CRLF do', () => {
    // Read with the next line, `[`a`]:` would open a link definition and hold no code span.
    for (const eol of ['\n', '\r\n', '\r']) expect(codeSpans(`[\`a\`]:${eol}/url`)).toEqual([{ text: 'a', col: 1, end: 4 }]);
    expect(parseMarkdown('[`a`]:\n/url').codeSpansByLine.get(1)).toBeUndefined();
  });

  it('codeSpans on an indented line keeps the columns of the line', () => {
    expect(codeSpans('      `x` y')).toEqual([{ text: 'x', col: 6, end: 9 }]);
    expect(codeSpans('no spans')).toEqual([]);
    expect(codeSpans('an `unclosed one')).toEqual([]);
  });
});

describe('GFM tables', () => {
  it('header and rows, cells as written and trimmed, with lines', () => {
    const doc = parseMarkdown(
      md('Intro', '', '| Name | Rule |', '| --- | :-: |', '| `a\\|b` | **x** |', '|  y  |   |', '', '```', '| a | b |', '| - | - |', '```'),
    );
    expect(doc.tables).toEqual([
      {
        line: 3,
        header: ['Name', 'Rule'],
        rows: [
          { line: 5, cells: ['`a\\|b`', '**x**'] },
          { line: 6, cells: ['y', ''] },
        ],
      },
    ]);
    expect(doc.codeSpansByLine.get(5)).toEqual([{ text: 'a|b', col: 2, end: 8 }]);
  });

  it('a cell is trimmed of any white space, no-break spaces too', () => {
    expect(parseMarkdown(md('| a |', '| - |', '| x\u00a0|')).tables[0]?.rows).toEqual([{ line: 3, cells: ['x'] }]);
  });
});

describe('firstList', () => {
  const doc = lazy(() =>
    parseMarkdown(
      md(
        '## Steps', //             1
        'Intro.', //               2
        '- **Bullet** one', //     3
        '  1. nested ordered', //  4
        '  2. second nested', //   5
        '- Bullet two', //         6
        '', //                     7
        '1. **Plan**: split', //   8
        '   - sub a', //           9
        '   - sub b', //          10
        '', //                    11
        '2. Build', //            12
        '3) other list', //       13
        '## Next', //             14
        '1. elsewhere', //        15
      ),
    ),
  );

  it('bulleted when asked, top-level items only, markers removed', () => {
    expect(firstList(doc(), 2, 13, { bullets: true })).toEqual([
      { line: 3, text: '**Bullet** one' },
      { line: 6, text: 'Bullet two' },
    ]);
  });

  it('ordered only by default; a list nested in a bulleted one counts', () => {
    expect(firstList(doc(), 2, 13)).toEqual([
      { line: 4, text: 'nested ordered' },
      { line: 5, text: 'second nested' },
    ]);
    expect(firstList(doc(), 7, 13)).toEqual([
      { line: 8, text: '**Plan**: split' },
      { line: 12, text: 'Build' },
    ]);
    expect(firstList(doc(), 13, 13)).toEqual([{ line: 13, text: 'other list' }]);
  });

  it('items past the range are left out; every list is kept, in order', () => {
    const lists = parseMarkdown(md('- a', '- b', '- c', '', '8. eight', '9. nine', '10.   ten', '', '-   three spaces', '-\ttab'));
    expect(firstList(lists, 1, 2, { bullets: true })).toEqual([
      { line: 1, text: 'a' },
      { line: 2, text: 'b' },
    ]);
    expect(lists.lists).toEqual([
      {
        line: 1,
        ordered: false,
        items: [
          { line: 1, text: 'a' },
          { line: 2, text: 'b' },
          { line: 3, text: 'c' },
        ],
      },
      {
        line: 5,
        ordered: true,
        items: [
          { line: 5, text: 'eight' },
          { line: 6, text: 'nine' },
          { line: 7, text: 'ten' },
        ],
      },
      {
        line: 9,
        ordered: false,
        items: [
          { line: 9, text: 'three spaces' },
          { line: 10, text: 'tab' },
        ],
      },
    ]);
  });

  it('none when no list starts in the range', () => {
    expect(firstList(doc(), 1, 2)).toBeNull();
    expect(firstList(doc(), 14, 14, { bullets: true })).toBeNull();
  });
});

describe('itemName and stripInline', () => {
  it.each([
    ['**Plan**: split', 'Plan'],
    ['  **Bold** text: more', 'Bold'],
    ['**Plan. Build**: then', 'Plan. Build'],
    ['**Plan:**', 'Plan'],
    ['**v1.2:**', 'v1.2'],
    ['See **x**: y', 'See x'],
    ['Plan.', 'Plan'],
    ['Plan .', 'Plan'],
    ['**Plan :**', 'Plan'],
    ['v1.2 release:', 'v1.2 release'],
    ['Name — desc', 'Name'],
    ['x – y', 'x'],
    ['x - y', 'x'],
    ['Ship (last)', 'Ship'],
    ['Do it. Then more', 'Do it'],
    ['A `code` and `more code`', 'A code and more code'],
    ['A __strong__ word', 'A strong word'],
    ['*em* x', 'em x'],
    ['A *emphasis*', 'A emphasis'],
    ['_u_ then', 'u then'],
    ['snake_case_name', 'snake_case_name'],
    ['a*b* c', 'a*b* c'],
    ['* x *', '* x *'],
  ])('%s -> %s', (text, name) => {
    expect(itemName(text)).toBe(name);
  });

  it('stripInline trims what it returns', () => {
    expect(stripInline('  `a` b  ')).toBe('a b');
  });
});

describe('line endings', () => {
  const lf = md('---', 'name: demo', '---', '# Title', '', '```', 'code', '```', '', '| a |', '| - |', '| `b` |', '1. one', '2. two');

  it('splitLines: CRLF, CR and LF each end a line', () => {
    expect(splitLines('a\r\nb\rc\nd')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('CRLF and CR give the same document as LF', () => {
    const ref = parseMarkdown(lf);
    for (const text of [lf.replace(/\n/g, '\r\n'), lf.replace(/\n/g, '\r')]) {
      const doc = parseMarkdown(text);
      expect(doc.lines).toEqual(splitLines(lf));
      expect(doc.frontMatter).toEqual(ref.frontMatter);
      expect(doc.headings).toEqual([{ line: 4, level: 1, text: 'Title' }]);
      expect(doc.fences).toEqual([{ open: 6, close: 8, text: 'code' }]);
      expect(doc.prose).toEqual(ref.prose);
      expect(doc.tables).toEqual([{ line: 10, header: ['a'], rows: [{ line: 12, cells: ['`b`'] }] }]);
      expect(doc.codeSpansByLine.get(12)).toEqual([{ text: 'b', col: 2, end: 5 }]);
      expect(firstList(doc, 13, 14)).toEqual([
        { line: 13, text: 'one' },
        { line: 14, text: 'two' },
      ]);
    }
  });
});

describe('parsed documents are shared', () => {
  const text = md('---', 'name: demo', '---', '# Title');

  it('the same text gives the same read-only document; the front-matter choice is part of the key', () => {
    const a = parseMarkdown(text);
    expect(parseMarkdown(text)).toBe(a);
    expect(parseMarkdown(text, { frontMatter: true })).toBe(a);
    const plain = parseMarkdown(text, { frontMatter: false });
    expect(plain).not.toBe(a);
    expect(plain.frontMatter).toBeNull();
    expect(plain.prose[0]).toBe(true);
    expect(a.frontMatter?.data).toEqual({ name: 'demo' });
    expect(a.prose[0]).toBe(false);
    expect(parseMarkdown(text, { frontMatter: false })).toBe(plain);
  });

  it('keeps at most 64 documents, the oldest going first', () => {
    const first = parseMarkdown('# first of many');
    for (let i = 0; i < 63; i++) parseMarkdown(`# filler ${i}`);
    expect(parseMarkdown('# first of many')).toBe(first);
    parseMarkdown('# one more');
    const again = parseMarkdown('# first of many');
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it('a text over 64 KB is parsed afresh each time', () => {
    const big = `# big\n${'x'.repeat(64 * 1024)}`;
    const small = `# small\n${'x'.repeat(64 * 1024 - 8)}`;
    expect(small.length).toBe(64 * 1024);
    expect(parseMarkdown(small)).toBe(parseMarkdown(small));
    expect(parseMarkdown(big)).not.toBe(parseMarkdown(big));
    expect(parseMarkdown(big)).toEqual(parseMarkdown(big));
  });

  it('a text over 64 KB still honours the front-matter choice', () => {
    const big = `---\nname: big\n---\n# big\n${'x'.repeat(64 * 1024)}`;
    expect(parseMarkdown(big).frontMatter?.data).toEqual({ name: 'big' });
    expect(parseMarkdown(big, { frontMatter: false }).frontMatter).toBeNull();
  });

  it('no text and choice share a key with another (the choice is a prefix of the key)', () => {
    const fm = parseMarkdown('# key one');
    expect(parseMarkdown('f# key one', { frontMatter: false })).not.toBe(fm);
    const plain = parseMarkdown('# key two', { frontMatter: false });
    expect(parseMarkdown('p# key two')).not.toBe(plain);
  });

  it('a line read for its code spans does not take a place', () => {
    const doc = parseMarkdown('# kept');
    for (let i = 0; i < 100; i++) codeSpans(`\`span ${i}\``);
    expect(parseMarkdown('# kept')).toBe(doc);
  });
});
