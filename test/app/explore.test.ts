// The CLI against generated hostile input: fast-check mutates valid scenario files, traces,
// skill directories and flag lists (deleting, duplicating, retyping, truncating, inflating
// and path-poisoning them) and every case must end as a user would want:
//   - exit 0 (it was still valid), 1 (a finding) or 2 (bad input), never 3 (a bug);
//   - on exit 2 one line on stderr, `thread-team-sim: …`; never a stack trace;
//   - nothing written outside the output folder it was given, nothing left in the
//     temporary folder, no child process and no registered teardown left over;
//   - nothing a scenario says is executed (no PWNED file appears anywhere);
//   - done within a bound (a hang guard, not a timing assertion).
// FUZZ_RUNS sets the number of cases (default 240, shared by the four kinds), FUZZ_SEED the
// seed, FUZZ_LOG a file to list every case in; the counts by outcome are printed at the end. A failure prints fast-check's seed and path to replay it.
//
// Not generated: `--leader codex` (a valid one is a real Codex run of tens of seconds; its
// bad flags are pinned in cli-run.test.ts and its interruption in interrupt.test.ts).

import { runReference } from '../support/run.ts';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, cp, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../app/cli/main.ts';
import { pendingTeardowns } from '../../src/core/teardown.ts';
import { parseScenario } from '../../sim/scenario/load.ts';
import { loadSkill } from '../../src/skill/index.ts';
import { toJsonl } from '../../src/trace/jsonl.ts';
import { capture } from '../support/cli.ts';
import { childrenOf } from '../support/processes.ts';
import { SKILL } from '../support/skills.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TOTAL = Number(process.env.FUZZ_RUNS ?? 240);
/** FUZZ_LOG=FILE appends one line per case (kind, exit, argv, what it said) for reading the refusals. */
const LOG = process.env.FUZZ_LOG;
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
/** A case that takes longer than this is taken for a hang. */
const HANG_MS = 120_000;

let box: string; // the case's working directory: in/ holds its inputs, out/ its one output folder
let tmp: string; // TMPDIR while the cases run
let savedTmp: string | undefined;
let gitBefore: string;
const outcomes: Record<string, Record<string, number>> = {};

beforeAll(async () => {
  box = await mkdtemp(join(tmpdir(), 'fuzz-'));
  tmp = join(box, 'tmp');
  await mkdir(tmp);
  savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  gitBefore = gitStatus();
});

afterAll(async () => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  await rm(box, { recursive: true, force: true });
  const lines = Object.entries(outcomes).map(
    ([kind, by]) =>
      `  ${kind.padEnd(9)} ${Object.entries(by)
        .map(([o, n]) => `${o} ${n}`)
        .join(', ')}`,
  );
  console.log(`fuzz: ${Object.values(outcomes).reduce((a, by) => a + Object.values(by).reduce((x, y) => x + y, 0), 0)} cases by outcome\n${lines.join('\n')}`);
});

/** New files in the repository (edits to tracked files are left out: a person may be editing while the tests run). */
const gitStatus = () =>
  execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.startsWith('??'))
    .join('\n');

/** Every file under `dir`, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(relative(dir, p));
    }
  };
  await walk(dir);
  return out.sort();
}

const children = () => childrenOf(process.pid);

/** Resets the box: fresh in/ and out/ folders and an empty temporary folder. */
async function resetBox(): Promise<void> {
  for (const d of await readdir(box)) await rm(join(box, d), { recursive: true, force: true });
  for (const d of ['in', 'out', 'tmp']) await mkdir(join(box, d));
}

