// Broken copies of skill/, made here from the real files, each with one defect: lint must
// name the file, the exact line and what is wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintSkill, loadSkill, type Finding } from '../src/skill/index.ts';
import { SKILL, TEMPLATE_FILES } from './support/skills.ts';
import { copySkill } from './support/copy-skill.ts';

const { registration: REG, dispatch: DISPATCH, report: REPORT, state: STATE, final: FINAL } = TEMPLATE_FILES;

let root: string;
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'skill-lint-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** 1-based line of the first occurrence of needle (which must occur). */
function lineOf(text: string, needle: string, from = 0): number {
  const i = text.indexOf(needle, from);
  expect(i, `"${needle}" not in text`).toBeGreaterThanOrEqual(0);
  return text.slice(0, i).split('\n').length;
}

function replaceOnce(text: string, from: string, to: string): string {
  expect(text.includes(from), `"${from}" not in text`).toBe(true);
  return text.replace(from, () => to);
}

/** Copies skill/ to a fresh directory, applies an edit to one file, returns the dir and the edited text. */
async function broken(file: string, edit: (s: string) => string | null): Promise<{ dir: string; text: string }> {
  const dir = join(root, `copy-${n++}`);
  await copySkill(dir);
  const path = join(dir, file);
  const text = edit(await readFile(path, 'utf8'));
  if (text === null) await rm(path);
  else await writeFile(path, text);
  return { dir, text: text ?? '' };
}

function expectFinding(findings: Finding[], file: string, line: number, fragment: string | RegExp, level: Finding['level'] = 'error'): void {
  const hit = findings.find(
    (f) => f.file === file && f.line === line && f.level === level && (typeof fragment === 'string' ? f.message.includes(fragment) : fragment.test(f.message)),
  );
  expect(
    hit,
    `no ${level} ${file}:${line} ~ ${String(fragment)} in\n${findings.map((f) => `${f.file}:${f.line}: ${f.level}: ${f.message}`).join('\n')}`,
  ).toBeDefined();
}

