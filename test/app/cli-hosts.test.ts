// `--host tui`: the terminal UI's thread tools through the CLI. A skill whose messages do not fit
// the host's 1,000-byte prompts fails its run with each refused message named (its size and the
// limit), and lint warns on the same templates; a compact skill runs through; desktop is unchanged.

import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { main } from '../../app/cli/main.ts';
import type { CliIO } from '../../app/cli/io.ts';
import { publicSkill } from '../support/skills.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PUBLIC = publicSkill();
const HAPPY = join(ROOT, 'scenarios/happy-three.yaml');

function capture(): CliIO & { outs: string[]; errs: string[] } {
  const outs: string[] = [];
  const errs: string[] = [];
  return { outs, errs, out: (l) => outs.push(l), err: (l) => errs.push(l), isTTY: false, progress: () => {}, cwd: ROOT };
}

const REFUSED =
  /^ {5}refused by the tui host: the (registration|dispatch) to (api|ui|db) \(send_message_to_thread\): ([\d,]+) bytes, over the host's 1,000-byte prompt limit \("prompt exceeded the maximum context budget"\)$/;

describe('run --host tui', () => {
  it("fails our skill's happy path, naming each refused message with its size and the limit", async () => {
    const io = capture();
    expect(await main(['run', '--host', 'tui', HAPPY], io)).toBe(1);
    const refused = io.outs.filter((l) => REFUSED.test(l));
    expect(refused.map((l) => REFUSED.exec(l)!.slice(1, 3))).toEqual([
      ['registration', 'api'],
      ['registration', 'ui'],
      ['registration', 'db'],
    ]);
    for (const l of refused) expect(Number(REFUSED.exec(l)![3]!.replace(',', ''))).toBeGreaterThan(1_000);
    expect(io.outs[0]).toMatch(/^FAIL happy-three .* merges 0 {2}host tui$/);
    expect(io.outs).toContain('     unmet: expected merges 3, got 0');
    expect(io.outs.some((l) => l.includes('--host tui'))).toBe(true);
  });

  it.skipIf(!PUBLIC)('fails the public skill the same way', async () => {
    const io = capture();
    expect(await main(['run', '--host', 'tui', '--skill', PUBLIC!, HAPPY], io)).toBe(1);
    expect(io.outs.filter((l) => REFUSED.test(l))).toHaveLength(3);
  });

  it('runs a skill whose messages fit: leader-made worktrees, no heartbeat, every invariant holds', async () => {
    const io = capture();
    expect(await main(['run', '--host', 'tui', '--skill', 'fixtures/skills/terse-team', '--json', HAPPY], io)).toBe(0);
    const r = JSON.parse(io.outs[0]!);
    expect(r).toMatchObject({ ok: true, host: 'tui', outcome: 'complete', counts: { merges: 3 }, violations: [] });
    expect(r.refused).toBeUndefined();
  });

  it('leaves the desktop as it was, and refuses an unknown host or the Codex leader on tui', async () => {
    const io = capture();
    expect(await main(['run', '--json', HAPPY], io)).toBe(0);
    const r = JSON.parse(io.outs[0]!);
    expect(r.host).toBeUndefined();
    expect(r.counts.merges).toBe(3);
    const bad = capture();
    expect(await main(['run', '--host', 'cli', HAPPY], bad)).toBe(2);
    expect(bad.errs.join('\n')).toContain('--host: unknown host "cli" (known: desktop, tui)');
    const codex = capture();
    expect(await main(['run', '--host', 'tui', '--leader', 'codex', HAPPY], codex)).toBe(2);
    expect(codex.errs.join('\n')).toContain('--host tui runs in the simulator only for now');
  });
});

describe('lint --host tui', () => {
  const WARN =
    /^(\S+):(\d+): warning: host tui: the (registration|dispatch) renders to ([\d,]+) bytes \(to \w+ in the happy path\), over the terminal UI's 1,000-byte prompt limit/;

  it('warns on each template the host would refuse, at the template; exit 0, and 1 with --strict', async () => {
    const io = capture();
    expect(await main(['lint', '--host', 'tui'], io)).toBe(0);
    const warns = io.outs.filter((l) => WARN.test(l)).map((l) => WARN.exec(l)!);
    expect(warns.map((w) => [w[1], w[3]])).toEqual([
      ['skill/references/worker-registration-template.md', 'registration'],
      ['skill/references/worker-dispatch-template.md', 'dispatch'],
    ]);
    const strict = capture();
    expect(await main(['lint', '--host', 'tui', '--strict'], strict)).toBe(1);
    // Without --host the same skill has no warning at all.
    const plain = capture();
    expect(await main(['lint'], plain)).toBe(0);
    expect(plain.outs.some((l) => l.includes('host tui'))).toBe(false);
  });

  it.skipIf(!PUBLIC)("warns on the public skill's registration and dispatch", async () => {
    const io = capture();
    expect(await main(['lint', '--host', 'tui', '--skill', PUBLIC!], io)).toBe(0);
    expect(io.outs.filter((l) => WARN.test(l)).map((l) => WARN.exec(l)![3])).toEqual(['registration', 'dispatch']);
  });

  it('is silent for a skill whose messages fit', async () => {
    const io = capture();
    await main(['lint', '--host', 'tui', '--skill', 'fixtures/skills/terse-team'], io);
    expect(io.outs.some((l) => l.includes('host tui'))).toBe(false);
  });
});
