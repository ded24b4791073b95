// A template is a form. Real skills write their templates for a model to fill in: literal
// lines, labelled fields (`Base commit: <sha-…>`, or `Leader thread ID:` left blank),
// sections whose body is a hole or a list (`Detailed execution steps:` then `1. <step>`,
// which means a list of any length), table rows with holes that stand for one row per
// worker, enumerations to pick from (`pending/received`), and free-text holes. This module
// turns a template's text into that structure once; `form-fill.ts` writes a form out and
// `form-read.ts` reads a text back into values, forgivingly.
//
// Holes: `<name>`, where the name starts with a lower-case letter and may hold spaces and
// punctuation (`<commands or checks>`), unless the text also holds `</name>` (then it is a
// tag, such as `<input>…</input>` of a delegation envelope) or the name ends with `/`.
// `[LIKE-THIS]` is literal text meant for whoever receives the message.

import { isTableSeparator, kebab, labelled, listMarker, norm, stripMarker, tableCells, textLines } from './lines.ts';
import { classifyName, enumOptions, slotFor } from './slots.ts';
import type { Slot, TemplateKind } from './types.ts';

export type Piece =
  | { t: 'lit'; text: string }
  /** A hole; `options` when it is an enumeration hole such as `<yes/no>`. */
  | { t: 'hole'; name: string; slot: Slot | null; options: string[] | null }
  /** A literal enumeration written into the template (`pending/received`): pick one. */
  | { t: 'choice'; options: string[]; slot: Slot | null };

export type HolePiece = Extract<Piece, { t: 'hole' }>;

/** Who a fixed row or item is about when its label names the leader (`| Leader | <id> | …`). */
export type Subject = 'leader' | null;

interface Span {
  /** 0-based index of the element's first and last template line. */
  from: number;
  to: number;
  /** 1-based line in the skill file (the template's first content line + from). */
  line: number;
}

export interface FixedItem {
  /** The label as written (`Leader`, `Model`), or null for an unlabelled literal-led item. */
  label: string | null;
  key: string;
  /** The item as written up to and with its label's colon (marker included), or just its marker. */
  head: string;
  /** The item text after the label's colon (or the whole item). */
  value: Piece[];
  /** Its line, counted from the list's first. */
  offset: number;
  subject: Subject;
  /** For a blank labelled item (`- Last heartbeat:`): the slot its label names, which fills it. */
  blankSlot: Slot | null;
}

export type FormElement = Span &
  (
    | { kind: 'literal'; text: string; key: string; sectionLabel: boolean }
    /** `head` is the line as written up to and with the label's colon; the value follows after a space. */
    | { kind: 'field'; label: string; key: string; head: string; value: Piece[]; subject: Subject; blankSlot: Slot | null }
    | { kind: 'pattern'; prefix: string; pieces: Piece[] }
    | { kind: 'block'; hole: HolePiece; label: string | null }
    | {
        kind: 'list';
        label: string | null;
        slot: Slot | null;
        collection: boolean;
        ordered: boolean;
        marker: string;
        /** Template items in order: fixed ones, and `repeat` for where the repeated items go. */
        layout: ({ fixed: FixedItem } | 'repeat')[];
        /** The distinct patterns of the repeated items (`- <worker-a-role>: …` and `-b-` are one). */
        repeats: Piece[][];
      }
    | {
        kind: 'table';
        label: string | null;
        slot: Slot | null;
        header: string[];
        headerKeys: string[];
        /** The separator row as written. */
        separator: string;
        rows: ({ fixed: { key: string; cells: Piece[][]; subject: Subject } } | { repeat: Piece[][] })[];
      }
  );

export interface Form {
  kind: TemplateKind;
  file: string;
  /** 1-based line of the template's first line in its file. */
  line: number;
  text: string;
  lines: string[];
  elements: FormElement[];
}

const HOLE = /<([a-z][^<>\n]*?)>/g;
const CHOICE = /(?<![\w./-])([a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:\/[a-z][a-z0-9]*(?:-[a-z0-9]+)*)+)(?![\w/]|\.\w)/g;

