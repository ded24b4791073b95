// A template line (literals and holes) matched against one line of text. The reading is the
// regex piecesRe builds: literals loose on whitespace and case, holes lazy, a closing `.` or `;`
// optional. The regex engine backtracks: on a line that repeats a literal many times, a pattern
// with three or four holes (the public skill's dispatch has four) tries every way to place them:
// three holes took 2 s on a line of 22 KB and four did not finish, eight took 139 s on 1.8 KB.
// (The CLI fuzz found the edge of it: a template line inflated until its regex would not
// compile.) The matcher here tries the same placements in the same order, so it finds the same
// match, but remembers where the rest of the line cannot match: its work is bounded by the
// line's length times its elements. Lines with one hole have no such blow-up and keep the regex.

import type { Piece } from './form.ts';
import { escapeRegExp, plain } from './lines.ts';

/** Part of a literal: whitespace (at least one, or any) or a word, matched without regard to case. */
type Part = { ws: '+' | '*' } | { word: string };
type Element = { lit: Part[] } | { hole: number };

/** Matches what the regex matches; `exec` gives the whole line and each hole's text, as RegExp#exec does. */
export interface LineMatcher {
  test(text: string): boolean;
  exec(text: string): readonly string[] | null;
}

/** The pieces as elements: the regex's literals (whitespace loose) and holes, in order. */
function elementsOf(ps: Piece[]): Element[] {
  let holes = 0;
  return ps.map((p, i): Element => {
    if (p.t !== 'lit') return { hole: holes++ };
    const t = i === ps.length - 1 ? plain(p.text).replace(/[.;]$/, '') : plain(p.text);
    // Spaces between two holes part them (`<branch> <commit>`); markup alone (`**`) may go.
    // Stryker disable next-line StringLiteral: between two lazy holes, markup with no space may as well match nothing
    if (t === '') return { lit: [{ ws: /\s/.test(p.text) ? '+' : '*' }] };
    // Whitespace the template puts around a literal is required (` - ` is not the `-` of `a-b`).
    const parts: Part[] = /^\s/.test(p.text) ? [{ ws: '+' }] : [];
    t.split(' ').forEach((word, k) => {
      if (k > 0) parts.push({ ws: '+' });
      if (word !== '') parts.push({ word });
    });
    if (/\s$/.test(p.text)) parts.push({ ws: '+' });
    return { lit: parts };
  });
}

/**
 * A regex for pieces over plain text: literals loose on whitespace and case, holes lazy. A
 * closing `.` or `;` may be left out, as a model rewriting a line often does.
 */
export function piecesRe(ps: Piece[]): RegExp {
  return regexOf(elementsOf(ps));
}

function regexOf(elements: Element[]): RegExp {
  const src = elements.map((e) => ('hole' in e ? '(.*?)' : e.lit.map((x) => ('ws' in x ? `\\s${x.ws}` : escapeRegExp(x.word))).join(''))).join('');
  try {
    const re = new RegExp(`^${src}\\s*[.;]?\\s*$`, 'i');
    // V8 compiles a regex when it is first used: one too large to compile throws there (a
    // thousand holes on a line), not when it is made.
    re.test('');
    return re;
  } catch {
    // A line past what the regex engine takes (thousands of holes): it reads as nothing, never as a crash.
    return NEVER;
  }
}

/** Matches no line. */
const NEVER = /(?!)/;

/** Past this many elements a line is no template's (an inflated one): it reads as nothing, as its regex would not compile. */
const MAX_ELEMENTS = 400;

const END = /\s*[.;]?\s*$/y;
const WS = /\s/;
/** `.` in the regex stops at these; the texts read are plain (whitespace folded), so they hold none. */
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/** The matcher for a template line: the regex for one hole or none, else one that does not backtrack without bound. */
export function lineMatcher(ps: Piece[]): LineMatcher {
  const elements = elementsOf(ps);
  const holes = elements.filter((e) => 'hole' in e).length;
  const re = regexOf(elements);
  if (holes <= 1 || re === NEVER) return re;
  if (elements.length > MAX_ELEMENTS) return NEVER;
  return new BoundedMatcher(elements, holes, re);
}

class BoundedMatcher implements LineMatcher {
  private readonly words = new Map<string, RegExp>();
  /** Steps taken by the last match (a test reads it: the bound is the point). */
  steps = 0;

