// Reads the mutation reports `npm run mutate` wrote (mutation/NAME.json, the
// mutation-testing-elements schema, committed) and prints the score per file and per target, the
// survivors with their place, and whether each target met its goal. Exit 1 when one did not.
//
//   node --import tsx scripts/mutation-score.ts [--survivors] [NAME...]
//
// A survivor left on purpose has its reason in mutation/survivors.yaml (scripts/survivor-reasons.ts):
// `--survivors` prints each survivor with its reason, and each file's count of those without one.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
// @ts-expect-error: a plain ES module shared with stryker.config.mjs
import { MEASURED, TARGETS } from './mutate-targets.mjs';
// @ts-expect-error: a plain ES module
import { lineCount, parseAsked, targetFiles } from './mutate-shards.mjs';
import { parseReasons, type Reason, reasonFor, type Survivor, unusedReasons } from './survivor-reasons.ts';

const REASONS = 'mutation/survivors.yaml';

interface Mutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  statusReason?: string;
  location: { start: { line: number; column: number } };
}
interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>;
}
interface Run {
  name: string;
  /** What the run was asked to mutate: paths, or `path:from-to` for a part of a file. */
  asked?: string[];
  /** When it finished (ISO 8601), if it said. */
  finished?: string;
  report: Report;
}
type Range = { from: number; to: number };

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

/** Stryker's score: detected / (detected + undetected); ignored and invalid mutants do not count. */
export function score(mutants: readonly Mutant[]): { detected: number; timedOut: number; undetected: number; ignored: number; score: number } {
  const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
  // Detected, but a timeout may also be a slow machine: shown apart so a reader can judge.
  const timedOut = mutants.filter((m) => m.status === 'Timeout').length;
  const undetected = mutants.filter((m) => UNDETECTED.has(m.status)).length;
  const ignored = mutants.filter((m) => m.status === 'Ignored').length;
  return { detected, timedOut, undetected, ignored, score: detected + undetected ? (100 * detected) / (detected + undetected) : 100 };
}

/**
 * What `NAME.files.json` says: the files the run was asked to mutate and when it finished
 * (`{files, finished}`; older runs wrote the bare list). Null when it is neither.
 */
export function readAsked(text: string): { files: string[]; finished?: string } | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  const isList = (x: unknown): x is string[] => Array.isArray(x) && x.every((e) => typeof e === 'string');
  if (isList(v)) return { files: v };
  if (typeof v !== 'object' || v === null) return null;
  const o = v as { files?: unknown; finished?: unknown };
  if (!isList(o.files)) return null;
  return typeof o.finished === 'string' && !Number.isNaN(Date.parse(o.finished)) ? { files: o.files, finished: o.finished } : { files: o.files };
}

/**
 * Oldest first: by the time each run says it finished; a run that does not say (an older one)
 * comes before those that do, in file-time order (all a fresh clone has to go by).
 */
export function byFinish<T extends { finished?: string; at: number }>(runs: readonly T[]): T[] {
  return [...runs].sort((a, b) => {
    if (a.finished && b.finished) return Date.parse(a.finished) - Date.parse(b.finished);
    if (a.finished || b.finished) return a.finished ? 1 : -1;
    return a.at - b.at;
  });
}

