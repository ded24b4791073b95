// Templates: the one fenced block of a reference file, its holes, rendering and the inverse
// (recognising a rendered text and reading the values back).
//
// A hole is `<name>` where name matches [a-z][a-z0-9-]* (lowercase kebab-case), unless the
// same text also holds the closing tag `</name>`: then `<name>` is an XML/HTML-ish tag (as
// in `<input>TEXT</input>` of a delegation envelope) and literal text. Anything else in
// angle brackets (`<codex_delegation>`, `</x>`, `<br/>`, `<A>`) is literal. Fill-ins meant
// for a worker are written `[LIKE-THIS]` and are literal too.

import { classifyHole } from './slots.ts';
import type { Hole, Slot, Template, TemplateKind } from './types.ts';

/** One line, naming the template file and the hole. */
export class RenderError extends Error {
  override name = 'RenderError';
}

export type Segment = { kind: 'lit'; text: string } | { kind: 'hole'; name: string; index: number };

const HOLE = /<([a-z][a-z0-9-]*)>/g;

/** Splits a text into literal runs and holes (see the hole rule above). */
export function segments(text: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  HOLE.lastIndex = 0;
  for (let m = HOLE.exec(text); m; m = HOLE.exec(text)) {
    const name = m[1]!;
    if (text.includes(`</${name}>`)) continue;
    if (m.index > last) out.push({ kind: 'lit', text: text.slice(last, m.index) });
    out.push({ kind: 'hole', name, index: m.index });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'lit', text: text.slice(last) });
  return out;
}

/** Names of the holes still present in a text, first occurrence order, without repeats. */
export function unfilledHoles(text: string): string[] {
  const names: string[] = [];
  for (const s of segments(text)) if (s.kind === 'hole' && !names.includes(s.name)) names.push(s.name);
  return names;
}

/** Builds a template from a fenced block's text; `line` is the block's first content line. */
export function makeTemplate(kind: TemplateKind, file: string, line: number, text: string): Template {
  const holes: Hole[] = [];
  for (const s of segments(text)) {
    if (s.kind !== 'hole') continue;
    const before = text.slice(0, s.index);
    holes.push({ name: s.name, slot: classifyHole(s.name), line: line + countNewlines(before) });
  }
  return { kind, file, line, text, holes };
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** The slot of the k-th hole occurrence (the template's own classification when it has one). */
function slotOf(t: Template, k: number, name: string): Slot | null {
  const h = t.holes[k];
  return h && h.name === name ? h.slot : classifyHole(name);
}

/** The distinct slots a template's holes stand for. */
export function templateSlots(t: Template): Slot[] {
  const out: Slot[] = [];
  for (const h of t.holes) if (h.slot && !out.includes(h.slot)) out.push(h.slot);
  return out;
}

/**
 * Substitutes every hole by its slot's value, literally (a value is never rendered again and
 * may hold `<` and `>`). Throws RenderError for a hole without a slot or without a value, and
 * with `extra: 'error'` for a value given for a slot the template has no hole for.
 */
export function renderTemplate(
  t: Template,
  values: Partial<Record<Slot, string>>,
  opts: { extra?: 'error' | 'ignore' } = {},
): string {
  for (const h of t.holes) {
    if (!h.slot) throw new RenderError(`${t.file}:${h.line}: hole <${h.name}> fits no slot`);
    if (values[h.slot] === undefined) throw new RenderError(`${t.file}:${h.line}: no value for hole <${h.name}> (slot ${h.slot})`);
  }
  if (opts.extra === 'error') {
    const have = templateSlots(t);
    for (const [slot, v] of Object.entries(values)) {
      if (v !== undefined && !have.includes(slot as Slot)) {
        throw new RenderError(`${t.file}: value for slot ${slot}, which has no hole in this template`);
      }
    }
  }
  const inline = inlineSlots(t);
  for (const h of t.holes) {
    if (inline.has(h.slot!) && values[h.slot!]!.includes('\n')) {
      throw new RenderError(`${t.file}:${h.line}: hole <${h.name}> sits inside a line and takes one line; the value has a line break`);
    }
  }
  let out = '';
  let k = 0;
  for (const s of segments(t.text)) out += s.kind === 'lit' ? s.text : values[slotOf(t, k++, s.name)!]!;
  return out;
}

/** Whether the hole at segment `i` has text beside it on its own line (then it holds one line). */
function isInline(segs: ReturnType<typeof segments>, i: number): boolean {
  const prev = segs[i - 1];
  const next = segs[i + 1];
  return (prev?.kind === 'lit' && !/(^|\n)$/.test(prev.text)) || (next?.kind === 'lit' && !/^(\n|$)/.test(next.text));
}

/**
 * The values with every inline slot folded onto one line (list lines joined by `; `), so a
 * leader can fill any skill's template whatever its holes' layout.
 */
export function foldInline(t: Template, values: Partial<Record<Slot, string>>): Partial<Record<Slot, string>> {
  const inline = inlineSlots(t);
  const out: Partial<Record<Slot, string>> = { ...values };
  for (const slot of inline) {
    const v = out[slot];
    if (v !== undefined && v.includes('\n')) out[slot] = v.split('\n').map((l) => l.trim().replace(/^[-*]\s+/, '')).filter(Boolean).join('; ');
  }
  return out;
}

/** Slots with at least one inline hole: their values must be a single line. */
export function inlineSlots(t: Template): Set<Slot> {
  const segs = segments(t.text);
  const out = new Set<Slot>();
  let k = 0;
  segs.forEach((s, i) => {
    if (s.kind !== 'hole') return;
    const slot = slotOf(t, k++, s.name);
    if (slot && isInline(segs, i)) out.add(slot);
  });
  return out;
}

const regexCache = new WeakMap<Template, { re: RegExp; groups: (Slot | null)[] }>();

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function parser(t: Template): { re: RegExp; groups: (Slot | null)[] } {
  const cached = regexCache.get(t);
  if (cached) return cached;
  const groups: (Slot | null)[] = [];
  let src = '^';
  let k = 0;
  const segs = segments(t.text);
  segs.forEach((s, i) => {
    if (s.kind === 'lit') {
      src += escapeRegex(s.text);
      return;
    }
    const slot = slotOf(t, k++, s.name);
    const seen = slot ? groups.indexOf(slot) : -1;
    if (seen >= 0) {
      src += `\\${seen + 1}`;
    } else {
      groups.push(slot);
      // A hole with text beside it on its line (`Branch: <branch>`) holds one line; a hole
      // alone on its line may hold a block. Otherwise a lazy hole could swallow newlines and
      // a text that is not this template would still parse.
      src += isInline(segs, i) ? '([^\\n]*?)' : '([\\s\\S]*?)';
    }
  });
  src += '\\s*$';
  const built = { re: new RegExp(src), groups };
  regexCache.set(t, built);
  return built;
}

/**
 * The inverse of renderTemplate: the values of a text that is this template rendered, or
 * null. The template's literal runs must appear in order, the whole text covered (trailing
 * whitespace tolerated); a slot that occurs twice must have the same value both times.
 */
export function parseRendered(t: Template, text: string): Partial<Record<Slot, string>> | null {
  const { re, groups } = parser(t);
  const m = re.exec(text.replace(/\r\n?/g, '\n'));
  if (!m) return null;
  const out: Partial<Record<Slot, string>> = {};
  groups.forEach((slot, i) => {
    if (slot) out[slot] = m[i + 1]!;
  });
  return out;
}
