// Writing a form out: every hole filled, every list and table row repeated as often as there
// are items, every enumeration reduced to the option that holds. Writing is exact: literal
// lines stay as the template has them; values are inserted as given, never rendered again.

import type { FixedItem, Form, FormElement, HolePiece, Piece } from './form.ts';
import { listItems } from './lines.ts';
import { RenderError } from './template.ts';
import type { Slot } from './types.ts';

/** A row of a list or table: values by slot, or by the hole's name for free-text holes. */
export type FillRow = Readonly<Record<string, string | undefined>>;
/** A scalar, a list of lines (a list body), or rows (a table or a list of one item per worker). */
export type FillValue = string | readonly string[] | readonly FillRow[];
export type FillValues = Readonly<Partial<Record<Slot | string, FillValue>>>;

export interface HoleContext {
  name: string;
  slot: Slot | null;
  /** The field label, column header or section title the hole sits under. */
  label: string | null;
  row?: FillRow;
}

export interface FillOptions {
  /** Text for a hole no value was given for (a free-text hole); without it such a hole is an error. */
  free?: (hole: HoleContext) => string;
  /** Picks one option of an enumeration; the default takes the value when it is one, else the first option. */
  choose?: (options: string[], ctx: HoleContext & { value: string | undefined }) => string;
}

/** Lines with list markers stripped, joined onto one line: an inline hole holds one line. */
function oneLine(v: string): string {
  if (!v.includes('\n')) return v;
  return listItems(v).join('; ');
}

/** A value as text for a hole: lists become `- item` lines, rows their `text`. */
function asText(v: FillValue | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (v.length === 0) return 'none';
  return (v as readonly (string | FillRow)[]).map((r) => `- ${typeof r === 'string' ? r : (r.text ?? '')}`).join('\n');
}

/** A list or table that has a fixed row for the leader repeats the other rows only. */
const LEADER_ROW = /^(the\s+)?(leader|coordinator|lead)$/i;

const ALIASES: Partial<Record<Slot, Slot[]>> = {
  'thread-id': ['worker-thread-id'],
  'worker-thread-id': ['thread-id'],
  'verification-results': ['verification-commands'],
};

/** No keys, no words. */
// Stryker disable next-line ArrayDeclaration: a stand-in ("Stryker was here") names no slot or hole (their names are kebab-case) and is no option (options are single words)
const NONE: readonly never[] = [];

class Filler {
  constructor(
    private readonly form: Form,
    private readonly values: FillValues,
    private readonly opts: FillOptions,
  ) {}

  private lookup(slot: Slot | null, name: string, row: FillRow | undefined): string | undefined {
    const keys = slot ? [slot, ...(ALIASES[slot] ?? NONE)] : NONE;
    if (row) {
      for (const k of keys) if (row[k] !== undefined) return row[k];
      if (row[name] !== undefined) return row[name];
    }
    for (const k of keys) {
      const t = asText(this.values[k]);
      if (t !== undefined) return t;
    }
    return asText(this.values[name]);
  }

  private hole(p: HolePiece, label: string | null, row: FillRow | undefined, inline: boolean): string {
    const ctx: HoleContext = { name: p.name, slot: p.slot, label, ...(row ? { row } : {}) };
    const given = this.lookup(p.slot, p.name, row);
    if (p.options) return this.pick(p.options, ctx, given);
    let v = given;
    if (v === undefined) {
      if (!this.opts.free) throw new RenderError(`${this.form.file}:${this.at}: no value for hole <${p.name}>${p.slot ? ` (slot ${p.slot})` : ''}`);
      v = this.opts.free(ctx);
    }
    return inline ? oneLine(v) : v;
  }

  /** The line of the element being written, for errors. */
  at = 0;

  private pick(options: string[], ctx: HoleContext, value: string | undefined): string {
    // The value itself, or its first word (`aborted: the user cancelled` picks `aborted`).
    // Stryker disable next-line StringLiteral: options are single words (no spaces), so a stand-in word with spaces matches none
    const words = value === undefined ? NONE : [value.trim(), /^[\w-]+/.exec(value.trim())?.[0] ?? ''];
    const hit = options.find((o) => words.some((w) => o.toLowerCase() === w.toLowerCase()));
    if (hit) return hit;
    // What `choose` returns is written as it is, an option or not: a caller may write a wrong one on purpose.
    return this.opts.choose?.(options, { ...ctx, value }) ?? options[0]!;
  }

