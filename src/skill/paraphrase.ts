// A model does not copy a template byte for byte: it moves a field, numbers a list its own
// way, uses `*` for `-`, adds a line of its own, wraps the lot in a code fence, bolds the
// labels. `paraphrase` does those things to a filled-in text, seeded, the way a model that
// knows the template would: it keeps the header line first, keeps every value, and never
// puts a line of its own inside a value (where no reader could tell it from the value).
// The forms reader must understand the result as it understands the original.

import type { Form } from './form.ts';
import { locateAnchors } from './form-read.ts';
import { labelled, listMarker, tableCells, textLines } from './lines.ts';

export const PARAPHRASES = [
  'reorder-fields',
  'renumber-lists',
  'remark-lists',
  'add-prose',
  'add-table-row',
  'wrap-markdown',
  'bold-labels',
  'code-values',
  'trailing-space',
  'crlf',
] as const;
export type Paraphrase = (typeof PARAPHRASES)[number];

/** Lines a model adds of its own accord: no signal words, nothing a reader acts on. */
const PROSE = ['Here is the update.', 'Please read this carefully.', 'Written up below.', 'Thanks, see the details that follow.', 'All the fields are below.'];

function shuffle<T>(xs: T[], rand: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Rewrites `text` with a seeded choice of the rewrites above (each with probability one
 * half, at least one). `form` is the template the text was filled from, when known: it tells
 * which lines are fields that may move and where a line of prose would not fall inside a
 * value. Returns the new text and the rewrites applied.
 */
export function paraphrase(text: string, form: Form | null, rand: () => number): { text: string; applied: Paraphrase[] } {
  let applied = PARAPHRASES.filter(() => rand() < 0.5);
  if (applied.length === 0) applied = [PARAPHRASES[Math.floor(rand() * PARAPHRASES.length)]!];
  const has = (p: Paraphrase) => applied.includes(p);
  // The part a model would rewrite: the text outside an HTML comment (someone's private notes).
  const cut = text.indexOf('<!--');
  const tail = cut >= 0 ? text.slice(cut) : '';
  let lines = textLines(cut >= 0 ? text.slice(0, cut) : text);
  const header = /^\s*from:/i.test(lines[0]!) ? lines.shift()! : null;

  // Anchor lines (fields, literal lines) as the form sees them: fields may swap within a run
  // of adjacent field lines, and prose may go between two anchors, never before a value.
  const anchors = form ? locateAnchors(form, lines.join('\n')) : new Map<number, 'field' | 'other'>();
  if (has('reorder-fields')) {
    // Stryker disable next-line EqualityOperator: one more pass at i = lines.length finds no field and moves nothing
    for (let i = 0; i < lines.length; ) {
      let j = i;
      while (anchors.get(j) === 'field' && !listMarker(lines[j]!)) j++;
      // A run of one or none shuffles to itself and draws nothing.
      lines.splice(i, j - i, ...shuffle(lines.slice(i, j), rand));
      i = Math.max(j, i + 1);
    }
  }
  if (has('renumber-lists') || has('remark-lists')) {
    const start = Math.floor(rand() * 3);
    const bullet = ['*', '+', '-'][Math.floor(rand() * 3)]!;
    let n = start;
    lines = lines.map((l) => {
      const m = listMarker(l);
      if (!m) {
        if (l.trim() === '') n = start;
        return l;
      }
      const body = l.trimStart().slice(m.text.length).trimStart();
      const indent = ' '.repeat(m.indent);
      if (m.ordered && has('renumber-lists')) return `${indent}${n++}${rand() < 0.5 ? '.' : ')'} ${body}`;
      if (!m.ordered && has('remark-lists')) return `${indent}${bullet} ${body}`;
      return l;
    });
  }
  if (has('bold-labels') || has('code-values')) {
    lines = lines.map((l, i) => {
      if (anchors.get(i) !== 'field') return l;
      const lab = labelled(l);
      // Stryker disable next-line ConditionalExpression: a field's anchor line is found by its label, so it has one
      if (!lab) return l;
      // Stryker disable next-line MethodExpression: searching from the label's start or its first letter finds the same colon
      const colon = l.indexOf(':', l.indexOf(lab.label.charAt(0)));
      let head = l.slice(0, colon + 1);
      let rest = l.slice(colon + 1).trim();
      if (has('bold-labels')) head = head.replace(lab.label, `**${lab.label}**`);
      if (has('code-values') && rest !== '' && !rest.includes('`')) rest = `\`${rest}\``;
      return rest === '' ? head : `${head} ${rest}`;
    });
  }
  // Lines added last, from the bottom up, so the indices above stay true.
  const inserts: { at: number; lines: string[] }[] = [];
  if (has('add-table-row')) {
    // A table gets its data rows in another order and a row of dashes a model added.
    for (let i = 0; i + 1 < lines.length; i++) {
      const sep = tableCells(lines[i + 1]!);
      if (!tableCells(lines[i]!) || !sep?.every((c) => /^:?-+:?$/.test(c))) continue;
      let j = i + 2;
      while (j < lines.length && tableCells(lines[j]!)) j++;
      lines.splice(i + 2, j - i - 2, ...shuffle(lines.slice(i + 2, j), rand));
      inserts.push({ at: j, lines: [`| ${sep.map(() => '—').join(' | ')} |`] });
      i = j;
    }
  }
  if (has('add-prose')) {
    const spots = [0];
    // Stryker disable next-line EqualityOperator,ArithmeticOperator: past the last line there is no anchor, so a longer loop adds no spot
    for (let i = 0; i + 1 < lines.length; i++) if (anchors.has(i) && anchors.has(i + 1)) spots.push(i + 1);
    for (const at of shuffle(spots, rand).slice(0, 2)) inserts.push({ at, lines: [PROSE[Math.floor(rand() * PROSE.length)]!, ''] });
  }
  for (const ins of inserts.sort((a, b) => b.at - a.at)) lines.splice(ins.at, 0, ...ins.lines);
  if (has('wrap-markdown')) lines = ['```text', ...lines, '```'];
  if (has('trailing-space')) lines = lines.map((l, i) => (i % 3 === 1 ? `${l}  ` : l));
  let out = [...(header !== null ? [header, ''] : []), ...lines].join('\n') + (tail ? `\n${tail}` : '');
  if (has('crlf')) out = out.replace(/\n/g, '\r\n');
  return { text: out, applied };
}
