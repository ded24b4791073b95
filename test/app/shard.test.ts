// `explore --shard I/N` and `explore --merge`: an exploration cut into shards for a job array,
// whose merged report is what one machine exploring the same seed and runs reports: the same
// runs and tallies when nothing fails, the same case (the earliest block's) when something does.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../app/cli/main.ts';
import { BLOCK_RUNS, blockSeed, blocksOf } from '../../app/explore/explore.ts';
import { capture } from '../support/cli.ts';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'shard-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const RUNS = 4 * BLOCK_RUNS;
/** explore over the runs every test here shares, with `extra` flags. */
const exploreArgs = (...extra: string[]) => ['explore', '--runs', String(RUNS), '--seed', '11', ...extra];
/** One process (or `jobs`) exploring the mutant's runs, its case written to `out`. */
const mutantArgs = (jobs: string, out: string) => exploreArgs('--jobs', jobs, '--mutant', 'merge-two-at-once', '--out', join(tmp, out), '--json');

async function cli(argv: string[]) {
  const io = capture(tmp);
  const code = await main(argv, io);
  return { code, io, json: () => JSON.parse(io.outs.join('\n')) };
}

/** One process exploring the mutant's runs: what the shards and the jobs are compared with, explored once for both. */
let single: ReturnType<typeof cli> | undefined;
const oneProcess = () => (single ??= cli(mutantArgs('1', 'one')));

/** The four shards of an exploration, each with --summary, then their merge as JSON. */
async function sharded(name: string, extra: string[]) {
  const files: string[] = [];
  for (let i = 1; i <= 4; i++) {
    const file = join(tmp, `${name}-${i}.json`);
    const r = await cli([...exploreArgs(), '--jobs', '1', '--shard', `${i}/4`, '--summary', file, '--out', join(tmp, name), ...extra]);
    expect(r.io.outs[0]).toMatch(new RegExp(`^explored \\d+ scenarios? \\(seed 11, shard ${i}/4: blocks ${i - 1}[,)]`));
    files.push(file);
  }
  // The order the summaries are given in does not matter.
  const merged = await cli(['explore', '--merge', ...files.reverse(), '--json']);
  return { merged, files };
}

