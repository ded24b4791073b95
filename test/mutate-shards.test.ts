import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module shared with stryker.config.mjs
import { parseShard, shardFiles, targetFiles } from '../scripts/mutate-shards.mjs';
// @ts-expect-error: a plain ES module shared with stryker.config.mjs
import { TARGETS } from '../scripts/mutate-targets.mjs';
import { unmeasured } from '../scripts/mutation-score.ts';
// @ts-expect-error: a plain ES module
import { dropUndecided, prepareIncremental, testsFingerprint } from '../scripts/mutate-incremental.mjs';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  it('honours the target\'s exclusions', () => {
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
      expect(() => prepareIncremental(inc, join(dir, 'none.sha256'), 'abc')).toThrow(new RegExp(`^mutate: ${inc.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a Stryker incremental report \\(.+\\); delete it to start afresh$`));
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
