import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../app/cli/main.ts';
import { capture } from '../support/cli.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'cli-run-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('thread-team-sim run', () => {
  it('runs one scenario, prints its line, writes its trace, exits 0', async () => {
    const io = capture(ROOT);
    const trace = join(tmp, 'happy.jsonl');
    expect(await main(['run', 'scenarios/happy-three.yaml', '--trace', trace], io)).toBe(0);
    expect(io.outs[0]).toMatch(/^ok +happy-three +complete .*workers 3 .*merges 3/);
    expect(io.outs.at(-1)).toBe('1 of 1 scenarios held');
    expect((await readFile(trace, 'utf8')).split('\n').filter(Boolean).length).toBeGreaterThan(100);
  });

  it('prints JSON with the trace hash; the same seed gives the same hash', async () => {
    const a = capture(ROOT);
    const b = capture(ROOT);
    expect(await main(['run', 'scenarios/stalls-mid-task.yaml', '--json', '--seed', '9'], a)).toBe(0);
    expect(await main(['run', 'scenarios/stalls-mid-task.yaml', '--json', '--seed', '9'], b)).toBe(0);
    const ra = JSON.parse(a.outs[0]!);
    expect(ra).toMatchObject({ scenario: 'stalls-mid-task', ok: true, seed: 9, outcome: 'complete' });
    expect(ra.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(b.outs[0]!).hash).toBe(ra.hash);
  });

  it('fails a scenario whose leader breaks a rule, naming the rule and the events', async () => {
    const file = join(tmp, 'mutant.yaml');
    const text = await readFile(join(ROOT, 'scenarios/happy-three.yaml'), 'utf8');
    await writeFile(file, text.replace('name: happy-three', 'name: leaky').replace('expect:', 'leader:\n  flaws: [leak-heartbeat]\nexpect:'));
    const io = capture(tmp);
    expect(await main(['run', file], io)).toBe(1);
    expect(io.text()).toMatch(/^FAIL leaky/m);
    expect(io.text()).toMatch(/H1: heartbeat auto-1 on the leader was never deleted .*\(events \d+/);
    expect(io.text()).toMatch(/replay: thread-team-sim run .*mutant\.yaml --seed 1 --trace leaky\.jsonl/);
  });

  it('fails an unmet expectation, saying what was expected and what came', async () => {
    const wrong = join(tmp, 'wrong.yaml');
    const text = await readFile(join(ROOT, 'scenarios/happy-three.yaml'), 'utf8');
    await writeFile(wrong, text.replace('name: happy-three', 'name: wrong').replace('merges: 3', 'merges: 2'));
    const io = capture(tmp);
    expect(await main(['run', wrong], io)).toBe(1);
    expect(io.text()).toMatch(/unmet: expected merges 2, got 3/);
    expect(io.outs.at(-1)).toBe('0 of 1 scenarios held; 1 failed');
  });

  it('refuses a bad scenario file by its line, exit 2, and runs nothing (not even the good ones)', async () => {
    const bad = join(tmp, 'bad.yaml');
    await writeFile(bad, 'name: bad\nrepo:\n  fixture: webapp\ntask:\n  prompt: x\n  areas: []\nexpect:\n  outcome: complete\n');
    const io = capture(tmp);
    expect(await main(['run', bad, join(ROOT, 'scenarios/happy-three.yaml')], io)).toBe(2);
    expect(io.errs).toHaveLength(1);
    expect(io.errs[0]).toMatch(/^thread-team-sim: bad\.yaml:6: task\.areas: .*\(nothing was run\)$/);
    expect(io.outs).toEqual([]);
  });

  it('refuses bad flags and missing paths with exit 2 and one line', async () => {
    for (const argv of [
      ['run', '--seed', 'x'],
      ['run', 'no/such.yaml'],
      ['run', '--leader', 'gpt'],
      ['run', '--bogus'],
    ]) {
      const io = capture(ROOT);
      expect(await main(argv, io), argv.join(' ')).toBe(2);
      expect(io.errs.length).toBeGreaterThan(0);
    }
  });

  it('refuses codex-only flags without --leader codex, and an unreadable cassette, in one line each', async () => {
    const cases: [string[], RegExp][] = [
      [['run', 'scenarios/happy-three.yaml', '--cassette', 'x.json'], /--cassette, --record and --endpoint need --leader codex/],
      [['run', 'scenarios/happy-three.yaml', '--workers', 'codex'], /^thread-team-sim: --workers codex needs --leader codex/],
      [['run', 'scenarios/happy-three.yaml', '--trials', '3'], /^thread-team-sim: --trials needs --leader codex/],
      [
        ['run', 'scenarios/happy-three.yaml', '--leader', 'codex', '--trials', '0'],
        /^thread-team-sim: --trials: expected a whole number from 1 to 100, got "0"$/,
      ],
      [
        ['run', 'scenarios/happy-three.yaml', '--leader', 'codex', '--trials', '2', '--record', 'x.json'],
        /^thread-team-sim: --trials cannot replay or record a cassette/,
      ],
      [
        ['run', 'scenarios/happy-three.yaml', '--leader', 'codex', '--workers', 'models'],
        /^thread-team-sim: --workers: unknown driver "models" \(known: sim, codex\)$/,
      ],
      [['run', 'scenarios/happy-three.yaml', '--leader', 'codex', '--cassette', join(tmp, 'none.json')], /--cassette: cannot use .*none\.json: ENOENT/],
      [['run', 'scenarios/happy-three.yaml', '--leader', 'codex', '--cassette', 'a.json', '--record', 'b.json'], /cannot be combined/],
      [
        ['run', 'scenarios/happy-three.yaml', '--leader', 'codex', '--endpoint', 'https://example.invalid/v1', '--api-key-env', 'TTS_NO_SUCH_KEY'],
        /--endpoint needs a key in the environment variable TTS_NO_SUCH_KEY/,
      ],
    ];
    for (const [argv, message] of cases) {
      const io = capture(ROOT);
      expect(await main(argv, io), argv.join(' ')).toBe(2);
      expect(io.errs.join('\n')).toMatch(message);
    }
  });

  it('runs a whole folder with traces written into a folder', async () => {
    // Three of the found cases (found.test runs every one of them, with every skill): a folder's
    // scenarios each run, each trace named after its scenario, what is not YAML left alone.
    const folder = join(tmp, 'folder');
    await mkdir(folder);
    const picked = (await readdir(join(ROOT, 'fixtures/found')))
      .filter((n) => n.endsWith('.yaml'))
      .sort()
      .slice(0, 3);
    for (const n of picked) await copyFile(join(ROOT, 'fixtures/found', n), join(folder, n));
    await writeFile(join(folder, 'notes.txt'), 'not a scenario\n');
    const out = join(tmp, 'traces');
    const io = capture(ROOT);
    expect(await main(['run', folder, '--trace', out], io)).toBe(0);
    expect((await readdir(out)).sort()).toEqual(picked.map((n) => n.replace(/\.yaml$/, '.jsonl')));
  }, 120_000);
});

describe('thread-team-sim check', () => {
  it('checks a recorded trace: clean, then a tampered one, then a malformed one', async () => {
    const trace = join(tmp, 'check.jsonl');
    expect(await main(['run', 'scenarios/happy-three.yaml', '--trace', trace], capture(ROOT))).toBe(0);
    const ok = capture(tmp);
    expect(await main(['check', trace], ok)).toBe(0);
    expect(ok.outs.at(-1)).toMatch(/33 rules checked: no violation/);
    // Drop every heartbeat delete: H1 must catch it.
    const lines = (await readFile(trace, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const kept = lines.filter((e) => !(e.kind === 'automation' && e.op === 'delete')).map((e, i) => JSON.stringify({ ...e, i }));
    const tampered = join(tmp, 'tampered.jsonl');
    await writeFile(tampered, `${kept.join('\n')}\n`);
    const bad = capture(tmp);
    expect(await main(['check', tampered, '--json'], bad)).toBe(1);
    expect(JSON.parse(bad.outs[0]!).violations.map((v: { rule: string }) => v.rule)).toContain('H1');
    const broken = join(tmp, 'broken.jsonl');
    await writeFile(broken, `${kept.slice(0, 3).join('\n')}\n{"i":3,"t":0,"kind":"turn.start"}\n`);
    const worse = capture(tmp);
    expect(await main(['check', broken], worse)).toBe(2);
    expect(worse.errs[0]).toMatch(/broken\.jsonl:4: thread: /);
  });
});

describe('thread-team-sim explore and replay', () => {
  it('finds nothing against the reference leader in a short exploration', { timeout: 120_000 }, async () => {
    const io = capture(tmp);
    expect(await main(['explore', '--runs', '40', '--seed', '5', '--jobs', '1', '--out', join(tmp, 'none')], io)).toBe(0);
    expect(io.text()).toMatch(/explored 40 scenarios \(seed 5\)/);
    expect(io.text()).toMatch(/no invariant was broken/);
    // Both ways of handing a busy thread its messages were tried, and every run used one.
    const [, a, n, b, m] = /message delivery to busy threads: (next-turn|steer) (\d+), (next-turn|steer) (\d+)/.exec(io.text())!;
    expect(new Set([a, b])).toEqual(new Set(['next-turn', 'steer']));
    expect(Number(n) + Number(m)).toBe(40);
  });

  for (const [flaw, rule] of [
    ['merge-two-at-once', 'R1'],
    ['leak-heartbeat', 'H1'],
    ['omit-settings', 'T4'],
  ] as const) {
    it(`finds ${flaw} (${rule}), shrinks it to a file that run then fails on, and replays it by seed and path`, { timeout: 180_000 }, async () => {
      const out = join(tmp, `eo-${flaw}`);
      const io = capture(tmp);
      expect(await main(['explore', '--runs', '200', '--seed', '11', '--jobs', '1', '--mutant', flaw, '--out', out], io)).toBe(1);
      expect(io.text()).toMatch(new RegExp(`${rule}: `));
      const [file] = await readdir(out);
      const yaml = await readFile(join(out, file!), 'utf8');
      expect(yaml).toMatch(new RegExp(`# ${rule}: `));
      expect(yaml).toContain(`flaws:\n    - ${flaw}`);
      const rerun = capture(tmp);
      expect(await main(['run', join(out, file!)], rerun)).toBe(1);
      expect(rerun.text()).toMatch(new RegExp(`^     ${rule}: `, 'm'));
      const path = /--path (\S+)/.exec(yaml)![1]!;
      const replay = capture(tmp);
      expect(await main(['replay', '--seed', '11', '--path', path, '--mutant', flaw], replay)).toBe(1);
      expect(replay.text()).toMatch(new RegExp(`${rule}: `));
    });
  }
});