/** Runs one case and checks everything a user may expect of any outcome. */
async function attempt(kind: string, argv: string[]): Promise<void> {
  const inputs = await filesUnder(join(box, 'in'));
  const before = children();
  const io = capture(box);
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    main(argv, io),
    new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`did not finish within ${HANG_MS / 1000} s: ${JSON.stringify(argv)}`)), HANG_MS)),
    ),
  ]).finally(() => clearTimeout(timer));
  const what = `${JSON.stringify(argv)} → exit ${code}\n${io.text().slice(0, 2000)}`;
  expect([0, 1, 2], what).toContain(code);
  for (const l of [...io.outs, ...io.errs]) expect(l, what).not.toMatch(/\n\s+at |internal error \(a bug in|EPIPE/);
  if (code === 2) {
    // One line, or one per bad scenario file when `run` is given several (all are read first).
    const files = argv[0] === 'run' || argv[0] === 'replay' ? argv.slice(1).findIndex((a) => a.startsWith('-')) : 1;
    expect(io.errs.length, what).toBeGreaterThanOrEqual(1);
    expect(io.errs.length, what).toBeLessThanOrEqual(Math.max(1, files === -1 ? argv.length - 1 : files));
    for (const l of io.errs) {
      expect(l, what).toMatch(/^thread-team-sim: \S/);
      expect(l.length, what).toBeLessThan(1200);
      expect(l, what).not.toContain('\n');
    }
  }
  // Nothing outside out/ was written, and the inputs are as they were.
  const now = await filesUnder(box);
  const expected = [...inputs.map((f) => join('in', f))];
  // explore and replay write a found case to explore-out/ unless told otherwise.
  const outputs = ['out/', 'tmp/', ...((argv[0] === 'explore' || argv[0] === 'replay') && !argv.includes('--out') ? ['explore-out/'] : [])];
  expect(
    now.filter((f) => !outputs.some((o) => f.startsWith(o))),
    what,
  ).toEqual(expected.sort());
  expect(
    (await readdir(tmp)).filter((n) => !/^tsx-\d+$/.test(n)),
    what,
  ).toEqual([]);
  expect(existsSync(join(ROOT, 'PWNED')) || existsSync(join(box, 'PWNED')), what).toBe(false);
  // Explore jobs are stopped with a signal: give them a moment to be gone.
  for (let k = 0; k < 50 && children().some((p) => !before.includes(p)); k++) await new Promise((r) => setTimeout(r, 100));
  expect(
    children().filter((p) => !before.includes(p)),
    what,
  ).toEqual([]);
  expect(pendingTeardowns(), what).toEqual([]);
  if (LOG)
    await appendFile(LOG, `${kind}\t${code}\t${JSON.stringify(argv.map((a) => a.replace(box, '')))}\t${(io.errs[0] ?? io.outs.at(-1) ?? '').slice(0, 300)}\n`);
  const by = (outcomes[kind] ??= {});
  const label = code === 0 ? 'valid' : code === 1 ? 'finding' : 'refused';
  by[label] = (by[label] ?? 0) + 1;
}

// ---------------------------------------------------------------------------------------
// Text mutations, shared by scenario files, traces and skill files.

/** Values a careless or hostile hand puts where a value goes. */
const JUNK = [
  '-1',
  '0',
  '1e9',
  '99999999999999999999',
  'NaN',
  '.inf',
  '~',
  'null',
  'true',
  '[]',
  '{}',
  '"',
  "'",
  '*nope',
  '&a',
  '!!binary aGVsbG8=',
  '!!js/function "x"',
  '"$(touch PWNED)"',
  '`touch PWNED`',
  '"; touch PWNED"',
  'touch PWNED #',
  '\u0000',
  '\u202e',
  'é日本',
  'x'.repeat(5000),
  '10000000m',
  '-5m',
  '0s',
  '1d',
  '{kind: nope}',
  '[1, [2, [3]]]',
  '|',
  '>-',
  '- a',
  ': x',
];
const POISON = [
  '../../../etc/passwd',
  '/etc/passwd',
  '/',
  '..',
  '.git/config',
  'C:\\Windows\\x',
  '~/x',
  'a/../../b',
  '\\\\server\\share',
  'PWNED; touch PWNED',
  '',
  'node_modules/../../x',
  '/dev/zero',
  '/proc/self/environ',
];

type Op =
  | { op: 'delete'; at: number }
  | { op: 'duplicate'; at: number; times: number }
  | { op: 'swap'; at: number; with: number }
  | { op: 'truncate'; at: number }
  | { op: 'retype'; at: number; value: string }
  | { op: 'inflate'; at: number; times: number }
  | { op: 'poison'; at: number; path: string };

