// Splitting a mutation target into shards, so a slow target (src/skill: thousands of mutants,
// hours on two cores) can run in pieces: on several CI jobs at once, or a piece at a time.
// A shard is a set of whole files, balanced by size; each shard reports under its own name
// (TARGET.shard-K-of-N) and `npm run mutate:score` merges them with the target's own report.
// A file too slow for one sitting is cut further into parts (--part K/N): line ranges that
// fall between its top-level statements, so that no mutant straddles two parts (Stryker
// mutates only nodes lying wholly inside a range) and a stopped run loses one part, not a file.
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The files a target's patterns select: `DIR/**\/*.ts` includes, `!FILE` excludes. */
export function targetFiles(patterns, root = '.') {
  const out = new Set();
  for (const p of patterns.filter((x) => !x.startsWith('!'))) {
    const m = /^(.+)\/\*\*\/\*\.ts$/.exec(p);
    if (!m) throw new Error(`mutate: pattern ${p}: expected DIR/**/*.ts`);
    const walk = (dir) => {
      for (const name of readdirSync(join(root, dir)).sort()) {
        const rel = `${dir}/${name}`;
        if (statSync(join(root, rel)).isDirectory()) walk(rel);
        else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.add(rel);
      }
    };
    walk(m[1]);
  }
  for (const p of patterns.filter((x) => x.startsWith('!'))) out.delete(p.slice(1));
  return [...out].sort();
}

/** Parses `K/N` (1 ≤ K ≤ N ≤ 64) given to `flag`; throws one line naming the flag otherwise. */
export function parseShard(text, flag = '--shard') {
  const m = /^(\d+)\/(\d+)$/.exec(text ?? '');
  const k = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || n > 64 || k < 1 || k > n) throw new Error(`mutate: ${flag}: expected K/N with 1 <= K <= N <= 64, got ${text ?? '(nothing)'}`);
  return { k, n };
}

/** The first and last line (1-based) of each top-level statement of a TypeScript source (of each member, in a class). */
export function statementLines(source) {
  // Loaded only here: the score script imports this module too and never cuts files.
  const ts = createRequire(import.meta.url)('typescript');
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const lineOf = (pos) => file.getLineAndCharacterOfPosition(pos).line + 1;
  return file.statements.flatMap((st) => {
    const from = lineOf(st.getStart(file));
    const to = lineOf(st.end);
    // A class is cut between its members: no mutator replaces a class whole, while a function
    // is (its body emptied), so a function is never cut.
    if (!ts.isClassDeclaration(st) || st.members.length < 2) return [{ from, to }];
    const members = st.members.map((m) => ({ from: lineOf(m.getStart(file)), to: lineOf(m.end) }));
    members[0].from = from;
    members[members.length - 1].to = to;
    return members;
  });
}

/**
 * Part K of N of a file of `lineCount` lines whose top-level statements span `statements`:
 * `{ from, to }` (1-based, inclusive), or null when the file has fewer than K places to cut.
 * The parts cover every line once; each cut is the statement start nearest an even split.
 */
export function partRange(statements, lineCount, k, n) {
  // A line can start a part when a statement starts on it and every earlier one has ended.
  const cuts = [];
  let ended = 0;
  for (const st of statements) {
    if (st.from > ended && st.from > 1) cuts.push(st.from);
    ended = Math.max(ended, st.to);
  }
  // As many parts as asked, or one more than there are places to cut.
  const parts = Math.min(n, cuts.length + 1);
  const bounds = [1];
  let last = -1;
  for (let i = 1; i < parts; i++) {
    const aim = 1 + (i * lineCount) / parts;
    // Leaves a cut for each part still to come.
    const top = cuts.length - (parts - i);
    let best = last + 1;
    for (let j = last + 2; j <= top; j++) if (Math.abs(cuts[j] - aim) < Math.abs(cuts[best] - aim)) best = j;
    bounds.push(cuts[best]);
    last = best;
  }
  if (k > bounds.length) return null;
  return { from: bounds[k - 1], to: k < bounds.length ? bounds[k] - 1 : lineCount };
}

/**
 * The report name of a run over some of a target's files: named after the files, not after
 * the shard's number, as the shards move when files grow or shrink and a run must never
 * replace the report of other files (`skill.load`, `skill.lines+template.part-2-of-3`).
 */
export function reportName(target, files, part) {
  const bases = [...new Set(files.map((f) => parseAsked(f).path.replace(/^.*\//, '').replace(/\.ts$/, '')))];
  return [target, bases.join('+'), part && `part-${part.k}-of-${part.n}`].filter(Boolean).join('.');
}

/** How many lines a part range counts in a source (a final newline ends the last line). */
export function lineCount(source) {
  return source.endsWith('\n') ? source.split('\n').length - 1 : source.split('\n').length;
}

/** The mutate entries of part K of N of each file (`path:from-to`), files without one left out. */
export function partEntries(files, k, n, read) {
  const out = [];
  for (const f of files) {
    const source = read(f);
    const r = partRange(statementLines(source), lineCount(source), k, n);
    if (r) out.push(`${f}:${r.from}-${r.to}`);
  }
  return out;
}

/** `path:from-to` (a part) or `path` (the whole file), as a run lists what it mutated. */
export function parseAsked(entry) {
  const m = /^(.*):(\d+)-(\d+)$/.exec(entry);
  return m ? { path: m[1], range: { from: Number(m[2]), to: Number(m[3]) } } : { path: entry, range: null };
}

/** Shard K of N: the largest files first, each to the lightest shard so far (deterministic). */
export function shardFiles(files, k, n, sizeOf = (f) => statSync(f).size) {
  const shards = Array.from({ length: n }, () => ({ bytes: 0, files: [] }));
  const bySize = files.map((f) => [f, sizeOf(f)]).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  for (const [f, size] of bySize) {
    let light = 0;
    for (let i = 1; i < n; i++) if (shards[i].bytes < shards[light].bytes) light = i;
    shards[light].bytes += size;
    shards[light].files.push(f);
  }
  return shards[k - 1].files.sort();
}