  // Kept between calls (a match runs to its end before the next starts): most lines tried fail
  // at their first literal, and a reading tries every line of a message.
  private readonly caps: number[];
  /** A hole that fails from `p` fails from any later start: it tries a subset of the same ends. */
  private readonly holeFailsFrom: Float64Array;
  private readonly litFails = new Set<number>();
  /** The line's first word, when it starts with one: a line without it there cannot match. */
  private readonly first: RegExp | null;
  /** For a hole, where what follows it can start: its first word, or whitespace (null: anywhere). */
  private readonly seek: (RegExp | null)[];

  constructor(
    private readonly elements: Element[],
    private readonly holes: number,
    /** For a text with a line break, where the hole's `.` stops (no plain text has one). */
    private readonly re: RegExp,
  ) {
    for (const e of elements) if ('lit' in e) for (const p of e.lit) if ('word' in p) this.words.set(p.word, new RegExp(escapeRegExp(p.word), 'iy'));
    this.caps = new Array<number>(2 * holes).fill(0);
    const head = elements[0];
    const word = head && 'lit' in head ? head.lit[0] : undefined;
    this.first = word && 'word' in word ? this.words.get(word.word)! : null;
    this.seek = elements.map((e, k) => {
      const next = elements[k + 1];
      if (!('hole' in e) || !next || !('lit' in next)) return null;
      const start = next.lit[0]!;
      if ('word' in start) return new RegExp(escapeRegExp(start.word), 'gi');
      return start.ws === '+' ? /\s/g : null;
    });
    this.holeFailsFrom = new Float64Array(elements.length);
  }

  test(text: string): boolean {
    return this.exec(text) !== null;
  }

  exec(text: string): readonly string[] | null {
    // Most lines tried are not this one, and their first word says so.
    const first = this.first;
    if (first) {
      first.lastIndex = 0;
      if (!first.test(text)) return null;
    }
    if (LINE_BREAK.test(text)) return this.re.exec(text);
    const n = text.length;
    const els = this.elements;
    const caps = this.caps;
    const holeFailsFrom = this.holeFailsFrom.fill(Number.POSITIVE_INFINITY);
    const litFails = this.litFails;
    litFails.clear();
    this.steps = 0;

    const solve = (k: number, p: number): boolean => {
      this.steps++;
      if (k === els.length) {
        END.lastIndex = p;
        return END.test(text);
      }
      const e = els[k]!;
      if ('hole' in e) {
        if (p >= holeFailsFrom[k]!) return false;
        // Lazy: the shortest text first. Only where what follows can start (its first word,
        // or a space) is it tried: anywhere else it fails at once, so the order is the same.
        const seek = this.seek[k]!;
        for (let q = p; q <= n; q++) {
          if (seek) {
            seek.lastIndex = q;
            const at = seek.exec(text);
            if (at === null) break;
            q = at.index;
          }
          caps[2 * e.hole] = p;
          caps[2 * e.hole + 1] = q;
          if (solve(k + 1, q)) return true;
        }
        holeFailsFrom[k] = p;
        return false;
      }
      const key = k * (n + 1) + p;
      if (litFails.has(key)) return false;
      if (lit(k, e.lit, 0, p)) return true;
      litFails.add(key);
      return false;
    };

    const lit = (k: number, parts: Part[], j: number, p: number): boolean => {
      this.steps++;
      if (j === parts.length) return solve(k + 1, p);
      const part = parts[j]!;
      if ('word' in part) {
        const re = this.words.get(part.word)!;
        re.lastIndex = p;
        const m = re.exec(text);
        return m !== null && lit(k, parts, j + 1, p + m[0].length);
      }
      // Greedy, as `\s+` and `\s*` are: the longest run first.
      let run = 0;
      while (p + run < n && WS.test(text[p + run]!)) run++;
      for (let c = run; c >= (part.ws === '+' ? 1 : 0); c--) if (lit(k, parts, j + 1, p + c)) return true;
      return false;
    };

    if (!solve(0, 0)) return null;
    const out = [text];
    for (let h = 0; h < this.holes; h++) out.push(text.slice(caps[2 * h]!, caps[2 * h + 1]!));
    return out;
  }
}
