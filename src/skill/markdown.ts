// Markdown of skill files, read with micromark/mdast (CommonMark + GFM + YAML front-matter)
// and flattened into what the fact rules need: front-matter, headings, fenced blocks, lists,
// GFM tables and inline code spans, all with 1-based line numbers of the original file
// (CRLF and CR line endings are read as LF, so line numbers do not move). Headings, lists,
// tables and code spans are only found outside fenced blocks (the parser never looks inside).

import type { Code, Nodes, TableCell } from 'mdast';
import { fromMarkdown, type Options } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toString as textOf } from 'mdast-util-to-string';
import { frontmatter, type Matter } from 'micromark-extension-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import { parseDocument } from 'yaml';

export interface Heading {
  readonly line: number;
  readonly level: number;
  /** Plain text, inline markup removed. */
  readonly text: string;
}

export interface Fence {
  /** Line of the opening fence. */
  readonly open: number;
  /** Line of the closing fence, null when the block is never closed. */
  readonly close: number | null;
  /** The content lines, joined by "\n" (no trailing newline). */
  readonly text: string;
}

export interface FrontMatter {
  /** Parsed YAML (null when the YAML is broken, see `error`). */
  readonly data: Readonly<Record<string, unknown>> | null;
  readonly error: { line: number; message: string } | null;
  /** Line of each top-level key. */
  readonly keyLines: Readonly<Record<string, number>>;
  /** Last line of the front-matter (its closing `---`). */
  readonly end: number;
}

export interface CodeSpan {
  readonly text: string;
  /** 0-based column of the opening backtick. */
  readonly col: number;
  /** 0-based column just past the closing backtick. */
  readonly end: number;
}

export interface ListItem {
  readonly line: number;
  /** The item's first line, marker removed. */
  readonly text: string;
}

export interface MdList {
  /** Line of the first item. */
  readonly line: number;
  readonly ordered: boolean;
  /** The list's own items (nested lists are entries of their own in `MdDoc.lists`). */
  readonly items: readonly ListItem[];
}

export interface MdTable {
  /** Line of the header row. */
  readonly line: number;
  /** Header cells, as written, trimmed. */
  readonly header: readonly string[];
  /** Body rows (the delimiter row is not one), cells as written, trimmed. */
  readonly rows: readonly { readonly line: number; readonly cells: readonly string[] }[];
}

export interface MdDoc {
  /** lines[i] is line i + 1. */
  readonly lines: readonly string[];
  readonly frontMatter: FrontMatter | null;
  readonly headings: readonly Heading[];
  readonly fences: readonly Fence[];
  /** prose[i]: line i + 1 is outside front-matter and fenced blocks. */
  readonly prose: readonly boolean[];
  /** Inline code spans of prose, by line, in column order (spans that cross lines are left out). */
  readonly codeSpansByLine: ReadonlyMap<number, readonly CodeSpan[]>;
  /** GFM tables, in line order. */
  readonly tables: readonly MdTable[];
  /** Every list, nested ones included, in the order they start. */
  readonly lists: readonly MdList[];
}

export function splitLines(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').split('\n');
}

// Front-matter opens with `---` on line 1 and closes at the first `---` or `...` line; the
// extension takes one closing fence per matter, so the closing one is picked from the lines.
const YAML_DASHES: Matter = { type: 'yaml', fence: '---' };
const YAML_DOTS: Matter = { type: 'yaml', fence: { open: '---', close: '...' } };
const optionsFor = (matter: Matter | null): Options => ({
  extensions: matter ? [gfm(), frontmatter([matter])] : [gfm()],
  mdastExtensions: matter ? [gfmFromMarkdown(), frontmatterFromMarkdown([matter])] : [gfmFromMarkdown()],
});
const PLAIN = optionsFor(null);
const WITH_DASHES = optionsFor(YAML_DASHES);
const WITH_DOTS = optionsFor(YAML_DOTS);

