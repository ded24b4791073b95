// `thread-team-sim live` end to end, as a user runs it: the CLI in a child process on a user's
// repository, with the local model server standing in for the real endpoint (our reference
// leader and diligent workers answer every thread's requests from what the requests carry:
// test/support/stand-in-model.ts). Checks what the command promises: the run's verdict, the
// user's repository untouched, the result in a clone, the trace and every rollout kept, no key in
// anything kept, nothing else left; an endpoint that fails is retried and then reported as such.
// Skipped, with a printed reason, when the codex binary is not installed.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCodexBinary } from '../../src/live/codex-binary.ts';
import { type ModelServer, StatusReply, startModelServer } from '../../src/live/model-server.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { scenarioFiles } from '../../sim/run.ts';
import { loadSkill } from '../../src/skill/index.ts';
import { readTrace } from '../../src/trace/jsonl.ts';
import { checkRun } from '../../src/invariants/index.ts';
import { standInModel } from '../support/stand-in-model.ts';
import { cliChild, group, until, workingIn } from '../support/processes.ts';
import { main } from '../../app/cli/main.ts';
import { capture } from '../support/cli.ts';
import { scratchFolder } from '../support/scratch-folder.ts';

const binary = findCodexBinary();
if (!binary) console.log('[live] codex binary not installed (optional dependency @openai/codex): the live command tests are skipped');

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const folder = scratchFolder('live-cmd-');
const servers: ModelServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const cli = (args: string[], env: Record<string, string>) => cliChild(args, { cwd: folder(), env });

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } }).trim();

/** What a repository is, as far as a run could change it: every ref, the status, the worktrees. */
const stateOf = (dir: string) => [git(dir, 'for-each-ref'), git(dir, 'status', '--porcelain'), git(dir, 'worktree', 'list', '--porcelain')].join('\n');

async function files(dir: string): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push([join(e.parentPath, e.name), await readFile(join(e.parentPath, e.name), 'latin1')]);
  }
  return out;
}

/** Scratch folders a run of ours makes in the temp dir. */
/**
 * A temporary folder of the run's own (its TMPDIR), and what the run left in it: other test files
 * run beside this one and make and remove scratch folders of their own in the shared one.
 */
const ownTmp = () => mkdtemp(join(folder(), 'tmpdir-'));
const scratch = async (dir: string) => (await readdir(dir)).filter((n) => /^(codex-live-|thread-team-live-|thread-team-sim)/.test(n)).sort();

// The user's repository: the happy-three scenario's web app, three independent areas.
const scenario = await loadScenario(join(ROOT, 'scenarios/happy-three.yaml'));
// The repository's own check, as `npm test` would be: no conflict marker, no planted bug.
const verify = 'sh check.sh';
const CHECK = "! grep -rqF -e '<<<<<<<' -e '// BUG' --exclude-dir=.git --exclude-dir=.thread-team --exclude=check.sh .\n";
let repo = '';
let before = '';
beforeAll(async () => {
  repo = join(folder(), 'user-repo');
  await mkdir(repo, { recursive: true });
  for (const [path, content] of Object.entries(await scenarioFiles(scenario))) {
    await mkdir(dirname(join(repo, path)), { recursive: true });
    await writeFile(join(repo, path), content);
  }
  await writeFile(join(repo, 'check.sh'), CHECK);
  git(repo, 'init', '-q', '--initial-branch=main');
  git(repo, 'add', '-A');
  git(repo, '-c', 'user.name=u', '-c', 'user.email=u@example.com', 'commit', '-q', '-m', 'the app');
  before = stateOf(repo);
});

/** `live` on the user's repository with the stand-in, its task the scenario's, out to `out`. */
const liveArgs = (model: ModelServer, out: string) => [
  'live',
  '--repo',
  repo,
  '--task',
  scenario.task.prompt,
  '--endpoint',
  model.baseUrl,
  '--api-key-env',
  'TTS_LIVE_KEY',
  '--verify',
  verify,
  '--out',
  out,
];

/** A fresh stand-in endpoint: the reference leader, with the split a model would find in the task, and diligent workers. */
async function standIn(): Promise<ModelServer> {
  const profile = (await loadSkill(join(ROOT, 'skill'))).profile!;
  const plan = {
    prompt: scenario.task.prompt,
    shape: scenario.task.shape,
    areas: scenario.task.areas,
    shared: scenario.task.shared,
    verifyCommand: verify,
    keepWorktrees: false,
  };
  const model = await startModelServer({ brain: standInModel({ profile, plan }) });
  servers.push(model);
  return model;
}