/** A place in a file, as a fraction of its length: spread evenly (fast-check's numbers lean towards 0). */
const where = fc.noBias(fc.integer({ min: 0, max: 999_999 })).map((n) => n / 1_000_000);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: where }),
  fc.record({ op: fc.constant('duplicate' as const), at: where, times: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ op: fc.constant('swap' as const), at: where, with: where }),
  fc.record({ op: fc.constant('truncate' as const), at: where }),
  fc.record({ op: fc.constant('retype' as const), at: where, value: fc.constantFrom(...JUNK) }),
  fc.record({ op: fc.constant('inflate' as const), at: where, times: fc.constantFrom(50, 2000) }),
  fc.record({ op: fc.constant('poison' as const), at: where, path: fc.constantFrom(...POISON) }),
);
const opsArb = fc.array(opArb, { minLength: 1, maxLength: 3 });

const PATHLIKE = /[\w.-]*\/[\w./-]*|[\w-]+\.(ts|tsx|md|yaml|json|jsonl)\b/;

/** Applies text mutations line-wise (a key: value line keeps its key when retyped). */
function mutate(text: string, ops: Op[]): string {
  let lines = text.split('\n');
  const pick = (at: number) => Math.min(lines.length - 1, Math.floor(at * lines.length));
  for (const o of ops) {
    if (lines.length === 0) break;
    const i = pick(o.at);
    const line = lines[i]!;
    switch (o.op) {
      case 'delete':
        lines.splice(i, 1);
        break;
      case 'duplicate':
        lines.splice(i, 0, ...Array<string>(o.times).fill(line));
        break;
      case 'swap': {
        const j = pick(o.with);
        [lines[i], lines[j]] = [lines[j]!, line];
        break;
      }
      case 'truncate': {
        const all = lines.join('\n');
        lines = all.slice(0, Math.floor(o.at * all.length)).split('\n');
        break;
      }
      case 'retype': {
        const m = /^(\s*(?:- )?[\w"'.-]+\s*:\s*)/.exec(line);
        lines[i] = m ? m[1] + o.value : o.value;
        break;
      }
      case 'inflate':
        // (A line already inflated is not inflated again: megabytes are enough.)
        lines[i] = o.times > 100 && line.length < 10_000 ? `${line} ${line.repeat(o.times)}` : line;
        if (o.times <= 100) lines.splice(i, 0, ...Array<string>(o.times).fill(line));
        break;
      case 'poison':
        lines[i] = PATHLIKE.test(line) ? line.replace(PATHLIKE, o.path) : line.replace(/:\s*\S.*$/, `: ${JSON.stringify(o.path)}`);
        break;
    }
  }
  return lines.join('\n');
}

// JSON-aware mutations for trace lines: a field of one event retyped or poisoned.
const JSON_JUNK: unknown[] = [
  -1,
  0,
  1e308,
  -1e308,
  'x',
  '',
  null,
  [],
  {},
  true,
  '../../etc/passwd',
  '$(touch PWNED)',
  'x'.repeat(100_000),
  { kind: 'nope' },
  [1, [2]],
];
type TraceOp = Op | { op: 'field'; at: number; key: number; value: unknown } | { op: 'corrupt'; at: number; cut: number };
const traceOpArb: fc.Arbitrary<TraceOp> = fc.oneof(
  opArb,
  fc.record({ op: fc.constant('field' as const), at: where, key: fc.nat(12), value: fc.constantFrom(...JSON_JUNK) }),
  fc.record({ op: fc.constant('corrupt' as const), at: where, cut: where }),
);

function mutateTrace(text: string, ops: TraceOp[]): string {
  let out = text;
  for (const o of ops) {
    if (o.op !== 'field' && o.op !== 'corrupt') {
      out = mutate(out, [o]);
      continue;
    }
    const lines = out.split('\n');
    const i = Math.min(lines.length - 1, Math.floor(o.at * lines.length));
    if (o.op === 'corrupt') {
      lines[i] = lines[i]!.slice(0, Math.floor(o.cut * lines[i]!.length));
    } else {
      try {
        const ev = JSON.parse(lines[i]!) as Record<string, unknown>;
        const keys = Object.keys(ev);
        if (keys.length) ev[keys[o.key % keys.length]!] = o.value;
        lines[i] = JSON.stringify(ev);
      } catch {
        // the line is already broken: leave it so
      }
    }
    out = lines.join('\n');
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// The valid material everything is generated from.

const scenarioNames: string[] = [];
const traces: Record<string, string> = {};

beforeAll(async () => {
  scenarioNames.push(...(await readdir(join(ROOT, 'scenarios'))).filter((n) => n.endsWith('.yaml')).sort());
  const profile = (await loadSkill(SKILL)).profile!;
  for (const name of ['happy-three.yaml', 'stalls-mid-task.yaml', 'conflict-maker.yaml']) {
    const scenario = parseScenario(await readFile(join(ROOT, 'scenarios', name), 'utf8'), name);
    const r = await runReference(scenario, { profile });
    traces[name] = toJsonl(r.events);
  }
}, 120_000);

const share = (part: number) => Math.max(1, Math.round(TOTAL * part));
const params = (part: number) => ({ numRuns: share(part), ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: false });

describe('fuzz: the CLI given hostile input', () => {
  it('mutated scenario files: run and replay', { timeout: 3_600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...scenarioNames), opsArb, fc.constantFrom('run', 'run-json', 'replay'), async (name, ops, how) => {
        await resetBox();
        const file = join(box, 'in', name);
        await writeFile(file, mutate(await readFile(join(ROOT, 'scenarios', name), 'utf8'), ops));
        const argv =
          how === 'replay' ? ['replay', file, '--trace', 'out/t.jsonl'] : ['run', file, '--trace', 'out/t.jsonl', ...(how === 'run-json' ? ['--json'] : [])];
        await attempt('scenario', argv);
      }),
      params(0.35),
    );
  });

  it('mutated traces: check and show', { timeout: 3_600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(traces)),
        fc.array(traceOpArb, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('check', 'check-json', 'show', 'show-html'),
        async (name, ops, how) => {
          await resetBox();
          const file = join(box, 'in', name.replace(/\.yaml$/, '.jsonl'));
          await writeFile(file, mutateTrace(traces[name]!, ops));
          const argv = {
            check: ['check', file],
            'check-json': ['check', file, '--json', '--all'],
            show: ['show', file, '--all'],
            'show-html': ['show', file, '--html', 'out/t.html'],
          }[how]!;
          await attempt('trace', argv);
        },
      ),
      params(0.25),
    );
  });

  it('mutated skill directories: lint and run', { timeout: 3_600_000 }, async () => {
    const bases = [SKILL, ...(await readdir(join(ROOT, 'fixtures/skills'))).map((n) => join(ROOT, 'fixtures/skills', n))];
    type FileOp = 'text' | 'delete' | 'empty' | 'folder' | 'large' | 'huge' | 'device' | 'deep';
    /** Markdown the parser chokes on: nesting, emphasis by the thousand. */
    const DEEP = [
      `${'>'.repeat(200)} x`,
      '*a'.repeat(6000),
      Array.from({ length: 150 }, (_, i) => `${'  '.repeat(i)}- a`).join('\n'),
      '['.repeat(30_000),
      '`'.repeat(30_000),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...bases),
        where,
        fc.constantFrom<FileOp>('text', 'text', 'text', 'delete', 'empty', 'folder', 'large', 'huge', 'device', 'deep'),
        opsArb,
        fc.constantFrom('lint', 'lint-json', 'run'),
        async (base, at, fileOp, ops, how) => {
          await resetBox();
          const dir = join(box, 'in', 'skill');
          await cp(base, dir, { recursive: true });
          const files = await filesUnder(dir);
          const target = join(dir, files[Math.min(files.length - 1, Math.floor(at * files.length))]!);
          switch (fileOp) {
            case 'text':
              await writeFile(target, mutate(await readFile(target, 'utf8'), ops));
              break;
            case 'delete':
              await rm(target);
              break;
            case 'empty':
              await writeFile(target, '');
              break;
            case 'folder':
              await rm(target);
              await mkdir(target);
              await writeFile(join(target, 'inside.md'), 'x');
              break;
            case 'large': // under the size limit: read in full, within the bound
              await writeFile(target, `${await readFile(target, 'utf8')}\n${'lorem ipsum dolor sit amet\n'.repeat(15_000)}`);
              break;
            case 'huge': // over it
              await writeFile(target, `${await readFile(target, 'utf8')}\n${'lorem ipsum '.repeat(300_000)}`);
              break;
            case 'deep':
              await writeFile(target, `${await readFile(target, 'utf8')}\n${DEEP[Math.floor(at * 1000) % DEEP.length]}\n`);
              break;
            case 'device':
              // A file that never ends: reading it must not hang the harness.
              await rm(target);
              await symlink('/dev/zero', target);
              break;
          }
          const argv =
            how === 'run'
              ? ['run', join(ROOT, 'scenarios/happy-three.yaml'), '--skill', dir]
              : ['lint', '--skill', dir, ...(how === 'lint-json' ? ['--json'] : [])];
          await attempt('skill', argv);
        },
      ),
      params(0.15),
    );
  });

  it('generated flag lists for every command', { timeout: 3_600_000 }, async () => {
    const scenario = join(ROOT, 'scenarios/happy-three.yaml');
    const value = {
      '--runs': ['1', '2', '3', '0', '-1', 'x', '1e9', '', '99999999999', '2.5'],
      '--seed': ['1', '77', '-1', 'x', '2147483648', '1e3', ''],
      '--jobs': ['1', '2', '0', 'x', '65'],
      '--path': ['0', '1:2', '0:0:0', '$(touch PWNED)', '../x', '', '9'.repeat(40)],
      '--skill': [SKILL, join(ROOT, 'fixtures/skills/alt-team'), 'in/no-such-skill', 'in/a-file', '/', join(ROOT, 'scenarios')],
      '--trace': ['out/t.jsonl', 'out', 'in/a-file', 'in/s.yaml', 'in/none/t.jsonl', '/dev/null', ''],
      '--out': ['out', 'out/cases', 'in/a-file', 'in/none/deeper'],
      '--record': ['out/c.json', 'in/none/c.json'],
      '--cassette': ['in/a-file', 'in/none.json'],
      '--leader': ['reference', 'bogus', ''],
      '--mutant': ['leak-heartbeat', 'merge-two-at-once', 'nosuch'],
      '--max-turns': ['1', '0', 'x'],
      '--max-tokens': ['10', '-5'],
      '--endpoint': ['https://example.invalid/v1', 'not a url'],
      '--api-key-env': ['TTS_FUZZ_NO_SUCH_KEY'],
      '--html': ['out/t.html', 'in/t.jsonl', 'in/a-file', 'in/none/t.html', 'out'],
      '--report': ['out/pages', 'in/a-file', 'out'],
      '--around': ['0', '12', '99999', '-1', 'x', ''],
    } as const;
    const valued = Object.keys(value) as (keyof typeof value)[];
    const bare = ['--json', '--strict', '--all', '--force', '--keep', '--allow-exec', '--nope', '-x', '--'];
    const flag = fc.oneof(
      fc.constantFrom(...valued).chain((f) => fc.constantFrom(...value[f]).map((v) => [f, v])),
      fc.constantFrom(...bare).map((f) => [f]),
    );
    const positional = fc.constantFrom(scenario, 'in/s.yaml', 'in/a-file', 'in/none.yaml', 'in', 'in/t.jsonl', '/dev/null');
    const argvArb = fc
      .tuple(
        fc.constantFrom('run', 'lint', 'explore', 'check', 'replay', 'show', 'bogus', 'help'),
        fc.array(positional, { maxLength: 2 }),
        fc.array(flag, { maxLength: 4 }),
      )
      .map(([cmd, pos, flags]) => {
        // `run` with no path runs the whole catalogue, and explore's default is 200 runs: valid
        // but slow. Those defaults are tested elsewhere; here a run names one file, explore a count.
        const args = cmd === 'run' && pos.length === 0 ? [scenario] : pos;
        const fl = flags.flat();
        if (cmd === 'explore' && !fl.includes('--runs')) fl.push('--runs', '2');
        if (cmd === 'explore' || cmd === 'replay') {
          // A valid explore is at most a few runs.
          const k = fl.indexOf('--runs');
          if (k >= 0 && /^[1-9]\d*$/.test(fl[k + 1] ?? '') && Number(fl[k + 1]) > 3) fl[k + 1] = '3';
        }
        return [cmd, ...args, ...fl];
      });
    await fc.assert(
      fc.asyncProperty(argvArb, async (argv) => {
        await resetBox();
        await writeFile(join(box, 'in', 'a-file'), 'not a scenario\n');
        await writeFile(join(box, 'in', 's.yaml'), await readFile(scenario, 'utf8'));
        await writeFile(join(box, 'in', 't.jsonl'), traces['happy-three.yaml']!);
        await attempt('flags', argv);
      }),
      params(0.25),
    );
  });

  it('left the repository as it found it', () => {
    expect(gitStatus()).toBe(gitBefore);
  });
});