function readReport(path: string): Report {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not JSON (${(e as Error).message.split('\n')[0]}); run its shard again or delete it`);
  }
  const files = (v as { files?: unknown } | null)?.files;
  if (typeof files !== 'object' || files === null) throw new Error(`${path}: not a mutation report (no "files"); run its shard again or delete it`);
  return v as Report;
}

/** The target's report and its shards' and parts' (NAME.json, NAME.FILES.part-K-of-N.json, …), oldest first. */
function reportsOf(name: string, dir: string = MEASURED): Run[] {
  if (!existsSync(dir)) return [];
  // NAME.json, NAME.FILES[.part-K-of-N].json (scripts/mutate-shards.mjs reportName), and the
  // older NAME.shard-K-of-N[.part-K-of-N].json; not the files.json and incremental.json beside them.
  const shard = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.[\\w+-]+)*\\.json$`);
  const runs = readdirSync(dir)
    .filter((f) => shard.test(f) && !/\.(files|incremental)\.json$/.test(f))
    .map((f) => {
      const base = f.replace(/\.json$/, '');
      // The files the run was asked to mutate (scripts/mutate.ts writes them beside the report):
      // a file without a single mutant (types only) is left out of the report itself.
      const askedFile = join(dir, `${base}.files.json`);
      const asked = existsSync(askedFile) ? readAsked(readFileSync(askedFile, 'utf8')) : null;
      if (existsSync(askedFile) && !asked) throw new Error(`${askedFile}: expected {"files": [paths], "finished": time} or a list of paths`);
      return { base, f, at: statSync(join(dir, f)).mtimeMs, asked, finished: asked?.finished };
    });
  return byFinish(runs).map(({ base, f, asked, finished }) => ({
    name: base,
    report: readReport(join(dir, f)),
    asked: asked?.files,
    finished,
  }));
}

/** What a run covers, path by path: null for the whole file, else the parts' line ranges. */
function coverage(target: string, files: readonly string[], run: Run): Map<string, Range | null> {
  const entries = run.asked ?? (run.name === target ? files : Object.keys(run.report.files));
  return new Map(entries.map((e) => parseAsked(e)).map(({ path, range }: { path: string; range: Range | null }) => [path, range]));
}

/**
 * The target's files no run was asked to mutate: its score says nothing about them. A run
 * without its list of files counts as the whole target when it is the target's full report,
 * and as the files in its report when it is a shard. A file run in parts counts once its
 * parts cover every one of its lines (`lines` says how many it has now).
 */
export function unmeasured(
  target: string,
  files: readonly string[],
  runs: readonly Run[],
  lines: (path: string) => number = (p) => lineCount(readFileSync(p, 'utf8')),
): string[] {
  const whole = new Set<string>();
  const parts = new Map<string, Range[]>();
  for (const run of runs) {
    for (const [path, range] of coverage(target, files, run)) {
      if (!range) whole.add(path);
      else parts.set(path, [...(parts.get(path) ?? []), range]);
    }
  }
  return files.filter((f) => {
    if (whole.has(f)) return false;
    const ranges = (parts.get(f) ?? []).sort((a, b) => a.from - b.from);
    if (!ranges.length) return true;
    let next = 1;
    for (const r of ranges) if (r.from <= next) next = Math.max(next, r.to + 1);
    return next <= lines(f);
  });
}

/**
 * Each file as the runs saw it, oldest run first and newest winning: a run of the whole file
 * replaces what came before; a run of part of it replaces the mutants in its lines only.
 * `mixed`: the file's mutants come from parts run on different versions of it.
 */
export function mergeRuns(target: string, files: readonly string[], runs: readonly Run[]): Map<string, { source: string; mutants: Mutant[]; mixed: boolean }> {
  const out = new Map<string, { source: string; mutants: Mutant[]; mixed: boolean }>();
  for (const run of runs) {
    const cover = coverage(target, files, run);
    const paths = new Set([...Object.keys(run.report.files), ...[...cover].filter(([, r]) => r).map(([p]) => p)]);
    for (const path of paths) {
      const f = run.report.files[path];
      const range = cover.get(path) ?? null;
      const before = out.get(path);
      if (!range || !before) {
        if (f) out.set(path, { source: f.source, mutants: f.mutants, mixed: false });
        continue;
      }
      const kept = before.mutants.filter((m) => m.location.start.line < range.from || m.location.start.line > range.to);
      const source = f?.source ?? before.source;
      out.set(path, { source, mutants: [...kept, ...(f?.mutants ?? [])], mixed: before.mixed || (kept.length > 0 && source !== before.source) });
    }
  }
  return out;
}

