import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module shared with stryker.config.mjs
import { lineCount, parseAsked, reportName, parseShard, partEntries, partRange, shardFiles, statementLines, targetFiles } from '../scripts/mutate-shards.mjs';
// @ts-expect-error: a plain ES module shared with stryker.config.mjs
import { TARGETS, directTests } from '../scripts/mutate-targets.mjs';
import { byFinish, mergeRuns, readAsked, score, unmeasured } from '../scripts/mutation-score.ts';
// @ts-expect-error: a plain ES module
import { dropTimeouts, dropUndecided, prepareIncremental, prepareTimeoutRetest, testsFingerprint } from '../scripts/mutate-incremental.mjs';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Sharding a mutation target: every file in exactly one shard, shards balanced, bad flags refused.

describe('mutation shards', () => {
  it('every file of a target lands in exactly one shard, whatever N', () => {
    for (const name of Object.keys(TARGETS)) {
      const files: string[] = targetFiles(TARGETS[name].mutate);
      expect(files.length).toBeGreaterThan(3);
      for (const n of [1, 2, 3, 5]) {
        const all = Array.from({ length: n }, (_, i) => shardFiles(files, i + 1, n) as string[]).flat();
        expect(all.sort()).toEqual([...files].sort());
      }
    }
  });
  it("honours the target's exclusions", () => {
    expect(targetFiles(TARGETS.invariants.mutate)).not.toContain('src/invariants/broken-traces.ts');
    expect(targetFiles(TARGETS.invariants.mutate)).toContain('src/invariants/journal.ts');
  });
  it('balances by size: the largest file alone, the small ones together', () => {
    const size: Record<string, number> = { a: 100, b: 40, c: 30, d: 20, e: 10 };
    const of = (f: string) => size[f]!;
    expect(shardFiles(Object.keys(size), 1, 2, of)).toEqual(['a']);
    expect(shardFiles(Object.keys(size), 2, 2, of)).toEqual(['b', 'c', 'd', 'e']);
  });
  it.each(['0/2', '3/2', '1/0', '1/65', 'x', '1-2', '', undefined])('refuses --shard %s with one line naming the flag', (text) => {
    expect(() => parseShard(text)).toThrow(/^mutate: --shard: expected K\/N with 1 <= K <= N <= 64, got /);
  });
  it('accepts K/N', () => {
    expect(parseShard('2/3')).toEqual({ k: 2, n: 3 });
  });
  it("puts each mutated file's own tests first: by name, or as the target lists them", () => {
    expect(directTests(TARGETS.skill, ['src/skill/markdown.ts', 'src/skill/load.ts:1-90', 'src/skill/slots.ts'])).toEqual([
      'test/markdown.test.ts',
      'test/profile-edges.test.ts',
      'test/skill-findings.test.ts',
    ]);
    expect(directTests(TARGETS.skill, ['src/skill/form.ts', 'src/skill/form-read.ts'])).toEqual([
      'test/form-edges.test.ts',
      'test/forms.test.ts',
      'test/form-read-edges.test.ts',
    ]);
    expect(directTests(TARGETS.contract, ['src/contract/index.ts'])).toEqual([]);
    for (const t of Object.values(TARGETS) as { tests: string[]; direct?: Record<string, string[]> }[]) {
      for (const [file, tests] of Object.entries(t.direct ?? {})) {
        expect(existsSync(file)).toBe(true);
        for (const test of tests) expect(t.tests).toContain(test);
      }
    }
  });
  it("names a run's report after its files, not its shard number (shards move as files grow)", () => {
    expect(reportName('skill', ['src/skill/load.ts'], undefined)).toBe('skill.load');
    expect(reportName('skill', ['src/skill/lines.ts:1-40', 'src/skill/template.ts:1-12'], { k: 1, n: 3 })).toBe('skill.lines+template.part-1-of-3');
  });
  it('names the flag it was given', () => {
    expect(() => parseShard('4/3', '--part')).toThrow('mutate: --part: expected K/N with 1 <= K <= N <= 64, got 4/3');
  });
});

