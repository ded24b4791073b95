import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { main } from '../../app/cli/main.ts';
import type { CliIO } from '../../app/cli/io.ts';
import { copySkill } from '../support/copy-skill.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SKILL = join(ROOT, 'skill');

function capture(cwd: string): CliIO & { outs: string[]; errs: string[] } {
  const outs: string[] = [];
  const errs: string[] = [];
  return { outs, errs, out: (l) => outs.push(l), err: (l) => errs.push(l), isTTY: false, progress: () => {}, cwd };
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'cli-lint-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('thread-team-sim lint', () => {
  it('exits 0 with a profile summary for our skill (default directory)', async () => {
    const io = capture(tmp);
    expect(await main(['lint'], io)).toBe(0);
    const text = io.outs.join('\n');
    expect(text).toContain('skill thread-team');
    expect(text).toMatch(/model gpt-5\.4 \[\S*skill\/SKILL\.md:\d+\], thinking high \[\S*skill\/SKILL\.md:\d+\]/);
    expect(text).toContain('every 2 min (FREQ=MINUTELY;INTERVAL=2)');
    expect(text).toContain('stall after 3 silent passes');
    expect(text).toContain('0 errors, 0 warnings, 0 notes');
    expect(text).toContain('1. Analysis and split');
    expect(text).toMatch(/dispatch references\/worker-dispatch-template\.md \(\d+ holes\)/);
    expect(io.errs).toEqual([]);
  });

  it('prints one FILE:LINE: LEVEL: line per finding; exits 0 on warnings, 1 with --strict (relative --skill)', async () => {
    const dir = join(tmp, 'broken');
    await copySkill(dir);
    const file = join(dir, 'references/worker-dispatch-template.md');
    const text = (await readFile(file, 'utf8'))
      .replace('Base commit: <base-commit>\n', '')
      .replace('<plan>\n', '<plan>\n\nAlso read <flux-capacitor> first.\n');
    await writeFile(file, text);
    const fence = text.slice(0, text.indexOf('```text')).split('\n').length;
    const hole = text.slice(0, text.indexOf('<flux-capacitor>')).split('\n').length;
    const findings = [
      `broken/references/worker-dispatch-template.md:${fence}: warning: worker dispatch template has no place for base commit (M3)`,
      `broken/references/worker-dispatch-template.md:${hole}: info: hole <flux-capacitor> is free text (it fits no slot): the reference leader fills it with plain text from its plan`,
    ];
    const io = capture(tmp);
    expect(await main(['lint', '--skill', 'broken'], io)).toBe(0);
    expect(io.outs.slice(-2)).toEqual(findings);
    expect(io.outs[0]).toBe('skill thread-team (broken): 0 errors, 1 warning, 1 note');
    expect(io.errs).toEqual([]);
    const strict = capture(tmp);
    expect(await main(['lint', '--skill', 'broken', '--strict'], strict)).toBe(1);
    expect(strict.outs.slice(-2)).toEqual(findings);
    expect(strict.errs).toEqual(['0 errors, 1 warning, 1 note in broken (--strict fails on warnings)']);
  });

  it('exits 1 on an error, without a profile summary', async () => {
    const dir = join(tmp, 'contradiction');
    await copySkill(dir);
    const file = join(dir, 'SKILL.md');
    const text = (await readFile(file, 'utf8')).replace('## Tools\n', 'Workers default to model `gpt-4.1`.\n\n## Tools\n');
    await writeFile(file, text);
    const io = capture(tmp);
    expect(await main(['lint', '--skill', 'contradiction'], io)).toBe(1);
    const line = text.slice(0, text.indexOf('`gpt-4.1`')).split('\n').length;
    expect(io.outs).toEqual([
      `contradiction/SKILL.md:${line}: error: default worker model \`gpt-4.1\` contradicts \`gpt-5.4\` (line ${text.slice(0, text.indexOf('`gpt-5.4`')).split('\n').length})`,
    ]);
    expect(io.errs).toEqual(['1 error, 0 warnings, 0 notes in contradiction']);
  });

  it('exits 2 with one line for a nonexistent directory', async () => {
    const io = capture(tmp);
    expect(await main(['lint', '--skill', 'no-such-dir'], io)).toBe(2);
    expect(io.errs).toHaveLength(1);
    expect(io.errs[0]).toMatch(/skill directory not found: .*no-such-dir/);
    expect(io.outs).toEqual([]);
  });

  it('exits 2 on an unknown flag', async () => {
    const io = capture(tmp);
    expect(await main(['lint', '--frobnicate'], io)).toBe(2);
    expect(io.errs.join('\n')).toMatch(/unknown option '--frobnicate'/);
  });

  it('--json prints {ok, profile, findings}', async () => {
    const io = capture(tmp);
    expect(await main(['lint', '--skill', SKILL, '--json'], io)).toBe(0);
    const data = JSON.parse(io.outs.join('\n')) as {
      ok: boolean;
      profile: { defaultModel: { value: string; line: number; rule: string }; templates: Record<string, { holes: unknown[] }> };
      findings: unknown[];
    };
    expect(data.ok).toBe(true);
    expect(data.findings).toEqual([]);
    expect(data.profile.defaultModel).toMatchObject({ value: 'gpt-5.4', rule: 'model.default-line' });
    expect(Object.keys(data.profile.templates)).toEqual(['registration', 'dispatch', 'report', 'state', 'final']);
  });

  it('--json on a broken copy says ok: false with the findings', async () => {
    const dir = join(tmp, 'no-final');
    await copySkill(dir);
    await rm(join(dir, 'references/final-report-template.md'));
    const io = capture(tmp);
    expect(await main(['lint', '--skill', dir, '--json'], io)).toBe(1);
    const data = JSON.parse(io.outs.join('\n')) as { ok: boolean; profile: unknown; findings: { file: string; line: number }[] };
    expect(data.ok).toBe(false);
    expect(data.profile).toBeNull();
    expect(data.findings).toContainEqual(expect.objectContaining({ file: 'references/final-report-template.md', line: 1 }));
  });

  it('--help explains the exit codes', async () => {
    const io = capture(tmp);
    expect(await main(['lint', '--help'], io)).toBe(0);
    const text = io.outs.join('\n');
    expect(text).toContain('--skill <dir>');
    expect(text).toContain('FILE:LINE');
  });

  it('runs as a real process and exits 0', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/thread-team-sim.js', 'lint'], { cwd: ROOT });
    expect(stdout).toContain('skill thread-team');
  });
});
