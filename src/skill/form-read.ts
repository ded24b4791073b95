// Reading a text back into a form's values, the way a careful person reads a filled-in form:
// by its labels and its structure, not by its exact bytes. Fields may come in any order;
// extra lines and fields are ignored; list markers may be `-`, `*`, `1.` or `1)`, numbered
// any way; labels may be bold; values may be in backticks; lines may end in spaces or CRLF;
// table rows may come in any order and number; the whole may be wrapped in a code fence or
// in a `<codex_delegation>` envelope. What the form asks for and the text lacks is reported.
//
// How: the form's anchors (literal lines, labels, patterns, table headers) are found in the
// text, in order where possible and anywhere otherwise. A body (a hole alone on its line, a
// list, a table) is read from the lines after the last anchor of the group before it up to
// the next anchor found.

import { unwrapDelegation } from '../contract/envelopes.ts';
import type { Form, FormElement, Piece } from './form.ts';
import { type LineMatcher, lineMatcher } from './line-match.ts';
import {
  isTableSeparator,
  labelled,
  listItems,
  listMarker,
  norm,
  plain,
  separateItems,
  stripMarker,
  tableCells,
  textLines,
  unwrapValue,
  withoutComments,
} from './lines.ts';
import type { Slot } from './types.ts';

export interface Row {
  /** The item or row as written (marker removed). */
  text: string;
  values: Partial<Record<Slot, string>>;
  /** Values by the hole's own name (free-text holes have no slot). */
  holes: Record<string, string>;
}

export interface FormReading {
  /** Anchors found / anchors of the form: how surely the text is this form. */
  score: number;
  anchors: number;
  found: number;
  /** First non-empty value of each slot, from fields, patterns, bodies and single-row lists. */
  values: Partial<Record<Slot, string>>;
  holes: Record<string, string>;
  /** Lists and tables of rows, with the slot of their section (a roster, the merges, …). */
  lists: { slot: Slot | null; label: string | null; rows: Row[] }[];
  /** Fixed rows and items about someone (a roster's Leader row). */
  subjects: Partial<Record<'leader', Row>>;
  /** Labelled fields and patterns with holes that the text does not have. */
  missing: { line: number; what: string }[];
  /** Holes read empty or still holding a hole (`<base-commit>`). */
  unfilled: { line: number; name: string; slot: Slot | null }[];
  /** The lines the form does not account for (a header, a preamble, anything pasted in). */
  extra: string;
}

export interface Line {
  raw: string;
  key: string;
  lab: ReturnType<typeof labelled>;
  cells: string[] | null;
  flat: string;
}

/** What a line says, remembered: the same lines (a template's fixed text) come back in every
 * message, and a run reads thousands of them. The memo is bounded and holds pure results.
 */
const lineMemo = new Map<string, Line>();
function lineOf(raw: string): Line {
  let l = lineMemo.get(raw);
  // Stryker disable next-line ConditionalExpression: a memo that always misses gives the same lines
  if (!l) {
    // Stryker disable next-line all: the bound only limits memory
    if (lineMemo.size > 50_000) lineMemo.clear();
    l = { raw, key: norm(raw), lab: labelled(raw), cells: tableCells(raw), flat: plain(stripMarker(raw)) };
    lineMemo.set(raw, l);
  }
  return l;
}

/** A text as the reader sees it, line by line (kept a while: recognise tries every form on it). */
export function textToLines(text: string): readonly Line[] {
  return textMemo.get(text) ?? rememberLines(text);
}

