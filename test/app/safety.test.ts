// Hostile and odd input, one test per kind of trouble: nothing executes scenario text, nothing
// reaches outside the repository or overwrites a user's file, every bad input is one line
// with exit 2, and an internal error says it is a bug.

import { runReference } from '../support/run.ts';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../app/cli/main.ts';
import { createDiskWorkspace } from '../../src/workspace/disk.ts';
import { claimScratch, diskBackend, scratchAlias, ScratchBusyError } from '../../app/live/disk-backend.ts';
import { parseScenario } from '../../sim/scenario/load.ts';
import { readFixtureRepo } from '../../sim/fixtures.ts';
import { loadSkill } from '../../src/skill/index.ts';
import { parseJsonl, toJsonl } from '../../src/trace/jsonl.ts';
import { findCodexBinary } from '../../src/live/codex-binary.ts';
import { capture } from '../support/cli.ts';
import { leftInOwnTmp } from '../support/own-tmp.ts';
import { SKILL } from '../support/skills.ts';
import { copySkill } from '../support/copy-skill.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'safety-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const HAPPY = () => readFile(join(ROOT, 'scenarios/happy-three.yaml'), 'utf8');

/** Runs the CLI; a refusal must be exit 2 with one line naming what, and no stack trace. */
async function refused(argv: string[], message: RegExp, cwd = tmp): Promise<void> {
  const io = capture(cwd);
  expect(await main(argv, io), argv.join(' ')).toBe(2);
  expect(io.errs, argv.join(' ')).toHaveLength(1);
  expect(io.errs[0]).toMatch(/^thread-team-sim: /);
  expect(io.errs[0]).toMatch(message);
  expect(io.errs[0]).not.toMatch(/\n\s+at /);
}

describe('scenario text is data: it reaches no shell', () => {
  it('the disk workspace runs only the commands it was given; anything else exits 127 unless exec is allowed', async () => {
    const root = join(tmp, 'ws-repo');
    const marker = join(tmp, 'pwned');
    const ws = createDiskWorkspace({ root, commands: { 'npm test': 'echo all tests passed' } });
    await ws.init({ 'a.txt': 'a\n' }, 'main');
    expect(await ws.run(root, 'npm test')).toMatchObject({ exitCode: 0 });
    const r = await ws.run(root, `touch ${marker}`);
    expect(r.exitCode).toBe(127);
    expect(r.output).toMatch(/only the scenario's own verification runs here; --allow-exec/);
    expect(existsSync(marker)).toBe(false);
    const trusting = createDiskWorkspace({ root, allowExec: true });
    expect((await trusting.run(root, `touch ${marker}`)).exitCode).toBe(0);
    expect(existsSync(marker)).toBe(true);
  });

  it('a run on disk whose verification command is `npm test; touch FILE` never creates FILE', { timeout: 120_000 }, async () => {
    const marker = join(tmp, 'touched-by-a-scenario');
    const text = (await HAPPY()).replace(
      'repo:\n  fixture: webapp',
      `repo:\n  fixture: webapp\n  verify: { command: "npm test; touch ${marker}\\n touch ${marker}2" }`,
    );
    const scenario = parseScenario(text.replace(/\\n/, ' '), 'evil.yaml');
    const profile = (await loadSkill(SKILL)).profile!;
    const r = await runReference(scenario, { profile, backend: diskBackend() });
    // The verification is refused (exit 127) after each merge, so no merge is kept: the run
    // ends aborted, with nothing merged.
    expect({ outcome: r.outcome, merges: r.counts.merges }).toEqual({ outcome: 'aborted', merges: 0 });
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(`${marker}2`)).toBe(false);
  });

  it('refuses a verification command on several lines', async () => {
    const file = join(tmp, 'multiline.yaml');
    await writeFile(file, (await HAPPY()).replace('repo:\n  fixture: webapp', 'repo:\n  fixture: webapp\n  verify: { command: "npm test\\ntouch x" }'));
    await refused(['run', file], /verify\.command: a command on one line/);
  });
});