describe.skipIf(!binary)('live: a real run on a user repository, the endpoint stood in for', () => {
  it('completes with every invariant holding; the user repository is untouched, the result is in the clone, the rollouts and trace are kept, the key is in nothing', {
    timeout: 300_000,
  }, async () => {
    const model = await standIn();
    const KEY = `sk-planted-${Date.now().toString(36)}-live`;
    const out = join(folder(), 'out');
    const own = await ownTmp();
    const r = await cli(liveArgs(model, out), { TTS_LIVE_KEY: KEY, TMPDIR: own });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/^ok {3}live complete .* workers 3 .* merges 3 /m);
    // The key reached the endpoint, and nothing kept.
    expect(model.requests.map((q) => q.headers.authorization)).toContain(`Bearer ${KEY}`);
    const kept = await files(out);
    expect(kept.filter(([, text]) => text.includes(KEY)).map(([f]) => f)).toEqual([]);
    // Every thread's rollout is kept: the leader's and the three workers'.
    expect(kept.filter(([f]) => /codex-home\/sessions\/.*rollout-.*\.jsonl$/.test(f)).length).toBeGreaterThanOrEqual(4);
    // The trace checks again on its own, to the same verdict.
    const events = await readTrace(join(out, 'trace.jsonl'));
    expect(checkRun(events, {}).failures).toEqual([]);
    expect(events[0]).toMatchObject({ kind: 'run.start', task: null });
    // And so do the rollouts alone (import): every thread found, no rule broken.
    const back = await cli(['import', '--codex-home', join(out, 'codex-home'), '--check', '--json'], {});
    expect(back.status, back.stderr).toBe(0);
    expect(JSON.parse(back.stdout)).toMatchObject({ threads: 3, missing: [], verdict: { violations: [] } });
    // Each worker's commits were its own Codex exec's, in its own worktree.
    const commits = events.filter((e) => e.kind === 'ws' && e.op === 'commitAll' && e.actor !== 'setup');
    expect(new Set(commits.map((e) => (e as { dir: string }).dir)).size).toBe(3);
    // The user's repository is as it was; the team's work is on main in the clone, its remote gone.
    expect(stateOf(repo)).toBe(before);
    expect(git(join(out, 'repo'), 'remote')).toBe('');
    expect(Number(git(join(out, 'repo'), 'rev-list', '--count', 'main'))).toBeGreaterThan(1);
    expect(existsSync(join(out, 'worktrees')) && (await readdir(join(out, 'worktrees'))).length).toBeFalsy();
    expect(JSON.parse(await readFile(join(out, 'report.json'), 'utf8'))).toMatchObject({ ok: true, outcome: 'complete' });
    expect(await scratch(own)).toEqual([]);
  });

  it('an endpoint that is rate limited, then fails: retried with backoff, then reported as the endpoint failing (exit 2); the user repository is untouched', {
    timeout: 120_000,
  }, async () => {
    let n = 0;
    const flaky = await startModelServer({
      brain: () => {
        n++;
        throw n === 1 ? new StatusReply(429, 'rate limited', { 'retry-after': '0' }) : new StatusReply(500, 'the model is down');
      },
    });
    servers.push(flaky);
    const own = await ownTmp();
    const r = await cli(
      ['live', '--repo', repo, '--task', 'Add a footer.', '--endpoint', flaky.baseUrl, '--api-key-env', 'TTS_LIVE_KEY', '--out', join(folder(), 'out-flaky')],
      {
        TTS_LIVE_KEY: 'x',
        TMPDIR: own,
      },
    );
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^thread-team-sim: --endpoint: the model endpoint failed: .*upstream answered 500 \(after 4 tries\): .*the model is down/m);
    expect(n).toBeGreaterThanOrEqual(4);
    expect(stateOf(repo)).toBe(before);
    expect(await scratch(own)).toEqual([]);
  });
});