describe('mutation parts: a file cut between its top-level statements', () => {
  // Eleven lines: a comment, an import, a two-line function, a blank, a three-line object on
  // lines 6-8 with a statement sharing its last line, a blank, two one-line statements.
  const source = [
    '// why',
    "import { x } from './x.ts';",
    'export function f(a: number) {',
    '  return a + 1; }',
    '',
    'const o = {',
    '  a: 1,',
    '}; const p = 2;',
    '',
    'export const q = 3;',
    'export const r = 4;',
    '',
  ].join('\n');
  const n = lineCount(source);
  const statements = statementLines(source);

  it("reads each top-level statement's first and last line, leading comments left out", () => {
    expect(n).toBe(11);
    expect(statements).toEqual([
      { from: 2, to: 2 },
      { from: 3, to: 4 },
      { from: 6, to: 8 },
      { from: 8, to: 8 },
      { from: 10, to: 10 },
      { from: 11, to: 11 },
    ]);
  });

  it('the parts cover every line once, each statement wholly inside one of them, for any N', () => {
    for (let parts = 1; parts <= 8; parts++) {
      const ranges = Array.from({ length: parts }, (_, i) => partRange(statements, n, i + 1, parts)).filter(Boolean) as { from: number; to: number }[];
      expect(ranges[0]!.from).toBe(1);
      expect(ranges.at(-1)!.to).toBe(n);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.from).toBe(ranges[i - 1]!.to + 1);
      for (const st of statements) expect(ranges.filter((r) => r.from <= st.from && st.to <= r.to)).toHaveLength(1);
      // Five places to cut at most (lines 2, 3, 6, 10, 11; never inside the statements of 6-8).
      expect(ranges.length).toBe(Math.min(parts, 6));
      if (parts >= 6) expect(ranges.map((r) => r.from)).toEqual([1, 2, 3, 6, 10, 11]);
    }
  });

  it('cuts at the statement start nearest an even split', () => {
    expect(partRange(statements, n, 1, 2)).toEqual({ from: 1, to: 5 });
    expect(partRange(statements, n, 2, 2)).toEqual({ from: 6, to: 11 });
    expect(partRange(statements, n, 1, 3)).toEqual({ from: 1, to: 5 });
    expect(partRange(statements, n, 2, 3)).toEqual({ from: 6, to: 9 });
    expect(partRange(statements, n, 3, 3)).toEqual({ from: 10, to: 11 });
    expect(partRange(statements, n, 7, 7)).toBeNull();
  });

  it('lists part K of every file, as path:from-to, leaving out files with no such part', () => {
    const read = (f: string) => (f === 'one.ts' ? 'export const a = 1;\n' : source);
    expect(partEntries(['one.ts', 'two.ts'], 1, 2, read)).toEqual(['one.ts:1-1', 'two.ts:1-5']);
    expect(partEntries(['one.ts', 'two.ts'], 2, 2, read)).toEqual(['two.ts:6-11']);
    expect(parseAsked('src/a.ts:6-12')).toEqual({ path: 'src/a.ts', range: { from: 6, to: 12 } });
    expect(parseAsked('src/a.ts')).toEqual({ path: 'src/a.ts', range: null });
  });

  it('cuts a class between its members, never a function', () => {
    const cls = ['export class A {', '  x = 1;', '  f() {', '    return 1;', '  }', '}', 'function g() {', '  return 2;', '}', ''].join('\n');
    expect(statementLines(cls)).toEqual([
      { from: 1, to: 2 },
      { from: 3, to: 6 },
      { from: 7, to: 9 },
    ]);
    expect(statementLines('class B {\n  only() {}\n}\n')).toEqual([{ from: 1, to: 3 }]);
  });

  it('cuts a real file of the skill target into parts that cover it', () => {
    const file = 'src/skill/load.ts';
    const text = readFileSync(file, 'utf8');
    const ranges = [1, 2, 3].map((k) => partRange(statementLines(text), lineCount(text), k, 3));
    expect(ranges.every(Boolean)).toBe(true);
    expect(ranges[0]!.from).toBe(1);
    expect(ranges[2]!.to).toBe(lineCount(text));
    expect(ranges[1]!.from).toBe(ranges[0]!.to + 1);
    expect(ranges[2]!.from).toBe(ranges[1]!.to + 1);
  });
});