// Stryker disable next-line Regex: the front-matter extension opens only at a `---` line 1 itself; with any other line 1 it reads the document as the plain options do
const FM_OPEN = /^---[ \t]*$/;
const FM_CLOSE = /^(?:---|\.\.\.)[ \t]*$/;
const FENCE_AT = /`{3,}|~{3,}/y;
// Stryker disable next-line Regex: an item's text starts at its marker, so the first match is at column 0 anchored or not
const MARKER = /^(?:\d{1,9}[.)]|[-*+])[ \t]*/;

// Parsed documents by text: one run reads the same files many times (a lint loads the skill
// that a check then loads again; a suite loads copies of skill/ that differ in one file), and
// micromark is most of a load's cost. The documents are read-only (every field of MdDoc is),
// so callers share them; the oldest entry goes first once MAX_PARSED are kept. A text larger
// than any skill file written by hand is parsed afresh, so the cache stays a few megabytes.
const MAX_PARSED = 64;
const MAX_CACHED_TEXT = 64 * 1024;
const parsed = new Map<string, MdDoc>();

export function parseMarkdown(source: string, opts: { frontMatter?: boolean } = {}): MdDoc {
  if (source.length > MAX_CACHED_TEXT) return parseFresh(source, opts.frontMatter !== false);
  // Stryker disable next-line EqualityOperator: swapping the two prefixes still gives each choice a key of its own
  const key = `${opts.frontMatter === false ? 'p' : 'f'}${source}`;
  let doc = parsed.get(key);
  if (doc === undefined) {
    doc = parseFresh(source, opts.frontMatter !== false);
    if (parsed.size >= MAX_PARSED) parsed.delete(parsed.keys().next().value!);
    parsed.set(key, doc);
  }
  return doc;
}

function parseFresh(source: string, withFrontMatter: boolean): MdDoc {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  const lineStart: number[] = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStart.push(i + 1);

  // With `frontMatter: false` a front-matter block is still skipped by the parser (so its
  // closing `---` does not make a setext heading of it) but not reported, and its lines
  // stay prose.
  let options = PLAIN;
  // Stryker disable next-line ConditionalExpression: the front-matter extension opens only at a `---` line 1 itself; with any other line 1 it reads the document as the plain options do
  if (FM_OPEN.test(lines[0]!)) {
    const close = lines.findIndex((l, i) => i > 0 && FM_CLOSE.test(l));
    // Stryker disable next-line EqualityOperator: the search starts at line 2 (i > 0), so close is never 0
    options = close > 0 && lines[close]!.startsWith('.') ? WITH_DOTS : WITH_DASHES;
  }
  const tree = fromMarkdown(text, options);

  let frontMatter: FrontMatter | null = null;
  const headings: Heading[] = [];
  const fences: Fence[] = [];
  const prose = lines.map(() => true);
  const codeSpansByLine = new Map<number, CodeSpan[]>();
  const tables: MdTable[] = [];
  const lists: MdList[] = [];
  const colOf = (p: { line: number; offset?: number | undefined }): number => p.offset! - lineStart[p.line - 1]!;
  const cellText = (cell: TableCell): string => {
    const first = cell.children[0]?.position;
    const last = cell.children[cell.children.length - 1]?.position;
    // Stryker disable next-line LogicalOperator: first and last come from the same children, so both are set or neither is
    return first && last ? text.slice(first.start.offset, last.end.offset).trim() : '';
  };
  const notProse = (from: number, to: number): void => {
    for (let n = from; n <= Math.min(to, lines.length); n++) prose[n - 1] = false;
  };

  const visit = (node: Nodes): void => {
    const pos = node.position;
    switch (node.type) {
      case 'yaml':
        if (!withFrontMatter) return;
        frontMatter = readFrontMatter(node.value.split('\n'), pos!.end.line);
        notProse(pos!.start.line, pos!.end.line);
        return;
      case 'code': {
        const fence = fenceOf(node, lines, text);
        if (fence) {
          fences.push(fence);
          notProse(pos!.start.line, pos!.end.line);
        }
        return;
      }
      case 'heading':
        headings.push({ line: pos!.start.line, level: node.depth, text: textOf(node).replace(/\s+/g, ' ').trim() });
        break;
      case 'inlineCode':
        if (pos!.start.line === pos!.end.line) {
          const spans = codeSpansByLine.get(pos!.start.line) ?? [];
          spans.push({ text: node.value, col: colOf(pos!.start), end: colOf(pos!.end) });
          codeSpansByLine.set(pos!.start.line, spans);
        }
        return;
      case 'table': {
        const [head, ...body] = node.children;
        tables.push({
          line: pos!.start.line,
          // Stryker disable next-line ArrayDeclaration: a GFM table always has its header row
          header: head ? head.children.map(cellText) : [],
          rows: body.map((row) => ({ line: row.position!.start.line, cells: row.children.map(cellText) })),
        });
        break;
      }
      case 'list':
        lists.push({
          line: pos!.start.line,
          ordered: node.ordered === true,
          items: node.children.map((item) => {
            const start = item.position!.start;
            return { line: start.line, text: lines[start.line - 1]!.slice(colOf(start)).replace(MARKER, '') };
          }),
        });
        break;
    }
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(tree);
  return { lines, frontMatter, headings, fences, prose, codeSpansByLine, tables, lists };
}

/** A `code` node as a fenced block, or null for an indented code block. */
function fenceOf(node: Code, lines: string[], text: string): Fence | null {
  const { start, end } = node.position!;
  FENCE_AT.lastIndex = start.offset!;
  const marker = FENCE_AT.exec(text)?.[0];
  if (!marker) return null;
  // mdast runs an unclosed fence to the end of its container (the document, at top level):
  // it was closed when its last line is a closing fence that is not one of its content lines.
  const closeRe = new RegExp(`^(?:[ \\t]*>)*[ \\t]*\\${marker[0]}{${marker.length},}[ \\t]*$`);
  const closed =
    end.line > start.line && closeRe.test(lines[end.line - 1]!) && (node.value === '' || node.value.split('\n').length === end.line - start.line - 1);
  return { open: start.line, close: closed ? end.line : null, text: node.value };
}

function readFrontMatter(body: string[], endLine: number): FrontMatter {
  const keyLines: Record<string, number> = {};
  body.forEach((l, i) => {
    const m = /^([A-Za-z_][\w-]*)\s*:/.exec(l);
    if (m && keyLines[m[1]!] === undefined) keyLines[m[1]!] = i + 2;
  });
  const yaml = body.join('\n');
  let doc;
  try {
    doc = parseDocument(yaml, { prettyErrors: false });
  } catch (e) {
    return { data: null, error: { line: 2, message: yamlFailure(e) }, keyLines, end: endLine };
  }
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    // Without prettyErrors the error has no linePos: count the lines before its offset
    // (the body starts on line 2 of the file).
    const line = yaml.slice(0, e.pos[0]).split('\n').length + 1;
    const message = e.code === 'RESOURCE_EXHAUSTION' ? 'nested too deeply to read' : e.message.split('\n')[0]!;
    return { data: null, error: { line, message }, keyLines, end: endLine };
  }
  let data: unknown;
  try {
    // Stryker disable next-line ObjectLiteral: 100 is also the yaml package's default maxAliasCount
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // An alias bomb, or an alias to nothing: the front-matter is unusable, not the harness.
    return { data: null, error: { line: 2, message: yamlFailure(e) }, keyLines, end: endLine };
  }
  const obj = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  return { data: obj, error: null, keyLines, end: endLine };
}

// The YAML parser and its converter recurse on nesting: a pathological line can exhaust the
// stack in either, and the stack's own message says nothing about the file.
function yamlFailure(e: unknown): string {
  return e instanceof RangeError ? 'nested too deeply to read' : (e as Error).message.split('\n')[0]!;
}

/** The range of lines (1-based, inclusive) of a heading's section, subsections included. */
export function sectionRange(doc: MdDoc, h: Heading): { from: number; to: number } {
  const next = doc.headings.find((o) => o.line > h.line && o.level <= h.level);
  return { from: h.line + 1, to: next ? next.line - 1 : doc.lines.length };
}

/**
 * Inline code spans of one line read on its own as Markdown (leading indentation does not
 * make it an indented code block), as `MdDoc.codeSpansByLine` gives them for a line of a
 * document.
 */
export function codeSpans(line: string): CodeSpan[] {
  // Stryker disable next-line ConditionalExpression,StringLiteral: a line without a backtick holds no code span, so parsing it finds none either
  if (!line.includes('`')) return [];
  const one = line.split(/\r\n?|\n/)[0]!;
  // Stryker disable next-line Regex: `[ \t]*` matches at index 0 (empty if need be), the leftmost match, anchored or not
  const indent = /^[ \t]*/.exec(one)![0].length;
  // Parsed uncached: one-line documents would only push whole files out of the cache.
  // Stryker disable next-line BooleanLiteral: one line is never front-matter, which needs a closing line
  const doc = parseFresh(one.slice(indent), false);
  return (doc.codeSpansByLine.get(1) ?? []).map((s) => ({ ...s, col: s.col + indent, end: s.end + indent }));
}

/**
 * The first list (ordered, or also bulleted when `bullets`) that starts within lines
 * [from, to], as its top-level items (those on lines up to `to`). Lists nested in other
 * lists count, so an ordered list inside a bulleted one is found when bullets are not.
 */
export function firstList(doc: MdDoc, from: number, to: number, opts: { bullets?: boolean } = {}): ListItem[] | null {
  const list = doc.lists.find((l) => l.line >= from && l.line <= to && (l.ordered || opts.bullets));
  return list ? list.items.filter((i) => i.line <= to).map((i) => ({ ...i })) : null;
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
  // Stryker disable next-line Regex: only the text before the first separator is kept, and trimmed: more white space before the dash only moves the cut into white space, and what follows the dash is never read
  const cut = t.split(/\s+[—–-]\s+|:\s|\.\s|\s\(/)[0]!;
  return stripInline(cut).replace(/[:.]$/, '').trim();
}