describe.skipIf(!binary)('live: the person scripted, trials, an interrupt', () => {
  it('--scripted-user declines the proposed team, twice (--trials 2): no worker is made, each trial kept apart, pass^k reported', {
    timeout: 300_000,
  }, async () => {
    const model = await standIn();
    await writeFile(join(folder(), 'decline.yaml'), '# the person says no\nconfirm: false\n');
    const out = join(folder(), 'out-trials');
    const r = await cli([...liveArgs(model, out), '--scripted-user', 'decline.yaml', '--trials', '2'], { TTS_LIVE_KEY: 'x' });
    // Not a completed run (exit 1), but no rule broken: the leader stopped when told.
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(1);
    expect(r.stdout.match(/^FAIL live \S+ .* workers 0 /gm)).toHaveLength(2);
    expect(r.stdout).not.toMatch(/^ {5}[A-Z]\d+: /m);
    expect(r.stdout).toMatch(/pass\^2/);
    for (const t of [1, 2]) {
      const events = await readTrace(join(out, `trial-${t}`, 'trace.jsonl'));
      const said = events.flatMap((e) => (e.kind === 'user.input' || e.kind === 'assistant.message' ? [`${e.kind}: ${e.text.slice(0, 80)}`] : []));
      expect(
        events.filter((e) => e.kind === 'user.input').map((e) => (e as { intent: string }).intent),
        said.join('\n'),
      ).toEqual(['task', 'decline']);
      expect(checkRun(events, {}).failures).toEqual([]);
      // No thread was made, so the leader is named: its rollout alone is checked the same.
      const home = join(out, `trial-${t}`, 'codex-home');
      expect(await cli(['import', '--codex-home', home, '--check'], {})).toMatchObject({
        status: 2,
        stderr: expect.stringMatching(/no thread called create_thread/),
      });
      const leader = (await files(home)).map(([f]) => /rollout-.*-([0-9a-f-]{36})\.jsonl$/.exec(f)?.[1]).find(Boolean)!;
      const back = await cli(['import', '--codex-home', home, '--leader', leader, '--check', '--json'], {});
      expect(back.status, back.stderr).toBe(0);
      expect(JSON.parse(back.stdout)).toMatchObject({ threads: 0, verdict: { violations: [] } });
    }
    expect(stateOf(repo)).toBe(before);
  });

  it('SIGINT with workers at work: exit 130, no Codex process, worktree or scratch folder left; the user repository untouched', {
    timeout: 240_000,
  }, async () => {
    const model = await standIn();
    const own = await mkdtemp(join(folder(), 'tmpdir-'));
    const out = join(folder(), 'out-interrupted');
    const child = spawn(process.execPath, [join(ROOT, 'bin/thread-team-sim.js'), ...liveArgs(model, out)], {
      cwd: folder(),
      detached: true,
      env: { ...process.env, TTS_LIVE_KEY: 'x', TMPDIR: own },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await until('two workers in their worktrees', async () => (await readdir(join(out, 'worktrees')).catch(() => [])).length >= 2, 180_000);
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited, stderr).toBe(130);
    await until('the process group to empty', () => group(child.pid!).length === 0, 20_000);
    expect(stderr).toMatch(/thread-team-sim: interrupted; nothing it made is left behind/);
    // Nor a command Codex ran for a worker, in a terminal (a session) of its own.
    expect(workingIn(out)).toEqual([]);
    expect(existsSync(join(out, 'worktrees'))).toBe(false);
    expect((await readdir(own)).filter((n) => !/^tsx-\d+$/.test(n))).toEqual([]);
    expect(stateOf(repo)).toBe(before);
    // The clone stays (it is what --out is for), with no worktree registered in it.
    expect(git(join(out, 'repo'), 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
  });
});

describe('live: bad input runs nothing and leaves nothing', () => {
  const base = ['live', '--task', 'Add a footer.', '--endpoint', 'http://127.0.0.1:9/v1', '--api-key-env', 'TTS_LIVE_KEY'];
  // In this process: a refusal happens before anything starts, and a child process per case
  // cost a second of start-up each. The runs above are the ones that need a process of their own.
  const saved = process.env.TTS_LIVE_KEY;
  beforeAll(() => {
    process.env.TTS_LIVE_KEY = 'x';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TTS_LIVE_KEY;
    else process.env.TTS_LIVE_KEY = saved;
  });
  const refused = async (args: string[]) => {
    const io = capture(folder());
    const status = await main(args, io);
    return { status, stderr: io.errs.join('\n') };
  };
  it.each([
    ['no --repo', ['--out', 'o1'], /--repo is required/],
    ['a folder that is not a repository', ['--repo', '.', '--out', 'o2'], /--repo \.: not a git repository/],
    ['an --out that is not empty', ['--repo', 'user-repo', '--out', 'user-repo'], /--out user-repo: not empty/],
    ['a scripted user with an unknown field', ['--repo', 'user-repo', '--out', 'o3', '--scripted-user', 'user.yaml'], /user\.yaml:2: cancle: .*unrecognized/i],
    ['both --task and --task-file', ['--repo', 'user-repo', '--out', 'o4', '--task-file', 'user.yaml'], /exactly one of --task or --task-file/],
    [
      'an endpoint that is not a URL',
      ['--repo', 'user-repo', '--out', 'o5', '--endpoint', 'api.example.com'],
      /--endpoint: "api\.example\.com" is not an http\(s\) URL/,
    ],
  ])('%s', async (_what, extra, said) => {
    await writeFile(join(folder(), 'user.yaml'), 'confirm: true\ncancle: 5m\n');
    const r = await refused([...base, ...extra]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(said);
    for (const o of ['o1', 'o2', 'o3', 'o4', 'o5']) expect(existsSync(join(folder(), o))).toBe(false);
  });

  it('a dirty tree refuses --in-place', async () => {
    const dirty = join(folder(), 'dirty');
    await mkdir(dirty, { recursive: true });
    git(dirty, 'init', '-q');
    await writeFile(join(dirty, 'a.txt'), 'a');
    git(dirty, 'add', '-A');
    git(dirty, '-c', 'user.name=u', '-c', 'user.email=u@example.com', 'commit', '-q', '-m', 'a');
    await writeFile(join(dirty, 'a.txt'), 'changed');
    const r = await refused([...base, '--repo', dirty, '--in-place', '--out', join(folder(), 'o6')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--in-place: .*dirty has uncommitted changes/);
    expect(existsSync(join(folder(), 'o6'))).toBe(false);
  });
});
