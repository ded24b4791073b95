// The shape of the code, as data a test can hold it to: which module may import which, and
// which folders must be deterministic (no real clock, timer or randomness: the simulator's
// virtual clock and seeded PRNG are the only sources of time and chance there).

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { repositoryFiles } from './references.ts';

/** A module: `src/NAME`, `app/NAME` or `sim/NAME` (a folder), or `sim` for the simulator's top-level files. */
export function moduleOf(path: string): string | null {
  const parts = path.split('/');
  if ((parts[0] === 'src' || parts[0] === 'app') && parts.length > 2) return `${parts[0]}/${parts[1]}`;
  if (parts[0] === 'sim') return parts.length > 2 ? `sim/${parts[1]}` : 'sim';
  return null;
}

/** The three top-level trees, lowest first: `src/` never imports the others, `sim/` never imports `app/`. */
export const TREES = ['src', 'sim', 'app'] as const;

const SIM = ['sim', 'sim/scenario', 'sim/workers', 'sim/world'];
const BASE = ['src/core', 'src/trace', 'src/contract', 'src/skill'];
const APP = ['app/cli', 'app/compare', 'app/explore', 'app/import', 'app/live', 'app/show'];

/**
 * What each module may import besides itself: lower layers only. The checkers stand apart
 * from what they judge (no leader, no simulator); the leader sees the world through ports;
 * the workspaces (in memory, on disk, through a shell) implement one port side by side; the
 * simulator runs any leader it is handed; `app/` (the command line, the explorer, live runs)
 * puts the pieces together and nothing imports it.
 */
export const MAY_IMPORT: Record<string, readonly string[]> = {
  'src/core': [],
  'src/trace': ['src/core'],
  'src/contract': ['src/core'],
  'src/skill': ['src/core', 'src/contract'],
  'src/invariants': [...BASE],
  'src/ports': [...BASE],
  'src/workspace': ['src/core', 'src/ports'],
  'src/leader': [...BASE, 'src/ports'],
  'src/live': [...BASE, 'src/ports', 'src/workspace', 'src/leader'],
  ...Object.fromEntries(SIM.map((m) => [m, [...BASE, 'src/ports', 'src/workspace', 'src/leader', ...SIM]])),
  ...Object.fromEntries(APP.map((m) => [m, [...BASE, 'src/ports', 'src/workspace', 'src/leader', 'src/live', 'src/invariants', ...SIM, ...APP]])),
};

/** Folders whose code must not read a real clock, start a timer or draw a random number. */
export const DETERMINISTIC = ['sim', 'src/leader', 'src/invariants', 'src/skill', 'src/contract', 'src/trace', 'src/ports', 'src/workspace'];

export interface Import {
  file: string;
  line: number;
  target: string;
}

/** The relative imports and re-exports of a TypeScript file, resolved against the repository root. */
export function importsOf(file: string, text: string): Import[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: Import[] = [];
  for (const st of sf.statements) {
    const spec =
      (ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)
        ? st.moduleSpecifier.text
        : null;
    if (!spec?.startsWith('.')) continue;
    out.push({ file, line: sf.getLineAndCharacterOfPosition(st.getStart(sf)).line + 1, target: join(dirname(file), spec) });
  }
  return out;
}

/** `file:line: A imports B (path)` for every import a module may not make. */
export function forbiddenImports(imports: readonly Import[], rules: Record<string, readonly string[]> = MAY_IMPORT): string[] {
  const out: string[] = [];
  for (const i of imports) {
    const from = moduleOf(i.file);
    const to = moduleOf(i.target);
    if (!from || !to || from === to) continue;
    const allowed = rules[from];
    if (!allowed) out.push(`${i.file}:${i.line}: ${from} is not in the layer table`);
    else if (!allowed.includes(to)) out.push(`${i.file}:${i.line}: ${from} imports ${to} (${i.target})`);
  }
  return out;
}

/** Calls that read a real clock, start a timer or draw a random number. `new Date(x)` is fine: it only formats x. */
const NONDETERMINISTIC = new Set([
  'Date.now',
  'Math.random',
  'performance.now',
  'process.hrtime',
  'process.hrtime.bigint',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'crypto.randomUUID',
  'randomUUID',
  'randomBytes',
  'randomInt',
]);

/** `file:line: what` for each real clock, timer or random number in a text (found in its syntax, not its comments). */
export function nondeterminism(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  const at = (n: ts.Node) => `${file}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
  const visit = (n: ts.Node) => {
    if (ts.isCallExpression(n) && NONDETERMINISTIC.has(n.expression.getText(sf))) out.push(`${at(n)}: ${n.expression.getText(sf)}()`);
    if (ts.isNewExpression(n) && n.expression.getText(sf) === 'Date' && (n.arguments?.length ?? 0) === 0) out.push(`${at(n)}: new Date()`);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** The TypeScript files under the given folders of the repository at `root`, as repository paths. */
export function sourceFiles(root: string, folders: readonly string[]): string[] {
  return repositoryFiles(root).filter((f) => f.endsWith('.ts') && folders.some((d) => f.startsWith(`${d}/`)));
}

export const read = (root: string, file: string): string => readFileSync(join(root, file), 'utf8');

/** Each import cycle among the files (type-only imports included), as `a -> b -> a`, shortest first found from each file. */
export function importCycles(imports: readonly Import[]): string[] {
  const next = new Map<string, string[]>();
  for (const i of imports) next.set(i.file, [...(next.get(i.file) ?? []), i.target]);
  const found = new Set<string>();
  for (const start of [...next.keys()].sort()) {
    // Breadth-first from `start` back to itself: the shortest cycle through it.
    const from = new Map<string, string>();
    const queue = [start];
    let hit: string | null = null;
    while (queue.length && !hit) {
      const f = queue.shift()!;
      for (const t of next.get(f) ?? []) {
        if (t === start) {
          hit = f;
          break;
        }
        if (!from.has(t)) {
          from.set(t, f);
          queue.push(t);
        }
      }
    }
    if (!hit) continue;
    const path = [start];
    for (let f: string | undefined = hit; f && f !== start; f = from.get(f)) path.splice(1, 0, f);
    // One name per cycle, whichever file it is found from.
    const k = path.indexOf([...path].sort()[0]!);
    const canon = [...path.slice(k), ...path.slice(0, k)];
    found.add([...canon, canon[0]].join(' -> '));
  }
  return [...found].sort();
}
