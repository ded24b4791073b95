// Reading text the way a careful person reads it: a line is understood by what it says, not
// by how it is decorated. List markers (`-`, `*`, `+`, `1.`, `1)`), heading hashes, quote
// marks, bold and italic markers, backticks, trailing spaces and the line ending are all
// decoration. Both the templates of a skill and the messages written from them (by our
// code, or by a model that rewrote them) go through these helpers, so the two sides agree.

/** A list item's marker, or null. `ordered` items are numbered (`1.`, `1)`). */
export interface Marker {
  text: string;
  ordered: boolean;
  indent: number;
}

// The marker must be followed by white space, so a bold lead (`**Label**:`) is not a bullet.
const LIST = /^(\s*)([-*+•]|\d{1,9}[.)])\s+(?=\S)/;
const HEADING = /^\s{0,3}#{1,6}\s+/;
const QUOTE = /^\s*>\s?/;

export function textLines(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').split('\n');
}

export function listMarker(line: string): Marker | null {
  const m = LIST.exec(line);
  if (!m) return null;
  return { text: m[2]!, ordered: /\d/.test(m[2]!), indent: m[1]!.length };
}

/** The line without its list marker, heading hashes or quote mark. */
export function stripMarker(line: string): string {
  let s = line.replace(QUOTE, '');
  const m = listMarker(s);
  if (m) s = s.slice(LIST.exec(s)![0].length);
  return s.replace(HEADING, '');
}

/**
 * `fn(key)`, remembered in `memo`: for the pure functions of a line that a reading calls again
 * and again (the same lines come back in every message of a run). Bounded: past `bound`
 * entries the memo starts afresh.
 */
function remember(memo: Map<string, string>, bound: number, key: string, fn: (key: string) => string): string {
  let out = memo.get(key);
  // Stryker disable next-line ConditionalExpression: a memo that always misses gives the same text
  if (out === undefined) {
    // Stryker disable next-line all: the bound only limits memory
    if (memo.size > bound) memo.clear();
    memo.set(key, (out = fn(key)));
  }
  return out;
}

/**
 * Bold, italic and code markers removed, whitespace collapsed and trimmed. Remembered: a reading
 * compares each item and piece of text with every element it might be, and five expressions
 * over a line cost more than a lookup.
 */
export function plain(s: string): string {
  return remember(plains, 50_000, s, plainOf);
}
const plains = new Map<string, string>();
function plainOf(s: string): string {
  return s
    .replace(/`/g, '')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[\s(])[*_]([^\s*_](?:[^*_]*[^\s*_])?)[*_](?=[\s).,:;!?]|$)/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
}

/** What two lines must share to be the same line: plain text, lower case, no final colon (remembered). */
export function norm(line: string): string {
  return remember(norms, 50_000, line, normOf);
}
const norms = new Map<string, string>();
function normOf(line: string): string {
  return plain(stripMarker(line)).toLowerCase().replace(/\s*:$/, '');
}

/** Words of a label or hole name as kebab-case (`Base commit` → `base-commit`). */
export function kebab(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, ''); // runs were made one dash above
}

export interface Labelled {
  /** The label as written (decoration removed). */
  label: string;
  /** `norm` of the label. */
  key: string;
  /** The text after the colon, as written (trimmed; decoration of the whole value removed). */
  rest: string;
}

/**
 * `Label: value` (also `- **Label**: value`, `## Label`, `Label:` with nothing after). A label
 * is short, starts with a letter or digit, and holds no angle bracket, backtick pair or
 * sentence end; the colon must end the line or be followed by a space. Null otherwise.
 */
export function labelled(line: string): Labelled | null {
  const body = stripMarker(line);
  if (HEADING.test(line.replace(QUOTE, '')) && !body.includes(':')) {
    const label = plain(body);
    return /^[\p{L}\p{N}]/u.test(label) ? { label, key: norm(label), rest: '' } : null;
  }
  // The bold may close before the colon (`**Label**:`) or after it (`**Label:**`).
  // One space after the colon is enough to tell a label: the value is trimmed anyway.
  const m = /^\s*(\*\*|__)?([^:]*?)\1?\s*:\1?(?:\s|$)(.*)$/.exec(body);
  if (!m) return null;
  const label = plain(m[2]!.replace(/(\*\*|__)/g, ''));
  if (!label || label.length > 80 || /[<>]|\.\s|^\W/.test(label)) return null;
  if (/`/.test(m[2]!) && !/^`[^`]*`$/.test(m[2]!.trim())) return null;
  return { label, key: norm(label), rest: unwrapValue(m[3]!) };
}

/** A value with the decoration a writer may put around it as a whole removed. */
export function unwrapValue(v: string): string {
  let s = v.trim();
  for (;;) {
    const w = /^(`+|\*\*|__)([\s\S]*)\1$/.exec(s);
    if (!w || w[2]!.trim() === '' || closesInside(w[1]!, w[2]!)) return s;
    s = w[2]!.trim();
  }
}

// `a` and `b` is two code spans, not one around "a` and `b": a delimiter that closes inside
// the value (for backticks, a run of the same length) means the ends belong to different spans.
function closesInside(delimiter: string, inner: string): boolean {
  if (delimiter[0] !== '`') return inner.includes(delimiter);
  return inner.match(/`+/g)?.some((run) => run.length === delimiter.length) ?? false;
}

/** Cells of a markdown table row, or null when the line is not one. */
export function tableCells(line: string): string[] | null {
  const t = line.trim();
  if (!t.startsWith('|')) return null;
  const inner = t.slice(1).replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((c) => c.trim());
}

export function isTableSeparator(cells: string[]): boolean {
  return cells.length > 0 && cells.every((c) => /^:?-{2,}:?$/.test(c.replace(/\s/g, '')));
}

/**
 * Lines of a list value: markers, numbering and backticks stripped, blank lines dropped, and
 * `none` (alone, or `none: …`, `none - …`) meaning an empty list. A value folded onto one line
 * (`a; b; c`) is split again.
 */
export function listItems(value: string | undefined): string[] {
  if (!value) return [];
  const all = textLines(value);
  // One unmarked line is a list folded onto it (`a; b; c`); a marked item is one item, `;` and all.
  const lines = all.length === 1 && !listMarker(all[0]!) ? all[0]!.split(/;\s/) : all;
  return separateItems(lines);
}

/**
 * Items already told apart (a list's rows, as the form reader found them): each is one item,
 * `;` and all, with its markup stripped and an item wrapped over lines made one line; `none`
 * and blanks dropped.
 */
export function separateItems(items: readonly string[]): string[] {
  return items.map(itemText).filter((l) => l !== '' && !/^\(?none\)?(\s*[:.\-—–(].*)?$/i.test(l));
}

/** An item's text without marker or markup, remembered: a journal's decisions are read again at every turn. */
function itemText(line: string): string {
  return remember(items, 20_000, line, itemOf);
}
function itemOf(line: string): string {
  return plain(stripMarker(line));
}
const items = new Map<string, string>();

/** Strips an HTML comment block: it is not content. */
export function withoutComments(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, '');
}

/** A text as a regular expression that matches it literally. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
