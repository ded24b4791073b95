// What the project's prose cites must be in the project: the README, the docs and every code
// comment may name a file or folder of the repository (or of a fixture repository, as a
// scenario's example does), never one beside it or an absolute path on someone's machine.
// Placeholders (`test/NAME.test.ts`, `<role>`, `*`) stand for any name.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** The repository's top-level folders a citation starts with, and names of folders that are not ours. */
const ROOTS = ['src', 'sim', 'test', 'scripts', 'docs', 'bench', 'fixtures', 'skill', 'scenarios', 'bin', '.github', '.ci', 'reference', 'seeds', 'shared'];
const PATH = new RegExp(`(?<![\\w./@<>-])((?:\\.\\./)*(?:${ROOTS.map((r) => r.replace('.', '\\.')).join('|')})/[\\w./*{}<>-]*[\\w*}>/])`, 'g');
/** A Markdown file named on its own (`ARCHITECTURE.md`): it must exist somewhere in the repository. */
const MD_NAME = /(?<![\w./<>-])([A-Za-z0-9][\w-]*\.md)\b/g;
const ABSOLUTE = /(?<![\w.])(\/(?:work|home|root|Users|tmp\/[\w-]+\/[\w-]+)\/[\w./-]+)/g;
/** What a run writes (ignored, or committed measurements): named before it exists. */
const OUTPUTS = ['reports/', 'explore-out/', 'out/', 'mutation/'];

const CLAUSE_ROW = /^\| `[A-Z]\d+\.[\w-]+` \|/;

export interface Citation {
  ref: string;
  line: number;
}

/**
 * The citations in a text: all of a Markdown file; of code, only its comments (found by the
 * TypeScript parser, so a string or a regular expression that looks like one is not read);
 * of YAML and shell, the `#` comments.
 */
export function citationsIn(text: string, kind: 'prose' | 'code' | 'hash'): Citation[] {
  const out: Citation[] = [];
  const add = (prose: string, line: number) => {
    prose.split('\n').forEach((l, k) => {
      // A row of the clause table quotes what a checker prints about a simulated run's files.
      if (CLAUSE_ROW.test(l)) return;
      for (const re of [PATH, MD_NAME, ABSOLUTE]) for (const m of l.matchAll(re)) out.push({ ref: m[1]!, line: line + k });
    });
  };
  if (kind === 'prose') add(text, 1);
  else if (kind === 'hash')
    for (const [i, l] of text.split('\n').entries()) add(/^\s*#/.test(l) ? l : l.includes(' # ') ? l.slice(l.indexOf(' # ')) : '', i + 1);
  else for (const c of commentsOf(text)) add(c.text, c.line);
  return out.sort((a, b) => a.line - b.line);
}

/** The comments of a TypeScript or JavaScript text, each with the line it starts on. */
export function commentsOf(text: string): { text: string; line: number }[] {
  const file = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const seen = new Set<number>();
  const out: { text: string; line: number }[] = [];
  const take = (ranges: ts.CommentRange[] | undefined) => {
    for (const r of ranges ?? []) {
      if (seen.has(r.pos)) continue;
      seen.add(r.pos);
      out.push({ text: text.slice(r.pos, r.end), line: file.getLineAndCharacterOfPosition(r.pos).line + 1 });
    }
  };
  const visit = (node: ts.Node) => {
    take(ts.getLeadingCommentRanges(text, node.getFullStart()));
    take(ts.getTrailingCommentRanges(text, node.getEnd()));
    node.getChildren(file).forEach(visit);
  };
  visit(file);
  return out.sort((a, b) => a.line - b.line);
}

/** A citation as a pattern over repository paths: placeholders and globs match any name. */
export function patternOf(ref: string): RegExp {
  const body = ref
    .replace(/\/+$/, '')
    .split('/')
    .map((seg) =>
      seg
        .split(/(\*+|<[^>]*>|\{[^}]*\}|\b[A-Z][A-Z0-9_]*\b)/)
        .map((part, k) => (k % 2 ? '[^/]*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join(''),
    )
    .join('/');
  return new RegExp(`^${body}(/.*)?$`);
}

/**
 * Why a citation is wrong, or null when it names something here: a path must match a file of
 * the repository or of a fixture repository, a lone `.md` name a file anywhere in it.
 */
export function problemOf(ref: string, files: readonly string[], from: string, allowShared: boolean): string | null {
  if (ref.startsWith('/')) return 'an absolute path (cite the repository, not a machine)';
  if (ref.startsWith('../')) return allowShared && /^(\.\.\/)+shared\/skills\//.test(ref) ? null : 'outside the repository';
  if (OUTPUTS.some((o) => ref.startsWith(o))) return null;
  if (!ref.includes('/')) {
    const name = patternOf(ref);
    return files.some((f) => name.test(f.replace(/^.*\//, ''))) ? null : 'no such file in the repository';
  }
  const p = patternOf(ref);
  const fixtureRepos = /^fixtures\/repos\/[^/]+\//;
  if (files.some((f) => p.test(f) || p.test(f.replace(fixtureRepos, '')))) return null;
  // A path relative to the citing file's folder (a README naming its neighbours).
  const near = patternOf(join(from.replace(/[^/]*$/, ''), ref));
  return files.some((f) => near.test(f)) ? null : 'no such file in the repository';
}

const SKIP = new Set(['node_modules', '.git', 'reports', '.scratch', '.stryker-tmp', 'explore-out', 'out', 'dist', 'coverage', 'mutation']);

/** Every file of the repository at `root` (what a clone holds, without installed or generated folders). */
export function repositoryFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      if (SKIP.has(n)) continue;
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}

/** The files whose prose is checked: docs and READMEs whole, code and CI by their comments. */
export function citingFiles(files: readonly string[]): { file: string; kind: 'prose' | 'code' | 'hash' }[] {
  type Kind = 'prose' | 'code' | 'hash';
  return files.flatMap((f): { file: string; kind: Kind }[] => {
    if (/^(scenarios|fixtures|skill)\//.test(f)) return []; // data and the product skill, not our prose
    if (f.endsWith('.md')) return [{ file: f, kind: 'prose' }];
    if (/\.(ts|mts|mjs|js|cjs)$/.test(f)) return [{ file: f, kind: 'code' }];
    if (/\.(yml|yaml)$/.test(f) || f === '.ci/run') return [{ file: f, kind: 'hash' }];
    return [];
  });
}

/** Every wrong citation under `root`, as `file:line: ref: why`. */
export function wrongCitations(root: string): string[] {
  const files = repositoryFiles(root);
  const out: string[] = [];
  for (const { file, kind } of citingFiles(files)) {
    // The one helper that reads the public skill beside the repository may name it.
    const allowShared = file === 'test/support/skills.ts';
    for (const c of citationsIn(readFileSync(join(root, file), 'utf8'), kind)) {
      const why = problemOf(c.ref, files, file, allowShared);
      if (why) out.push(`${file}:${c.line}: ${c.ref}: ${why}`);
    }
  }
  return out;
}
