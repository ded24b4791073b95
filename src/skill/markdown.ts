// Just enough Markdown for skill files: YAML front-matter, ATX headings, fenced blocks,
// list items and inline code spans, all with 1-based line numbers of the original file.
// Headings, lists and code spans are only recognised outside fenced blocks.

import { parseDocument } from 'yaml';

export interface Heading {
  line: number;
  level: number;
  text: string;
}

export interface Fence {
  /** Line of the opening fence. */
  open: number;
  /** Line of the closing fence, null when the block is never closed. */
  close: number | null;
  /** The content lines, joined by "\n" (no trailing newline). */
  text: string;
}

export interface FrontMatter {
  /** Parsed YAML (null when the YAML is broken, see `error`). */
  data: Record<string, unknown> | null;
  error: { line: number; message: string } | null;
  /** Line of each top-level key. */
  keyLines: Record<string, number>;
  /** Last line of the front-matter (its closing `---`). */
  end: number;
}

export interface CodeSpan {
  text: string;
  /** 0-based column of the opening backtick. */
  col: number;
  /** 0-based column just past the closing backtick. */
  end: number;
}

export interface MdDoc {
  /** lines[i] is line i + 1. */
  lines: string[];
  frontMatter: FrontMatter | null;
  headings: Heading[];
  fences: Fence[];
  /** prose[i]: line i + 1 is outside front-matter and fenced blocks. */
  prose: boolean[];
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const HEADING = /^ {0,3}(#{1,6})(?:\s+(.*?))?\s*$/;

export function splitLines(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').split('\n');
}

export function parseMarkdown(source: string, opts: { frontMatter?: boolean } = {}): MdDoc {
  const lines = splitLines(source);
  const prose = lines.map(() => true);
  let start = 0;
  let frontMatter: FrontMatter | null = null;
  if (opts.frontMatter !== false && lines[0]?.trim() === '---') {
    const endIdx = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
    if (endIdx > 0) {
      frontMatter = readFrontMatter(lines.slice(1, endIdx), endIdx + 1);
      for (let i = 0; i <= endIdx; i++) prose[i] = false;
      start = endIdx + 1;
    }
  }
  const headings: Heading[] = [];
  const fences: Fence[] = [];
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    const f = FENCE_OPEN.exec(line);
    if (f && !(f[1]!.startsWith('`') && f[2]!.includes('`'))) {
      const marker = f[1]!;
      const closeRe = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
      let j = i + 1;
      while (j < lines.length && !closeRe.test(lines[j]!)) j++;
      const closed = j < lines.length;
      fences.push({ open: i + 1, close: closed ? j + 1 : null, text: lines.slice(i + 1, j).join('\n') });
      for (let k = i; k <= Math.min(j, lines.length - 1); k++) prose[k] = false;
      i = j;
      continue;
    }
    const h = HEADING.exec(line);
    if (h) headings.push({ line: i + 1, level: h[1]!.length, text: stripInline((h[2] ?? '').replace(/\s+#+$/, '')) });
  }
  return { lines, frontMatter, headings, fences, prose };
}

function readFrontMatter(body: string[], endLine: number): FrontMatter {
  const keyLines: Record<string, number> = {};
  body.forEach((l, i) => {
    const m = /^([A-Za-z_][\w-]*)\s*:/.exec(l);
    if (m && keyLines[m[1]!] === undefined) keyLines[m[1]!] = i + 2;
  });
  const doc = parseDocument(body.join('\n'), { prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = (e.linePos?.[0]?.line ?? 0) + 1;
    return { data: null, error: { line, message: e.message.split('\n')[0]! }, keyLines, end: endLine };
  }
  const data = doc.toJS() as unknown;
  const obj = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  return { data: obj, error: null, keyLines, end: endLine };
}

/** The range of lines (1-based, inclusive) of a heading's section, subsections included. */
export function sectionRange(doc: MdDoc, h: Heading): { from: number; to: number } {
  const next = doc.headings.find((o) => o.line > h.line && o.level <= h.level);
  return { from: h.line + 1, to: next ? next.line - 1 : doc.lines.length };
}

/** Inline code spans of one line (single-line spans only). */
export function codeSpans(line: string): CodeSpan[] {
  const spans: CodeSpan[] = [];
  const re = /(`+)(.+?)\1(?!`)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    let text = m[2]!;
    if (m[1]!.length > 1 && text.startsWith(' ') && text.endsWith(' ')) text = text.slice(1, -1);
    spans.push({ text, col: m.index, end: m.index + m[0].length });
  }
  return spans;
}

export interface ListItem {
  line: number;
  /** The item's first line, marker removed. */
  text: string;
}

const ORDERED = /^(\s*)\d{1,9}[.)]\s+(.*)$/;
const BULLET = /^(\s*)[-*+]\s+(.*)$/;

/**
 * The first list (ordered, or also bulleted when `bullets`) that starts within lines
 * [from, to], as its top-level items. The list ends at the first line that is neither
 * blank, nor indented deeper than its markers, nor one of its items.
 */
export function firstList(
  doc: MdDoc,
  from: number,
  to: number,
  opts: { bullets?: boolean } = {},
): ListItem[] | null {
  const itemOf = (line: string): { indent: number; text: string; ordered: boolean } | null => {
    const o = ORDERED.exec(line);
    if (o) return { indent: o[1]!.length, text: o[2]!, ordered: true };
    const b = opts.bullets ? BULLET.exec(line) : null;
    if (b) return { indent: b[1]!.length, text: b[2]!, ordered: false };
    return null;
  };
  for (let n = from; n <= to; n++) {
    if (!doc.prose[n - 1]) continue;
    const first = itemOf(doc.lines[n - 1]!);
    if (!first) continue;
    const items: ListItem[] = [{ line: n, text: first.text }];
    for (let k = n + 1; k <= to; k++) {
      const line = doc.lines[k - 1]!;
      if (!doc.prose[k - 1] || line.trim() === '') continue;
      const it = itemOf(line);
      if (it && it.indent === first.indent && it.ordered === first.ordered) {
        items.push({ line: k, text: it.text });
        continue;
      }
      const indent = /^\s*/.exec(line)![0].length;
      if (indent > first.indent) continue;
      break;
    }
    return items;
  }
  return null;
}

/** Removes emphasis markers and backticks. */
export function stripInline(s: string): string {
  return s
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|\W)[*_](\S(?:.*?\S)?)[*_](?=\W|$)/g, '$1$2')
    .trim();
}

/**
 * The name an item or heading gives: its leading bold text if it starts with one, else
 * the text before the first separator (" — ", " – ", " - ", ": ", ". ", " (").
 */
export function itemName(text: string): string {
  const t = text.trim();
  const bold = /^(\*\*|__)(.+?)\1/.exec(t);
  if (bold) return stripInline(bold[2]!).replace(/[:.]$/, '').trim();
  const cut = t.split(/\s+[—–-]\s+|:\s|\.\s|\s\(/)[0]!;
  return stripInline(cut).replace(/[:.]$/, '').trim();
}