describe('mutation score: which files a goal is judged on', () => {
  const report = (...paths: string[]) => ({ files: Object.fromEntries(paths.map((p) => [p, { source: '', mutants: [] }])) });
  const files = ['src/x/a.ts', 'src/x/b.ts', 'src/x/c.ts'];

  it('a full report covers the whole target, even files it holds no mutant of', () => {
    expect(unmeasured('x', files, [{ name: 'x', report: report('src/x/a.ts') }])).toEqual([]);
  });

  it('a shard covers the files it was asked to mutate, or else those in its report', () => {
    const asked = { name: 'x.shard-1-of-2', asked: ['src/x/a.ts', 'src/x/b.ts'], report: report('src/x/a.ts') };
    expect(unmeasured('x', files, [asked])).toEqual(['src/x/c.ts']);
    expect(unmeasured('x', files, [{ name: 'x.shard-2-of-2', report: report('src/x/c.ts') }])).toEqual(['src/x/a.ts', 'src/x/b.ts']);
    expect(unmeasured('x', files, [asked, { name: 'x.shard-2-of-2', report: report('src/x/c.ts') }])).toEqual([]);
  });

  it('a file run in parts counts once its parts cover all its lines', () => {
    const lines = () => 20;
    const part = (name: string, ...asked: string[]) => ({ name, asked, report: report() });
    const whole = part('x.shard-1-of-2', 'src/x/a.ts', 'src/x/b.ts');
    const first = part('x.shard-2-of-2.part-1-of-2', 'src/x/c.ts:1-9');
    expect(unmeasured('x', files, [whole, first], lines)).toEqual(['src/x/c.ts']);
    expect(unmeasured('x', files, [whole, first, part('x.shard-2-of-2.part-2-of-2', 'src/x/c.ts:11-20')], lines)).toEqual(['src/x/c.ts']);
    expect(unmeasured('x', files, [whole, first, part('x.shard-2-of-2.part-2-of-2', 'src/x/c.ts:10-19')], lines)).toEqual(['src/x/c.ts']);
    expect(unmeasured('x', files, [whole, part('p2', 'src/x/c.ts:10-20'), first], lines)).toEqual([]);
    expect(unmeasured('x', files, [whole, part('p', 'src/x/c.ts:1-12'), part('q', 'src/x/c.ts:5-20')], lines)).toEqual([]);
  });
});

describe('mutation score: merging runs of whole files and of parts', () => {
  const m = (line: number, status: string) => ({ id: `${line}${status}`, mutatorName: 'M', status, location: { start: { line, column: 1 } } });
  const run = (name: string, asked: string[] | undefined, files: Record<string, { source: string; mutants: ReturnType<typeof m>[] }>) => ({
    name,
    asked,
    report: { files },
  });
  const statuses = (merged: ReturnType<typeof mergeRuns>, path: string) =>
    merged
      .get(path)!
      .mutants.map((x) => `${x.location.start.line}:${x.status}`)
      .sort();

  it('a part replaces the mutants of its lines only; a whole-file run replaces them all', () => {
    const full = run('x', undefined, { 'a.ts': { source: 'v1', mutants: [m(2, 'Survived'), m(8, 'Survived'), m(15, 'Killed')] } });
    const part = run('x.part-1-of-2', ['a.ts:1-9'], { 'a.ts': { source: 'v1', mutants: [m(2, 'Killed'), m(8, 'Killed')] } });
    expect(statuses(mergeRuns('x', ['a.ts'], [full, part]), 'a.ts')).toEqual(['15:Killed', '2:Killed', '8:Killed']);
    expect(mergeRuns('x', ['a.ts'], [full, part]).get('a.ts')!.mixed).toBe(false);
    expect(statuses(mergeRuns('x', ['a.ts'], [part, full]), 'a.ts')).toEqual(['15:Killed', '2:Survived', '8:Survived']);
  });

  it('two parts make the whole file; a part without mutants clears its lines', () => {
    const one = run('x.part-1-of-2', ['a.ts:1-9'], { 'a.ts': { source: 'v1', mutants: [m(3, 'Killed')] } });
    const two = run('x.part-2-of-2', ['a.ts:10-20'], { 'a.ts': { source: 'v1', mutants: [m(12, 'Survived')] } });
    expect(statuses(mergeRuns('x', ['a.ts'], [one, two]), 'a.ts')).toEqual(['12:Survived', '3:Killed']);
    const empty = run('x.part-2-of-2', ['a.ts:10-20'], {});
    expect(statuses(mergeRuns('x', ['a.ts'], [one, two, empty]), 'a.ts')).toEqual(['3:Killed']);
  });

  it('says when the parts were run on different versions of the file', () => {
    const one = run('x.part-1-of-2', ['a.ts:1-9'], { 'a.ts': { source: 'v1', mutants: [m(3, 'Killed')] } });
    const two = run('x.part-2-of-2', ['a.ts:10-20'], { 'a.ts': { source: 'v2', mutants: [m(12, 'Killed')] } });
    const merged = mergeRuns('x', ['a.ts'], [one, two]).get('a.ts')!;
    expect(merged.mixed).toBe(true);
    expect(merged.source).toBe('v2');
    const again = run('x.part-1-of-2', ['a.ts:1-9'], { 'a.ts': { source: 'v2', mutants: [m(3, 'Killed')] } });
    expect(mergeRuns('x', ['a.ts'], [one, two, again]).get('a.ts')!.mixed).toBe(true);
    expect(mergeRuns('x', ['a.ts'], [two, again]).get('a.ts')!.mixed).toBe(false);
  });
});

