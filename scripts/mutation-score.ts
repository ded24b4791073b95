// Reads the mutation reports `npm run mutate` wrote (reports/mutation/NAME.json, the
// mutation-testing-elements schema) and prints the score per file and per target, the
// survivors with their place, and whether each target met its goal. Exit 1 when one did not.
//
//   node --import tsx scripts/mutation-score.ts [--survivors] [NAME...]

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
// @ts-expect-error: a plain ES module shared with stryker.config.mjs
import { TARGETS } from './mutate-targets.mjs';
// @ts-expect-error: a plain ES module
import { targetFiles } from './mutate-shards.mjs';

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

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

/** Stryker's score: detected / (detected + undetected); ignored and invalid mutants do not count. */
export function score(mutants: readonly Mutant[]): { detected: number; undetected: number; ignored: number; score: number } {
  const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
  const undetected = mutants.filter((m) => UNDETECTED.has(m.status)).length;
  const ignored = mutants.filter((m) => m.status === 'Ignored').length;
  return { detected, undetected, ignored, score: detected + undetected ? (100 * detected) / (detected + undetected) : 100 };
}

/** The target's report and its shards' (reports/mutation/NAME.json, NAME.shard-K-of-N.json), oldest first. */
function reportsOf(name: string): { name: string; report: Report }[] {
  const dir = 'reports/mutation';
  if (!existsSync(dir)) return [];
  const shard = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.shard-\\d+-of-\\d+)?\\.json$`);
  return readdirSync(dir)
    .filter((f) => shard.test(f))
    .map((f) => ({ f, at: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => a.at - b.at)
    .map(({ f }) => {
      const base = f.replace(/\.json$/, '');
      // The files the run was asked to mutate (scripts/mutate.ts writes them beside the report):
      // a file without a single mutant (types only) is left out of the report itself.
      const asked = join(dir, `${base}.files.json`);
      return {
        name: base,
        report: JSON.parse(readFileSync(join(dir, f), 'utf8')) as Report,
        asked: existsSync(asked) ? (JSON.parse(readFileSync(asked, 'utf8')) as string[]) : undefined,
      };
    });
}

/**
 * The target's files no run was asked to mutate: its score says nothing about them. A run
 * without its list of files counts as the whole target when it is the target's full report,
 * and as the files in its report when it is a shard.
 */
export function unmeasured(
  target: string,
  files: readonly string[],
  runs: readonly { name: string; asked?: string[]; report: Report }[],
): string[] {
  const seen = new Set(runs.flatMap((r) => r.asked ?? (r.name === target ? files : Object.keys(r.report.files))));
  return files.filter((f) => !seen.has(f));
}

function main(argv: string[]): number {
  const showSurvivors = argv.includes('--survivors');
  const names = argv.filter((a) => !a.startsWith('--'));
  const targets = (names.length ? names : Object.keys(TARGETS)) as string[];
  let failed = false;
  for (const name of targets) {
    const reports = reportsOf(name);
    if (!reports.length) {
      console.log(`${name}: no report (reports/mutation/${name}.json or ${name}.shard-K-of-N.json); run npm run mutate -- ${name}`);
      failed = true;
      continue;
    }
    // Each file as its newest report saw it: a shard run after a full run replaces its files.
    const files = new Map<string, { source: string; mutants: Mutant[] }>();
    for (const r of reports) for (const [path, f] of Object.entries(r.report.files)) files.set(path, f);
    const report = { files: Object.fromEntries(files) };
    if (reports.length > 1) console.log(`\n${name}: merged from ${reports.map((r) => r.name).join(', ')} (newest wins per file)`);
    const all: Mutant[] = [];
    console.log(`\n${name}`);
    for (const [path, f] of Object.entries(report.files).sort()) {
      const s = score(f.mutants);
      all.push(...f.mutants);
      const stale = existsSync(path) && readFileSync(path, 'utf8') !== f.source ? '  (stale: the file changed since)' : '';
      console.log(`  ${relative(process.cwd(), path).padEnd(36)} ${s.score.toFixed(1).padStart(5)}%  killed ${String(s.detected).padStart(4)}  survived ${String(s.undetected).padStart(3)}${s.ignored ? `  marked equivalent ${s.ignored}` : ''}${stale}`);
      if (showSurvivors) {
        const lines = f.source.split('\n');
        for (const m of f.mutants.filter((x) => UNDETECTED.has(x.status))) {
          const at = m.location.start;
          console.log(`      ${at.line}:${at.column} ${m.status} ${m.mutatorName}: ${(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 70)}   | ${lines[at.line - 1]!.trim().slice(0, 90)}`);
        }
      }
    }
    const s = score(all);
    const t = (TARGETS as Record<string, { goal?: number; mutate: string[] }>)[name];
    const goal = t?.goal;
    // A goal is judged on the whole target: a score over some of its files is not the target's.
    const missing = t ? unmeasured(name, targetFiles(t.mutate), reports) : [];
    if (missing.length) console.log(`  not measured (${missing.length} files): ${missing.join(' ')}`);
    const met = goal === undefined || (s.score >= goal && !missing.length);
    if (!met) failed = true;
    const verdict = missing.length ? 'not judged (files not measured)' : met ? 'met' : 'NOT MET';
    console.log(`  ${'all'.padEnd(36)} ${s.score.toFixed(1).padStart(5)}%  killed ${String(s.detected).padStart(4)}  survived ${String(s.undetected).padStart(3)}${goal !== undefined ? `  goal ${goal}%: ${verdict}` : ''}`);
  }
  return failed ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main(process.argv.slice(2)));