describe('paths a scenario names stay inside the repository', () => {
  it.each([
    [
      'a fixture given as a path',
      'fixture: webapp',
      'fixture: ../../../../etc/ssl',
      /repo\.fixture: the name of a fixture repository under fixtures\/repos\/, like webapp \(a name, not a path\)/,
    ],
    ['a fixture that does not exist', 'fixture: webapp', 'fixture: nosuch', /repo\.fixture: no fixture repository "nosuch" \(known: webapp\)/],
    ['an absolute file path', 'fixture: webapp', "files: {'/etc/passwd': x}", /repo\.files\.\/etc\/passwd: a path relative to the repository root/],
    ['a file path with ..', 'fixture: webapp', "files: {'src/../../evil': x}", /repo\.files\.src\/\.\.\/\.\.\/evil: a path inside the repository: no \.\./],
    ["a file in git's own folder", 'fixture: webapp', "files: {'.git/hooks/post-commit': x}", /a file of the repository, not of git \(\.git\/\)/],
    ['an owned path with ..', 'owns: [src/api/billing.ts]', 'owns: [../outside.ts]', /task\.areas\.0\.owns\.0: a path inside the repository/],
  ])('refuses %s, by its line', async (_, from, to, message) => {
    const file = join(tmp, `path-${from.length}-${to.length}.yaml`);
    await writeFile(file, (await HAPPY()).replace(from, to));
    await refused(['run', file], message);
  });

  it('reads a fixture of plain files only: a symbolic link in it is refused in one line', async () => {
    const dir = join(tmp, 'fixtures');
    await mkdir(join(dir, 'linked'), { recursive: true });
    await writeFile(join(dir, 'linked', 'a.txt'), 'a');
    await symlink('/etc', join(dir, 'linked', 'etc'));
    await expect(readFixtureRepo('linked', dir)).rejects.toThrow(/^fixture repository linked: etc is a symbolic link; a fixture holds plain files only$/);
    await symlink(join(dir, 'linked'), join(dir, 'linked', 'loop'));
    await expect(readFixtureRepo('linked', dir)).rejects.toThrow(/symbolic link/);
  });
});

/** An exploration that finds the leaked heartbeat (H1), its case written under `out`. */
const findArgs = (out: string) => ['explore', '--runs', '50', '--seed', '3', '--jobs', '1', '--mutant', 'leak-heartbeat', '--out', out];
/** The first such finding, under tmp/finds: explored once for the tests that need one. */
let found: Promise<number> | undefined;
const firstFind = () => (found ??= main(findArgs(join(tmp, 'finds')), capture(tmp)));