describe('incremental runs after tests change', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mutate-incremental-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const mutant = (id: string, status: string) => ({ id, status, mutatorName: 'M', location: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } } });
  const old = {
    schemaVersion: '2',
    files: {
      'src/a.ts': { source: 'a', mutants: [mutant('1', 'Killed'), mutant('2', 'Survived'), mutant('3', 'NoCoverage'), mutant('4', 'Timeout')] },
      'src/b.ts': { source: 'b', mutants: [mutant('5', 'Survived'), mutant('6', 'Ignored')] },
    },
    testFiles: { 't.test.ts': { tests: [] } },
  };

  it('drops the mutants tests did not decide, keeps the rest of the report as it was', () => {
    const { report, dropped } = dropUndecided(old);
    expect(dropped).toBe(3);
    expect(report.files['src/a.ts'].mutants.map((m: { id: string }) => m.id)).toEqual(['1', '4']);
    expect(report.files['src/b.ts'].mutants.map((m: { id: string }) => m.id)).toEqual(['6']);
    expect(report.files['src/a.ts'].source).toBe('a');
    expect(report.testFiles).toEqual(old.testFiles);
    expect(report.schemaVersion).toBe('2');
    expect(old.files['src/a.ts'].mutants).toHaveLength(4);
  });

  it('--retest-timeouts drops the timed-out mutants only, and says how many', () => {
    const { report, dropped } = dropTimeouts(old);
    expect(dropped).toBe(1);
    expect(report.files['src/a.ts'].mutants.map((m: { id: string }) => m.id)).toEqual(['1', '2', '3']);
    expect(report.files['src/b.ts'].mutants).toHaveLength(2);
    const inc = join(dir, 't.incremental.json');
    expect(prepareTimeoutRetest(inc)).toBeNull();
    writeFileSync(inc, JSON.stringify(old));
    expect(prepareTimeoutRetest(inc)).toBe('--retest-timeouts: 1 timed-out mutant(s) will be tested again');
    expect(JSON.parse(readFileSync(inc, 'utf8')).files['src/a.ts'].mutants).toHaveLength(3);
    writeFileSync(inc, '[]');
    expect(() => prepareTimeoutRetest(inc)).toThrow(/not a Stryker incremental report \(no "files"\)/);
  });

  it('rewrites the incremental file only when the fingerprint differs or is missing', () => {
    const inc = join(dir, 'x.incremental.json');
    const fp = join(dir, 'x.tests.sha256');
    expect(prepareIncremental(inc, fp, 'abc')).toBeNull();
    expect(existsSync(inc)).toBe(false);

    writeFileSync(inc, JSON.stringify(old));
    expect(prepareIncremental(inc, fp, 'abc')).toBe('no record of the tests it ran with: 3 surviving or uncovered mutant(s) will be tested again');
    expect(JSON.parse(readFileSync(inc, 'utf8')).files['src/a.ts'].mutants).toHaveLength(2);

    writeFileSync(inc, JSON.stringify(old));
    writeFileSync(fp, 'abc\n');
    expect(prepareIncremental(inc, fp, 'abc')).toBeNull();
    expect(JSON.parse(readFileSync(inc, 'utf8'))).toEqual(old);
    expect(prepareIncremental(inc, fp, 'def')).toBe('tests changed since its last run: 3 surviving or uncovered mutant(s) will be tested again');
    expect(JSON.parse(readFileSync(inc, 'utf8')).files['src/b.ts'].mutants).toHaveLength(1);
  });

  it('refuses a broken incremental file with one line naming it, and leaves it as it was', () => {
    const inc = join(dir, 'broken.incremental.json');
    for (const text of ['{ not json', '[]', '{"files": null}']) {
      writeFileSync(inc, text);
      expect(() => prepareIncremental(inc, join(dir, 'none.sha256'), 'abc')).toThrow(
        new RegExp(`^mutate: ${inc.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a Stryker incremental report \\(.+\\); delete it to start afresh$`),
      );
      expect(readFileSync(inc, 'utf8')).toBe(text);
    }
  });

  it('the fingerprint changes with any byte or name of a file under the folder', () => {
    const t = join(dir, 'tests');
    mkdirSync(join(t, 'support'), { recursive: true });
    writeFileSync(join(t, 'a.test.ts'), 'one');
    writeFileSync(join(t, 'support', 'h.ts'), 'two');
    const first = testsFingerprint(t);
    expect(testsFingerprint(t)).toBe(first);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    writeFileSync(join(t, 'support', 'h.ts'), 'tw0');
    const second = testsFingerprint(t);
    expect(second).not.toBe(first);
    rmSync(join(t, 'support', 'h.ts'));
    writeFileSync(join(t, 'support', 'g.ts'), 'tw0');
    expect(testsFingerprint(t)).not.toBe(second);
  });
});

