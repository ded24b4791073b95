// `compare BASE HEAD`: a skill compared with itself is the same; a dispatch template that lost
// a field the protocol asks for (M3) is a regression naming the template, the field and the
// rule; git revisions are read from a scratch repository without touching its working tree.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toString as mdText } from 'mdast-util-to-string';
import { gfm } from 'micromark-extension-gfm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../app/cli/io.ts';
import { main } from '../../app/cli/main.ts';
import { copySkill } from '../support/copy-skill.ts';
import { publicSkill } from '../support/skills.ts';
import { leftInOwnTmp } from '../support/own-tmp.ts';

const git = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TWO = ['--scenarios', join(ROOT, 'scenarios/happy-three.yaml'), join(ROOT, 'scenarios/slow.yaml'), '--runs', '0'];
const PUBLIC = publicSkill();
let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'cli-compare-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function capture(cwd = tmp): CliIO & { outs: string[]; errs: string[]; text(): string } {
  const outs: string[] = [];
  const errs: string[] = [];
  return { outs, errs, out: (l) => outs.push(l), err: (l) => errs.push(l), isTTY: false, progress: () => {}, cwd, text: () => outs.join('\n') };
}

async function withoutBaseCommit(dir: string): Promise<void> {
  const file = join(dir, 'references/worker-dispatch-template.md');
  const text = await readFile(file, 'utf8');
  const kept = text.split('\n').filter((l) => !/^\s*(Your )?Base commit:/i.test(l));
  expect(kept.length).toBe(text.split('\n').length - 1);
  await writeFile(file, kept.join('\n'));
}

describe('thread-team-sim compare', () => {
  it('a skill against itself: same, exit 0', async () => {
    const io = capture(ROOT);
    expect(await main(['compare', 'skill', 'skill', ...TWO], io)).toBe(0);
    expect(io.outs[0]).toBe('compare skill → skill: SAME');
    expect(io.text()).toContain('scenarios: 2 of 2 alike on both sides');
  });

  it('a dispatch template that lost its Base commit field regresses: the template, the field and M3 named; exit 1', async () => {
    const head = join(tmp, 'no-base');
    await copySkill(head);
    await withoutBaseCommit(head);
    const io = capture(ROOT);
    expect(await main(['compare', 'skill', head, ...TWO, '--json'], io)).toBe(1);
    const c = JSON.parse(io.text());
    expect(c.verdict).toBe('regressed');
    expect(c.reasons[0]).toMatch(
      /^references\/worker-dispatch-template\.md:\d+: worker dispatch template has no place for base commit: required by M3, lost on HEAD$/,
    );
    const dispatch = c.messages.find((m: { kind: string }) => m.kind === 'dispatch');
    expect(dispatch.changed).toBe(true);
    expect(dispatch.diff).toMatch(/^-Base commit: [0-9a-f]{40}$/m);
  });

  it.skipIf(!PUBLIC)('the same on the public skill', async () => {
    const head = join(tmp, 'public-no-base');
    await git('cp', ['-r', PUBLIC!, head]);
    await withoutBaseCommit(head);
    const io = capture(ROOT);
    expect(await main(['compare', PUBLIC!, head, ...TWO], io)).toBe(1);
    expect(io.outs[0]).toMatch(/: REGRESSED$/);
    expect(io.outs[1]).toMatch(/worker-dispatch-template\.md:\d+: worker dispatch template has no place for base commit: required by M3, lost on HEAD$/);
  });

  it('compares git revisions of a scratch repository, leaving its tree and no scratch behind; --markdown and --junit', async () => {
    const repo = join(tmp, 'repo');
    await copySkill(join(repo, 'skill'));
    const g = (...args: string[]) => git('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo });
    await g('init', '-q', '-b', 'main');
    await g('add', '-A');
    await g('commit', '-q', '-m', 'base');
    const file = join(repo, 'skill/references/worker-dispatch-template.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^Scope:$/m, 'Your scope:'));
    await g('commit', '-q', '-am', 'head');
    const io = capture(repo);
    const args = ['compare', 'git:HEAD~1', 'git:HEAD', ...TWO, '--markdown', 'c.md', '--junit', 'c.xml'];
    expect(await leftInOwnTmp(async () => expect(await main(args, io)).toBe(0))).toEqual([]);
    expect(io.outs[0]).toBe('compare git:HEAD~1 → git:HEAD: CHANGED');
    expect(io.text()).toMatch(/^-Scope:$/m);
    expect(io.text()).toMatch(/^\+Your scope:$/m);
    expect((await g('status', '--porcelain')).stdout.split('\n').filter((l) => l && !/c\.(md|xml)$/.test(l))).toEqual([]);
    const md = await readFile(join(repo, 'c.md'), 'utf8');
    expect(md).toContain('### thread-team-sim compare: **changed**');
    // Its scenario table reads as a table: a header and one row per scenario.
    const tree = fromMarkdown(md, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
    const table = tree.children.find((n) => n.type === 'table') as { children: { children: unknown[] }[] } | undefined;
    expect(table?.children.map((row) => row.children.map((c) => mdText(c as never)))).toEqual([
      ['scenario', 'BASE', 'HEAD'],
      ['happy-three', 'held complete', 'held complete'],
      ['slow', 'held complete', 'held complete'],
    ]);
    const x = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['testsuite', 'testcase'].includes(n) }).parse(
      await readFile(join(repo, 'c.xml'), 'utf8'),
    );
    expect(x.testsuites.testsuite.map((s: { testcase: unknown[] }) => s.testcase.length)).toEqual([2, 2]);
    // --fail-on changed makes the same comparison fail.
    expect(await main(['compare', 'git:HEAD~1', 'git:HEAD', ...TWO, '--fail-on', 'changed'], capture(repo))).toBe(1);
  });

  it('refuses bad input with one line and exit 2, running nothing', async () => {
    for (const [args, says] of [
      [['compare', 'git:no-such-rev', 'skill'], 'BASE: git:no-such-rev: no-such-rev is not a commit of the repository'],
      [['compare', 'skill', 'nowhere'], 'HEAD: nowhere is not a folder (give a skill folder, or git:REV[:PATH])'],
      [['compare', 'skill', 'skill', '--fail-on', 'sometimes'], '--fail-on: expected regressed or changed, got "sometimes"'],
      [['compare', 'skill', 'skill', '--runs', 'x'], '--runs: expected a whole number from 0 to 100000, got "x"'],
      [['compare', 'git:HEAD:../etc', 'skill'], 'BASE: git:HEAD:../etc: PATH must stay inside the repository'],
    ] as const) {
      const io = capture(ROOT);
      expect(await main([...args], io), args.join(' ')).toBe(2);
      expect(io.errs.join('\n')).toContain(says);
      expect(io.outs).toEqual([]);
    }
  });
});
