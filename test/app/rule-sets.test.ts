// `--rules core|protocol`: the four rules any thread-team skill keeps, or every rule of the
// protocol. Each broken leader is held to both sets: a flaw of the core four fails either way,
// a flaw of the protocol's own conventions only under `protocol`.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Flaw } from '../../src/core/flaws.ts';
import { checkTrace, counts } from '../../src/invariants/index.ts';
import { toJsonl } from '../../src/trace/jsonl.ts';
import { runCli } from '../support/run-cli.ts';
import { runReference } from '../support/run.ts';
import { scratchFolder } from '../support/scratch-folder.ts';

const scratch = scratchFolder('rule-sets-');

const cli = (args: string[]) => runCli(scratch(), args);

describe('the core rule set', () => {
  it.each([
    ['leak-heartbeat', 1, 1],
    ['shared-worktree', 1, 1],
    ['merge-two-at-once', 1, 1],
    ['skip-journal-before-dispatch', 1, 1],
    ['merge-without-report', 0, 1],
    ['dispatch-before-registration', 0, 1],
    ['omit-settings', 0, 1],
  ] as const)('check --rules core|protocol on a leader with %s: exit %d under core, %d under protocol', { timeout: 30_000 }, async (flaw, core, protocol) => {
    const r = await runReference('happy-three', { flaws: [flaw as Flaw] });
    const file = join(scratch(), `${flaw}.jsonl`);
    await writeFile(file, toJsonl(r.events));
    const underCore = await cli(['check', file, '--rules', 'core']);
    expect(underCore.code, underCore.out).toBe(core);
    expect(underCore.out).toMatch(/; rules: core \(W1, H1, R1, J1\)$/m);
    expect((await cli(['check', file])).code).toBe(protocol);
    // What core reports is exactly the protocol's violations that core counts.
    const core1 = checkTrace(r.events).violations.filter((v) => v.by === 'leader' && counts(v, 'core'));
    expect(underCore.out.split('\n').filter((l) => /^[A-Z]\d /.test(l))).toHaveLength(core1.length);
  });

  it('run --rules core: a protocol-only flaw passes, bad --rules is one line, exit 2', async () => {
    const scenario = join(scratch(), 'flawed.yaml');
    const { readFile } = await import('node:fs/promises');
    const base = await readFile('scenarios/happy-three.yaml', 'utf8');
    await writeFile(scenario, `${base.replace(/^name: .*$/m, 'name: flawed')}\nleader:\n  flaws: [dispatch-before-registration]\n`);
    expect((await cli(['run', scenario, '--rules', 'core'])).code).toBe(0);
    expect((await cli(['run', scenario])).code).toBe(1);
    const bad = await cli(['run', scenario, '--rules', 'strict']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('thread-team-sim: --rules: unknown rule set "strict" (known: protocol, core)');
  });
});