/** The hole names of a text (see the rule at the top), each occurrence with its index. */
export function holesIn(text: string): { name: string; index: number; length: number }[] {
  const out: { name: string; index: number; length: number }[] = [];
  HOLE.lastIndex = 0;
  for (let m = HOLE.exec(text); m; m = HOLE.exec(text)) {
    const name = m[1]!;
    if (name.endsWith('/') || text.includes(`</${name}>`)) continue;
    out.push({ name, index: m.index, length: m[0].length });
  }
  return out;
}

/**
 * Splits one line into literal runs, holes and (with `choices`) literal enumerations. Only a
 * value is read for enumerations (a field's, a cell's, a repeated item's): in prose,
 * `generated/cache files` means "generated or cache files", not a choice to make.
 */
export function tokenize(text: string, kind: TemplateKind, label: string | null, choices = false): Piece[] {
  const out: Piece[] = [];
  const holes = holesIn(text);
  // A label names the value when the hole is the whole value; inside a sentence it does not.
  // (Values and cells come trimmed.)
  const whole = holes.length === 1 && text === `<${holes[0]!.name}>`;
  const holeLabel = whole ? label : null;
  const lit = (s: string) => {
    if (!choices) {
      out.push({ t: 'lit', text: s });
      return;
    }
    // Enumerations are looked for outside backticks only (`info/exclude` is a path).
    let last = 0;
    const outsideCode = s.replace(/`[^`]*`/g, (m) => ' '.repeat(m.length));
    CHOICE.lastIndex = 0;
    for (let m = CHOICE.exec(outsideCode); m; m = CHOICE.exec(outsideCode)) {
      const options = m[1]!.split('/');
      if (options.some((o) => o.length < 2)) continue;
      if (m.index > last) out.push({ t: 'lit', text: s.slice(last, m.index) });
      out.push({ t: 'choice', options, slot: choiceSlot(options, label, kind) });
      last = m.index + m[0].length;
    }
    if (last < s.length) out.push({ t: 'lit', text: s.slice(last) });
  };
  let at = 0;
  for (const h of holes) {
    if (h.index > at) lit(text.slice(at, h.index));
    const options = enumOptions(h.name);
    // An answer to pick (`<yes/no>`) fills no slot: it is chosen, not looked up.
    out.push({ t: 'hole', name: h.name, slot: options ? null : slotFor(h.name, holeLabel, kind), options });
    at = h.index + h.length;
  }
  if (at < text.length) lit(text.slice(at));
  return out;
}

/** What a literal enumeration chooses: the run's or a worker's state, by its words, else the label's slot. */
function choiceSlot(options: string[], label: string | null, kind: TemplateKind): Slot | null {
  const has = (w: string) => options.includes(w);
  if (options.some((o) => ANSWER_WORDS.has(o))) return null;
  if (has('not-started') || (has('started') && has('replaced'))) return 'startup';
  if (has('complete') && has('aborted')) return kind === 'final' ? 'outcome' : 'status';
  if (has('dispatched') || has('integrated') || has('received')) return 'status';
  return label ? classifyName(label, kind) : null;
}

export const hasSlots = (pieces: Piece[]): boolean => pieces.some((p) => p.t !== 'lit');
// Every caller passes a trimmed value or an item without its marker, so no blank run comes first.
// Stryker disable next-line ConditionalExpression: no caller passes nothing (a field's value and a list item are never empty)
const startsWithSlot = (pieces: Piece[]): boolean => pieces[0] !== undefined && pieces[0].t !== 'lit';

const ANSWER_WORDS = new Set(['yes', 'no', 'n-a', 'na', 'true', 'false']);

// Labels come as plain text: trimmed, one space between words.
const LEADER = /^(the )?(leader|coordinator|lead|orchestrator|manager)( thread)?$/i;
const subjectOf = (label: string | null): Subject => (label && LEADER.test(label) ? 'leader' : null);

/** Slots whose values are lists even when the template shows one item. */
const COLLECTIONS: ReadonlySet<Slot> = new Set<Slot>([
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
]);
/** Slots that key a row: a pattern holding one is a row per worker (or branch). */
const KEYS: ReadonlySet<Slot> = new Set<Slot>(['role', 'branch', 'worker-thread-id', 'thread-id']);

/** Re-slots the holes of a fixed row about the leader: its id is the leader's, its branch the integration branch. */
const LEADER_SLOTS: Partial<Record<Slot, Slot>> = {
  'thread-id': 'leader-thread-id',
  'worker-thread-id': 'leader-thread-id',
  branch: 'integration-branch',
  'working-directory': 'repo-path',
};
function forSubject(pieces: Piece[], subject: Subject): Piece[] {
  if (subject !== 'leader') return pieces;
  return pieces.map((p) => (p.t === 'hole' && p.slot && LEADER_SLOTS[p.slot] ? { ...p, slot: LEADER_SLOTS[p.slot]! } : p));
}

/** A hole standing alone on its line (a block: it may hold several lines). */
function aloneHole(line: string): string | null {
  const hs = holesIn(line);
  return hs.length === 1 && line.trim() === `<${hs[0]!.name}>` ? hs[0]!.name : null;
}

export function parseForm(kind: TemplateKind, file: string, line: number, text: string): Form {
  const lines = textLines(text);
  const elements: FormElement[] = [];
  let section: string | null = null;
  const span = (from: number, to: number): Span => ({ from, to, line: line + from });
  let i = 0;
  while (i < lines.length) {
    const raw = lines[i]!;
    if (raw.trim() === '') {
      i++;
      continue;
    }
    const cells = tableCells(raw);
    const sep = i + 1 < lines.length ? tableCells(lines[i + 1]!) : null;
    if (cells && sep && isTableSeparator(sep)) {
      let j = i + 2;
      const rows: Extract<FormElement, { kind: 'table' }>['rows'] = [];
      for (; j < lines.length && tableCells(lines[j]!); j++) {
        const rc = tableCells(lines[j]!)!;
        const pieces = rc.map((c, k) => tokenize(c, kind, cells[k] ?? null, true));
        // Stryker disable next-line ArrayDeclaration: a table row has at least one cell (tableCells never returns none)
        const first = pieces[0] ?? [];
        if (first.length > 0 && !hasSlots(first)) {
          const subject = subjectOf(rc[0]!);
          rows.push({ fixed: { key: norm(rc[0]!), cells: pieces.map((p) => forSubject(p, subject)), subject } });
        } else rows.push({ repeat: pieces });
      }
      const slot = section ? classifyName(section, kind) : null;
      elements.push({
        kind: 'table',
        ...span(i, j - 1),
        label: section,
        slot: slot ?? (rows.some((r) => 'repeat' in r) ? 'roster' : null),
        header: cells,
        headerKeys: cells.map(norm),
        separator: lines[i + 1]!,
        rows,
      });
      section = null;
      i = j;
      continue;
    }
    const marker = listMarker(raw);
    if (marker) {
      let j = i;
      const items: { from: number; to: number; text: string; prefix: string }[] = [];
      while (j < lines.length) {
        const l = lines[j]!;
        const m = listMarker(l);
        if (m && m.indent === marker.indent) {
          const body = stripMarker(l);
          items.push({ from: j, to: j, text: body, prefix: l.slice(0, l.length - body.length) });
          j++;
          continue;
        }
        // A deeper line belongs to the item above it (a nested list, a wrapped sentence).
        if (l.trim() !== '' && l.length - l.trimStart().length > marker.indent && items.length) {
          items[items.length - 1]!.to = j;
          j++;
          continue;
        }
        break;
      }
      const parsed = items.map((it) => {
        const pieces = tokenize(it.text, kind, null, true);
        const lab = labelled(it.text);
        const repeat = startsWithSlot(pieces);
        return { ...it, pieces: repeat ? pieces : tokenize(it.text, kind, null), lab, repeat };
      });
      if (!parsed.some((p) => p.repeat)) {
        for (const p of parsed) elements.push(anchorOf(kind, lines, p.from, p.to, p.prefix, p.text, span));
        i = j;
        continue;
      }
      const repeats: Piece[][] = [];
      const signature = (ps: Piece[]) =>
        JSON.stringify(ps.map((p) => (p.t === 'lit' ? p.text : p.t === 'hole' ? `<${p.slot ?? kebab(p.name).replace(/-[a-z]-/, '-')}>` : p.options.join('/'))));
      const seen = new Set<string>();
      let repeatCount = 0;
      const layout: Extract<FormElement, { kind: 'list' }>['layout'] = [];
      for (const p of parsed) {
        if (p.repeat) {
          repeatCount++;
          const sig = signature(p.pieces);
          if (!seen.has(sig)) {
            seen.add(sig);
            repeats.push(p.pieces);
            if (!layout.includes('repeat')) layout.push('repeat');
          }
          continue;
        }
        const label = p.lab && !p.lab.label.includes('<') ? p.lab.label : null;
        const subject = subjectOf(label);
        const line = lines[p.from]!;
        const head = label ? headOf(line) : p.prefix.trimEnd();
        let value = label ? tokenize(line.slice(head.length).trim(), kind, label, true) : p.pieces;
        if (label && !startsWithSlot(value)) value = tokenize(line.slice(head.length).trim(), kind, label);
        const blankSlot = label && value.length === 0 ? classifyName(label, kind) : null;
        layout.push({
          fixed: { label, key: label ? norm(label) : norm(p.text), head, value: forSubject(value, subject), offset: p.from - i, subject, blankSlot },
        });
      }
      // A literal run has no slot.
      const holeSlots = repeats.flat().map((x) => (x as { slot?: Slot | null }).slot ?? null);
      const labelSlot = section ? classifyName(section, kind) : null;
      // One pattern with one hole or choice: that piece (a repeated item starts with it).
      const single = repeats.length === 1 && repeats[0]!.filter((x) => x.t !== 'lit').length === 1 ? repeats[0]![0] : undefined;
      const slot = labelSlot ?? (single && single.t === 'hole' ? single.slot : null);
      const collection =
        repeatCount > 1 || single !== undefined || holeSlots.some((s) => s !== null && KEYS.has(s)) || (labelSlot !== null && COLLECTIONS.has(labelSlot));
      elements.push({
        kind: 'list',
        ...span(i, j - 1),
        label: section,
        slot,
        collection,
        ordered: marker.ordered,
        marker: marker.text,
        layout,
        repeats,
      });
      section = null;
      i = j;
      continue;
    }
    const alone = aloneHole(raw);
    if (alone !== null) {
      const options = enumOptions(alone);
      elements.push({
        kind: 'block',
        ...span(i, i),
        hole: { t: 'hole', name: alone, slot: options ? null : slotFor(alone, section, kind), options },
        label: section,
      });
      section = null;
      i++;
      continue;
    }
    const el = anchorOf(kind, lines, i, i, '', raw, span);
    elements.push(el);
    section =
      el.kind === 'literal' && el.sectionLabel
        ? el.text
            .replace(/^#+\s*/, '')
            .replace(/:\s*$/, '')
            .trim()
        : el.kind === 'field' && el.value.length === 0
          ? el.label
          : null;
    i++;
  }
  return { kind, file, line, text, lines, elements };
}

/** A line that can anchor a reading: literal, a labelled field, or a pattern with holes. */
function anchorOf(
  kind: TemplateKind,
  lines: string[],
  from: number,
  to: number,
  prefix: string,
  body: string,
  span: (from: number, to: number) => Span,
): FormElement {
  const raw = lines[from]!;
  const lab = labelled(raw);
  if (lab && !lab.label.includes('<') && lab.rest !== '') {
    const head = headOf(raw);
    const subject = subjectOf(lab.label);
    // A value that opens with an enumeration (`yes/no/n-a`) is one to choose from.
    let value = tokenize(raw.slice(head.length).trim(), kind, lab.label, true);
    if (!startsWithSlot(value)) value = tokenize(raw.slice(head.length).trim(), kind, lab.label);
    if (hasSlots(value))
      return { kind: 'field', ...span(from, to), label: lab.label, key: lab.key, head, value: forSubject(value, subject), subject, blankSlot: null };
  }
  const pieces = tokenize(body, kind, null);
  if (!hasSlots(pieces)) {
    const blankLabel = lab !== null && lab.rest === '';
    const heading = /^\s{0,3}#{1,6}\s/.test(raw);
    // `Label:` alone is a blank field when its label says what goes there; else a section title.
    const slot = blankLabel && !heading ? classifyName(lab!.label, kind) : null;
    if (slot && !followedByBody(lines, to)) {
      return {
        kind: 'field',
        ...span(from, to),
        label: lab!.label,
        key: lab!.key,
        head: headOf(raw),
        value: [],
        subject: subjectOf(lab!.label),
        blankSlot: slot,
      };
    }
    return { kind: 'literal', ...span(from, to), text: raw.trim(), key: norm(raw), sectionLabel: blankLabel || heading };
  }
  return { kind: 'pattern', ...span(from, to), prefix, pieces };
}

/** A labelled line up to and with its colon (and a bold marker closing right after it). */
function headOf(line: string): string {
  // Sticky, so the head starts where the line does.
  return /.*?:(\*\*|__)?/y.exec(line)![0];
}

/**
 * Whether the next non-blank line after `i` starts a body (a hole alone, a list or a table).
 * The next item of the list line `i` is in is not a body of it.
 */
function followedByBody(lines: string[], i: number): boolean {
  const own = listMarker(lines[i]!);
  for (let j = i + 1; j < lines.length; j++) {
    const l = lines[j]!;
    if (l.trim() === '') continue;
    const m = listMarker(l);
    if (own && m && m.indent <= own.indent) return false;
    return aloneHole(l) !== null || m !== null || tableCells(l) !== null;
  }
  return false;
}

/** Every piece of a form's values (field values, patterns, bodies, list items, table cells) with its line. */
export function formPieces(form: Form): { piece: Piece; line: number }[] {
  const out: { piece: Piece; line: number }[] = [];
  const add = (ps: Piece[], line: number) => {
    for (const piece of ps) out.push({ piece, line });
  };
  for (const el of form.elements) {
    if (el.kind === 'field') add(el.value, el.line);
    else if (el.kind === 'pattern') add(el.pieces, el.line);
    else if (el.kind === 'block') add([el.hole], el.line);
    else if (el.kind === 'list') {
      for (const it of fixedItems(el)) add(it.value, el.line + it.offset);
      for (const r of el.repeats) add(r, el.line);
    } else if (el.kind === 'table') {
      for (const [k, r] of el.rows.entries()) for (const c of 'fixed' in r ? r.fixed.cells : r.repeat) add(c, el.line + 2 + k);
    }
  }
  return out;
}

/** Every hole of a form with its slot and where it is, in template order. */
export function formHoles(form: Form): { name: string; slot: Slot | null; line: number; options: string[] | null }[] {
  return formPieces(form).flatMap(({ piece: p, line }) => (p.t === 'hole' ? [{ name: p.name, slot: p.slot, line, options: p.options }] : []));
}

const formCache = new Map<string, Map<string, Form>>();
/** The form of a template text, parsed once; found by the text itself (a key joined with it would be hashed anew at every call). */
export function formOf(kind: TemplateKind, file: string, line: number, text: string): Form {
  const where = `${kind}\0${file}\0${line}`;
  let f = formCache.get(where)?.get(text);
  if (!f) {
    f = parseForm(kind, file, line, text);
    formCache.set(where, (formCache.get(where) ?? new Map<string, Form>()).set(text, f));
  }
  return f;
}

/** A list's fixed items, in template order. */
function fixedItems(el: Extract<FormElement, { kind: 'list' }>): FixedItem[] {
  return el.layout.flatMap((it) => (it === 'repeat' ? [] : [it.fixed]));
}

/** Every slot a form has a place for: its holes' and choices', its lists' and tables', its blank fields' and items'. */
export function formSlots(form: Form): Set<Slot> {
  const out = new Set<Slot>();
  // Read with no test of the kind: holes, choices, lists and tables have a slot, blank fields and items a blank slot, the rest neither.
  const add = (x: object) => {
    const { slot, blankSlot } = x as { slot?: Slot | null; blankSlot?: Slot | null };
    if (slot) out.add(slot);
    if (blankSlot) out.add(blankSlot);
  };
  for (const { piece } of formPieces(form)) add(piece);
  for (const el of form.elements) {
    add(el);
    if (el.kind === 'list') for (const it of fixedItems(el)) add(it);
  }
  return out;
}

/** How a value is given for one key (a slot, or a free-text hole's own name). */
export interface ValueSpec {
  key: string;
  slot: Slot | null;
  /** An inline hole holds one line; a block hole several. */
  inline: boolean;
  /** An enumeration: one of these. */
  options: string[] | null;
}

/**
 * What filling a form takes: the scalar values (by slot, or by hole name for free-text holes)
 * and the collections (by slot, each with the keys of its rows). The leader must say the same
 * thing twice when a slot appears twice, so each key is listed once.
 */
export function formSchema(form: Form): { scalars: ValueSpec[]; collections: { slot: Slot | null; columns: ValueSpec[] }[] } {
  const scalars = new Map<string, ValueSpec>();
  const collections: { slot: Slot | null; columns: ValueSpec[] }[] = [];
  const spec = (p: Piece, inline: boolean): ValueSpec | null => {
    if (p.t === 'lit') return null;
    if (p.t === 'choice') return { key: p.slot ?? p.options.join('/'), slot: p.slot, inline: true, options: p.options };
    return { key: p.slot ?? p.name, slot: p.slot, inline, options: p.options };
  };
  const addScalar = (s: ValueSpec | null) => {
    if (!s) return;
    const prev = scalars.get(s.key);
    if (!prev || (prev.inline === false && s.inline)) scalars.set(s.key, s);
  };
  const columns = (ps: Piece[][]) => {
    const out = new Map<string, ValueSpec>();
    for (const p of ps.flat()) {
      const s = spec(p, true);
      if (s && !out.has(s.key)) out.set(s.key, s);
    }
    return [...out.values()];
  };
  for (const el of form.elements) {
    if (el.kind === 'field') {
      // Only a blank field (no value) has a blank slot.
      if (el.blankSlot) addScalar({ key: el.blankSlot, slot: el.blankSlot, inline: true, options: null });
      for (const p of el.value) addScalar(spec(p, true));
    } else if (el.kind === 'pattern') for (const p of el.pieces) addScalar(spec(p, true));
    else if (el.kind === 'block') addScalar(spec(el.hole, false));
    else if (el.kind === 'list') {
      for (const it of fixedItems(el)) for (const p of it.value) addScalar(spec(p, true));
      if (el.collection) collections.push({ slot: el.slot, columns: columns(el.repeats) });
      else {
        // Stryker disable next-line ArrayDeclaration: a list element is made only when it has a repeated item
        for (const p of el.repeats[0] ?? []) addScalar(spec(p, true));
      }
    } else if (el.kind === 'table') {
      for (const r of el.rows) {
        if ('fixed' in r) for (const p of r.fixed.cells.flat()) addScalar(spec(p, true));
        else collections.push({ slot: el.slot, columns: columns(r.repeat) });
      }
    }
  }
  // A block hole and an inline hole of one slot: the value must fit the inline one.
  return { scalars: [...scalars.values()], collections };
}