describe('lint on broken copies of skill/', () => {
  it('dispatch without the base commit hole', async () => {
    const { dir, text } = await broken(DISPATCH, (s) => replaceOnce(s, 'Base commit: <base-commit>\n', ''));
    const { findings } = await lintSkill(dir);
    expectFinding(findings, DISPATCH, lineOf(text, '```text'), 'no place for base commit (M3)', 'warning');
    expect(findings).toHaveLength(1);
  });

  it('dispatch without the roster', async () => {
    const { dir, text } = await broken(DISPATCH, (s) => replaceOnce(s, 'Roster (check every header against it):\n<roster>\n\n', ''));
    const { findings, profile } = await lintSkill(dir);
    expectFinding(findings, DISPATCH, lineOf(text, '```text'), 'no place for roster', 'warning');
    expect(profile).not.toBeNull(); // the loader still has every fact and template
  });

  it('registration with the header line removed', async () => {
    const { dir, text } = await broken(REG, (s) => replaceOnce(s, 'From: leader (thread ID: <leader-thread-id>)\n\n', ''));
    const { findings } = await lintSkill(dir);
    expectFinding(
      findings,
      REG,
      lineOf(text, '```text') + 1,
      /does not start with the header `From: <role> \(thread ID: <thread-id>\)`: the leader adds it above \(M1\)/,
      'info',
    );
    expectFinding(findings, REG, lineOf(text, '```text'), 'no place for leader thread id', 'warning');
  });

  it('a template whose fence was removed', async () => {
    const { dir } = await broken(REPORT, (s) => replaceOnce(replaceOnce(s, '```markdown\n', ''), '\n```\n', '\n'));
    const { findings, profile } = await lintSkill(dir);
    expectFinding(findings, REPORT, 1, 'has no fenced block');
    expect(profile).toBeNull();
  });

  it('a template with two fenced blocks', async () => {
    const { dir, text } = await broken(FINAL, (s) => `${s}\nAn example:\n\n~~~\nThread team run: complete\n~~~\n`);
    const { findings } = await lintSkill(dir);
    expectFinding(findings, FINAL, lineOf(text, '~~~'), 'has 2 fenced blocks');
  });

  it('a second default model line in SKILL.md', async () => {
    const added = '- Replacement workers default to model `gpt-4.1`.\n';
    const { dir, text } = await broken('SKILL.md', (s) => replaceOnce(s, '## Tools\n', `${added}\n## Tools\n`));
    const { findings } = await lintSkill(dir);
    const first = lineOf(text, '`gpt-5.4`');
    expectFinding(findings, 'SKILL.md', lineOf(text, added), `\`gpt-4.1\` contradicts \`gpt-5.4\` (line ${first})`);
  });

  it('a second thinking default', async () => {
    const added = 'Reviewers run with thinking `low` by default.\n';
    const { dir, text } = await broken('SKILL.md', (s) => replaceOnce(s, '## Tools\n', `${added}\n## Tools\n`));
    const { findings } = await lintSkill(dir);
    expectFinding(findings, 'SKILL.md', lineOf(text, added), `default thinking \`low\` contradicts \`high\` (line ${lineOf(text, '`high`')})`);
  });

  it('a second heartbeat interval', async () => {
    const added = 'For long builds use `FREQ=MINUTELY;INTERVAL=5` instead.\n';
    const { dir, text } = await broken('SKILL.md', (s) => replaceOnce(s, '## Tools\n', `${added}\n## Tools\n`));
    const { findings } = await lintSkill(dir);
    expectFinding(
      findings,
      'SKILL.md',
      lineOf(text, added),
      `every 5 min (FREQ=MINUTELY;INTERVAL=5) contradicts every 2 min (FREQ=MINUTELY;INTERVAL=2) (line ${lineOf(text, 'INTERVAL=2')})`,
    );
  });

  it('a heartbeat in prose that disagrees with the rrule', async () => {
    const added = 'Keep a 3-minute heartbeat while workers run.\n';
    const { dir, text } = await broken('SKILL.md', (s) => replaceOnce(s, '## Tools\n', `${added}\n## Tools\n`));
    const { findings } = await lintSkill(dir);
    expectFinding(findings, 'SKILL.md', lineOf(text, added), 'every 3 min contradicts every 2 min');
  });

  it('a second stall count', async () => {
    const added = 'Treat a worker as stalled after five silent heartbeat passes.\n';
    const { dir, text } = await broken('SKILL.md', (s) => replaceOnce(s, '## Tools\n', `${added}\n## Tools\n`));
    const { findings } = await lintSkill(dir);
    expectFinding(findings, 'SKILL.md', lineOf(text, added), `5 passes contradicts 3 passes (line ${lineOf(text, '3 silent heartbeat passes')})`);
  });

  it('a second journal path', async () => {
    const added = 'Older runs used `.thread-team/<leader-thread-id>/journal.md`.\n';
    const { dir, text } = await broken('SKILL.md', (s) => replaceOnce(s, '## Tools\n', `${added}\n## Tools\n`));
    const { findings } = await lintSkill(dir);
    expectFinding(findings, 'SKILL.md', lineOf(text, added), 'journal path `.thread-team/<leader-thread-id>/journal.md` contradicts');
  });

  it('front-matter without a description', async () => {
    const { dir, text } = await broken('SKILL.md', (s) => s.replace(/^description: .*\n/m, ''));
    expect(text).not.toMatch(/^description:/m);
    const { findings, profile } = await lintSkill(dir);
    expectFinding(findings, 'SKILL.md', 1, 'no front-matter `description`');
    expect(profile).toBeNull();
  });

  it('a missing template file', async () => {
    const { dir } = await broken(FINAL, () => null);
    const { findings, profile } = await loadSkill(dir);
    expectFinding(findings, FINAL, 1, 'missing final report template');
    expect(profile).toBeNull();
  });

  it('a template found under another name by its heading', async () => {
    const { dir } = await broken(FINAL, () => null);
    const original = await readFile(join(SKILL, FINAL), 'utf8');
    await writeFile(join(dir, 'references/wrap-up.md'), original);
    const { findings, profile } = await lintSkill(dir);
    expect(findings).toEqual([]);
    expect(profile!.templates.final.file).toBe('references/wrap-up.md');
  });

  it('a hole with an unknown name: free text, filled from the plan', async () => {
    const { dir, text } = await broken(DISPATCH, (s) => replaceOnce(s, '<plan>\n', '<plan>\n\nAlso read <flux-capacitor> first.\n'));
    const { findings } = await lintSkill(dir);
    expectFinding(findings, DISPATCH, lineOf(text, '<flux-capacitor>'), 'hole <flux-capacitor> is free text', 'info');
  });

  it('report template without the commit sha', async () => {
    const { dir, text } = await broken(REPORT, (s) => replaceOnce(s, 'Commit: <commit-sha>\n', ''));
    const { findings } = await lintSkill(dir);
    expectFinding(findings, REPORT, lineOf(text, '```markdown'), 'no place for commit sha', 'warning');
  });

  it('state template without the heartbeat', async () => {
    const { dir, text } = await broken(STATE, (s) => replaceOnce(s, '## Heartbeat\n<heartbeat>\n\n', ''));
    const { findings } = await lintSkill(dir);
    expectFinding(findings, STATE, lineOf(text, '```markdown'), 'no place for heartbeat', 'warning');
  });

  it('a hole followed by trailing spaces is no pair of holes', async () => {
    const { dir } = await broken(DISPATCH, (s) => replaceOnce(s, 'Base commit: <base-commit>\n', 'Base commit: <base-commit>   \n'));
    expect((await lintSkill(dir)).findings).toEqual([]);
  });

  it('two holes with nothing or only white space between them are flagged, each pair once; a word between them is enough', async () => {
    const { dir, text } = await broken(REPORT, (s) =>
      replaceOnce(s, 'Branch: <branch>\n', 'Branch: <branch><base-commit> \t<integration-branch> or <phase>\n'),
    );
    const line = lineOf(text, 'Branch: <branch>');
    expect((await lintSkill(dir)).findings).toEqual([
      {
        file: REPORT,
        line,
        level: 'error',
        message: 'holes <base-commit> and <integration-branch> are separated by spaces only, so a filled-in text cannot be read back',
      },
      { file: REPORT, line, level: 'error', message: 'holes <branch> and <base-commit> have nothing between them, so a filled-in text cannot be read back' },
    ]);
  });

  it('a list body right after a block body is flagged too', async () => {
    const { dir, text } = await broken(FINAL, (s) => replaceOnce(s, '<follow-ups>\n', '<follow-ups>\n- <extra>\n'));
    const { findings } = await lintSkill(dir);
    expectFinding(findings, FINAL, lineOf(text, '- <extra>'), 'follows another with no label or fixed line between them');
  });

  it('fields alone, a pattern line alone or a table alone are fixed text enough to recognise a form', async () => {
    const only = (body: string) => (s: string) => s.replace(/```markdown\n[\s\S]*?\n```\n/, () => `\`\`\`markdown\n${body}\n\`\`\`\n`);
    for (const body of ['Outcome: <outcome>', 'The run ended as <outcome>', '| Outcome | Journal |\n| --- | --- |\n| <outcome> | <journal-path> |']) {
      const { dir } = await broken(FINAL, only(body));
      const { findings } = await lintSkill(dir);
      expect(
        findings.filter((f) => f.message.includes('no fixed text')),
        body,
      ).toEqual([]);
      expect(
        findings.some((f) => f.file === FINAL && f.message.includes('has no place for')),
        body,
      ).toBe(true);
    }
  });

  it('a block body right after a table is flagged: the header row anchors the table, not what follows it', async () => {
    const { dir, text } = await broken(FINAL, (s) => replaceOnce(s, '<excluded>\n', '| Role | Reason |\n| --- | --- |\n| <role> | <reason> |\n<excluded>\n'));
    const { findings } = await lintSkill(dir);
    expectFinding(findings, FINAL, lineOf(text, '<excluded>'), 'follows another with no label or fixed line between them');
    expect(findings.filter((f) => f.message.includes('follows another'))).toHaveLength(1);
  });

  it('an excluded choice stands in for the excluded list only, not for any other missing slot', async () => {
    const { dir, text } = await broken(FINAL, (s) =>
      replaceOnce(
        s,
        'Merged branches, in order:\n<merged-branches>\n\nNot integrated:\n<excluded>\n',
        'Tasks:\n| Role | Result |\n| --- | --- |\n| <role> | integrated/excluded |\n',
      ),
    );
    const { findings } = await lintSkill(dir);
    expect(findings.filter((f) => f.message.includes('no place for'))).toEqual([
      { file: FINAL, line: lineOf(text, '```markdown'), level: 'warning', message: 'final report template has no place for merges (L2)' },
    ]);
  });

  it('state template with two holes on adjacent lines and no heading between them', async () => {
    const { dir, text } = await broken(STATE, (s) => replaceOnce(s, '<merges>\n\n## Decisions\n', '<merges>\n'));
    const { findings } = await lintSkill(dir);
    expectFinding(findings, STATE, lineOf(text, '<decisions>'), 'follows another with no label or fixed line between them');
  });

  it('final template without the excluded tasks', async () => {
    const { dir, text } = await broken(FINAL, (s) => replaceOnce(s, 'Not integrated:\n<excluded>\n\n', ''));
    const { findings } = await lintSkill(dir);
    expectFinding(findings, FINAL, lineOf(text, '```markdown'), 'no place for excluded (L2)', 'warning');
  });

  it('registration without the working directory', async () => {
    const { dir, text } = await broken(REG, (s) => replaceOnce(s, 'Working directory: <working-directory>\n', ''));
    const { findings } = await lintSkill(dir);
    expectFinding(findings, REG, lineOf(text, '```text'), 'no place for working directory', 'warning');
  });

  it('stall passes removed', async () => {
    const { dir, text } = await broken('SKILL.md', (s) => replaceOnce(s, '- Stall threshold: 3 silent heartbeat passes (S3).\n', ''));
    expect(text).not.toMatch(/\d+ silent heartbeat passes/);
    const { findings, profile } = await lintSkill(dir);
    expectFinding(findings, 'SKILL.md', 1, 'no stall threshold (a number before "heartbeat passes"); using the protocol default `3`', 'warning');
    // A fact left unsaid never blocks a run: the protocol's value stands in, traced to it.
    expect(profile!.stallPasses).toEqual({ value: 3, file: '(protocol default)', line: 0, rule: 'default' });
    expect(findings.filter((f) => f.level === 'error')).toEqual([]);
  });

  it('a mandatory tool missing from the required list', async () => {
    const { dir, text } = await broken('SKILL.md', (s) => replaceOnce(s, ', `read_thread`. If one', '. If one'));
    const { findings } = await lintSkill(dir);
    expectFinding(findings, 'SKILL.md', lineOf(text, '- Required:'), 'required tools lack `read_thread` (T1)', 'warning');
  });

  it('a header without a thread id hole', async () => {
    const { dir, text } = await broken('SKILL.md', (s) => replaceOnce(s, '`From: <role> (thread ID: <thread-id>)`', '`From: <role> (thread ID: ID)`'));
    const { findings } = await lintSkill(dir);
    expectFinding(findings, 'SKILL.md', lineOf(text, '`From: <role>'), 'has no thread id hole');
  });

  it('phases that are not six', async () => {
    const { dir, text } = await broken('SKILL.md', (s) => replaceOnce(s, '### 6. Final review and cleanup\n', ''));
    const { findings } = await lintSkill(dir);
    expectFinding(findings, 'SKILL.md', lineOf(text, '### 1. Analysis and split'), 'expected six phases, found 5');
  });

  it('a journal path not keyed by the leader thread id', async () => {
    const { dir, text } = await broken('SKILL.md', (s) => replaceOnce(s, '`.thread-team/<leader-thread-id>/state.md`', '`.thread-team/<run-name>/state.md`'));
    const { findings } = await lintSkill(dir);
    expectFinding(findings, 'SKILL.md', lineOf(text, '<run-name>'), 'not keyed by a leader thread id hole (J2)', 'warning');
  });

  it('agents/openai.yaml without a default prompt', async () => {
    const { dir } = await broken('agents/openai.yaml', (s) => s.replace(/^\s*default_prompt:.*\n/m, ''));
    const { findings } = await lintSkill(dir);
    expectFinding(findings, 'agents/openai.yaml', 1, 'no interface.default_prompt', 'warning');
  });

  it('SKILL.md missing altogether', async () => {
    const { dir } = await broken('SKILL.md', () => null);
    const { findings, profile } = await lintSkill(dir);
    expectFinding(findings, 'SKILL.md', 1, 'missing SKILL.md');
    expect(profile).toBeNull();
  });
});