  pieces(ps: Piece[], label: string | null, row?: FillRow): string {
    let out = '';
    for (const p of ps) {
      if (p.t === 'lit') out += p.text;
      else if (p.t === 'hole') out += this.hole(p, label, row, true);
      else {
        const name = p.options.join('/');
        out += this.pick(p.options, { name, slot: p.slot, label, ...(row ? { row } : {}) }, this.lookup(p.slot, name, row));
      }
    }
    return out;
  }

  private fixed(f: FixedItem): string {
    // Stryker disable next-line StringLiteral: an unlabelled item has no blank slot, and blank() reads the label only through the slot
    if (f.value.length === 0) return this.blank(f.head, f.blankSlot, f.label ?? '');
    return `${f.head} ${this.pieces(f.value, f.label)}`;
  }

  /** A blank field (`Leader thread ID:`) is filled when the caller has a value for its label's slot. */
  private blank(head: string, slot: Slot | null, label: string): string {
    const v = slot ? this.lookup(slot, label, undefined) : undefined;
    return v === undefined ? head : `${head} ${oneLine(v)}`;
  }

  /** Rows for a repeated list item or table row: the slot's rows, or one row of the top-level values. */
  private rowsOf(slot: Slot | null, collection: boolean, hasLeaderRow: boolean): FillRow[] {
    if (!collection) return [{}];
    const v = slot ? this.values[slot] : undefined;
    if (v === undefined) return [];
    if (typeof v === 'string') return listItems(v).map((t) => ({ [slot!]: t }));
    const rows = (v as readonly (string | FillRow)[]).map((r) => (typeof r === 'string' ? { [slot!]: r, text: r } : r));
    // Stryker disable next-line StringLiteral: the stand-in role is no leader's name, just as the empty one is not
    return hasLeaderRow ? rows.filter((r) => !LEADER_ROW.test(r.role ?? '')) : rows;
  }

  element(el: FormElement): string[] {
    switch (el.kind) {
      case 'literal':
        return [this.form.lines[el.from]!];
      case 'field':
        return [el.value.length === 0 ? this.blank(el.head, el.blankSlot, el.label) : `${el.head} ${this.pieces(el.value, el.label)}`];
      case 'pattern':
        return [el.prefix + this.pieces(el.pieces, null)];
      case 'block':
        return this.hole(el.hole, el.label, undefined, false).split('\n');
      case 'list': {
        const out: string[] = [];
        const rows = this.rowsOf(
          el.slot,
          el.collection,
          // Stryker disable next-line ConditionalExpression,StringLiteral: 'repeat'.fixed is String.prototype.fixed, which has no subject, so the 'repeat' test only spares a lookup
          el.layout.some((it) => it !== 'repeat' && it.fixed.subject === 'leader'),
        );
        const item = el.repeats[0]!;
        for (const it of el.layout) {
          if (it !== 'repeat') {
            out.push(this.fixed(it.fixed));
            continue;
          }
          if (rows.length === 0) out.push(`${el.ordered ? '1.' : el.marker} none`);
          for (const [k, r] of rows.entries())
            out.push(`${el.ordered ? `${k + 1}.` : el.marker} ${this.pieces(item, el.label, el.collection ? r : undefined)}`);
        }
        return out;
      }
      case 'table': {
        const out = [this.form.lines[el.from]!, el.separator];
        const row = (cells: Piece[][], r?: FillRow) => `| ${cells.map((c, k) => this.pieces(c, el.header[k] ?? null, r)).join(' | ')} |`;
        for (const r of el.rows) {
          if ('fixed' in r) out.push(row(r.fixed.cells));
          else
            for (const v of this.rowsOf(
              el.slot,
              true,
              el.rows.some((x) => 'fixed' in x && x.fixed.subject === 'leader'),
            ))
              out.push(row(r.repeat, v));
        }
        return out;
      }
    }
  }
}

/**
 * The form filled in. Throws RenderError for a hole without a value (unless `free` supplies
 * one). Blank lines of the template stay where they are.
 */
export function fillForm(form: Form, values: FillValues, opts: FillOptions = {}): string {
  const f = new Filler(form, values, opts);
  const out: string[] = [];
  let i = 0;
  for (const el of form.elements) {
    for (; i < el.from; i++) out.push(form.lines[i]!);
    f.at = el.line;
    out.push(...f.element(el));
    i = el.to + 1;
  }
  for (; i < form.lines.length; i++) out.push(form.lines[i]!);
  return out.join('\n');
}
