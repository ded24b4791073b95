// The harness's performance figures (`npm run bench`). Reported, never asserted.
//
//   npm run bench                  every section
//   npm run bench -- four catalog  only the sections whose name contains one of the words
//
// A section is a named async function that prints its own compact table; add one with
// `section(name, fn)`. Wall time comes from performance.now(): the bench is outside the
// deterministic code, which never reads a real clock.

import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { memoryBackend, runScenario, verdictOf, type Backend, type RunResult } from '../sim/run.ts';
import { createMemoryWorkspace, type MemorySnapshot, type MemoryWorkspace } from '../src/workspace/memory.ts';
import { loadScenario, parseScenario } from '../sim/scenario/load.ts';
import type { Scenario } from '../sim/scenario/schema.ts';
import { ReferenceLeader } from '../src/leader/index.ts';
import { fillForm, formSchema, formsOf, lintSkill, loadSkill, paraphrase, readForm, type FillValue, type SkillProfile } from '../src/skill/index.ts';
import { explore } from '../app/explore/explore.ts';
import { compareSkills } from '../app/compare/compare.ts';
import { runWithCodex } from '../app/live/codex-run.ts';
import { findCodexBinary } from '../src/live/codex-binary.ts';
import { rolloutsOf, rolloutText } from '../test/support/rollouts.ts';
import { suiteCpu, type SuiteCpu } from './suite-cpu.ts';
import { parseStat } from '../src/core/process-tree.ts';

export type SectionFn = () => Promise<void>;
const sections: { name: string; fn: SectionFn }[] = [];

/** Register a benchmark section; sections run in registration order. */
export function section(name: string, fn: SectionFn): void {
  sections.push({ name, fn });
}

// ---- helpers --------------------------------------------------------------------------

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A compact table; `align` gives each column's alignment, left (`l`) by default. */
export function table(rows: (string | number)[][], align = ''): string {
  const cells = rows.map((r) => r.map(String));
  const widths = cells[0]!.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const pad = (cell: string, c: number) => (align[c] === 'r' ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!));
  return cells.map((r) => r.map(pad).join('  ').trimEnd()).join('\n');
}

/** A figure beside its target (issue 18's): `62.0 ms (target ≤ 25 ms: missed)`. */
const against = (value: number, target: number, unit: string, better: 'lower' | 'higher' = 'lower', digits = 1) =>
  `${fmt(value, digits)} ${unit}  (target ${better === 'lower' ? '≤' : '≥'} ${fmt(target, target < 10 ? digits : 0)} ${unit}: ${(better === 'lower' ? value <= target : value >= target) ? 'met' : 'missed'})`;

const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const ROOT = fileURLToPath(new URL('../', import.meta.url));
let profile: Promise<SkillProfile> | null = null;
function skill(): Promise<SkillProfile> {
  profile ??= loadSkill(`${ROOT}skill`).then(({ profile: p }) => {
    if (!p) throw new Error('skill/ does not load: run `npm run lint`');
    return p;
  });
  return profile;
}

async function timedRun(scenario: Scenario, seed?: number): Promise<{ ms: number; r: RunResult }> {
  const p = await skill();
  const start = performance.now();
  const r = await runScenario({ scenario, profile: p, leader: (env) => new ReferenceLeader(env), ...(seed === undefined ? {} : { seed }) });
  return { ms: performance.now() - start, r };
}

// ---- sections -------------------------------------------------------------------------

const FOUR_WORKERS = `name: bench-four-workers
description: Four independent areas, four diligent workers, real git objects in memory.
repo:
  fixture: webapp
task:
  prompt: Use $thread-team to implement the billing settings page across API, UI, database and docs workers.
  areas:
    - role: api
      scope: Add the billing settings endpoint
      owns: [src/api/billing.ts]
    - role: ui
      scope: Build the billing settings page
      owns: [src/ui/settings-page.tsx]
    - role: db
      scope: Add the billing migration and seed data
      owns: [db/migrations.sql, db/seed.sql]
    - role: docs
      scope: Document the billing settings
      owns: [docs/billing.md]
expect:
  outcome: complete
  workers: 4
  merges: 4
`;