describe('nothing is overwritten or lost', () => {
  it('a cassette scratch folder is claimed by one run: a live owner refuses, in another process or this one; a dead one is taken over, a kept one never', async () => {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = await mkdtemp(join(tmp, 'claim-'));
    try {
      const s = parseScenario(await HAPPY(), 'happy-three.yaml');
      const held = scratchAlias(s, 7);
      await mkdir(held, { recursive: true });
      // The parent of this test runner is alive and is not us: the folder is busy.
      await writeFile(join(held, '.owner'), `${process.ppid}\n`);
      await writeFile(join(held, 'theirs'), 'work in progress');
      await expect(claimScratch(s, 7)).rejects.toThrow(ScratchBusyError);
      expect(await readFile(join(held, 'theirs'), 'utf8')).toBe('work in progress');
      // An owner that no longer runs left it behind: this run takes it over, empty.
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
      await writeFile(join(held, '.owner'), `${dead.stdout}\n`);
      const mine = await claimScratch(s, 7);
      expect(mine.path).toBe(held);
      expect((await readdir(held)).sort()).toEqual(['.owner']);
      expect((await readFile(join(held, '.owner'), 'utf8')).trim()).toBe(String(process.pid));
      // A second run in this same process while the first holds it: busy too, nothing touched.
      await writeFile(join(held, 'mine'), 'work in progress');
      await expect(claimScratch(s, 7)).rejects.toThrow(/in use by another run of happy-three with seed 7 in this process/);
      expect(await readFile(join(held, 'mine'), 'utf8')).toBe('work in progress');
      await mine.remove();
      // Once the first has ended, the folder is free for the next.
      const next = await claimScratch(s, 7);
      // Kept with --keep: its owner gone, it is still never taken over; the refusal says how to free it.
      await writeFile(join(held, 'kept'), 'what the person asked to keep');
      next.keep();
      await expect(claimScratch(s, 7)).rejects.toThrow(
        new RegExp(`${held} holds a run of happy-three with seed 7 kept with --keep; .*remove it \\(rm -r ${held}\\)`),
      );
      expect(await readFile(join(held, 'kept'), 'utf8')).toBe('what the person asked to keep');
      await rm(held, { recursive: true });
      const last = await claimScratch(s, 7);
      await last.remove();
      expect(existsSync(held)).toBe(false);
      expect(await readdir(process.env.TMPDIR)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  it('a trace never replaces an input, nor an existing file without --force; run says where it went', async () => {
    const scenario = join(tmp, 'mine.yaml');
    await writeFile(scenario, await HAPPY());
    await refused(['run', scenario, '--trace', scenario], /--trace: .*mine\.yaml is also an input of this command/);
    expect(await readFile(scenario, 'utf8')).toBe(await HAPPY());
    const trace = join(tmp, 'mine.jsonl');
    await writeFile(trace, 'precious');
    await refused(['run', scenario, '--trace', trace], /--trace: .*mine\.jsonl exists; pass --force to replace it/);
    expect(await readFile(trace, 'utf8')).toBe('precious');
    const io = capture(tmp);
    expect(await main(['run', scenario, '--trace', trace, '--force'], io)).toBe(0);
    expect(io.outs).toContain('     trace: mine.jsonl');
    expect(parseJsonl(await readFile(trace, 'utf8')).length).toBeGreaterThan(100);
    await refused(['run', scenario, '--trace', join(tmp, 'no-such-folder', 'x.jsonl')], /--trace: the folder no-such-folder does not exist/);
  });

  it('two explore findings get two files, named by seed and rule; --out must be a folder, checked before exploring', { timeout: 120_000 }, async () => {
    const out = join(tmp, 'finds');
    expect(await firstFind()).toBe(1);
    expect(await main(findArgs(out), capture(tmp))).toBe(1);
    const files = await readdir(out);
    expect(files).toHaveLength(2);
    const first = files.find((f) => !/-2\.yaml$/.test(f))!;
    expect(first).toMatch(/^explored-\d+-H1(-[A-Z0-9-]+)?\.yaml$/);
    expect(files).toContain(first.replace(/\.yaml$/, '-2.yaml'));
    const notDir = join(tmp, 'a-file');
    await writeFile(notDir, 'x');
    await refused(['explore', '--runs', '5', '--out', notDir], /--out: .*a-file is a file; give a folder/);
  });

  it('replay by seed and path writes the case under --out and its trace under --trace', { timeout: 120_000 }, async () => {
    const out = join(tmp, 'replayed');
    expect(await firstFind()).toBe(1);
    const path = /--path (\S+)/.exec(await readFile(join(tmp, 'finds', (await readdir(join(tmp, 'finds')))[0]!), 'utf8'))![1]!;
    const trace = join(tmp, 'replayed.jsonl');
    const io = capture(tmp);
    expect(await main(['replay', '--seed', '3', '--path', path, '--mutant', 'leak-heartbeat', '--out', out, '--trace', trace], io)).toBe(1);
    expect(await readdir(out)).toHaveLength(1);
    expect(parseJsonl(await readFile(trace, 'utf8')).length).toBeGreaterThan(50);
    expect(existsSync(join(tmp, 'explore-out'))).toBe(false);
  });

  it('two runs of one scenario on disk at the same time each have their own scratch folder, and leave none', { timeout: 120_000 }, async () => {
    const scenario = parseScenario(await HAPPY(), 'happy-three.yaml');
    const profile = (await loadSkill(SKILL)).profile!;
    const left = await leftInOwnTmp(async () => {
      const [a, b] = await Promise.all([0, 1].map(() => runReference(scenario, { profile, backend: diskBackend() })));
      expect([a!.outcome, b!.outcome]).toEqual(['complete', 'complete']);
      // Their traces name the scratch folder the same way: the two runs compare.
      expect(a!.hash).toBe(b!.hash);
    });
    expect(left).toEqual([]);
  });
});

describe('every bad input is one line, exit 2', () => {
  it('a YAML alias bomb', async () => {
    const file = join(tmp, 'bomb.yaml');
    const levels = ['a: &a [x,x,x,x,x,x,x,x,x]', ...'bcdef'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdef'[i]}`).join(',')}]`)];
    await writeFile(file, `${levels.join('\n')}\n`);
    await refused(['run', file], /bomb\.yaml:1: not a usable scenario: Excessive alias count/);
  });

  it.each([
    [['explore', '--seed', '1', '--path', '1:x'], /--path: expected the counterexample path explore printed/],
    [['replay', '--seed', '1', '--path', '$(rm -rf ~)'], /--path: expected the counterexample path explore printed/],
    [['explore', '--runs', '0'], /--runs: expected a whole number from 1/],
    [['run', 'scenarios/happy-three.yaml', '--trace', 'x.jsonl', '--keep'], /--keep and --allow-exec are for --leader codex/],
    [['run', 'scenarios/happy-three.yaml', '--leader', 'codex', '--record', '/no/such/dir/c.json'], /--record: the folder \/no\/such\/dir does not exist/],
  ])('flags: %j', async (argv, message) => {
    await refused(argv, message, ROOT);
  });

  it.each([
    [
      'a tool-failure on a tool that does not exist',
      'faults:\n  - {kind: tool-failure, tool: no_such_tool}\n',
      /faults\.0\.tool: a thread tool of the contract/,
    ],
    [
      'a fault past the horizon',
      'faults:\n  - {kind: system-error, at: 13h, target: api}\n',
      /faults\.0\.at: never strikes: 780m is past the horizon \(720m\)/,
    ],
    [
      'a tool-failure on a tool the build lacks',
      'world: {without: [wait_threads]}\nfaults:\n  - {kind: tool-failure, tool: wait_threads}\n',
      /faults\.0\.tool: never strikes: this build has no wait_threads/,
    ],
    ['a latency of a billion minutes', 'world: {latency: 1000000000}\n', /world\.latency: a latency of at most 1h/],
    ['a paraphrase of files aimed at a receiver', 'faults:\n  - {kind: paraphrase, on: files, to: api}\n', /a file has no receiver/],
  ])('scenario: %s', async (_, extra, message) => {
    const file = join(tmp, `extra-${extra.length}.yaml`);
    await writeFile(file, (await HAPPY()).replace('expect:', `${extra}expect:`));
    await refused(['run', file], message);
  });

  it('a line nested too deeply for the YAML parser', async () => {
    const file = join(tmp, 'deep.yaml');
    await writeFile(file, (await HAPPY()).replace('  fixture: webapp', `  fixture: webapp ${'fixture: webapp '.repeat(4000)}`));
    await refused(['run', file], /deep\.yaml:1: not valid YAML: nested too deeply to read/);
  });

  it.each([
    ['quotes nested hundreds deep', `${'>'.repeat(200)} x`, /SKILL\.md:\d+: quotes nested 200 deep \(at most 32\)/],
    ['thousands of emphasis marks', '*a'.repeat(6000), /SKILL\.md:\d+: a paragraph with more than 4000 emphasis marks/],
    ['a list nested 150 deep', Array.from({ length: 150 }, (_, i) => `${'  '.repeat(i)}- a`).join('\n'), /SKILL\.md:\d+: indented 130 columns \(at most 128\)/],
    ['a file over 512 KB', 'lorem ipsum '.repeat(50_000), /SKILL\.md: \d+ KB is too large for a skill file \(at most 512 KB\)/],
  ])('a skill file the markdown parser would choke on: %s', async (_, extra, message) => {
    const dir = await mkdtemp(join(tmp, 'skill-'));
    await copySkill(dir);
    await writeFile(join(dir, 'SKILL.md'), `${await readFile(join(SKILL, 'SKILL.md'), 'utf8')}\n${extra}\n`);
    await refused(['lint', '--skill', dir], message);
    await refused(['run', join(ROOT, 'scenarios/happy-three.yaml'), '--skill', dir], message);
  });

  it('a skill file that is a device, not a file', async () => {
    const dir = await mkdtemp(join(tmp, 'skill-'));
    await copySkill(dir);
    await rm(join(dir, 'references/worker-dispatch-template.md'));
    await symlink('/dev/zero', join(dir, 'references/worker-dispatch-template.md'));
    await refused(['lint', '--skill', dir], /worker-dispatch-template\.md: not a plain file/);
  });

  it.each([
    [['run', '--nope'], /^thread-team-sim: unknown option '--nope' \(see --help\)$/],
    [['replay', '--keep'], /^thread-team-sim: unknown option '--keep' \(Did you mean one of --help, --seed\?\) \(see --help\)$/],
    [
      ['help', 'scenarios/x.yaml'],
      /^thread-team-sim: help: no command "scenarios\/x\.yaml" \(commands: lint, run, explore, check, replay, compare, import, live, new, show\)$/,
    ],
    [['check'], /^thread-team-sim: missing required argument 'trace' \(see --help\)$/],
    [['run', '/dev/null'], /^thread-team-sim: \/dev\/null: not a plain file \(nothing was run\)$/],
    [['check', '/dev/zero'], /^thread-team-sim: \/dev\/zero: not a plain file$/],
    [['run', 'no-such.yaml'], /^thread-team-sim: no-such\.yaml: no such file$/],
  ])('usage and paths: %j', async (argv, message) => {
    await refused(argv, message, ROOT);
  });

  it('two areas owning one file, unless it is shared or the task is a core refactor', async () => {
    const file = join(tmp, 'overlap.yaml');
    const text = (await HAPPY()).replace('owns: [src/ui/settings-page.tsx]', 'owns: [src/ui/settings-page.tsx, src/api/billing.ts]');
    await writeFile(file, text);
    await refused(['run', file], /task\.areas\.1\.owns\.1: api owns src\/api\/billing\.ts too \(list it under task\.shared/);
    expect(() => parseScenario(text.replace('  areas:', '  shared: [src/api/billing.ts]\n  areas:'), 'x.yaml')).not.toThrow();
  });

  it('a trace whose time runs backwards, or that delivers a message never sent', async () => {
    const scenario = parseScenario(await HAPPY(), 'happy-three.yaml');
    const r = await runReference(scenario, { profile: (await loadSkill(SKILL)).profile! });
    const lines = toJsonl(r.events)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const back = join(tmp, 'backwards.jsonl');
    const k = lines.findIndex((e) => e.t > 0);
    await writeFile(back, `${lines.map((e, i) => JSON.stringify(i === k + 1 ? { ...e, t: 0 } : e)).join('\n')}\n`);
    await refused(['check', back], new RegExp(`backwards\\.jsonl:${k + 2}: t: time runs backwards`));
    const ghost = join(tmp, 'ghost.jsonl');
    const d = lines.findIndex((e) => e.kind === 'message.delivered');
    await writeFile(ghost, `${lines.map((e, i) => JSON.stringify(i === d ? { ...e, msg: 'm-never' } : e)).join('\n')}\n`);
    await refused(['check', ghost], new RegExp(`ghost\\.jsonl:${d + 1}: msg: message m-never is delivered but was never sent`));
    // An id of any length is named by its start: the error stays one short line.
    await writeFile(ghost, `${lines.map((e, i) => JSON.stringify(i === d ? { ...e, msg: 'x'.repeat(100_000) } : e)).join('\n')}\n`);
    await refused(['check', ghost], new RegExp(`ghost\\.jsonl:${d + 1}: msg: message x{80}… is delivered but was never sent$`));
  });

  it('replay given a trace says it is a trace', async () => {
    const trace = join(tmp, 'a-trace.jsonl');
    expect(await main(['run', join(ROOT, 'scenarios/happy-three.yaml'), '--trace', trace], capture(tmp))).toBe(0);
    await refused(['replay', trace], /a-trace\.jsonl: a trace \(JSONL\), not a scenario: check it with thread-team-sim check/);
  });
});

const codexBinary = findCodexBinary();
if (!codexBinary) console.log('skipped: the codex binary is not installed (optional dependency @openai/codex): no unreachable endpoint to test');

describe.skipIf(!codexBinary)('a model endpoint that cannot be reached', () => {
  it('is reported as the endpoint failing (exit 2), not as the leader being stuck, and the run leaves nothing', { timeout: 120_000 }, async () => {
    // A port nobody listens on: taken from the system, then released.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const scratch = await mkdtemp(join(tmp, 'endpoint-'));
    const child = spawnSync(
      process.execPath,
      [
        join(ROOT, 'bin/thread-team-sim.js'),
        'run',
        'scenarios/happy-three.yaml',
        '--leader',
        'codex',
        '--endpoint',
        `http://127.0.0.1:${port}/v1`,
        '--api-key-env',
        'TTS_FAKE_KEY',
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, TMPDIR: scratch, TTS_FAKE_KEY: 'x' },
      },
    );
    expect(child.status).toBe(2);
    // The connection's own error code: ECONNREFUSED here; one CI run on a loaded machine was
    // refused a socket (EMFILE) first, which is the same report of the same failure.
    expect(child.stderr).toMatch(new RegExp(`^thread-team-sim: --endpoint: the model endpoint failed: http://127\\.0\\.0\\.1:${port}/v1: E[A-Z]+\\n$`));
    expect((await readdir(scratch)).filter((n) => !/^tsx-\d+$/.test(n))).toEqual([]);
  });
});

describe('an internal error', () => {
  it('is one line that says it is a bug, and its stack only with --debug', async () => {
    const broken = () => {
      const io = capture(tmp);
      io.out = () => {
        throw new TypeError('cannot print');
      };
      return io;
    };
    const io = broken();
    expect(await main(['lint'], io)).toBe(3);
    expect(io.errs).toEqual([
      'thread-team-sim: internal error (a bug in thread-team-sim, not in your input): TypeError: cannot print. Please report it with the command you ran; --debug shows where it happened.',
    ]);
    const debug = broken();
    expect(await main(['lint', '--debug'], debug)).toBe(3);
    expect(debug.errs[1]).toMatch(/TypeError: cannot print\n\s+at /);
  });
});
