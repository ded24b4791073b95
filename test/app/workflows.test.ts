// The CI definitions of this repository and the composite action for other skill repositories:
// each `run:` step calls only what exists (an npm script of package.json, a command of the CLI),
// and the gate they share (`npm run ci:gate`) does what they rely on, in a scratch repository.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ciGate } from '../../app/cli/ci-gate.ts';
import type { CliIO } from '../../app/cli/io.ts';
import { main } from '../../app/cli/main.ts';
import { copySkill } from '../support/copy-skill.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const git = promisify(execFile);
const scripts = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;

function capture(cwd: string): CliIO & { outs: string[]; errs: string[] } {
  const outs: string[] = [];
  const errs: string[] = [];
  return { outs, errs, out: (l) => outs.push(l), err: (l) => errs.push(l), isTTY: false, progress: () => {}, cwd };
}

/** The `run:` lines of a workflow's jobs or of a composite action. */
function runLines(doc: { jobs?: Record<string, { steps: { run?: string }[] }>; runs?: { steps: { run?: string }[] } }): string[] {
  const steps = doc.runs ? doc.runs.steps : Object.values(doc.jobs ?? {}).flatMap((j) => j.steps);
  return steps.flatMap((s) => (s.run ? s.run.split('\n').filter((l) => l.trim()) : []));
}

const CLI_COMMANDS = async () => {
  const io = capture(ROOT);
  await main(['--help'], io);
  return [...io.outs.join('\n').matchAll(/^ {2}(\w[\w-]*)/gm)].map((m) => m[1]!);
};

describe('the workflows and the action', async () => {
  const files = [...(await readdir(join(ROOT, '.github/workflows'))).map((f) => `.github/workflows/${f}`), 'action.yml'];
  const commands = await CLI_COMMANDS();

  it('are the gate, the mutation run, the explore swarm and the action', () => {
    expect(files.sort()).toEqual(['.github/workflows/explore-swarm.yml', '.github/workflows/mutation.yml', '.github/workflows/skill-gate.yml', 'action.yml']);
    expect(commands).toEqual(expect.arrayContaining(['run', 'lint', 'explore', 'check', 'replay', 'compare']));
  });

  for (const file of files) {
    it(`${file}: every run step calls an npm script that exists or a command of the CLI`, async () => {
      const lines = runLines(parse(await readFile(join(ROOT, file), 'utf8')));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        for (const m of line.matchAll(/npm run ([\w:-]+)/g)) expect(scripts, `${file}: ${line}`).toHaveProperty([m[1]!]);
        for (const m of line.matchAll(/thread-team-sim\.js"? (\w+)/g)) expect(commands, `${file}: ${line}`).toContain(m[1]);
        const npm = /\bnpm (\w+)/.exec(line)?.[1];
        if (npm) expect(['ci', 'run', 'test'], `${file}: ${line}`).toContain(npm);
      }
    });
  }

  it('the gate runs the tests on every pull request and ci:gate against the base branch', async () => {
    const doc = parse(await readFile(join(ROOT, '.github/workflows/skill-gate.yml'), 'utf8'));
    expect(Object.keys(doc.on)).toContain('pull_request');
    const lines = runLines(doc);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JavaScript template
    expect(lines).toEqual(expect.arrayContaining(['npm ci', 'npm test', 'npm run ci:gate -- --base origin/${{ github.base_ref }}']));
    const action = parse(await readFile(join(ROOT, 'action.yml'), 'utf8'));
    expect(Object.keys(action.inputs)).toEqual(['skill', 'base', 'runs']);
    expect(action.runs.using).toBe('composite');
  });
});

describe('the explore swarm', () => {
  it('every shard of the matrix explores the same seed and runs, one shard each, and the merge reads all their summaries', async () => {
    const doc = parse(await readFile(join(ROOT, '.github/workflows/explore-swarm.yml'), 'utf8'));
    const shards: number[] = doc.jobs.shard.strategy.matrix.shard;
    const line = runLines({ jobs: { shard: doc.jobs.shard } }).find((l) => l.includes(' explore '))!;
    const n = Number(/--shard \$\{\{ matrix\.shard \}\}\/(\d+)/.exec(line)![1]);
    expect(shards).toEqual(Array.from({ length: n }, (_, k) => k + 1));
    expect(line).toMatch(/--seed \$\{\{ github\.run_number \}\}/);
    expect(line).toMatch(/--summary out\/summary-\$\{\{ matrix\.shard \}\}\.json/);
    expect(doc.jobs.merge.needs).toBe('shard');
    expect(runLines({ jobs: { merge: doc.jobs.merge } })).toContain('node bin/thread-team-sim.js explore --merge out/summary-*.json --markdown out/explore.md');
  });
});

describe('npm run ci:gate', () => {
  let repo: string;
  const g = (...args: string[]) => git('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo });
  beforeAll(async () => {
    repo = await mkdtemp(join(tmpdir(), 'ci-gate-'));
    await copySkill(join(repo, 'skill'));
    await g('init', '-q', '-b', 'main');
    await g('add', '-A');
    await g('commit', '-q', '-m', 'base');
    await writeFile(join(repo, 'notes.txt'), 'not the skill\n');
    await g('add', '-A');
    await g('commit', '-q', '-m', 'no skill change');
  });
  afterAll(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('compares nothing when the skill did not change', async () => {
    const io = capture(repo);
    expect(await ciGate(['--base', 'HEAD~1'], io, undefined)).toBe(0);
    expect(io.outs).toEqual(['ci:gate: nothing under skill/ changed since HEAD~1: no comparison needed']);
  });

  it('fails a regression, with the report in reports/ and appended to the job summary', async () => {
    const file = join(repo, 'skill/references/worker-dispatch-template.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^Base commit: .*\n/m, ''));
    await g('commit', '-q', '-am', 'drop the base commit');
    const summary = join(repo, 'summary.md');
    await writeFile(summary, '# before\n');
    const io = capture(repo);
    expect(await ciGate(['--base', 'HEAD~1', '--runs', '0'], io, summary)).toBe(1);
    expect(io.outs[0]).toBe('compare git:HEAD~1:skill → git:HEAD:skill: REGRESSED');
    expect(await readFile(summary, 'utf8')).toMatch(/^# before\n### thread-team-sim compare: \*\*regressed\*\*/);
    expect(await readFile(join(repo, 'reports/compare.xml'), 'utf8')).toContain('<testsuites');
  });

  it('refuses a bad base or flag with one line and exit 2', async () => {
    const io = capture(repo);
    expect(await ciGate(['--base', 'nope'], io, undefined)).toBe(2);
    expect(io.errs).toEqual(['ci:gate: --base: nope is not a revision git can compare with HEAD here']);
    const none = capture(repo);
    expect(await ciGate([], none, undefined)).toBe(2);
    expect(none.errs[0]).toMatch(/^ci:gate: --base REV is required/);
  });
});