/**
 * A memory backend that records every workspace call of a run (its name, arguments, and the
 * simulated clock then) so that the same calls can be replayed on a fresh workspace without the
 * simulator: the floor a run's git work costs on the in-memory repository alone.
 */
function recordingBackend(into: {
  snapshot?: MemorySnapshot;
  calls: { name: string; args: unknown[]; now: number }[];
  commands?: Record<string, (files: Record<string, string>) => { exitCode: number; output: string }>;
}): Backend {
  return {
    name: 'memory',
    async prepare(s, now, seed) {
      const r = await memoryBackend.prepare(s, now, seed);
      into.snapshot = (r.ws as MemoryWorkspace).snapshot();
      into.commands = { [s.repo.verify.command]: verdictOf(s) };
      const ws = new Proxy(r.ws, {
        get(target, key, receiver) {
          const v = Reflect.get(target, key, receiver);
          if (typeof v !== 'function' || typeof key !== 'string') return v;
          return (...args: unknown[]) => {
            into.calls.push({ name: key, args: structuredClone(args), now: now() });
            return v.apply(target, args);
          };
        },
      });
      return { ...r, ws };
    },
  };
}

/** The recorded calls again, on a fresh workspace from the same snapshot: wall ms. */
async function replayCalls(rec: {
  snapshot?: MemorySnapshot;
  calls: { name: string; args: unknown[]; now: number }[];
  commands?: Record<string, (files: Record<string, string>) => { exitCode: number; output: string }>;
}): Promise<number> {
  let clock = 0;
  const start = performance.now();
  const ws = createMemoryWorkspace({ snapshot: rec.snapshot!, now: () => clock, commands: rec.commands! }) as unknown as Record<
    string,
    (...a: unknown[]) => Promise<unknown>
  >;
  for (const c of rec.calls) {
    clock = c.now;
    await ws[c.name]!(...c.args).catch(() => undefined);
  }
  return performance.now() - start;
}

section('four-worker run', async () => {
  const WARMUP = 5;
  const RUNS = 30;
  const scenario = parseScenario(FOUR_WORKERS, 'bench-four-workers.yaml');
  const runs: { ms: number; events: number; simMs: number; floorMs: number; calls: number }[] = [];
  let last: RunResult | null = null;
  const p = await skill();
  for (let k = 0; k < WARMUP + RUNS; k++) {
    // A different seed each run: different ids, same work.
    const rec: Parameters<typeof recordingBackend>[0] = { calls: [] };
    const { ms, r } = await timedRun(scenario, 1 + k);
    // The floor, in the same process and moment: the same git calls without the simulator.
    await runScenario({ scenario, profile: p, leader: (env) => new ReferenceLeader(env), seed: 1 + k, backend: recordingBackend(rec) });
    const floorMs = await replayCalls(rec);
    if (k >= WARMUP) runs.push({ ms, events: r.events.length, simMs: r.simMs, floorMs, calls: rec.calls.length });
    last = r;
  }
  const totalMs = runs.reduce((a, x) => a + x.ms, 0);
  const totalEvents = runs.reduce((a, x) => a + x.events, 0);
  const totalSim = runs.reduce((a, x) => a + x.simMs, 0);
  const ms = runs.map((x) => x.ms);
  const floor = median(runs.map((x) => x.floorMs));
  console.log(`four-worker run: reference leader, project skill, 4 diligent workers; ${RUNS} runs after ${WARMUP} warm-up`);
  console.log(
    table([
      ['wall time per run (median)', `${against(median(ms), 25, 'ms')}  (min ${fmt(Math.min(...ms))}, max ${fmt(Math.max(...ms))})`],
      [
        'floor: its git calls alone (median)',
        `${fmt(floor)} ms  (${fmt(median(runs.map((x) => x.calls)), 0)} workspace calls replayed on a fresh in-memory repository, no simulator)`,
      ],
      ['run / floor', `${fmt(median(ms) / floor, 2)}x  (the simulator, leader, workers and checks add ${fmt(median(ms) - floor)} ms)`],
      ['events per run (median)', fmt(median(runs.map((x) => x.events)), 0)],
      ['events per wall second', fmt(totalEvents / (totalMs / 1000), 0)],
      ['simulated s per wall s', fmt(totalSim / totalMs, 0)],
      ['simulated time per run', `${fmt(median(runs.map((x) => x.simMs)) / 60_000)} min`],
      ['outcome', `${last!.outcome} (${last!.counts.workers} workers, ${last!.counts.merges} merges)`],
    ]),
  );
});

