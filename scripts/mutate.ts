// `npm run mutate [-- NAME...] [--shard K/N] [--part K/N]`: mutation-tests each target of
// scripts/mutate-targets.mjs (default: all) with Stryker, one after the other (each uses both
// cores), then prints the scores per file and checks each target's goal (exit 1 when one is
// not met). With --shard, only shard K of N of each target's files is tested; with --part,
// only part K of N of each file (line ranges cut between top-level statements); either way
// under its own report name, and `npm run mutate:score` merges them.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
// @ts-expect-error: a plain ES module shared with stryker.config.mjs
import { MEASURED, TARGETS, directTests } from './mutate-targets.mjs';
// @ts-expect-error: a plain ES module
import { parseShard, partEntries, reportName, shardFiles, targetFiles } from './mutate-shards.mjs';
// @ts-expect-error: a plain ES module
import { prepareIncremental, prepareTimeoutRetest, testsFingerprint } from './mutate-incremental.mjs';

const USAGE = `usage: npm run mutate [-- NAME...] [--shard K/N] [--part K/N] [--lines PATH:FROM-TO,...] [--retest-timeouts]   (targets: ${Object.keys(TARGETS).join(', ')})`;

function fail(line: string): never {
  console.error(line);
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
let shard: { k: number; n: number } | undefined;
let part: { k: number; n: number } | undefined;
let retestTimeouts = false;
/** Line ranges to measure again (`--lines`): those parts measured on older versions of a file missed. */
let lines: string[] | undefined;
const asked: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  const flag = ['--shard', '--part'].find((f) => a === f || a.startsWith(`${f}=`));
  if (flag) {
    const value = a === flag ? args[++i] : a.slice(flag.length + 1);
    try {
      if (flag === '--shard') shard = parseShard(value, flag);
      else part = parseShard(value, flag);
    } catch (e) {
      fail((e as Error).message);
    }
  } else if (a === '--lines' || a.startsWith('--lines=')) {
    const value = a === '--lines' ? args[++i] : a.slice('--lines='.length);
    lines = (value ?? '').split(',').filter(Boolean);
    const bad = lines.find((l) => !/^[^:]+\.ts:\d+-\d+$/.test(l) || !existsSync(l.replace(/:.*$/, '')));
    if (!lines.length || bad !== undefined) fail(`mutate: --lines: ${bad ?? '(empty)'} is not PATH:FROM-TO of a file that exists`);
  } else if (a === '--retest-timeouts') retestTimeouts = true;
  else if (a.startsWith('-')) fail(`mutate: unknown flag ${a}; ${USAGE}`);
  else asked.push(a);
}
const unknown = asked.filter((a) => !(a in TARGETS));
if (unknown.length) fail(`mutate: unknown target ${unknown.join(', ')}; expected ${Object.keys(TARGETS).join(', ')}`);
const names = asked.length ? asked : Object.keys(TARGETS);
const which = [shard && `shard ${shard.k}/${shard.n}`, part && `part ${part.k}/${part.n}`, lines && `lines ${lines.join(' ')}`].filter(Boolean).join(', ');

for (const name of names) {
  const t = (TARGETS as Record<string, { mutate: string[]; tests: string[] }>)[name]!;
  const env: NodeJS.ProcessEnv = { ...process.env, MUTATE_TARGET: name };
  const extra: string[] = [];
  // What this run covers, for the score (a file without mutants is absent from the report).
  const whole: string[] = shard ? shardFiles(targetFiles(t.mutate), shard.k, shard.n) : targetFiles(t.mutate);
  const files: string[] = lines
    ? lines.filter((l) => whole.includes(l.replace(/:.*$/, '')))
    : part
      ? partEntries(whole, part.k, part.n, (f: string) => readFileSync(f, 'utf8'))
      : whole;
  env.MUTATE_FIRST = directTests(t, files).join(',');
  if (lines) {
    if (!files.length) continue;
    // One report per set of ranges, named by them, so it never replaces another run's.
    env.MUTATE_REPORT = `${name}.lines-${createHash('sha1').update(files.join(',')).digest('hex').slice(0, 8)}`;
    extra.push('--mutate', files.join(','));
    console.log(`\n== mutation testing ${name}, lines: ${files.join(' ')}`);
  } else if (shard || part) {
    if (!files.length) {
      console.log(`\n== ${name}: ${which} has no ${part ? 'lines' : 'files'}`);
      continue;
    }
    env.MUTATE_REPORT = shard ? reportName(name, files, part) : `${name}.part-${part!.k}-of-${part!.n}`;
    extra.push('--mutate', files.join(','));
    console.log(`\n== mutation testing ${name}, ${which}: ${files.join(' ')}`);
  } else console.log(`\n== mutation testing ${name} (${t.mutate.join(' ')})`);
  const base = `${MEASURED}/${env.MUTATE_REPORT ?? name}`;
  mkdirSync(MEASURED, { recursive: true });
  // Tests edited since the last run: their survivors are tested again (see mutate-incremental.mjs).
  const fingerprint: string = testsFingerprint('test');
  // The committed report is the incremental file's content (Stryker writes both alike): a clone
  // has only the report, so the run starts from it and re-tests only what changed since.
  if (!existsSync(`${base}.incremental.json`) && existsSync(`${base}.json`)) copyFileSync(`${base}.json`, `${base}.incremental.json`);
  try {
    const said: string | null = prepareIncremental(`${base}.incremental.json`, `${base}.tests.sha256`, fingerprint);
    if (said) console.log(`${base}.incremental.json: ${said}`);
    const again: string | null = retestTimeouts ? prepareTimeoutRetest(`${base}.incremental.json`) : null;
    if (again) console.log(`${base}.incremental.json: ${again}`);
  } catch (e) {
    fail((e as Error).message);
  }
  const r = spawnSync('npx', ['stryker', 'run', ...extra], { stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`mutate: stryker failed on ${name} (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
  // Written once the report is: a stopped run must not claim files its report never measured.
  // The time orders the runs when they are merged: a clone's file times say nothing.
  writeFileSync(`${base}.files.json`, `${JSON.stringify({ files, finished: new Date().toISOString() }, null, 2)}\n`);
  writeFileSync(`${base}.tests.sha256`, `${fingerprint}\n`);
}
if (shard || part || lines) {
  // One shard's score says nothing about the goal: that is checked on all shards together.
  console.log(`\n${which} done; once every shard and part has run: npm run mutate:score -- ${names.join(' ')}`);
  process.exit(0);
}
const s = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/mutation-score.ts', ...names], { stdio: 'inherit' });
process.exit(s.status ?? 1);
