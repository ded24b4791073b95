// The matcher of a template line against a line of text: the same match as the line's regex,
// found without the regex engine's unbounded backtracking (found by the CLI fuzz: a template
// line inflated with its own text made a run hang, then crash).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Piece } from '../src/skill/form.ts';
import { lineMatcher, piecesRe } from '../src/skill/line-match.ts';

const hole = (name: string): Piece => ({ t: 'hole', name, slot: null, options: null });
const lit = (text: string): Piece => ({ t: 'lit', text });

/** The public skill's dispatch line has this shape: a label, then holes between literals that repeat. */
const repeated = (holes: number): Piece[] => Array.from({ length: holes }, (_, i) => [lit(' From: leader (thread ID: '), hole(`h${i}`), lit(')')]).flat();

describe('lineMatcher', () => {
  it('finds what the regex finds, hole by hole, on generated lines and texts', () => {
    const litText = fc.constantFrom('', ' ', ' | ', ': ', 'ID ', ' (x: ', ')', '.', ';', ' a  b ', '**', ' - ');
    const piecesArb = fc.array(fc.oneof(litText.map(lit), fc.constant(null)), { minLength: 1, maxLength: 7 }).map((xs) => xs.map((x, i) => x ?? hole(`h${i}`)));
    const textArb = fc
      .array(fc.constantFrom('a', 'B', ' ', '  ', '\t', '|', ':', '(', ')', '.', ';', 'id', 'ID', 'x', '-', '*'), { maxLength: 14 })
      .map((xs) => xs.join(''));
    fc.assert(
      fc.property(piecesArb, fc.array(textArb, { minLength: 1, maxLength: 8 }), (pieces, texts) => {
        const re = piecesRe(pieces);
        const m = lineMatcher(pieces);
        for (const t of texts) {
          const expected = re.exec(t);
          expect(m.exec(t) === null ? null : [...m.exec(t)!], JSON.stringify({ pieces, t })).toEqual(expected === null ? null : [...expected]);
          expect(m.test(t)).toBe(expected !== null);
        }
      }),
      { numRuns: 3_000 },
    );
  });

  it('does work bounded by the line and its elements where the regex backtracks for minutes', () => {
    // Four holes, as the public skill's dispatch; a line of 22 KB repeating the literals. The
    // regex takes seconds with three holes and 800 repeats, and minutes with eight holes and 64.
    for (const holes of [2, 4, 8]) {
      const pieces = repeated(holes);
      const m = lineMatcher(pieces) as ReturnType<typeof lineMatcher> & { steps: number };
      for (const [text, matches] of [
        [' From: leader (thread ID: x)'.repeat(800), true],
        [`${' From: leader (thread ID: x)'.repeat(800)} tail`, false],
      ] as const) {
        expect(m.test(text)).toBe(matches);
        expect(m.steps).toBeLessThanOrEqual(4 * (pieces.length + 1) * (text.length + 1));
      }
    }
    // Its holes, lazily: each takes the least it can, the last the rest.
    expect(lineMatcher(repeated(2)).exec(' From: leader (thread ID: a) From: leader (thread ID: b) From: leader (thread ID: c)')?.slice(1)).toEqual([
      'a',
      'b) From: leader (thread ID: c',
    ]);
  });

  it('reads a line of hundreds of elements (an inflated template) as nothing, as a regex that would not compile', () => {
    const pieces = repeated(200);
    expect(lineMatcher(pieces).test(' From: leader (thread ID: x)'.repeat(200))).toBe(false);
    expect(lineMatcher(repeated(100)).test(' From: leader (thread ID: x)'.repeat(100))).toBe(true);
  });

  it('leaves a line of one hole, and a text with a line break, to the regex', () => {
    const one = [lit('Branch: '), hole('branch')];
    expect(lineMatcher(one)).toBeInstanceOf(RegExp);
    const two = [lit('From '), hole('a'), lit(' to '), hole('b')];
    expect(lineMatcher(two)).not.toBeInstanceOf(RegExp);
    expect(lineMatcher(two).exec('from x\ny to z')).toEqual(piecesRe(two).exec('from x\ny to z'));
    expect(lineMatcher(two).exec('From x to y to z')?.slice(1)).toEqual(['x', 'y to z']);
  });
});