section('catalogue', async () => {
  const dir = `${ROOT}scenarios/`;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const scenarios = await Promise.all(files.map((f) => loadScenario(`${dir}${f}`)));
  // Warm up the code paths (and the fixture snapshot cache) on the first one.
  await timedRun(scenarios[0]!);
  const rows: { name: string; ms: number; events: number; simMs: number; outcome: string }[] = [];
  const start = performance.now();
  for (const s of scenarios) {
    const { ms, r } = await timedRun(s);
    rows.push({ name: s.name, ms, events: r.events.length, simMs: r.simMs, outcome: r.outcome });
  }
  const total = performance.now() - start;
  const slowest = [...rows].sort((a, b) => b.ms - a.ms).slice(0, 3);
  const events = rows.reduce((a, x) => a + x.events, 0);
  const ms = rows.map((x) => x.ms);
  console.log(`catalogue: every scenarios/*.yaml once (${rows.length} scenarios; BENCH_VERBOSE=1 lists them)`);
  console.log(
    table([
      ['total wall time', `${fmt(total)} ms`],
      ['per scenario (median)', `${fmt(median(ms))} ms  (min ${fmt(Math.min(...ms))}, max ${fmt(Math.max(...ms))})`],
      ['events per wall second', `${fmt(events / (total / 1000), 0)}  (${events} events)`],
      ['slowest', slowest.map((x) => `${x.name} ${fmt(x.ms, 0)} ms`).join(', ')],
    ]),
  );
  if (process.env.BENCH_VERBOSE) {
    console.log(
      table(
        [['scenario', 'wall ms', 'events', 'sim min', 'outcome'], ...rows.map((x) => [x.name, fmt(x.ms), x.events, fmt(x.simMs / 60_000), x.outcome])],
        'lrrrl',
      ),
    );
  }
});