describe('the record of a run (NAME.files.json, committed with its report)', () => {
  it('reads the files and the finish time, the older bare list, and nothing else', () => {
    expect(readAsked('{"files": ["src/a.ts:1-9"], "finished": "2026-12-01T03:00:00.000Z"}')).toEqual({
      files: ['src/a.ts:1-9'],
      finished: '2026-12-01T03:00:00.000Z',
    });
    expect(readAsked('["src/a.ts"]')).toEqual({ files: ['src/a.ts'] });
    // A time that is no time is left out: the run is ordered by its file time instead.
    expect(readAsked('{"files": [], "finished": "yesterday-ish"}')).toEqual({ files: [] });
    expect(readAsked('{"files": [], "finished": 3}')).toEqual({ files: [] });
    for (const bad of ['{ not json', 'null', '3', '{"files": "src/a.ts"}', '{"files": [3]}', '[1]', '{}']) expect(readAsked(bad)).toBeNull();
  });

  it('orders runs by when they finished, not by file times (a clone sets those all alike)', () => {
    const run = (name: string, at: number, finished?: string) => ({ name, at, finished });
    expect(byFinish([run('late', 1, '2026-12-01T05:00:00Z'), run('early', 9, '2026-12-01T04:00:00Z')]).map((r) => r.name)).toEqual(['early', 'late']);
    // A run that does not say comes first (only older runs do not), among themselves by file time.
    expect(byFinish([run('said', 0, '2026-01-01T00:00:00Z'), run('b', 7), run('a', 3)]).map((r) => r.name)).toEqual(['a', 'b', 'said']);
    expect(byFinish([run('b', 7), run('said', 0, '2026-01-01T00:00:00Z'), run('a', 3)]).map((r) => r.name)).toEqual(['a', 'b', 'said']);
  });
});

describe('the score', () => {
  it('counts killed and timed-out mutants as detected, shows the timeouts apart, and leaves equivalents out', () => {
    const m = (status: string) => ({ id: status, mutatorName: 'X', status, location: { start: { line: 1, column: 1 } } });
    expect(score([m('Killed'), m('Timeout'), m('Survived'), m('NoCoverage'), m('Ignored'), m('CompileError')])).toEqual({
      detected: 2,
      timedOut: 1,
      undetected: 2,
      ignored: 1,
      score: 50,
    });
    expect(score([])).toMatchObject({ score: 100 });
  });
});

describe('Stryker marks', () => {
  it('none is a trailing comment (before `}` or `else`), which Stryker reads as the previous statement’s and ignores', () => {
    const dead: string[] = [];
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
    for (const file of walk('src')) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((l, k) => {
        if (l.includes('// Stryker disable next-line') && /^\s*(\}|else\b)/.test(lines[k + 1] ?? '')) dead.push(`${file}:${k + 2}`);
      });
    }
    expect(dead).toEqual([]);
  });
});
