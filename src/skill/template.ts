// A template's text, its holes, and the error a form that cannot be filled raises. How a
// template is read as a form (fields, lists, tables) is `form.ts`; writing one out is
// `form-fill.ts`, reading one back `form-read.ts`.

import { formHoles, formOf, holesIn } from './form.ts';
import type { Hole, Template, TemplateKind } from './types.ts';

/** One line, naming the template file and the hole. */
export class RenderError extends Error {
  override name = 'RenderError';
}

export type Segment = { kind: 'lit'; text: string } | { kind: 'hole'; name: string; index: number };

/** Splits a text into literal runs and holes (the hole rule of `form.ts`). */
export function segments(text: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const h of holesIn(text)) {
    if (h.index > last) out.push({ kind: 'lit', text: text.slice(last, h.index) });
    out.push({ kind: 'hole', name: h.name, index: h.index });
    last = h.index + h.length;
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
  const holes: Hole[] = formHoles(formOf(kind, file, line, text)).map((h) => ({ name: h.name, slot: h.slot, line: h.line }));
  return { kind, file, line, text, holes };
}