const FENCE = /^\s*(```|~~~)/;
const LEFT_HOLE = /<[a-z][a-z0-9 -]*>/;

/** The text's lines, unwrapped from an envelope and a code fence, comments dropped. */
export function readableLines(text: string): string[] {
  const body = unwrapDelegation(text)?.text ?? text;
  return textLines(withoutComments(body)).map((l) => (FENCE.test(l) ? '' : l.trimEnd())); // what /\s+$/ drops, without its backtracking
}

const matchers = new WeakMap<Piece[], LineMatcher>();
function cachedMatcher(ps: Piece[]): LineMatcher {
  let r = matchers.get(ps);
  // Stryker disable next-line ConditionalExpression: a cache that always misses gives the same matcher
  if (!r) matchers.set(ps, (r = lineMatcher(ps)));
  return r;
}

class Reader {
  readonly lines: readonly Line[];
  readonly pos = new Map<FormElement, number>();
  readonly out: FormReading;

  constructor(
    private readonly form: Form,
    text: string | readonly Line[],
  ) {
    this.lines = typeof text === 'string' ? textToLines(text) : text;
    this.out = { score: 0, anchors: 0, found: 0, values: {}, holes: {}, lists: [], subjects: {}, missing: [], unfilled: [], extra: '' };
  }

  /** Whether a line is where a pattern or a table's header stands (literals and fields are found by their key). */
  private matches(el: FormElement, l: Line): boolean {
    if (el.kind === 'pattern') return cachedMatcher(el.pieces).test(l.flat);
    return el.kind === 'table' && l.cells !== null && el.headerKeys.every((k) => l.cells!.some((c) => norm(c) === k));
  }

  /**
   * Finds each anchor's line. A label can occur twice (a dispatch that carries the report
   * template has two `Branch:` lines) and fields can come in another order, so the lines an
   * anchor could be are settled by evidence: first the anchors with one candidate, then each
   * other one, in form order, at the candidate between (else nearest to) its settled
   * neighbours.
   */
  locate(): void {
    const anchors = this.form.elements.filter((el) => el.kind !== 'block' && el.kind !== 'list');
    this.out.anchors = anchors.length;
    // Where each key and each label stands: found once per text for all the forms tried on
    // it (a message is read with every form it could be). The lists are only read here.
    const index = lineIndex(this.lines);
    const byKey = index.byKey;
    const byLabel = index.byLabel;

    const candidates = anchors.map((el) => {
      // A line without words has no key: a literal of none is never found.
      if (el.kind === 'literal') return byKey.get(el.key) ?? [];
      if (el.kind === 'field') return byLabel.get(el.key) ?? [];
      const out: number[] = [];
      this.lines.forEach((l, i) => {
        if (this.matches(el, l)) out.push(i);
      });
      return out;
    });
    const at: (number | undefined)[] = anchors.map(() => undefined);
    const used = new Set<number>();
    candidates.forEach((c, k) => {
      if (c.length === 1 && !used.has(c[0]!)) {
        at[k] = c[0]!;
        used.add(c[0]!);
      }
    });
    anchors.forEach((_, k) => {
      if (at[k] !== undefined) return;
      const free = candidates[k]!.filter((i) => !used.has(i));
      if (free.length === 0) return;
      let prev = -1;
      for (let j = k - 1; j >= 0 && prev < 0; j--) if (at[j] !== undefined) prev = at[j]!;
      let next = Infinity;
      for (let j = k + 1; j < anchors.length && next === Infinity; j++) if (at[j] !== undefined) next = at[j]!;
      const between = free.find((i) => i > prev && i < next);
      const near = (i: number) => Math.min(Math.abs(i - prev), next === Infinity ? Infinity : Math.abs(i - next));
      const hit = between ?? free.reduce((a, b) => (near(b) < near(a) ? b : a));
      at[k] = hit;
      used.add(hit);
    });
    anchors.forEach((el, k) => {
      if (at[k] === undefined) {
        if ((el.kind === 'field' && el.value.some((p) => p.t !== 'lit')) || el.kind === 'pattern')
          this.out.missing.push({ line: el.line, what: el.kind === 'field' ? el.label : this.form.lines[el.from]!.trim() });
        return;
      }
      this.pos.set(el, at[k]!);
      this.out.found++;
    });
    this.out.score = this.out.anchors === 0 ? 0 : this.out.found / this.out.anchors;
  }

  /** Lines of a body: after the group of anchors before it, up to the next anchor found. */
  region(k: number): Line[] {
    const els = this.form.elements;
    let start = -1;
    let j = k - 1;
    if (els[k]!.kind === 'table') start = this.pos.get(els[k]!) ?? -1;
    else {
      for (; j >= 0 && els[j]!.kind !== 'block' && els[j]!.kind !== 'list' && els[j]!.kind !== 'table'; j--) {
        const p = this.pos.get(els[j]!);
        if (p !== undefined) start = Math.max(start, p);
      }
      if (start < 0 && j >= 0) return [];
    }
    // Stryker disable next-line ArrayDeclaration: a table reads rows from lines only; an array of anything else reads none, as an empty one does
    if (els[k]!.kind === 'table' && start < 0) return [];
    const anchors = new Set(this.pos.values());
    let end = start + 1;
    // Stryker disable next-line EqualityOperator: one step past the last line reads and covers nothing more
    while (end < this.lines.length && !anchors.has(end)) end++;
    // Stryker disable next-line EqualityOperator: line `end` is an anchor (covered already) or past the last line
    for (let i = start + 1; i < end; i++) this.covered.add(i);
    return this.lines.slice(start + 1, end);
  }

  /** Lines a body or an anchor accounts for; the rest is text the form does not have. */
  private readonly covered = new Set<number>();

  private put(slot: Slot | null, name: string, value: string, line: number): void {
    const v = value.trim();
    if (v === '' || LEFT_HOLE.test(v)) this.out.unfilled.push({ line, name, slot });
    if (this.out.holes[name] === undefined || this.out.holes[name] === '') this.out.holes[name] = v;
    if (slot && v !== '' && this.out.values[slot] === undefined) this.out.values[slot] = v;
  }

  /** Reads pieces off one line of text into a row; null when the line is not of that shape. */
  parse(ps: Piece[], text: string): Row | null {
    const holes = ps.filter((p): p is Exclude<Piece, { t: 'lit' }> => p.t !== 'lit');
    const row: Row = { text, values: {}, holes: {} };
    const set = (p: Exclude<Piece, { t: 'lit' }>, v: string) => {
      const value = unwrapValue(v);
      row.holes[nameOf(p)] = value;
      if (p.slot && row.values[p.slot] === undefined) row.values[p.slot] = value;
    };
    if (holes.length === 1 && ps.every((p) => p.t !== 'lit' || plain(p.text) === '')) {
      set(holes[0]!, text);
      return row;
    }
    const re = cachedMatcher(ps);
    const m = re.exec(plain(text));
    if (!m) return null;
    // Every hole takes part in any match (lineMatcher), so each has its text.
    holes.forEach((p, i) => {
      set(p, m[i + 1]!);
    });
    return row;
  }

  read(): FormReading {
    this.locate();
    for (const i of this.pos.values()) this.covered.add(i);
    this.form.elements.forEach((el, k) => {
      const at = this.pos.get(el);
      if (el.kind === 'field' && at !== undefined) {
        const rest = this.lines[at]!.lab!.rest;
        if (el.value.length === 0) {
          // A blank field is the writer's to fill or leave: read when filled, never "unfilled".
          // (`rest` is unwrapped, so trimmed.)
          if (el.blankSlot && rest !== '') this.put(el.blankSlot, el.label, rest, el.line);
          return;
        }
        const row = this.parse(el.value, rest) ?? this.loose(el.value, rest);
        this.take(row, el.value, el.line);
        if (el.subject) this.out.subjects[el.subject] = row;
      } else if (el.kind === 'pattern' && at !== undefined) {
        const row = this.parse(el.pieces, stripMarker(this.lines[at]!.raw));
        // Stryker disable next-line ConditionalExpression: a pattern is found by the very regex that parses it, so a found one parses
        if (row) this.take(row, el.pieces, el.line);
      } else if (el.kind === 'block') {
        // Blank lines around the body go with put's trim.
        this.put(
          el.hole.slot,
          el.hole.name,
          this.region(k)
            .map((l) => l.raw)
            .join('\n'),
          el.line,
        );
      } else if (el.kind === 'list') this.list(el, this.region(k));
      else if (el.kind === 'table') this.table(el, this.region(k));
    });
    this.out.extra = this.lines
      // Readable lines carry no trailing blanks, so a blank line is empty.
      .filter((l, i) => !this.covered.has(i) && l.raw !== '')
      .map((l) => l.raw)
      .join('\n');
    return this.out;
  }

  /** When a value does not have its field's shape, the first hole takes it whole. */
  private loose(ps: Piece[], rest: string): Row {
    const row: Row = { text: rest, values: {}, holes: {} };
    const first = ps.find((p): p is Exclude<Piece, { t: 'lit' }> => p.t !== 'lit');
    if (first) {
      row.holes[nameOf(first)] = unwrapValue(rest);
      if (first.slot) row.values[first.slot] = unwrapValue(rest);
    }
    return row;
  }

  /** A row's values become the form's (first value of a slot wins); empty or unfilled holes are noted. */
  private take(row: Row, ps: Piece[], line: number): void {
    for (const p of ps) if (p.t !== 'lit') this.put(p.slot, nameOf(p), row.holes[nameOf(p)] ?? '', line);
  }

  private list(el: Extract<FormElement, { kind: 'list' }>, region: Line[]): void {
    const items: string[] = [];
    for (const l of region) {
      // A line's text carries no blanks at its end, and stripMarker takes the marker's spaces.
      if (listMarker(l.raw)) items.push(stripMarker(l.raw));
      else {
        // Stryker disable next-line ConditionalExpression: with no item yet, items[-1] is a property the loop below never reads
        if (items.length && /^\s+\S/.test(l.raw)) items[items.length - 1] += `\n${l.raw.trim()}`;
      }
    }
    const rows: Row[] = [];
    for (const item of items) {
      const lab = labelled(item);
      // Stryker disable next-line StringLiteral: a string's `.fixed` is String.prototype.fixed, whose `.key` is undefined: 'repeat' matches no label anyway
      const fixed = el.layout.find((x) => x !== 'repeat' && lab !== null && x.fixed.key === lab.key);
      // Stryker disable next-line StringLiteral: the find above never returns 'repeat' (it is there for the type)
      if (fixed && fixed !== 'repeat') {
        const rest = lab!.rest;
        const row = fixed.fixed.value.length
          ? (this.parse(fixed.fixed.value, rest) ?? this.loose(fixed.fixed.value, rest))
          : { text: rest, values: {}, holes: {} };
        if (fixed.fixed.subject) this.out.subjects[fixed.fixed.subject] = row;
        if (fixed.fixed.blankSlot) {
          // Stryker disable next-line MethodExpression: a label's rest comes trimmed (unwrapValue)
          if (rest.trim() !== '') {
            // Stryker disable next-line StringLiteral: an item has a blank slot only when it has a label (the slot comes from it)
            this.put(fixed.fixed.blankSlot, fixed.fixed.label ?? '', rest, el.line);
          }
        } else this.take(row, fixed.fixed.value, el.line);
        continue;
      }
      // Stryker disable next-line StringLiteral: a string's `.fixed` is String.prototype.fixed, whose `.label` is undefined, not null: 'repeat' is never skipped here anyway
      if (el.layout.some((x) => x !== 'repeat' && x.fixed.label === null && x.fixed.key === norm(item))) continue;
      if (/^\(?none\)?\.?$/i.test(plain(item))) continue;
      let row: Row | null = null;
      for (const r of el.repeats) if ((row = this.parse(r, item))) break;
      rows.push(row ?? { text: item, values: {}, holes: {} });
    }
    if (el.collection) this.out.lists.push({ slot: el.slot, label: el.label, rows });
    else if (rows[0]) this.take(rows[0], el.repeats[0]!, el.line);
  }

  private table(el: Extract<FormElement, { kind: 'table' }>, region: Line[]): void {
    const at = this.pos.get(el);
    // Columns as the text orders them (a writer may have moved one).
    const order = at === undefined ? el.headerKeys : this.lines[at]!.cells!.map(norm);
    const column = (k: number) => order.indexOf(el.headerKeys[k]!);
    const repeat = el.rows.find((r): r is { repeat: Piece[][] } => 'repeat' in r)?.repeat;
    const rows: Row[] = [];
    for (const l of region) {
      const cells = l.cells;
      if (!cells || isTableSeparator(cells)) continue;
      if (cells.every((c) => /^[\s—–-]*$/.test(plain(c)) || LEFT_HOLE.test(c))) continue;
      const ordered = el.headerKeys.map((_, k) => cells[column(k)] ?? '');
      if (ordered.every((c, k) => norm(c) === el.headerKeys[k])) continue;
      const fixed = el.rows.find((r) => 'fixed' in r && r.fixed.key === norm(ordered[0]!));
      const pattern = fixed && 'fixed' in fixed ? fixed.fixed.cells : repeat;
      if (!pattern) continue;
      const row: Row = { text: l.raw.trim(), values: {}, holes: {} };
      pattern.forEach((ps, k) => {
        const r = this.parse(ps, ordered[k] ?? '') ?? this.loose(ps, ordered[k] ?? '');
        Object.assign(row.holes, r.holes);
        for (const [s, v] of Object.entries(r.values)) if (row.values[s as Slot] === undefined) row.values[s as Slot] = v;
      });
      if (fixed && 'fixed' in fixed) {
        if (fixed.fixed.subject) this.out.subjects[fixed.fixed.subject] = row;
        this.take(row, pattern.flat(), el.line);
      } else rows.push(row);
    }
    this.out.lists.push({ slot: el.slot, label: el.label, rows });
  }
}

/** Which lines of a text are the form's anchors: labelled fields, or other anchor lines. */
export function locateAnchors(form: Form, text: string): Map<number, 'field' | 'other'> {
  const r = new Reader(form, text);
  r.locate();
  const out = new Map<number, 'field' | 'other'>();
  for (const [el, i] of r.pos) out.set(i, el.kind === 'field' ? 'field' : 'other');
  return out;
}

/** The key a hole's (or an enumeration's) value is kept under in a row. */
function nameOf(p: Exclude<Piece, { t: 'lit' }>): string {
  return p.t === 'hole' ? p.name : p.options.join('/');
}

/** Reads a text as a filled-in form. Never throws: what is missing is reported. */
export function readForm(form: Form, text: string | readonly Line[]): FormReading {
  if (typeof text !== 'string') return new Reader(form, text).read();
  // The same message is read again and again (a dispatch, each time the leader looks at a
  // worker's thread): a reading is a pure function of the form and the text, so it is kept.
  let memo = readings.get(form);
  if (!memo) readings.set(form, (memo = new Map()));
  let r = memo.get(text);
  if (!r) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: a cache that never empties gives the same readings
    if (memo.size > 2_000) memo.clear();
    memo.set(text, (r = new Reader(form, text).read()));
  }
  return r;
}

const readings = new WeakMap<Form, Map<string, FormReading>>();

/** The value of a slot: a scalar, else a collection's rows as lines. */
export function slotValue(r: FormReading, slot: Slot): string | undefined {
  const v = r.values[slot];
  if (v !== undefined) return v;
  const list = r.lists.find((l) => l.slot === slot);
  return list ? list.rows.map((x) => x.text).join('\n') : undefined;
}

/**
 * The items of a slot: a list's rows one item each, as the reader told them apart; a value
 * written on a line or in a body split as `listItems` splits it (`a; b` folded onto one line).
 * Joining the rows first and splitting again would take a lone item holding `; ` for two.
 */
export function slotItems(r: FormReading, slot: Slot): string[] {
  const v = r.values[slot];
  if (v !== undefined) return listItems(v);
  const list = r.lists.find((l) => l.slot === slot);
  return list ? separateItems(list.rows.map((x) => x.text)) : [];
}

/** The rows of the collection with this slot (a roster, the merges), or none. */
export function rowsOf(r: FormReading, slot: Slot): Row[] {
  return r.lists.filter((l) => l.slot === slot).flatMap((l) => l.rows);
}

/**
 * The lines of the last texts read. A message is read with every form it could be, and a
 * split and a lookup per line cost more than the reading; the memo is bounded, its lines pure.
 */
const textMemo = new Map<string, readonly Line[]>();
function rememberLines(text: string): readonly Line[] {
  // Stryker disable next-line all: the bound only limits memory
  if (textMemo.size > 64) textMemo.clear();
  const lines = readableLines(text).map(lineOf);
  textMemo.set(text, lines);
  return lines;
}

/** The lines each key and each label stands on, in order, per text. */
const indexes = new WeakMap<readonly Line[], { byKey: Map<string, number[]>; byLabel: Map<string, number[]> }>();
function lineIndex(lines: readonly Line[]): { byKey: Map<string, number[]>; byLabel: Map<string, number[]> } {
  let index = indexes.get(lines);
  // Stryker disable next-line ConditionalExpression: a memo that always misses gives the same index
  if (index) return index;
  index = { byKey: new Map(), byLabel: new Map() };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.key) add(index.byKey, l.key, i);
    if (l.lab) add(index.byLabel, l.lab.key, i);
  }
  indexes.set(lines, index);
  return index;
}
function add(m: Map<string, number[]>, key: string, i: number): void {
  const at = m.get(key);
  if (at) at.push(i);
  else m.set(key, [i]);
}
