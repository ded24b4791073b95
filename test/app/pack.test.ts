// The harness used from a skill's own repository: `npm pack` gives a package whose bin works
// from another directory (lint, and a scenario of the catalogue it carries), with the
// directory's own scenarios/ preferred when it has one. Installing needs the npm registry or
// npm's cache: without either the test is skipped with the reason printed.

import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const tmp = await mkdtemp(join(tmpdir(), 'pack-'));
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function install(): Promise<string | null> {
  // --ignore-scripts: npm pack would run `prepare`, rebuilding dist/ in the checkout while other
  // test files start the CLI from it (a command then found its chunks gone: "Cannot find
  // module"). The package does not carry dist/, so the build adds nothing to it.
  const { stdout } = await run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', tmp], { cwd: ROOT, maxBuffer: 16 << 20 });
  const tgz = join(tmp, stdout.trim().split('\n').at(-1)!);
  const user = join(tmp, 'skill-repo');
  await mkdir(user);
  await writeFile(join(user, 'package.json'), '{"name":"a-skill-repo","private":true}\n');
  try {
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--omit=optional', tgz], { cwd: user, maxBuffer: 64 << 20, timeout: 240_000 });
  } catch (e) {
    console.log(
      `[pack] cannot install the packed harness here (${
        String((e as { stderr?: string }).stderr ?? e)
          .split('\n')
          .find((l) => /ERR!/.test(l)) ?? 'npm install failed'
      }): the pack test is skipped`,
    );
    return null;
  }
  return user;
}

const user = await install();

describe.skipIf(!user)('the packed harness, installed in a skill repository', () => {
  const bin = () => join(user!, 'node_modules/.bin/thread-team-sim');

  it('carries the code, the skill, the catalogue and the fixtures, and none of the tests', async () => {
    const pkg = join(user!, 'node_modules/thread-team-sim');
    const top = (await readdir(pkg)).sort();
    expect(top).toEqual(expect.arrayContaining(['app', 'bin', 'fixtures', 'scenarios', 'sim', 'skill', 'src', 'package.json']));
    expect(top).not.toContain('test');
    expect(top).not.toContain('mutation');
  });

  it("lints and runs a scenario from another directory; prefers the directory's own scenarios/", { timeout: 120_000 }, async () => {
    const lint = await run(bin(), ['lint'], { cwd: user! });
    expect(lint.stdout).toContain('skill thread-team');
    const one = await run(bin(), ['run', join(user!, 'node_modules/thread-team-sim/scenarios/happy-three.yaml')], { cwd: user! });
    expect(one.stdout).toMatch(/^ok {3}happy-three/m);
    // A skill repository with its own scenarios/ gets those by default.
    await mkdir(join(user!, 'scenarios'));
    await cp(join(ROOT, 'scenarios/slow.yaml'), join(user!, 'scenarios/mine.yaml'));
    const mine = await run(bin(), ['run'], { cwd: user! });
    expect(mine.stdout).toMatch(/^ok {3}slow/m);
    expect(mine.stdout).toContain('1 of 1 scenarios held');
  });
});