function main(argv: string[]): number {
  const showSurvivors = argv.includes('--survivors');
  const names = argv.filter((a) => !a.startsWith('--'));
  const reasons: Reason[] = existsSync(REASONS) ? parseReasons(readFileSync(REASONS, 'utf8'), REASONS) : [];
  const targets = (names.length ? names : Object.keys(TARGETS)) as string[];
  let failed = false;
  for (const name of targets) {
    const reports = reportsOf(name);
    if (!reports.length) {
      console.log(`${name}: no report (${MEASURED}/${name}.json or ${name}.FILES.json); run npm run mutate -- ${name}`);
      failed = true;
      continue;
    }
    const t = (TARGETS as Record<string, { goal?: number; mutate: string[] }>)[name];
    const targetList: string[] = t ? targetFiles(t.mutate) : [];
    const report = { files: Object.fromEntries(mergeRuns(name, targetList, reports)) };
    if (reports.length > 1) console.log(`\n${name}: merged from ${reports.map((r) => r.name).join(', ')} (newest wins per file, or per line range for a part)`);
    const all: Mutant[] = [];
    const survivors: Survivor[] = [];
    console.log(`\n${name}`);
    for (const [path, f] of Object.entries(report.files).sort()) {
      const s = score(f.mutants);
      all.push(...f.mutants);
      const lines = f.source.split('\n');
      const mine = f.mutants
        .filter((x) => UNDETECTED.has(x.status))
        .map((m) => ({ m, s: { path: relative(process.cwd(), path), text: lines[m.location.start.line - 1] ?? '', mutator: m.mutatorName } }));
      survivors.push(...mine.map((x) => x.s));
      const unexplained = mine.filter((x) => !reasonFor(x.s, reasons)).length;
      const stale =
        (existsSync(path) && readFileSync(path, 'utf8') !== f.source ? '  (stale: the file changed since)' : '') +
        (f.mixed ? '  (parts measured on different versions of the file)' : '');
      console.log(
        `  ${relative(process.cwd(), path).padEnd(36)} ${s.score.toFixed(1).padStart(5)}%  killed ${String(s.detected).padStart(4)} (${s.timedOut} by timeout)  survived ${String(s.undetected).padStart(3)}${unexplained ? ` (${unexplained} without a reason)` : ''}${s.ignored ? `  marked equivalent ${s.ignored}` : ''}${stale}`,
      );
      if (showSurvivors) {
        for (const { m, s: sv } of mine) {
          const at = m.location.start;
          console.log(
            `      ${at.line}:${at.column} ${m.status} ${m.mutatorName}: ${(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 70)}   | ${sv.text.trim().slice(0, 90)}`,
          );
          console.log(`          why left: ${reasonFor(sv, reasons)?.why ?? '(no reason given in mutation/survivors.yaml)'}`);
        }
      }
    }
    const paths = new Set(Object.keys(report.files).map((p) => relative(process.cwd(), p)));
    for (const r of unusedReasons(survivors, reasons, paths))
      console.log(`  ${REASONS}: the reason for "${r.line}" (${r.path}, ${r.mutators.join(', ')}) matches no survivor now: delete it`);
    const s = score(all);
    const goal = t?.goal;
    // A goal is judged on the whole target: a score over some of its files is not the target's.
    const missing = t ? unmeasured(name, targetList, reports) : [];
    if (missing.length) console.log(`  not measured (${missing.length} files): ${missing.join(' ')}`);
    const met = goal === undefined || (s.score >= goal && !missing.length);
    if (!met) failed = true;
    const verdict = missing.length ? 'not judged (files not measured)' : met ? 'met' : 'NOT MET';
    console.log(
      `  ${'all'.padEnd(36)} ${s.score.toFixed(1).padStart(5)}%  killed ${String(s.detected).padStart(4)} (${s.timedOut} by timeout)  survived ${String(s.undetected).padStart(3)}${survivors.some((x) => !reasonFor(x, reasons)) ? ` (${survivors.filter((x) => !reasonFor(x, reasons)).length} without a reason)` : ''}${goal !== undefined ? `  goal ${goal}%: ${verdict}` : ''}`,
    );
  }
  return failed ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let code: number;
  try {
    code = main(process.argv.slice(2));
  } catch (e) {
    console.error(`mutate:score: ${(e as Error).message}`);
    code = 2;
  }
  process.exit(code);
}