section('skill forms', async () => {
  // Reading a skill and its templates as forms: what lint and every command pay at start, and
  // what a run pays per message or file it fills in or reads back (a reading is memoised, so a
  // fresh text is used for each timed read).
  const dirs = [`${ROOT}skill`, `${ROOT}fixtures/skills/form-team`];
  const rows: (string | number)[][] = [['skill', 'load + lint ms', 'again ms', 'fill dispatch µs', 'read dispatch µs', 'read rewritten µs']];
  for (const dir of dirs) {
    // Parsed Markdown is shared by text, so a skill read before is cheap: the first read is
    // timed on a copy whose every file ends in a comment of its own (nothing cached), then again.
    const copy = mkdtempSync(join(tmpdir(), 'bench-skill-'));
    cpSync(dir, copy, { recursive: true });
    const mark = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const path = join(d, e.name);
        if (e.isDirectory()) mark(path);
        else if (e.name.endsWith('.md')) appendFileSync(path, `\n<!-- bench ${copy} -->\n`);
      }
    };
    mark(copy);
    const t0 = performance.now();
    await lintSkill(copy);
    const loadMs = performance.now() - t0;
    const t1 = performance.now();
    const { profile: p } = await lintSkill(copy);
    const againMs = performance.now() - t1;
    rmSync(copy, { recursive: true, force: true });
    const forms = formsOf(p!.templates);
    const f = forms.dispatch;
    const schema = formSchema(f);
    const values = (k: number) => {
      const v: Record<string, FillValue> = {};
      for (const x of schema.scalars) v[x.key] = x.options ? x.options[0]! : `${x.key} ${k}`;
      for (const c of schema.collections)
        if (c.slot)
          v[c.slot] = [0, 1, 2].map((i) => Object.fromEntries(c.columns.map((col) => [col.key, col.options ? col.options[0] : `${col.key} ${k} ${i}`])));
      return v;
    };
    const N = 300;
    const texts: string[] = [];
    let t = performance.now();
    for (let k = 0; k < N; k++) texts.push(fillForm(f, values(k)));
    const fillUs = ((performance.now() - t) * 1000) / N;
    t = performance.now();
    for (const text of texts) readForm(f, text);
    const readUs = ((performance.now() - t) * 1000) / N;
    let seed = 1;
    const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const rewritten = texts.map((text) => paraphrase(text, f, rand).text);
    t = performance.now();
    for (const text of rewritten) readForm(f, text);
    const paraUs = ((performance.now() - t) * 1000) / N;
    rows.push([dir.slice(ROOT.length), fmt(loadMs), fmt(againMs), fmt(fillUs, 0), fmt(readUs, 0), fmt(paraUs, 0)]);
  }
  console.log(table(rows, 'lrrrrr'));
});

section('explore', async () => {
  // Throughput as a user gets it: the command itself (the built bundle when fresh), one process
  // and --jobs 2 side by side on the same runs, start-up included. Enough runs (BENCH_EXPLORE_RUNS,
  // default 1,000) that the jobs' start does not hide their scaling. Then the time fast-check
  // takes to shrink a mutant's violation to its minimal scenario.
  const p = await skill();
  const runs = Number(process.env.BENCH_EXPLORE_RUNS ?? 1000);
  const bin = `${ROOT}bin/thread-team-sim.js`;
  const wall = (jobs: number) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, [bin, 'explore', '--runs', String(runs), '--seed', '1', '--jobs', String(jobs)], { encoding: 'utf8', cwd: ROOT });
    if (r.status !== 0) throw new Error(`explore --jobs ${jobs} exited ${r.status}: ${r.stderr}`);
    return (performance.now() - t) / 1000;
  };
  const soloS = wall(1);
  const parS = wall(2);
  const rows: (string | number)[][] = [['mode', 'runs', 'wall s', 'runs/s', 'runs/min', 'scaling']];
  rows.push(['1 process', runs, fmt(soloS), fmt(runs / soloS), fmt((60 * runs) / soloS, 0), '1.00x']);
  rows.push(['--jobs 2', runs, fmt(parS), fmt(runs / parS), against((60 * runs) / parS, 3000, 'runs/min', 'higher', 0), `${fmt(soloS / parS, 2)}x`]);
  console.log(table(rows, 'lrrrrr'));
  const shrink: (string | number)[][] = [['mutant', 'found after', 'shrink steps', 'shrink s', 'rule']];
  for (const flaw of ['merge-two-at-once', 'leak-heartbeat', 'replace-progressing', 'no-journal-read'] as const) {
    const r = await explore({ runs: 300, seed: 1, profile: p, flaws: [flaw] });
    shrink.push([flaw, r.failed ? `${r.runs} runs` : 'not found', r.shrinks, fmt(r.shrinkMs / 1000), r.violations[0]?.rule ?? '-']);
  }
  console.log(table(shrink, 'lrrrl'));
});

