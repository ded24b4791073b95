import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module shared with stryker.config.mjs
import { parseShard, shardFiles, targetFiles } from '../scripts/mutate-shards.mjs';
// @ts-expect-error: a plain ES module shared with stryker.config.mjs
import { TARGETS } from '../scripts/mutate-targets.mjs';
import { unmeasured } from '../scripts/mutation-score.ts';

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
