// --junit and --markdown for run and explore: read back with a real XML parser and a real
// Markdown parser, as a CI reporter and a PR comment would read them.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toString as mdText } from 'mdast-util-to-string';
import { gfm } from 'micromark-extension-gfm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../app/cli/io.ts';
import { main } from '../../app/cli/main.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HAPPY = join(ROOT, 'scenarios/happy-three.yaml');
const SLOW = join(ROOT, 'scenarios/slow.yaml');
let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'cli-reports-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function capture(): CliIO & { outs: string[]; errs: string[] } {
  const outs: string[] = [];
  const errs: string[] = [];
  return { outs, errs, out: (l) => outs.push(l), err: (l) => errs.push(l), isTTY: false, progress: () => {}, cwd: tmp };
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) });

function tables(md: string) {
  const tree = fromMarkdown(md, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  return tree.children
    .filter((n) => n.type === 'table')
    .map((t) => (t as { children: { children: unknown[] }[] }).children.map((row) => row.children.map((c) => mdText(c as never))));
}

describe('run --junit and --markdown', () => {
  it('one testcase per scenario, the failed one with its reason; one table row per scenario', async () => {
    const junitFile = join(tmp, 'run.xml');
    const mdFile = join(tmp, 'run.md');
    // On the terminal UI our skill's happy path fails (its messages are too long): nothing is
    // merged, so the run ends aborted; slow fails the same way.
    expect(await main(['run', '--host', 'tui', HAPPY, '--junit', junitFile, '--markdown', mdFile], capture())).toBe(1);
    const text = await readFile(junitFile, 'utf8');
    expect(XMLValidator.validate(text)).toBe(true);
    const doc = xml.parse(text);
    expect(doc.testsuites).toMatchObject({ tests: '1', failures: '1', errors: '0' });
    const [suite] = doc.testsuites.testsuite;
    expect(suite).toMatchObject({ name: 'thread-team-sim run (skill/)', tests: '1', failures: '1' });
    expect(suite.testcase).toHaveLength(1);
    const [tc] = suite.testcase;
    expect(tc).toMatchObject({
      classname: 'run.skill',
      name: 'happy-three',
      failure: { message: 'expected outcome complete, got aborted', type: 'thread-team-sim' },
    });
    expect(tc['system-out']).toContain('refused by the tui host: the registration to api');
    expect(Object.fromEntries(tc.properties.property.map((p: { name: string; value: string }) => [p.name, p.value]))).toMatchObject({
      outcome: 'aborted',
      seed: '1',
      host: 'tui',
    });
    const [table] = tables(await readFile(mdFile, 'utf8'));
    expect(table).toEqual([
      ['scenario', 'result', 'outcome', 'workers', 'replacements', 'reworks', 'merges'],
      ['happy-three', 'failed', 'aborted', '3', '0', '0', '0'],
    ]);
  });

  it('a passing run has testcases without failures, and a table of held scenarios', async () => {
    const junitFile = join(tmp, 'ok.xml');
    const mdFile = join(tmp, 'ok.md');
    expect(await main(['run', HAPPY, SLOW, '--junit', junitFile, '--markdown', mdFile], capture())).toBe(0);
    const doc = xml.parse(await readFile(junitFile, 'utf8'));
    expect(doc.testsuites).toMatchObject({ tests: '2', failures: '0' });
    expect(doc.testsuites.testsuite[0].testcase.map((t: { name: string; failure?: unknown }) => [t.name, t.failure])).toEqual([
      ['happy-three', undefined],
      ['slow', undefined],
    ]);
    expect(
      tables(await readFile(mdFile, 'utf8'))[0]!
        .slice(1)
        .map((r) => r.slice(0, 2)),
    ).toEqual([
      ['happy-three', 'held'],
      ['slow', 'held'],
    ]);
  });

  it('never replaces a file without --force, nor an input; nothing runs then', async () => {
    const existing = join(tmp, 'exists.xml');
    await writeFile(existing, 'keep me');
    const io = capture();
    expect(await main(['run', HAPPY, '--junit', 'exists.xml'], io)).toBe(2);
    expect(io.errs.join('\n')).toContain('--junit: exists.xml exists; pass --force to replace it');
    expect(io.outs).toEqual([]);
    expect(await readFile(existing, 'utf8')).toBe('keep me');
    const input = capture();
    expect(await main(['run', HAPPY, '--markdown', HAPPY], input)).toBe(2);
    expect(input.errs.join('\n')).toContain('is also an input of this command');
  });
});

describe('explore --junit and --markdown', () => {
  it('one testcase for the exploration, failed with the shrunk case and its replay; a summary table', async () => {
    const junitFile = join(tmp, 'explore.xml');
    const mdFile = join(tmp, 'explore.md');
    const out = join(tmp, 'found');
    const args = [
      'explore',
      '--runs',
      '30',
      '--seed',
      '3',
      '--jobs',
      '1',
      '--mutant',
      'leak-heartbeat',
      '--out',
      out,
      '--junit',
      junitFile,
      '--markdown',
      mdFile,
    ];
    expect(await main(args, capture())).toBe(1);
    const doc = xml.parse(await readFile(junitFile, 'utf8'));
    const [tc] = doc.testsuites.testsuite[0].testcase;
    expect(tc.classname).toBe('explore');
    expect(tc.failure.message).toMatch(/^H1: /);
    expect(tc['system-out']).toMatch(/replay: thread-team-sim run \S*found\/explored-\S+-H1\.yaml/);
    const md = await readFile(mdFile, 'utf8');
    expect(md).toContain('**a violation found**');
    const [table] = tables(md);
    expect(table!.map((r) => r[0])).toEqual(['', 'fault families on', 'faults that struck', 'message delivery to busy threads', 'outcomes']);
  });
});