section('start-up', async () => {
  // What a person waits for before a command does anything: the CLI as users start it.
  const bin = `${ROOT}bin/thread-team-sim.js`;
  const time = (args: string[], n: number) => {
    const ms: number[] = [];
    for (let k = 0; k < n; k++) {
      const t = performance.now();
      const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: ROOT });
      ms.push(performance.now() - t);
      if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    }
    return median(ms) / 1000;
  };
  const fromSource = (args: string[], n: number) => {
    const ms: number[] = [];
    for (let k = 0; k < n; k++) {
      const t = performance.now();
      spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, TTS_FROM_SOURCE: '1' } });
      ms.push(performance.now() - t);
    }
    return median(ms) / 1000;
  };
  const built =
    spawnSync(process.execPath, [
      '-e',
      `import('${ROOT}bin/sources.js').then(({newestSource})=>{const b=JSON.parse(require('fs').readFileSync('${ROOT}dist/built.json','utf8'));process.exit(newestSource('${ROOT}')<=b.newestSource?0:1)})`,
    ]).status === 0;
  console.log(
    `start-up: median of 7 starts; ${built ? 'the built bundle (dist/)' : 'dist/ is missing or older than a source: the CLI ran from the sources (npm run build)'}`,
  );
  console.log(
    table([
      ['command', 'as started', 'from the sources (tsx)'],
      ['thread-team-sim --help', against(time(['--help'], 7), 0.3, 's', 'lower', 2), `${fmt(fromSource(['--help'], 3), 2)} s`],
      ['thread-team-sim lint', against(time(['lint'], 7), 0.6, 's', 'lower', 2), `${fmt(fromSource(['lint'], 3), 2)} s`],
    ]),
  );
});

// Long sections, run only when named (`npm run bench -- memory`, `npm run bench -- npm-test`).
section('memory: 10,000 runs (only when named)', async () => {
  const job = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', `${ROOT}bench/explore-memory.ts`, '10000'], { encoding: 'utf8', cwd: ROOT });
  if (job.status !== 0) throw new Error(`bench/explore-memory.ts failed: ${job.stderr}`);
  const m = JSON.parse(job.stdout) as { runs: number; seconds: number; rssMB: Record<string, number>; liveMB: Record<string, number>; peakMB: number };
  console.log(`one process exploring ${m.runs} runs (${fmt(m.seconds, 0)} s); MB at each mark:`);
  console.log(
    table([
      ['', ...Object.keys(m.rssMB).map((k) => `at ${k}`)],
      ['resident', ...Object.values(m.rssMB).map(String)],
      ['heap left after a full GC', ...Object.keys(m.rssMB).map((k) => String(m.liveMB[k] ?? '-'))],
    ]),
  );
  const growth = (at: Record<string, number>) => (at['10000'] ?? 0) - (at['1000'] ?? 0);
  const flat = (at: Record<string, number>) => (growth(at) <= 0.1 * (at['1000'] ?? 0) ? 'met' : 'missed');
  console.log(`growth from 1,000 to 10,000 runs: resident ${growth(m.rssMB)} MB (target: flat: ${flat(m.rssMB)}); peak ${m.peakMB} MB`);
  console.log(`                                  heap left after GC ${growth(m.liveMB)} MB (${flat(m.liveMB)}: what the runs keep)`);
});

/**
 * Processor seconds of every child this process has waited for, and of theirs (Linux /proc), or
 * null: on two cores the suite is bound by processor time, which moves less from one minute to
 * the next than wall time does.
 */
function waitedChildrenCpu(): number | null {
  try {
    return parseStat(readFileSync('/proc/self/stat', 'utf8')).childrenCpu;
  } catch {
    return null;
  }
}