describe('explore --shard and --merge', () => {
  it('the runs are cut into blocks with seeds of their own; block 0 keeps the given seed', () => {
    expect(blocksOf(2 * BLOCK_RUNS + 3).map((b) => b.runs)).toEqual([BLOCK_RUNS, BLOCK_RUNS, 3]);
    expect(blockSeed(11, 0)).toBe(11);
    expect(new Set([0, 1, 2, 3].map((b) => blockSeed(11, b))).size).toBe(4);
  });

  it('four shards merged explore exactly the runs one process explores: the same blocks, the same tallies', { timeout: 120_000 }, async () => {
    const one = await cli([...exploreArgs(), '--jobs', '1', '--json']);
    expect(one.code).toBe(0);
    const { merged } = await sharded('clean', []);
    expect(merged.code).toBe(0);
    const a = one.json();
    const b = merged.json();
    expect(b.shards).toBe(4);
    expect(b.blocks).toEqual([0, 1, 2, 3]);
    for (const k of ['runs', 'failed', 'faultsFired', 'familiesOn', 'deliveries', 'outcomes', 'violationsByRule', 'blocks'] as const)
      expect(b[k], k).toEqual(a[k]);
    expect(b.cases).toEqual([]);
  });

  it('with a failure, the merged case is the one a single process finds (the earliest block), and the exit is 1', { timeout: 120_000 }, async () => {
    const one = await oneProcess();
    expect(one.code).toBe(1);
    const { merged } = await sharded('mutant', ['--mutant', 'merge-two-at-once']);
    expect(merged.code).toBe(1);
    const a = one.json();
    const b = merged.json();
    expect({ seed: b.seed, path: b.path, block: b.block, counterexample: b.counterexample }).toEqual({
      seed: a.seed,
      path: a.path,
      block: a.block,
      counterexample: a.counterexample,
    });
    expect(b.violations.map((v: { rule: string }) => v.rule)).toEqual(a.violations.map((v: { rule: string }) => v.rule));
    // Every shard found one (this flaw shows in almost every run): all are listed, earliest first.
    expect(b.cases.map((c: { block: number }) => c.block)).toEqual([0, 1, 2, 3]);
    expect(b.cases[0].replay).toBe(`thread-team-sim explore --seed ${a.seed} --path ${a.path} --mutant merge-two-at-once`);
    // And in text, the replay of the case and the others found.
    const text = await cli(['explore', '--merge', ...[1, 2, 3, 4].map((i) => join(tmp, `mutant-${i}.json`))]);
    expect(text.io.outs[0]).toMatch(/^explored \d+ scenarios in 4 shards \(seed 11, mutant merge-two-at-once\)/);
    expect(text.io.outs).toContain(`  replay without the file: thread-team-sim explore --seed ${a.seed} --path ${a.path} --mutant merge-two-at-once`);
    expect(text.io.outs.some((l) => /^ {2}4 shards found a case; the one above is the earliest block's/.test(l))).toBe(true);
  });

  it('--jobs 2 reports the same case as one process (the failing block 0 here is the earliest; which job finishes first is not forced)', {
    timeout: 120_000,
  }, async () => {
    const one = await oneProcess();
    const two = await cli(mutantArgs('2', 'j2'));
    expect(two.code).toBe(1);
    expect({ seed: two.json().seed, path: two.json().path, block: two.json().block }).toEqual({
      seed: one.json().seed,
      path: one.json().path,
      block: one.json().block,
    });
  });

  it('refuses, in one line and exit 2, a bad shard, a shard without a seed, and summaries that are not one exploration', async () => {
    const refused = async (argv: string[], message: RegExp) => {
      const r = await cli(argv);
      expect(r.code, r.io.outs.join('\n')).toBe(2);
      expect(r.io.errs).toHaveLength(1);
      expect(r.io.errs[0]).toMatch(message);
    };
    await refused(['explore', '--runs', '100', '--seed', '1', '--shard', '0/4'], /--shard: expected I\/N with 1 <= I <= N, like 2\/4, got "0\/4"$/);
    await refused(['explore', '--runs', '100', '--seed', '1', '--shard', '5/4'], /--shard: expected I\/N/);
    await refused(['explore', '--runs', '100', '--seed', '1', '--shard', 'two'], /--shard: expected I\/N/);
    await refused(['explore', '--runs', '100', '--shard', '1/4'], /--shard needs --seed: every shard of an exploration must use the same one$/);
    await refused(
      ['explore', '--runs', String(BLOCK_RUNS), '--seed', '1', '--shard', '2/2'],
      new RegExp(
        `--shard 2/2: ${BLOCK_RUNS} runs make 1 block of ${BLOCK_RUNS}, so shard 2 would explore nothing; give at least ${2 * BLOCK_RUNS} runs, or fewer shards$`,
      ),
    );
    const files = [1, 2, 3, 4].map((i) => join(tmp, `clean-${i}.json`));
    await refused(['explore', '--merge', ...files.slice(0, 3)], /--merge: shard 4\/4 missing$/);
    await refused(['explore', '--merge', ...files, files[0]!], /clean-1\.json: shard: 1\/4 again \(also \S+clean-1\.json\)$/);
    await refused(['explore', '--merge', ...files, '--seed', '3'], /--merge reads what the shards did: --seed does not apply$/);
    const other = join(tmp, 'other.json');
    const s = JSON.parse(await readFile(files[3]!, 'utf8'));
    await writeFile(other, JSON.stringify({ ...s, seed: 12 }));
    await refused(
      ['explore', '--merge', ...files.slice(0, 3), other],
      /other\.json: seed, runs, mutant or skill differ from \S+clean-1\.json's \(seed 12 vs 11/,
    );
    const junk = join(tmp, 'junk.json');
    await writeFile(junk, '{"a": 1}');
    await refused(['explore', '--merge', junk], /junk\.json: format: not written by explore --summary/);
    await refused(['explore', '--merge', join(tmp, 'none.json')], /none\.json: not an explore summary: ENOENT$/);
  });
});
