// `thread-team-sim new`: a scenario file to start from, written for every worker behaviour and
// every fault kind, each of which `run` then holds as written.

import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAULT_EXAMPLES } from '../../sim/scenario/examples.ts';
import { faultSchema } from '../../sim/scenario/schema.ts';
import { BEHAVIOURS } from '../../sim/workers/behaviours.ts';
import { runCli } from '../support/run-cli.ts';
import { scratchFolder } from '../support/scratch-folder.ts';

const scratch = scratchFolder('new-');

const cli = (args: string[]) => runCli(scratch(), args);

async function newThenRun(name: string, flags: string[]) {
  const made = await cli(['new', name, ...flags]);
  expect(made.code, made.err).toBe(0);
  expect(made.err, 'the reference leader broke no rule').toBe('');
  const ran = await cli(['run', `${name}.yaml`]);
  expect(ran.code, ran.out).toBe(0);
  return readFile(join(scratch(), `${name}.yaml`), 'utf8');
}

describe('new', () => {
  it('knows a fault of every kind the scenario format has', () => {
    const kinds = faultSchema.options.map((o) => (o.shape as { kind: { value: string } }).kind.value);
    expect(Object.keys(FAULT_EXAMPLES).sort()).toEqual([...kinds].sort());
  });

  it.each(BEHAVIOURS.map((b) => [b]))('a worker that is %s: written, then held by run as written', { timeout: 60_000 }, async (kind) => {
    const text = await newThenRun(`b-${kind}`, ['--behaviour', `ui=${kind}`]);
    expect(text).toMatch(new RegExp(`^workers: \\{ ui: ${kind} \\}  # `, 'm'));
  });

  it.each(Object.keys(FAULT_EXAMPLES).map((f) => [f]))('a %s fault: written, then held by run as written', { timeout: 60_000 }, async (kind) => {
    const text = await newThenRun(`f-${kind}`, ['--fault', kind]);
    expect(text).toContain(`kind: ${kind}`);
  });

  it('every field has its comment; the first line names the schema', async () => {
    const text = await newThenRun('commented', []);
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=.*schema\/scenario\.schema\.json$/);
    for (const line of text.split('\n').filter((l) => /^[a-z]+:/.test(l))) expect(line, line).toMatch(/ {2}# \S/);
  });

  it('--from starts from a scenario file, keeping its durations as written', async () => {
    const text = await newThenRun('from-stall', ['--from', join(process.cwd(), 'scenarios/stalls-mid-task.yaml')]);
    expect(text).toMatch(/^name: from-stall {2}#/m);
    expect(text).toMatch(/^expect: \{ outcome: complete, /m);
  });

  it.each([
    [['new', 'Not_Kebab'], 'expected a kebab-case name'],
    [['new', 'x', '--behaviour', 'ui'], '--behaviour: "ui": expected ROLE=KIND'],
    [['new', 'x', '--behaviour', 'qa=diligent'], '--behaviour: no area has role "qa"'],
    [['new', 'x', '--behaviour', 'ui=lazy'], '--behaviour: unknown kind "lazy"'],
    [['new', 'x', '--fault', 'meteor'], '--fault: unknown kind "meteor"'],
    [['new', 'x', '--from', 'nowhere.yaml'], '--from: cannot read nowhere.yaml'],
  ])('%j: one line, exit 2, nothing written', async (args, said) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(said);
    expect(existsSync(join(scratch(), 'x.yaml'))).toBe(false);
  });

  it('a scenario whose run breaks a rule (a flawed leader from --from): written, said, exit 1', async () => {
    const src = join(scratch(), 'flawed-src.yaml');
    await writeFile(src, `${await readFile('scenarios/happy-three.yaml', 'utf8')}leader: { flaws: [leak-heartbeat] }\n`);
    const r = await cli(['new', 'flawed', '--from', src]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^new: the reference leader broke H1 in this scenario: /m);
    expect(existsSync(join(scratch(), 'flawed.yaml'))).toBe(true);
  });

  it('an existing file is kept unless --force', async () => {
    await writeFile(join(scratch(), 'kept.yaml'), 'mine\n');
    const r = await cli(['new', 'kept']);
    expect(r.code).toBe(2);
    expect(await readFile(join(scratch(), 'kept.yaml'), 'utf8')).toBe('mine\n');
    expect((await cli(['new', 'kept', '--force'])).code).toBe(0);
  });
});