section('npm-test: the whole suite (only when named)', async () => {
  const cpu0 = waitedChildrenCpu();
  const logDir = mkdtempSync(join(tmpdir(), 'bench-cpu-'));
  const log = join(logDir, 'files.jsonl');
  const t = performance.now();
  const r = spawnSync(process.execPath, [`${ROOT}node_modules/vitest/vitest.mjs`, 'run'], {
    encoding: 'utf8',
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', THREAD_TEAM_SIM_CPU_LOG: log },
    maxBuffer: 256 * 1024 * 1024,
  });
  const s = (performance.now() - t) / 1000;
  const summary = r.stdout
    .split('\n')
    .filter((l) => /Test Files|Tests /.test(l))
    .map((l) => l.trim());
  console.log(`npm test: ${against(s, 90, 's', 'lower', 0)}; ${summary.join('; ')}${r.status === 0 ? '' : ` (exit ${r.status})`}`);
  const cpu1 = waitedChildrenCpu();
  if (cpu0 !== null && cpu1 !== null) {
    const cores = availableParallelism();
    console.log(
      `  processor time: ${fmt(cpu1 - cpu0, 0)} CPU-s (the suite and every process it started); on ${cores} cores no less than ${fmt((cpu1 - cpu0) / cores, 0)} s wall`,
    );
  }
  let byFile: SuiteCpu | null = null;
  try {
    byFile = suiteCpu(readFileSync(log, 'utf8'));
  } catch (e) {
    console.log(`  no processor time by file: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
  if (!byFile) return;
  const rows: (string | number)[][] = [['processor time by test file', 'CPU-s', 'own', 'processes it started', 'wall s']];
  for (const f of byFile.files.slice(0, 15)) rows.push([f.file, fmt(f.own + f.children), fmt(f.own), fmt(f.children), fmt(f.wall)]);
  for (const g of byFile.groups) rows.push([`${g.name}: ${g.files} files`, fmt(g.own + g.children), fmt(g.own), fmt(g.children), '']);
  console.log(table(rows, 'lrrrr'));
  console.log('  (the rest is Vitest itself: collecting, transforming, reporting)');
});

section('compare', async () => {
  // `compare` of two skills (ours and the terse fixture, so every message differs) over the whole
  // catalogue and 200 explored runs each: what a pull-request gate costs.
  const load = async (dir: string) => {
    const { profile, findings } = await lintSkill(dir);
    return { label: dir, profile, findings };
  };
  const files = readdirSync(`${ROOT}scenarios`)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const scenarios = await Promise.all(files.map(async (f) => ({ name: f, scenario: await loadScenario(`${ROOT}scenarios/${f}`) })));
  const rows: (string | number)[][] = [['comparison', 'scenarios', 'explored runs', 'wall s', 'verdict']];
  for (const runs of [0, 200]) {
    const t = performance.now();
    const c = await compareSkills(await load(`${ROOT}skill`), await load(`${ROOT}fixtures/skills/terse-team`), { scenarios, runs, seed: 1 });
    rows.push(['skill/ → terse-team', scenarios.length, `${runs} each`, fmt((performance.now() - t) / 1000), c.verdict]);
  }
  console.log(table(rows, 'lrrrl'));
});

section('codex', async () => {
  // The real Codex runtime, offline (skipped without the binary): happy-three with the Codex
  // leader and simulated workers, then with every thread a Codex thread, and where the time went.
  if (!findCodexBinary()) {
    console.log('skipped: no codex binary (optional dependency @openai/codex)');
    return;
  }
  const p = await skill();
  const scenario = await loadScenario(`${ROOT}scenarios/happy-three.yaml`);
  const rows: (string | number)[][] = [['happy-three', 'outcome', 'threads', 'wall s', 'CPU s: ours', 'CPU s: Codex']];
  for (const workers of ['sim', 'codex'] as const) {
    const r = await runWithCodex({ scenario, profile: p, skillDir: `${ROOT}skill`, mode: { kind: 'reference' }, workers });
    const { wallMs, ourCpuMs, codexCpuMs } = r.timing;
    const threads = new Set(r.requests.map((q) => q.headers['thread-id'])).size;
    rows.push([`--workers ${workers}`, r.outcome, threads, fmt(wallMs / 1000), fmt(ourCpuMs / 1000), codexCpuMs === null ? '-' : fmt(codexCpuMs / 1000)]);
  }
  console.log(table(rows, 'llrrrr'));
});

section('import', async () => {
  // Reading a run back from rollouts: the four-worker run written out as the desktop app would
  // (test/support/rollouts.ts), imported and checked; then the same set grown with command
  // outputs to 10 MB and 100 MB, to show that memory stays bounded (each in a process of its own,
  // its JavaScript heap capped at 128 MB).
  const p = await skill();
  const { r } = await timedRun(parseScenario(FOUR_WORKERS, 'bench-four-workers.yaml'));
  const files = rolloutsOf(r.events, { skill: { name: p.name.value, path: `${ROOT}skill/SKILL.md` } });
  const rows: (string | number)[][] = [['rollout set', 'files', 'MB', 'events', 'import + check ms', 'peak RSS MB']];
  for (const targetMB of [0, 10, 100]) {
    const home = await mkdtemp(join(tmpdir(), 'bench-import-'));
    try {
      let bytes = 0;
      const chunk = 'x'.repeat(1_000_000);
      for (const [id, lines] of files) {
        const dir = join(home, 'sessions/2026/01/05');
        await mkdir(dir, { recursive: true });
        const out = createWriteStream(join(dir, `rollout-2026-01-05T09-00-00-${id}.jsonl`));
        const write = (text: string) => {
          bytes += text.length;
          return new Promise<void>((ok) => (out.write(text) ? ok() : out.once('drain', ok)));
        };
        await write(rolloutText(lines));
        // Command outputs, as a long run's workers leave them (one MB each).
        for (let n = 0; id !== r.leader && bytes < (targetMB * 1_000_000 * (1 + [...files.keys()].indexOf(id))) / files.size; n++) {
          const at = lines.at(-1)!.timestamp;
          await write(
            `${JSON.stringify({ timestamp: at, type: 'response_item', payload: { type: 'function_call', name: 'exec_command', arguments: '{"cmd":"cat big.log"}', call_id: `pad_${n}` } })}\n`,
          );
          await write(
            `${JSON.stringify({ timestamp: at, type: 'response_item', payload: { type: 'function_call_output', call_id: `pad_${n}`, output: `Process exited with code 0\nOutput:\n${chunk}` } })}\n`,
          );
        }
        await new Promise((ok) => out.end(ok));
      }
      // A small heap: a reader that held the set whole would run out of it at 100 MB.
      const job = spawnSync(process.execPath, ['--max-old-space-size=128', '--import', 'tsx', `${ROOT}bench/import-job.ts`, home, `${ROOT}skill`], {
        encoding: 'utf8',
      });
      if (job.status !== 0) throw new Error(`import job failed: ${job.stderr}`);
      const m = JSON.parse(job.stdout) as { ms: number; events: number; maxRssMB: number };
      rows.push([targetMB ? `grown to ${targetMB} MB` : 'four-worker run', files.size, fmt(bytes / 1e6), m.events, fmt(m.ms, 0), fmt(m.maxRssMB, 0)]);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }
  console.log(table(rows, 'lrrrrr'));
});

// ---- main -----------------------------------------------------------------------------

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).map((a) => a.toLowerCase());
  const chosen = sections.filter((s) => (wanted.length === 0 ? !s.name.includes('only when named') : wanted.some((w) => s.name.toLowerCase().includes(w))));
  if (chosen.length === 0) {
    console.error(`no bench section matches ${wanted.join(' ')}; sections: ${sections.map((s) => s.name).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  console.log(`node ${process.version}, ${process.platform}-${process.arch}`);
  for (const s of chosen) {
    console.log('');
    const t = performance.now();
    await s.fn();
    console.log(`(${s.name}: ${fmt((performance.now() - t) / 1000)} s)`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
