// Every finding the skill loader and linter can report, and every error they throw, pinned
// in full: file, line, level and the exact message, and the complete list a case produces
// (so a finding that appears, disappears or moves is caught too). Beside them, the facts
// SKILL.md yields, each in another wording the rules accept, left out (the protocol default
// stands in, traced to `(protocol default)`) and at the edge of what its rule reads.
//
// Why: the other skill tests check that some finding mentions some words, or read one
// spelling of a fact, so a changed message, a lost line number, a weakened condition or a
// different default passed unnoticed. Each case here is a copy of skill/ in a temporary
// directory with one change; skill/ itself lints clean, so whatever a case reports comes
// from that change alone.
//
// Some cases pin fixes of behaviours that were wrong: a one-word `update_plan` step dropped, a
// signal taking the cue word of the clause before its own, a per-role notes path under
// .thread-team/ taken for the journal, two holes with nothing between them not flagged, and
// a file a byte over the size limit reported at the limit.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PathLike } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_SOURCE,
  SkillDirError,
  atLeast,
  extractFacts,
  lintSkill,
  loadSkill,
  readSkill,
  templateKindOf,
  type FactName,
  type Finding,
} from '../src/skill/index.ts';
import { sortFindings } from '../src/skill/load.ts';
import { parseMarkdown } from '../src/skill/markdown.ts';
import { SKILL, TEMPLATE_FILES } from './support/skills.ts';
import { copySkill } from './support/copy-skill.ts';

// For readdir to fail on a directory stat has just seen, a permission must be missing, and
// root lacks none: that one call is failed by hand for a chosen path. The order a directory
// lists its names in is the file system's: a chosen path lists them reversed. Everything else
// runs on the real file system.
const failing = vi.hoisted(() => ({ readdir: null as string | null, reversed: null as string | null }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const readdir = ((path: PathLike, ...rest: unknown[]) => {
    if (failing.readdir !== null && String(path) === failing.readdir) {
      const e = Object.assign(new Error(`EACCES: permission denied, scandir '${String(path)}'\nsecond line`), { code: 'EACCES' });
      return Promise.reject(e);
    }
    const names = (real.readdir as (...args: unknown[]) => Promise<unknown>)(path, ...rest);
    return failing.reversed !== null && String(path) === failing.reversed ? names.then((n) => [...(n as string[])].sort().reverse()) : names;
  }) as typeof real.readdir;
  return { ...real, default: { ...real, readdir }, readdir };
});

const MD = 'SKILL.md';
const AGENT = 'agents/openai.yaml';
const { registration: REG, dispatch: DISPATCH, report: REPORT, state: STATE, final: FINAL } = TEMPLATE_FILES;

// Lines of skill/SKILL.md the cases change.
const MODEL_LINE = '- Default worker model `gpt-5.4`, default thinking `high`, unless the user chose others (T4).\n';
const BEAT_LINE = '- Heartbeat: every 2 minutes, rrule `FREQ=MINUTELY;INTERVAL=2`, status `ACTIVE` or `PAUSED`.\n';
const STALL_LINE = '- Stall threshold: 3 silent heartbeat passes (S3).\n';
const STARTUP_LINE = "- Startup window: 10 minutes after its dispatch for a worker's first response (S1).\n";
const MESSAGE_LINE = '- Message size: any message other than a registration or dispatch stays under 1500 characters (M4).\n';
const JOURNAL_SPAN = '`.thread-team/<leader-thread-id>/state.md`';
const NOTES_SPAN = '`.thread-team/notes.md`';
const REPORT_SPAN = '`.thread-team/report.md`';
const HEADER_SPAN = '`From: <role> (thread ID: <thread-id>)`';
const SIGNALS_LINE =
  '- Signals: a worker message is the header line, then `COMPLETE <report-path> <commit-sha>` when complete, or `BLOCKED <one-line-reason>` when blocked.\n';
const TOOLS_BLOCK =
  '## Tools\n- Required: `create_thread`, `send_message_to_thread`, `read_thread`. If one is missing, say\n' +
  '  which and stop. Never stand in with `spawn_agent` or subagents (T1).\n' +
  '- Optional, they complete the workflow: `list_threads`, `wait_threads`, `set_thread_archived`, `automation_update`.\n';
const STEPS_HEADING = '## Worker steps\n';
const STEPS_LIST =
  '1. **Execute**: work inside its worktree, keep notes in its notes file.\n' +
  '2. **Self-review and verify**: review its diff, run the verification commands.\n' +
  '3. **Commit and report**: commit, write the report file, send the completion signal.\n';
const PHASE_HEADINGS = [
  '### 1. Analysis and split',
  '### 2. Worker initialization',
  '### 3. Design and dispatch',
  '### 4. Polling and decisions',
  '### 5. Review and serial merge',
  '### 6. Final review and cleanup',
];
const PHASES = [
  'Analysis and split',
  'Worker initialization',
  'Design and dispatch',
  'Polling and decisions',
  'Review and serial merge',
  'Final review and cleanup',
];

// ---------------------------------------------------------------------------------------
// Copies of skill/ with edits

/** An edit of one file's text; null removes the file. */
type Edit = (text: string) => string | null;
type Edits = Record<string, Edit>;

/** Replaces the first occurrence (which must exist). */
const swap =
  (from: string, to: string): Edit =>
  (s) => {
    if (!s.includes(from)) throw new Error(`edit: "${from}" is not in the text`);
    return s.replace(from, () => to);
  };
/** Several edits of one file, in order. */
const chain =
  (...edits: Edit[]): Edit =>
  (s) =>
    edits.reduce<string | null>((t, e) => (t === null ? null : e(t)), s);
const cut = (...parts: string[]): Edit => chain(...parts.map((p) => swap(p, '')));
/** Inserts a line of prose into SKILL.md just before `## Tools` (it becomes line 24). */
const addLine = (line: string): Edits => ({ [MD]: swap('## Tools\n', `${line}\n\n## Tools\n`) });
/** Replaces every `<hole>` of a template's fenced text (not its prose) by literal text. */
const holeToText =
  (hole: string, text: string): Edit =>
  (s) => {
    const at = s.indexOf('```');
    if (!s.includes(hole, at)) throw new Error(`edit: ${hole} is not in the template`);
    return s.slice(0, at) + s.slice(at).split(hole).join(text);
  };
const remove: Edit = () => null;
const replaceWith =
  (text: string): Edit =>
  () =>
    text;

let root: string;
let copies = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'skill-findings-'));
});
afterAll(async () => {
  failing.readdir = null;
  failing.reversed = null;
  await rm(root, { recursive: true, force: true });
});

/** A fresh copy of skill/ with the edits applied (an edit of a file not there starts from ''). */
async function copyOf(edits: Edits = {}): Promise<string> {
  const dir = join(root, `copy-${copies++}`);
  await copySkill(dir);
  for (const [file, edit] of Object.entries(edits)) {
    const path = join(dir, file);
    const text = edit(await readFile(path, 'utf8').catch(() => ''));
    if (text === null) {
      await rm(path, { recursive: true, force: true });
    } else {
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(path, text);
    }
  }
  return dir;
}

// ---------------------------------------------------------------------------------------
// Expected findings: [file, line, level, message]. A line given as a string is the line of
// its first occurrence in that file of the copy, so the cases read as "at the added line".

type Row = [file: string, line: number | string, level: Finding['level'], message: string];

async function resolve(dir: string, rows: Row[]): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const [file, at, level, message] of rows) {
    let line = at;
    if (typeof at === 'string') {
      const text = await readFile(join(dir, file), 'utf8');
      const i = text.indexOf(at);
      if (i < 0) throw new Error(`expected line: "${at}" is not in ${file}`);
      line = text.slice(0, i).split('\n').length;
    }
    out.push({ file, line: line as number, level, message });
  }
  return sortFindings(out);
}

const shown = (fs: Finding[]) => fs.map((f) => `${f.file}:${f.line}: ${f.level}: ${f.message}`).join('\n');

// ---------------------------------------------------------------------------------------
// The warning each fact left unsaid gets, in full.

const DEFAULT_WARNING: Record<Exclude<FactName, 'name' | 'description'>, Row> = {
  requiredTools: [
    MD,
    1,
    'warning',
    'no required tools (backticked tool names on a line saying required/mandatory); using the protocol default `create_thread`, `send_message_to_thread`, `read_thread`',
  ],
  optionalTools: [
    MD,
    1,
    'warning',
    'no optional tools (backticked tool names on a line saying optional/complete the workflow); using the protocol default `list_threads`, `wait_threads`, `set_thread_archived`, `set_thread_title`, `automation_update`',
  ],
  defaultModel: [MD, 1, 'warning', 'no default worker model (a backticked model id on a line saying "default"); using the protocol default `gpt-5.4`'],
  defaultThinking: [MD, 1, 'warning', 'no default thinking (a thinking level on a line saying "default"); using the protocol default `high`'],
  heartbeat: [MD, 1, 'warning', 'no heartbeat interval (an rrule FREQ=MINUTELY;INTERVAL=N, or "N-minute heartbeat"); using the protocol default every 2 min'],
  stallPasses: [MD, 1, 'warning', 'no stall threshold (a number before "heartbeat passes"); using the protocol default `3`'],
  startupWindowMinutes: [MD, 1, 'warning', 'no startup window (N minutes on a line about startup); using the protocol default `10`'],
  phases: [
    MD,
    1,
    'warning',
    'no phases (an ordered list or numbered headings under a heading mentioning phases); using the protocol default `Analysis and split`, `Worker initialization`, `Design and dispatch`, `Polling and decisions`, `Review and serial merge`, `Final review and cleanup`',
  ],
  workerSteps: [
    MD,
    1,
    'warning',
    'no worker steps (a list under a heading mentioning worker and steps/arc/workflow); using the protocol default `Execute`, `Self-review and verify`, `Commit and report`',
  ],
  header: [
    MD,
    1,
    'warning',
    'no message header (a backticked `From: …` with a role hole and an id hole); using the protocol default `From: <role> (thread ID: <thread-id>)`',
  ],
  journalPath: [
    MD,
    1,
    'warning',
    'no journal path (a backticked path with a hole ending in state.md); using the protocol default `.thread-team/<leader-thread-id>/state.md`',
  ],
  workerNotesPath: [MD, 1, 'warning', 'no worker notes path (a backticked notes .md path without holes); using the protocol default `.thread-team/notes.md`'],
  workerReportPath: [
    MD,
    1,
    'warning',
    'no worker report path (a backticked report .md path without holes); using the protocol default `.thread-team/report.md`',
  ],
  completionSignal: [
    MD,
    1,
    'warning',
    'no completion signal (a backticked ALL-CAPS keyword on a line about completion); using the protocol default `COMPLETE`',
  ],
  blockedSignal: [MD, 1, 'warning', 'no blocked signal (a backticked ALL-CAPS keyword on a line about being blocked); using the protocol default `BLOCKED`'],
  messageLimit: [MD, 1, 'warning', 'no message size limit (N characters on a line about messages); using the protocol default `1500`'],
};

// =======================================================================================
// Errors that stop reading (SkillDirError), with the directory shown as <dir>.

describe('errors readSkill throws', () => {
  const fill = (bytes: number) => async (dir: string) => {
    const text = await readFile(join(SKILL, MD));
    await writeFile(join(dir, MD), Buffer.concat([text, Buffer.from(`\n${'x'.repeat(bytes - text.length - 1)}`)]));
  };
  const appended = (file: string, text: string) => async (dir: string) => {
    await writeFile(join(dir, file), (await readFile(join(dir, file), 'utf8')) + text);
  };
  // biome-ignore lint/suspicious/noConfusingVoidType: a case names another directory (a string) or edits the copy in place (returns nothing)
  const cases: [what: string, make: (dir: string) => Promise<string | void>, message: string][] = [
    ['no directory at the path', async (dir) => join(dir, 'nowhere'), 'skill directory not found: <dir>/nowhere'],
    ['a file given as the directory', async (dir) => join(dir, MD), 'not a directory: <dir>/SKILL.md'],
    [
      'SKILL.md is a directory',
      async (dir) => {
        await rm(join(dir, MD));
        await mkdir(join(dir, MD));
      },
      '<dir>/SKILL.md: not a plain file',
    ],
    [
      'agents/openai.yaml is a directory',
      async (dir) => {
        await rm(join(dir, AGENT));
        await mkdir(join(dir, AGENT));
      },
      '<dir>/agents/openai.yaml: not a plain file',
    ],
    [
      'a template is a directory',
      async (dir) => {
        await rm(join(dir, DISPATCH));
        await mkdir(join(dir, DISPATCH));
      },
      '<dir>/references/worker-dispatch-template.md: not a plain file',
    ],
    [
      'SKILL.md is a symlink to itself',
      async (dir) => {
        await rm(join(dir, MD));
        await symlink(MD, join(dir, MD));
      },
      "cannot read <dir>/SKILL.md: ELOOP: too many symbolic links encountered, stat '<dir>/SKILL.md'",
    ],
    ['SKILL.md of 1 MB', fill(1024 * 1024), '<dir>/SKILL.md: 1024 KB is too large for a skill file (at most 512 KB)'],
    ['SKILL.md of 512.5 KB', fill(512 * 1024 + 512), '<dir>/SKILL.md: 513 KB is too large for a skill file (at most 512 KB)'],
    [
      'SKILL.md of 512 KB and one byte (rounded up, not down to the limit)',
      fill(512 * 1024 + 1),
      '<dir>/SKILL.md: 513 KB is too large for a skill file (at most 512 KB)',
    ],
    [
      'quotes nested 33 deep',
      appended(MD, `\n${'>'.repeat(33)} deep\n`),
      '<dir>/SKILL.md:159: quotes nested 33 deep (at most 32): not a skill file a model could follow',
    ],
    [
      'quotes nested 33 deep in agents/openai.yaml',
      appended(AGENT, `\n${'>'.repeat(33)}\n`),
      '<dir>/agents/openai.yaml:6: quotes nested 33 deep (at most 32): not a skill file a model could follow',
    ],
    [
      'a line indented 129 columns',
      appended(MD, `\n${' '.repeat(129)}deep\n`),
      '<dir>/SKILL.md:159: indented 129 columns (at most 128): not a skill file a model could follow',
    ],
    [
      '33 tabs count 4 columns each',
      appended(MD, `\n${'\t'.repeat(33)}deep\n`),
      '<dir>/SKILL.md:159: indented 132 columns (at most 128): not a skill file a model could follow',
    ],
    [
      '4001 emphasis marks in one paragraph (reported at its first line)',
      appended(REPORT, `\nA paragraph starts here\n${'*'.repeat(2000)}\n${'_'.repeat(1000)}${'~'.repeat(1001)}\n`),
      '<dir>/references/worker-report-template.md:26: a paragraph with more than 4000 emphasis marks (*, _, ~): not a skill file a model could follow',
    ],
    // The files are read concurrently; the error is still the first in reading order, even
    // when a later file fails sooner (a directory fails at its stat, a long SKILL.md only
    // once read through).
    [
      'SKILL.md and agents/openai.yaml both bad: SKILL.md first',
      async (dir) => {
        await fill(500 * 1024)(dir);
        await appended(MD, `\n${'>'.repeat(33)} deep\n`)(dir);
        await rm(join(dir, AGENT));
        await mkdir(join(dir, AGENT));
      },
      '<dir>/SKILL.md:160: quotes nested 33 deep (at most 32): not a skill file a model could follow',
    ],
    [
      'two reference files bad: the first by name',
      async (dir) => {
        await appended(DISPATCH, `\n${' '.repeat(400 * 1024)}\n${' '.repeat(129)}deep\n`)(dir);
        await rm(join(dir, REPORT));
        await mkdir(join(dir, REPORT));
      },
      '<dir>/references/worker-dispatch-template.md:62: indented 129 columns (at most 128): not a skill file a model could follow',
    ],
  ];
  it.each(cases)('%s', async (_what, make, message) => {
    const dir = await copyOf();
    const target = (await make(dir)) ?? dir;
    const err = await readSkill(target).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SkillDirError);
    expect((err as Error).name).toBe('SkillDirError');
    expect((err as Error).message.split(dir).join('<dir>')).toBe(message);
    // loadSkill and lintSkill read through readSkill: the same error.
    await expect(loadSkill(target)).rejects.toThrow(SkillDirError);
    await expect(lintSkill(target)).rejects.toThrow(SkillDirError);
  });

  it('a directory that cannot be listed (readdir fails; its first line only)', async () => {
    const dir = await copyOf();
    failing.readdir = dir;
    try {
      await expect(readSkill(dir)).rejects.toThrow(new SkillDirError(`cannot read skill directory ${dir}: EACCES: permission denied, scandir '${dir}'`));
    } finally {
      failing.readdir = null;
    }
  });

  // The limits themselves are allowed.
  it.each<[string, (dir: string) => Promise<void>]>([
    ['SKILL.md of exactly 512 KB', fill(512 * 1024)],
    ['quotes nested 32 deep', appended(MD, `\n${'>'.repeat(32)} deep\n`)],
    ['a line indented 128 columns', appended(MD, `\n${' '.repeat(128)}deep\n`)],
    ['20 quotes and 100 spaces (quotes do not count as columns)', appended(MD, `\n${'> '.repeat(20)}${' '.repeat(100)}x\n`)],
    ['4000 emphasis marks in one paragraph', appended(MD, `\npara\n${'*'.repeat(2000)}\n${'_'.repeat(2000)}\n`)],
    ['4001 marks split by a blank line', appended(MD, `\n${'*'.repeat(2000)}\n\n${'~'.repeat(2001)}\n`)],
  ])('%s: read', async (_what, make) => {
    const dir = await copyOf();
    await make(dir);
    await expect(readSkill(dir)).resolves.toMatchObject({ dir });
  });
});

// =======================================================================================
// Findings. `load` is what loadSkill reports, `lint` what lintSkill adds to it.

interface FindingCase {
  what: string;
  edits: Edits;
  /** Extra setup on the copy (symlinks, directories) after the edits. */
  after?: (dir: string) => Promise<void>;
  load: Row[];
  lint?: Row[];
  /** Whether a profile comes out (every fact and every template found). */
  profile: boolean;
}

async function checkFindings(c: FindingCase): Promise<void> {
  const dir = await copyOf(c.edits);
  await c.after?.(dir);
  const load = await loadSkill(dir);
  const lint = await lintSkill(dir);
  const wantLoad = await resolve(dir, c.load);
  const wantLint = await resolve(dir, [...c.load, ...(c.lint ?? [])]);
  expect(load.findings, shown(load.findings)).toEqual(wantLoad);
  expect(lint.findings, shown(lint.findings)).toEqual(wantLint);
  expect(load.profile !== null).toBe(c.profile);
  expect(lint.profile !== null).toBe(c.profile);
}

describe('skill/ itself', () => {
  it('loads and lints with no finding', async () => {
    await checkFindings({ what: 'as is', edits: {}, load: [], profile: true });
  });
});

describe('loader findings: files', () => {
  const cases: FindingCase[] = [
    { what: 'SKILL.md missing (nothing else is read from it)', edits: { [MD]: remove }, load: [[MD, 1, 'error', 'missing SKILL.md']], profile: false },
    {
      what: 'SKILL.md without front-matter (the body still yields every other fact)',
      edits: { [MD]: (s) => s.replace(/^---\n[\s\S]*?\n---\n/, '') },
      load: [[MD, 1, 'error', 'no YAML front-matter (a --- block with name and description)']],
      profile: false,
    },
    {
      what: 'front-matter with a duplicate key',
      edits: { [MD]: swap('name: thread-team\n', 'name: thread-team\nname: again\n') },
      load: [[MD, 3, 'error', 'front-matter is not valid YAML: Map keys must be unique']],
      profile: false,
    },
    {
      what: 'front-matter that is a list, not a map',
      edits: { [MD]: (s) => s.replace(/^---\n[\s\S]*?\n---\n/, '---\n- a\n- b\n---\n') },
      load: [
        [MD, 1, 'error', 'no front-matter `name`'],
        [MD, 1, 'error', 'no front-matter `description`'],
      ],
      profile: false,
    },
    {
      what: 'empty front-matter',
      edits: { [MD]: (s) => s.replace(/^---\n[\s\S]*?\n---\n/, '---\n---\n') },
      load: [
        [MD, 1, 'error', 'no front-matter `name`'],
        [MD, 1, 'error', 'no front-matter `description`'],
      ],
      profile: false,
    },
    { what: 'front-matter closed by ...', edits: { [MD]: (s) => s.replace(/^(---\n[\s\S]*?\n)---\n/, '$1...\n') }, load: [], profile: true },
    { what: 'no name', edits: { [MD]: cut('name: thread-team\n') }, load: [[MD, 1, 'error', 'no front-matter `name`']], profile: false },
    { what: 'a blank name', edits: { [MD]: swap('name: thread-team\n', 'name: "  "\n') }, load: [[MD, 1, 'error', 'no front-matter `name`']], profile: false },
    {
      what: 'a name that is a number',
      edits: { [MD]: swap('name: thread-team\n', 'name: 42\n') },
      load: [[MD, 1, 'error', 'no front-matter `name`']],
      profile: false,
    },
    {
      what: 'no description',
      edits: { [MD]: (s) => s.replace(/^description: .*\n/m, '') },
      load: [[MD, 1, 'error', 'no front-matter `description`']],
      profile: false,
    },
    { what: 'agents/openai.yaml missing', edits: { [AGENT]: remove }, load: [[AGENT, 1, 'warning', 'missing agents/openai.yaml']], profile: true },
    {
      what: 'agents is a file (its yaml cannot be there)',
      edits: { agents: remove },
      after: (dir) => writeFile(join(dir, 'agents'), 'x'),
      load: [[AGENT, 1, 'warning', 'missing agents/openai.yaml']],
      profile: true,
    },
    {
      what: 'agents/openai.yaml empty',
      edits: { [AGENT]: replaceWith('') },
      load: [
        [AGENT, 1, 'warning', 'no interface.display_name'],
        [AGENT, 1, 'warning', 'no interface.short_description'],
        [AGENT, 1, 'warning', 'no interface.default_prompt'],
      ],
      profile: true,
    },
    {
      what: 'agents/openai.yaml a plain scalar',
      edits: { [AGENT]: replaceWith('just text\n') },
      load: [
        [AGENT, 1, 'warning', 'no interface.display_name'],
        [AGENT, 1, 'warning', 'no interface.short_description'],
        [AGENT, 1, 'warning', 'no interface.default_prompt'],
      ],
      profile: true,
    },
    {
      what: 'interface is a list',
      edits: { [AGENT]: replaceWith('interface:\n  - a\n') },
      load: [
        [AGENT, 1, 'warning', 'no interface.display_name'],
        [AGENT, 1, 'warning', 'no interface.short_description'],
        [AGENT, 1, 'warning', 'no interface.default_prompt'],
      ],
      profile: true,
    },
    {
      what: 'a blank display_name',
      edits: { [AGENT]: swap('"Thread Team"', '"   "') },
      load: [[AGENT, 1, 'warning', 'no interface.display_name']],
      profile: true,
    },
    {
      what: 'a short_description that is a number',
      edits: { [AGENT]: swap('"Lead parallel Codex worker threads, one worktree each"', '42') },
      load: [[AGENT, 1, 'warning', 'no interface.short_description']],
      profile: true,
    },
    {
      what: 'no default_prompt',
      edits: { [AGENT]: (s) => s.replace(/^\s*default_prompt:.*\n/m, '') },
      load: [[AGENT, 1, 'warning', 'no interface.default_prompt']],
      profile: true,
    },
  ];
  it.each(cases)('$what', checkFindings);

  it('the reference files are taken in name order, whatever order the directory lists them in', async () => {
    const dir = await copyOf({ 'references/zz-final.md': replaceWith('x') });
    failing.reversed = join(dir, 'references');
    try {
      expect((await loadSkill(dir)).findings).toEqual([
        {
          file: 'references/zz-final.md',
          line: 1,
          level: 'error',
          message: 'a second final report template (the first is references/final-report-template.md)',
        },
      ]);
    } finally {
      failing.reversed = null;
    }
  });

  it('agents/openai.yaml with an alias bomb: refused by the YAML reader, reported at line 1', async () => {
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [name, prev] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
    ])
      rows.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    rows.push(`f: [${Array(9).fill('*e').join(', ')}]`);
    const dir = await copyOf({ [AGENT]: replaceWith(`${rows.join('\n')}\n`) });
    expect((await loadSkill(dir)).findings).toEqual([
      { file: AGENT, line: 1, level: 'error', message: 'not valid YAML: Excessive alias count indicates a resource exhaustion attack' },
    ]);
  });

  it('agents/openai.yaml that is not YAML: the line of the error', async () => {
    const dir = await copyOf({ [AGENT]: swap('  display_name: "Thread Team"\n', '  display_name: "Thread Team"\n  display_name: "Again"\n') });
    const { findings } = await loadSkill(dir);
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect({ file: f!.file, line: f!.line, level: f!.level }).toEqual({ file: AGENT, line: 3, level: 'error' });
    // The rest is the YAML library's first line (see the report: it ends in a location and a colon).
    expect(f!.message).toMatch(/^not valid YAML: Map keys must be unique\b/);
  });
});

describe('loader findings: templates', () => {
  const missing = (file: string, label: string): Row => [file, 1, 'error', `missing ${label} (no references/*.md named or headed like it)`];
  const cases: FindingCase[] = [
    { what: 'registration template missing', edits: { [REG]: remove }, load: [missing(REG, 'worker registration template')], profile: false },
    { what: 'dispatch template missing', edits: { [DISPATCH]: remove }, load: [missing(DISPATCH, 'worker dispatch template')], profile: false },
    { what: 'report template missing', edits: { [REPORT]: remove }, load: [missing(REPORT, 'worker report template')], profile: false },
    { what: 'state template missing', edits: { [STATE]: remove }, load: [missing(STATE, 'leader state template')], profile: false },
    { what: 'final template missing', edits: { [FINAL]: remove }, load: [missing(FINAL, 'final report template')], profile: false },
    {
      what: 'no references directory',
      edits: { references: remove },
      load: [
        missing(REG, 'worker registration template'),
        missing(DISPATCH, 'worker dispatch template'),
        missing(REPORT, 'worker report template'),
        missing(STATE, 'leader state template'),
        missing(FINAL, 'final report template'),
      ],
      profile: false,
    },
    {
      what: 'references is a file',
      edits: { references: remove },
      after: (dir) => writeFile(join(dir, 'references'), 'x'),
      load: [
        missing(REG, 'worker registration template'),
        missing(DISPATCH, 'worker dispatch template'),
        missing(REPORT, 'worker report template'),
        missing(STATE, 'leader state template'),
        missing(FINAL, 'final report template'),
      ],
      profile: false,
    },
    {
      what: 'a template found by its heading under another name',
      edits: { [FINAL]: remove },
      after: async (dir) => writeFile(join(dir, 'references/wrap-up.md'), await readFile(join(SKILL, FINAL), 'utf8')),
      load: [],
      profile: true,
    },
    {
      what: 'a reference file that is no template, and a non-.md file',
      edits: { 'references/notes.md': replaceWith('# Notes\n\nNothing here.\n'), 'references/worker-dispatch-template.txt': replaceWith('x') },
      load: [],
      profile: true,
    },
    {
      what: 'a second final template (by name; it is not read further)',
      edits: { 'references/zz-final.md': replaceWith('x') },
      load: [['references/zz-final.md', 1, 'error', 'a second final report template (the first is references/final-report-template.md)']],
      profile: true,
    },
    {
      what: 'a reference file opening with a --- block: its lines are prose that states facts (no front-matter there)',
      edits: { [MD]: cut(STARTUP_LINE), 'references/notes.md': replaceWith(`---\n${STARTUP_LINE}---\n\n# Notes\n`) },
      load: [],
      profile: true,
    },
    {
      what: 'a second dispatch template by heading, first in name order',
      edits: { 'references/a-task.md': replaceWith('# Worker dispatch template\n\n```text\nScope: <scope>\n```\n') },
      load: [[DISPATCH, 1, 'error', 'a second worker dispatch template (the first is references/a-task.md)']],
      lint: [
        ...[
          'leader thread id',
          'worker thread id',
          'working directory',
          'base commit',
          'not owned files',
          'acceptance criteria',
          'verification commands',
          'invariants',
          'report format',
          'roster',
        ].map((slot): Row => ['references/a-task.md', 3, 'warning', `worker dispatch template has no place for ${slot} (M3)`]),
        [
          'references/a-task.md',
          4,
          'info',
          'the worker dispatch template does not start with the header `From: <role> (thread ID: <thread-id>)`: the leader adds it above (M1)',
        ],
      ],
      profile: true,
    },
    {
      what: 'a template with no fenced block',
      edits: { [REPORT]: (s) => s.replace('```markdown\n', '').replace(/\n```\n$/, '\n') },
      load: [[REPORT, 1, 'error', 'worker report template has no fenced block (the verbatim text goes in one ``` block)']],
      profile: false,
    },
    {
      what: 'a template that is a dangling symlink (read as empty)',
      edits: { [DISPATCH]: remove },
      after: (dir) => symlink('nowhere.md', join(dir, DISPATCH)),
      load: [[DISPATCH, 1, 'error', 'worker dispatch template has no fenced block (the verbatim text goes in one ``` block)']],
      profile: false,
    },
    {
      what: 'a template with two fenced blocks (at the second)',
      edits: { [FINAL]: (s) => `${s}\nAn example:\n\n~~~\nThread team run: complete\n~~~\n` },
      load: [[FINAL, '~~~', 'error', 'final report template has 2 fenced blocks; it must have exactly one (the first is at line 7)']],
      profile: false,
    },
    {
      what: 'a template with three fenced blocks',
      edits: { [FINAL]: (s) => `${s}\n~~~\nx\n~~~\n\n\`\`\`\ny\n\`\`\`\n` },
      load: [[FINAL, '~~~', 'error', 'final report template has 3 fenced blocks; it must have exactly one (the first is at line 7)']],
      profile: false,
    },
    {
      what: 'a fenced block never closed (at its opening line)',
      edits: { [FINAL]: (s) => s.replace(/```\n$/, '') },
      load: [[FINAL, '```markdown', 'error', 'the fenced block of the final report template is never closed']],
      profile: false,
    },
  ];
  it.each(cases)('$what', checkFindings);
});

describe('lint findings: what a template must carry', () => {
  // Every slot of REQUIRED_SLOTS, taken out of its template one at a time: the warning sits
  // on the opening fence line. A labelled body goes with its label (a bare label still offers
  // the slot); a hole inside a line becomes fixed text.
  const noPlace = (file: string, fence: string, label: string, slot: string, rule: string): Row => [
    file,
    fence,
    'warning',
    `${label} has no place for ${slot} (${rule})`,
  ];
  const reg = (slot: string) => noPlace(REG, '```text', 'worker registration template', slot, 'M2');
  const dis = (slot: string) => noPlace(DISPATCH, '```text', 'worker dispatch template', slot, 'M3');
  const rep = (slot: string) => noPlace(REPORT, '```markdown', 'worker report template', slot, 'R1');
  const st = (slot: string) => noPlace(STATE, '```markdown', 'leader state template', slot, 'J4');
  const fin = (slot: string) => noPlace(FINAL, '```markdown', 'final report template', slot, 'L2');
  const cases: [what: string, edits: Edits, lint: Row[]][] = [
    [
      'registration: leader thread id (the header names the leader by a fixed id)',
      { [REG]: holeToText('<leader-thread-id>', 'ID') },
      [reg('leader thread id')],
    ],
    ['registration: role', { [REG]: holeToText('<worker-role>', 'ROLE') }, [reg('role')]],
    ['registration: worker thread id', { [REG]: holeToText('<worker-thread-id>', 'ID') }, [reg('worker thread id')]],
    ['registration: branch', { [REG]: holeToText('<branch>', 'BRANCH') }, [reg('branch')]],
    ['registration: working directory', { [REG]: holeToText('<working-directory>', 'DIR') }, [reg('working directory')]],
    ['dispatch: leader thread id', { [DISPATCH]: holeToText('<leader-thread-id>', 'ID') }, [dis('leader thread id')]],
    ['dispatch: worker thread id', { [DISPATCH]: holeToText('<worker-thread-id>', 'ID') }, [dis('worker thread id')]],
    ['dispatch: scope', { [DISPATCH]: cut('Scope:\n<scope>\n\n') }, [dis('scope')]],
    ['dispatch: working directory', { [DISPATCH]: holeToText('<working-directory>', 'DIR') }, [dis('working directory')]],
    ['dispatch: base commit', { [DISPATCH]: holeToText('<base-commit>', 'SHA') }, [dis('base commit')]],
    ['dispatch: owned files (the scope carries them)', { [DISPATCH]: cut('Files you own:\n<owned-files>\n\n') }, []],
    ['dispatch: owned files and scope', { [DISPATCH]: cut('Files you own:\n<owned-files>\n\n', 'Scope:\n<scope>\n\n') }, [dis('owned files'), dis('scope')]],
    [
      'dispatch: owned, not-owned and scope, with a responsibility map instead',
      {
        [DISPATCH]: chain(
          cut('Files you own:\n<owned-files>\n\n', 'Scope:\n<scope>\n\n'),
          swap('Files you must not touch:\n<not-owned-files>\n', 'Who owns what:\n<responsibility-map>\n'),
        ),
      },
      [dis('scope')],
    ],
    ['dispatch: not-owned files', { [DISPATCH]: cut('Files you must not touch:\n<not-owned-files>\n\n') }, [dis('not owned files')]],
    ['dispatch: acceptance criteria', { [DISPATCH]: cut('Acceptance criteria:\n<acceptance-criteria>\n\n') }, [dis('acceptance criteria')]],
    ['dispatch: verification commands', { [DISPATCH]: cut('Verification commands:\n<verification-commands>\n\n') }, [dis('verification commands')]],
    ['dispatch: invariants', { [DISPATCH]: cut('Invariants to preserve:\n<invariants>\n\n') }, [dis('invariants')]],
    ['dispatch: report format', { [DISPATCH]: holeToText('<report-format>', 'FORMAT') }, [dis('report format')]],
    ['dispatch: roster', { [DISPATCH]: cut('Roster (check every header against it):\n<roster>\n\n') }, [dis('roster')]],
    ['report: commit sha', { [REPORT]: holeToText('<commit-sha>', 'SHA') }, [rep('commit sha')]],
    ['report: summary', { [REPORT]: holeToText('<summary>', 'S') }, [rep('summary')]],
    ['report: files changed', { [REPORT]: holeToText('<files-changed>', 'F') }, [rep('files changed')]],
    ['report: verification results', { [REPORT]: holeToText('<verification-results>', 'V') }, [rep('verification results')]],
    ['state: leader thread id', { [STATE]: holeToText('<leader-thread-id>', 'ID') }, [st('leader thread id')]],
    ['state: status', { [STATE]: holeToText('<status>', 'S') }, [st('status')]],
    ['state: phase', { [STATE]: holeToText('<phase>', 'P') }, [st('phase')]],
    ['state: roster', { [STATE]: holeToText('<roster>', 'R') }, [st('roster')]],
    ['state: heartbeat', { [STATE]: holeToText('<heartbeat>', 'H') }, [st('heartbeat')]],
    ['state: merges', { [STATE]: holeToText('<merges>', 'M') }, [st('merges')]],
    ['state: decisions', { [STATE]: holeToText('<decisions>', 'D') }, [st('decisions')]],
    ['state: next action', { [STATE]: holeToText('<next-action>', 'N') }, [st('next action')]],
    ['final: outcome', { [FINAL]: holeToText('<outcome>', 'O') }, [fin('outcome')]],
    ['final: merges', { [FINAL]: cut('Merged branches, in order:\n<merged-branches>\n\n') }, [fin('merges')]],
    ['final: excluded', { [FINAL]: cut('Not integrated:\n<excluded>\n\n') }, [fin('excluded')]],
    ['final: journal path', { [FINAL]: holeToText('<journal-path>', 'J') }, [fin('journal path')]],
    [
      'final: excluded offered as a table choice',
      { [FINAL]: swap('Not integrated:\n<excluded>\n\n', '| Branch | Result |\n| --- | --- |\n| <branch> | integrated/excluded |\n\n') },
      [],
    ],
    ['final: excluded offered as an enumeration hole', { [FINAL]: swap('Not integrated:\n<excluded>\n\n', 'Branches: <integrated/excluded>\n\n') }, []],
    [
      'final: a table choice without excluded',
      { [FINAL]: swap('Not integrated:\n<excluded>\n\n', '| Branch | Result |\n| --- | --- |\n| <branch> | integrated/dropped |\n\n') },
      [fin('excluded')],
    ],
  ];
  it.each(cases)('%s', (what, edits, lint) => checkFindings({ what, edits, load: [], lint, profile: true }));
});

describe('lint findings: how a template reads back', () => {
  const cases: [what: string, edits: Edits, lint: Row[]][] = [
    [
      'a hole that fits no slot (info, at its line)',
      { [DISPATCH]: swap('<plan>\n', '<plan>\n\nAlso read <flux-capacitor> first.\n') },
      [
        [
          DISPATCH,
          '<flux-capacitor>',
          'info',
          'hole <flux-capacitor> is free text (it fits no slot): the reference leader fills it with plain text from its plan',
        ],
      ],
    ],
    ['an enumeration hole is a choice, not free text', { [DISPATCH]: swap('<plan>\n', '<plan>\n\nUrgent: <yes/no>\n') }, []],
    [
      'two holes with a space between',
      { [REPORT]: swap('Branch: <branch>\n', 'Branch: <branch> <commit-sha>\n') },
      [[REPORT, 'Branch: <branch>', 'error', 'holes <branch> and <commit-sha> are separated by spaces only, so a filled-in text cannot be read back']],
    ],
    [
      'two holes with a tab between',
      { [REPORT]: swap('Branch: <branch>\n', 'Branch: <branch>\t<commit-sha>\n') },
      [[REPORT, 'Branch: <branch>', 'error', 'holes <branch> and <commit-sha> are separated by spaces only, so a filled-in text cannot be read back']],
    ],
    [
      'three holes with spaces between: one finding per pair',
      { [REPORT]: swap('Branch: <branch>\n', 'Branch: <branch> <base-commit>  <commit-sha>\n') },
      [
        [REPORT, 'Branch: <branch>', 'error', 'holes <branch> and <base-commit> are separated by spaces only, so a filled-in text cannot be read back'],
        [REPORT, 'Branch: <branch>', 'error', 'holes <base-commit> and <commit-sha> are separated by spaces only, so a filled-in text cannot be read back'],
      ],
    ],
    [
      'two holes with nothing between',
      { [REPORT]: swap('Branch: <branch>\n', 'Branch: <branch><commit-sha>\n') },
      [[REPORT, 'Branch: <branch>', 'error', 'holes <branch> and <commit-sha> have nothing between them, so a filled-in text cannot be read back']],
    ],
    ['two holes with a word between', { [REPORT]: swap('Branch: <branch>\n', 'Branch: <branch> at <commit-sha>\n') }, []],
    [
      'a body right after another (at the second)',
      { [STATE]: swap('<merges>\n\n## Decisions\n', '<merges>\n') },
      [
        [
          STATE,
          '<decisions>',
          'error',
          'this body follows another with no label or fixed line between them, so a filled-in text cannot be split between the two',
        ],
      ],
    ],
    [
      'a list right after a body',
      { [STATE]: swap('<merges>\n\n## Decisions\n<decisions>\n', '<merges>\n- <decisions>\n') },
      [
        [
          STATE,
          '- <decisions>',
          'error',
          'this body follows another with no label or fixed line between them, so a filled-in text cannot be split between the two',
        ],
      ],
    ],
    [
      'a table right after a body (its header row is the anchor)',
      { [STATE]: swap('<merges>\n\n## Decisions\n<decisions>\n', '<merges>\n\n| Decision | Why |\n| --- | --- |\n| <decisions> | <reason> |\n') },
      [],
    ],
    [
      'a template that is one hole (at the opening fence)',
      { [FINAL]: (s) => s.replace(/```markdown\n[\s\S]*```/, '```markdown\n<outcome>\n```') },
      [
        [FINAL, '```markdown', 'error', 'the final report template has no fixed text or labels, so a filled-in text cannot be recognised'],
        [FINAL, '```markdown', 'warning', 'final report template has no place for merges (L2)'],
        [FINAL, '```markdown', 'warning', 'final report template has no place for excluded (L2)'],
        [FINAL, '```markdown', 'warning', 'final report template has no place for journal path (L2)'],
      ],
    ],
    [
      'a template of two bare holes',
      { [FINAL]: (s) => s.replace(/```markdown\n[\s\S]*```/, '```markdown\n<outcome>\n\n<merges>\n```') },
      [
        [FINAL, '```markdown', 'error', 'the final report template has no fixed text or labels, so a filled-in text cannot be recognised'],
        [FINAL, '<merges>', 'error', 'this body follows another with no label or fixed line between them, so a filled-in text cannot be split between the two'],
        [FINAL, '```markdown', 'warning', 'final report template has no place for excluded (L2)'],
        [FINAL, '```markdown', 'warning', 'final report template has no place for journal path (L2)'],
      ],
    ],
  ];
  it.each(cases)('%s', (what, edits, lint) => checkFindings({ what, edits, load: [], lint, profile: true }));
});

describe('lint findings: the header, the journal path and the tools', () => {
  const headerInfo = (file: string, label: string, header: string): Row => [
    file,
    'From: leader',
    'info',
    `the ${label} does not start with the header \`${header}\`: the leader adds it above (M1)`,
  ];
  const cases: FindingCase[] = [
    {
      what: 'registration without its header line (at the new first line)',
      edits: { [REG]: cut('From: leader (thread ID: <leader-thread-id>)\n\n') },
      load: [],
      lint: [
        [REG, '```text', 'warning', 'worker registration template has no place for leader thread id (M2)'],
        [
          REG,
          'You are a worker',
          'info',
          'the worker registration template does not start with the header `From: <role> (thread ID: <thread-id>)`: the leader adds it above (M1)',
        ],
      ],
      profile: true,
    },
    {
      what: 'dispatch without its header line',
      edits: { [DISPATCH]: cut('From: leader (thread ID: <leader-thread-id>)\n\n') },
      load: [],
      lint: [
        [DISPATCH, '```text', 'warning', 'worker dispatch template has no place for leader thread id (M3)'],
        [
          DISPATCH,
          'DISPATCH for',
          'info',
          'the worker dispatch template does not start with the header `From: <role> (thread ID: <thread-id>)`: the leader adds it above (M1)',
        ],
      ],
      profile: true,
    },
    {
      what: 'no profile (no name): the header is not checked against the templates',
      edits: { [REG]: cut('From: leader (thread ID: <leader-thread-id>)\n\n'), [MD]: cut('name: thread-team\n') },
      load: [[MD, 1, 'error', 'no front-matter `name`']],
      lint: [[REG, '```text', 'warning', 'worker registration template has no place for leader thread id (M2)']],
      profile: false,
    },
    {
      what: 'with the default header, the templates are still checked for it',
      edits: { [REG]: cut('From: leader (thread ID: <leader-thread-id>)\n\n'), [MD]: swap(HEADER_SPAN, 'the header') },
      load: [DEFAULT_WARNING.header],
      lint: [
        [REG, '```text', 'warning', 'worker registration template has no place for leader thread id (M2)'],
        [
          REG,
          'You are a worker',
          'info',
          'the worker registration template does not start with the header `From: <role> (thread ID: <thread-id>)`: the leader adds it above (M1)',
        ],
      ],
      profile: true,
    },
    {
      what: 'a header without a role hole',
      edits: { [MD]: swap(HEADER_SPAN, '`From: leader (thread ID: <thread-id>)`') },
      load: [],
      lint: [
        [MD, '`From: leader', 'error', 'header `From: leader (thread ID: <thread-id>)` has no role hole'],
        headerInfo(REG, 'worker registration template', 'From: leader (thread ID: <thread-id>)'),
        headerInfo(DISPATCH, 'worker dispatch template', 'From: leader (thread ID: <thread-id>)'),
      ],
      profile: true,
    },
    {
      what: 'a header without a thread id hole',
      edits: { [MD]: swap(HEADER_SPAN, '`From: <role> (thread ID: ID)`') },
      load: [],
      lint: [
        [MD, '`From: <role>', 'error', 'header `From: <role> (thread ID: ID)` has no thread id hole'],
        headerInfo(REG, 'worker registration template', 'From: <role> (thread ID: ID)'),
        headerInfo(DISPATCH, 'worker dispatch template', 'From: <role> (thread ID: ID)'),
      ],
      profile: true,
    },
    {
      what: 'a header with neither (a hole of another slot)',
      edits: { [MD]: swap(HEADER_SPAN, '`From: <branch>`') },
      load: [],
      lint: [
        [MD, '`From: <branch>', 'error', 'header `From: <branch>` has no role hole'],
        [MD, '`From: <branch>', 'error', 'header `From: <branch>` has no thread id hole'],
        headerInfo(REG, 'worker registration template', 'From: <branch>'),
        headerInfo(DISPATCH, 'worker dispatch template', 'From: <branch>'),
      ],
      profile: true,
    },
    {
      what: 'a header with a leader thread id hole is fine',
      edits: { [MD]: swap(HEADER_SPAN, '`From: <role> (lead: <leader-thread-id>)`') },
      load: [],
      lint: [
        headerInfo(REG, 'worker registration template', 'From: <role> (lead: <leader-thread-id>)'),
        headerInfo(DISPATCH, 'worker dispatch template', 'From: <role> (lead: <leader-thread-id>)'),
      ],
      profile: true,
    },
    {
      what: 'a journal path not keyed by the leader thread id (and the state template still says the old one)',
      edits: { [MD]: swap(JOURNAL_SPAN, '`.thread-team/<run-name>/state.md`') },
      load: [
        [
          STATE,
          JOURNAL_SPAN,
          'error',
          'journal path `.thread-team/<leader-thread-id>/state.md` contradicts `.thread-team/<run-name>/state.md` (SKILL.md line 19)',
        ],
      ],
      lint: [[MD, '<run-name>', 'warning', 'journal path `.thread-team/<run-name>/state.md` is not keyed by a leader thread id hole (J2)']],
      profile: true,
    },
    {
      what: 'a journal path keyed by a generic thread id',
      edits: { [MD]: swap(JOURNAL_SPAN, '`.thread-team/<thread-id>/state.md`'), [STATE]: swap(JOURNAL_SPAN, 'the journal') },
      load: [],
      lint: [[MD, '<thread-id>/state.md', 'warning', 'journal path `.thread-team/<thread-id>/state.md` is not keyed by a leader thread id hole (J2)']],
      profile: true,
    },
    {
      what: 'required tools without read_thread',
      edits: { [MD]: swap(', `read_thread`. If one', '. If one') },
      load: [],
      lint: [[MD, '- Required:', 'warning', 'required tools lack `read_thread` (T1)']],
      profile: true,
    },
    {
      what: 'required tools without two of the three (in T1 order)',
      edits: { [MD]: swap('`create_thread`, `send_message_to_thread`, `read_thread`. If one', '`read_thread`. If one') },
      load: [],
      lint: [[MD, '- Required:', 'warning', 'required tools lack `create_thread`, `send_message_to_thread` (T1)']],
      profile: true,
    },
    {
      what: 'required tools read from the description, lacking two (at the description line)',
      edits: {
        [MD]: chain(
          swap(
            '- Required: `create_thread`, `send_message_to_thread`, `read_thread`. If one is missing, say\n  which and stop.',
            '- If a tool is missing, say which and stop.',
          ),
          (s) => s.replace(/^description: .*\n/m, 'description: Lead a team; requires create_thread.\n'),
        ),
      },
      load: [],
      lint: [[MD, 3, 'warning', 'required tools lack `send_message_to_thread`, `read_thread` (T1)']],
      profile: true,
    },
  ];
  it.each(cases)('$what', checkFindings);
});

// =======================================================================================
// Facts. Each case reads one fact through readSkill: its value, where it was read (file,
// line, rule) or the protocol default, and the complete list of findings of the load.

type At = [file: string, line: number | string, rule: string];
interface FactCase {
  what: string;
  edits: Edits;
  value: unknown;
  /** Where it is read, or 'default'. */
  at: At | 'default';
  /** The load's findings besides the default warning of this fact (added for 'default'). */
  findings?: Row[];
}

async function checkFact(name: FactName, c: FactCase): Promise<void> {
  const dir = await copyOf(c.edits);
  const parts = await readSkill(dir);
  const fact = (parts.facts as Record<string, unknown>)[name];
  if (c.at === 'default') {
    expect(fact).toEqual({ value: c.value, file: '(protocol default)', line: 0, rule: 'default' });
    expect(fact).toEqual({ value: c.value, ...DEFAULT_SOURCE });
    expect(parts.defaulted).toContain(name);
  } else {
    const [file, line, rule] = c.at;
    const [where] = await resolve(dir, [[file, line, 'info', '']]);
    expect(fact).toEqual({ value: c.value, file, line: where!.line, rule });
    expect(parts.defaulted).not.toContain(name);
  }
  const own = (DEFAULT_WARNING as Partial<Record<FactName, Row>>)[name];
  const rows = [...(c.findings ?? []), ...(c.at === 'default' && own ? [own] : [])];
  const findings = sortFindings(parts.findings);
  expect(findings, shown(findings)).toEqual(await resolve(dir, rows));
}

const factTable = (name: FactName, cases: FactCase[]) =>
  describe(`fact ${name}`, () => {
    it.each(cases)('$what', (c) => checkFact(name, c));
  });

factTable('name', [
  { what: 'as written', edits: {}, value: 'thread-team', at: [MD, 2, 'front-matter.name'] },
  {
    what: 'quoted, with spaces around (trimmed)',
    edits: { [MD]: swap('name: thread-team\n', 'name: "  my-team  "\n') },
    value: 'my-team',
    at: [MD, 2, 'front-matter.name'],
  },
  {
    what: 'after the description (its own key line)',
    edits: { [MD]: chain(cut('name: thread-team\n'), (s) => s.replace(/^(description: .*\n)/m, '$1name: late-team\n')) },
    value: 'late-team',
    at: [MD, 3, 'front-matter.name'],
  },
]);

factTable('description', [
  {
    what: 'folded over lines',
    edits: { [MD]: (s) => s.replace(/^description: .*\n/m, 'description: >-\n  Lead a thread\n  team.\n') },
    value: 'Lead a thread team.',
    at: [MD, 3, 'front-matter.description'],
  },
]);

// Front-matter facts have no default: they are missing (an error, and no profile).
describe('front-matter facts, absent', () => {
  it.each<[string, FactName, Edit]>([
    ['no name', 'name', cut('name: thread-team\n')],
    ['a name of spaces', 'name', swap('name: thread-team\n', "name: '   '\n")],
    ['no description', 'description', (s) => s.replace(/^description: .*\n/m, '')],
    ['a description of spaces', 'description', (s) => s.replace(/^description: .*\n/m, "description: '   '\n")],
  ])('%s: missing, not defaulted', async (_what, name, edit) => {
    const dir = await copyOf({ [MD]: edit });
    const parts = await readSkill(dir);
    expect(parts.facts[name]).toBeUndefined();
    expect(parts.defaulted).toEqual([]);
    expect(parts.findings).toEqual([{ file: MD, line: 1, level: 'error', message: `no front-matter \`${name}\`` }]);
  });
});

const inTools = (block: string): Edits => ({ [MD]: swap(TOOLS_BLOCK, block) });
factTable('requiredTools', [
  { what: 'as written', edits: {}, value: ['create_thread', 'send_message_to_thread', 'read_thread'], at: [MD, '- Required:', 'tools.required-clause'] },
  {
    what: 'under a "Mandatory" sub-heading, namespaced and called',
    edits: inTools(
      '## Tools\n### Mandatory\n- `codex_app.create_thread`\n- `mcp__codex_app__send_message_to_thread`\n- `read_thread()`\n\n### Nice to have\n- `list_threads`\n',
    ),
    value: ['create_thread', 'send_message_to_thread', 'read_thread'],
    at: [MD, 'codex_app.create_thread', 'tools.required-clause'],
  },
  {
    what: '"unavailable" and "essential"',
    edits: inTools(
      '## Tools\nStop when `create_thread` is unavailable; `read_thread` and `send_message_to_thread` are essential.\nRecommended: `wait_threads`.\n',
    ),
    value: ['create_thread', 'read_thread', 'send_message_to_thread'],
    at: [MD, 'Stop when', 'tools.required-clause'],
  },
  {
    what: '"Needs" at the start of a line',
    edits: inTools('## Tools\nNeeds `create_thread`, `read_thread`, `send_message_to_thread`. Optionally `wait_threads`.\n'),
    value: ['create_thread', 'read_thread', 'send_message_to_thread'],
    at: [MD, 'Needs', 'tools.required-clause'],
  },
  {
    what: 'a wrapped list item inherits "Required"',
    edits: inTools('## Tools\n- Required: `create_thread`,\n  `send_message_to_thread`, `read_thread`.\n- Optional: `list_threads`,\n  `wait_threads`.\n'),
    value: ['create_thread', 'send_message_to_thread', 'read_thread'],
    at: [MD, '- Required:', 'tools.required-clause'],
  },
  {
    what: 'outside a tools section, by its own clause',
    edits: {
      [MD]: chain(
        swap(TOOLS_BLOCK, ''),
        swap('## Settings\n', '## Settings\n- Required: `create_thread`, `send_message_to_thread`, `read_thread`; optional: `wait_threads`.\n'),
      ),
    },
    value: ['create_thread', 'send_message_to_thread', 'read_thread'],
    at: [MD, '- Required:', 'tools.required-clause'],
  },
  {
    what: 'from the description\'s "requires …" (up to its first period, in its order)',
    edits: {
      [MD]: chain(swap(TOOLS_BLOCK, '## Tools\n- `list_threads` if available.\n'), (s) =>
        s.replace(/^description: .*\n/m, 'description: Lead a team. Requires read_thread, create_thread and send_message_to_thread. Also set_thread_title.\n'),
      ),
    },
    value: ['read_thread', 'create_thread', 'send_message_to_thread'],
    at: [MD, 3, 'tools.description'],
  },
  {
    what: 'an unknown tool is left out',
    edits: inTools('## Tools\n- Required: `create_thread`, `send_message_to_thread`, `read_thread`, `spawn_agent`.\n- Optional: `wait_threads`.\n'),
    value: ['create_thread', 'send_message_to_thread', 'read_thread'],
    at: [MD, '- Required:', 'tools.required-clause'],
  },
  {
    what: 'said again as required: no finding',
    edits: inTools(`${TOOLS_BLOCK}- Required again: \`read_thread\`.\n`),
    value: ['create_thread', 'send_message_to_thread', 'read_thread'],
    at: [MD, '- Required:', 'tools.required-clause'],
  },
  {
    what: 'called optional later (same file)',
    edits: inTools(`${TOOLS_BLOCK}- Optional: \`read_thread\`.\n`),
    value: ['create_thread', 'send_message_to_thread', 'read_thread'],
    at: [MD, '- Required:', 'tools.required-clause'],
    findings: [[MD, '- Optional: `read_thread`', 'error', 'tool `read_thread` is called optional here but required at line 25']],
  },
  {
    what: 'called optional in a reference file',
    edits: { 'references/notes.md': replaceWith('# Notes\n\nThe `create_thread` tool is optional here.\n') },
    value: ['create_thread', 'send_message_to_thread', 'read_thread'],
    at: [MD, '- Required:', 'tools.required-clause'],
    findings: [['references/notes.md', 3, 'error', 'tool `create_thread` is called optional here but required at SKILL.md line 25']],
  },
  {
    what: 'absent (a tools section without tool names)',
    edits: inTools('## Tools\nSee the contract.\n'),
    value: ['create_thread', 'send_message_to_thread', 'read_thread'],
    at: 'default',
    findings: [DEFAULT_WARNING.optionalTools],
  },
]);

factTable('optionalTools', [
  {
    what: 'as written',
    edits: {},
    value: ['list_threads', 'wait_threads', 'set_thread_archived', 'automation_update'],
    at: [MD, '- Optional,', 'tools.optional-clause'],
  },
  {
    what: 'under a "Nice to have" sub-heading',
    edits: inTools(
      '## Tools\n### Required\n- `create_thread`\n- `send_message_to_thread`\n- `read_thread`\n\n### Nice to have\n- `list_threads`\n- `wait_threads`\n',
    ),
    value: ['list_threads', 'wait_threads'],
    at: [MD, '- `list_threads`', 'tools.optional-clause'],
  },
  {
    what: '"Recommended"',
    edits: inTools(
      '## Tools\nStop when `create_thread` is unavailable; `read_thread` and `send_message_to_thread` are essential.\nRecommended: `wait_threads`.\n',
    ),
    value: ['wait_threads'],
    at: [MD, 'Recommended', 'tools.optional-clause'],
  },
  {
    what: '"Optionally" in a later clause of the required line',
    edits: inTools('## Tools\nNeeds `create_thread`, `read_thread`, `send_message_to_thread`. Optionally `wait_threads`.\n'),
    value: ['wait_threads'],
    at: [MD, 'Needs', 'tools.optional-clause'],
  },
  {
    what: '"if available" (the required ones from the description)',
    edits: {
      [MD]: chain(swap(TOOLS_BLOCK, '## Tools\n- `list_threads` if available.\n'), (s) =>
        s.replace(/^description: .*\n/m, 'description: Lead a team. Requires read_thread, create_thread and send_message_to_thread.\n'),
      ),
    },
    value: ['list_threads'],
    at: [MD, '- `list_threads` if', 'tools.optional-clause'],
  },
  {
    what: 'optional before required on one line: the first word decides the clause',
    edits: inTools('## Tools\n- Optional, not required: `wait_threads`.\n- Required: `create_thread`, `send_message_to_thread`, `read_thread`.\n'),
    value: ['wait_threads'],
    at: [MD, '- Optional, not', 'tools.optional-clause'],
  },
  {
    what: 'listed in a tools section that says neither (the required ones said elsewhere; repeats and required ones dropped)',
    edits: {
      [MD]: chain(
        swap(TOOLS_BLOCK, '## Tools\n- `read_thread`\n- `list_threads`\n- `wait_threads`\n- `list_threads`\n'),
        swap('## Settings\n', '## Settings\n- Required: `create_thread`, `send_message_to_thread`, `read_thread`.\n'),
      ),
    },
    value: ['list_threads', 'wait_threads'],
    at: [MD, '- `list_threads`', 'tools.section-listed'],
  },
  {
    what: 'absent: "Required (optional ones below)" is required',
    edits: inTools('## Tools\n- Required (optional ones below): `create_thread`, `send_message_to_thread`, `read_thread`.\n'),
    value: ['list_threads', 'wait_threads', 'set_thread_archived', 'set_thread_title', 'automation_update'],
    at: 'default',
  },
]);

const modelLine = (line: string): Edits => ({ [MD]: swap(MODEL_LINE, `${line}\n`) });
factTable('defaultModel', [
  { what: 'as written', edits: {}, value: 'gpt-5.4', at: [MD, MODEL_LINE, 'model.default-line'] },
  {
    what: 'an o-series id, "defaults"',
    edits: modelLine('- Workers default to `o3`; thinking defaults to `xhigh`.'),
    value: 'o3',
    at: [MD, '`o3`', 'model.default-line'],
  },
  {
    what: 'a codex- id, "DEFAULT"',
    edits: modelLine('- DEFAULT model: `codex-mini-latest` with thinking: medium.'),
    value: 'codex-mini-latest',
    at: [MD, '`codex-mini', 'model.default-line'],
  },
  {
    what: 'upper case, kept as written',
    edits: modelLine('- The default is `GPT-5`, thinking `Low`.'),
    value: 'GPT-5',
    at: [MD, '`GPT-5`', 'model.default-line'],
  },
  { what: 'boundary: `gpt-` alone is no model id', edits: modelLine('- The default is `gpt-`, thinking `high`.'), value: 'gpt-5.4', at: 'default' },
  {
    what: 'not on a line saying default',
    edits: modelLine('- Workers run `gpt-5.4` with thinking `high`.'),
    value: 'gpt-5.4',
    at: 'default',
    findings: [DEFAULT_WARNING.defaultThinking],
  },
  { what: 'not in backticks', edits: modelLine('- Default worker model gpt-5.4, default thinking `high`.'), value: 'gpt-5.4', at: 'default' },
  {
    what: 'a second default (same file)',
    edits: addLine('Replacements default to `gpt-4.1`.'),
    value: 'gpt-5.4',
    at: [MD, MODEL_LINE, 'model.default-line'],
    findings: [[MD, 'Replacements', 'error', 'default worker model `gpt-4.1` contradicts `gpt-5.4` (line 14)']],
  },
  {
    what: 'a second default in a reference file',
    edits: { 'references/notes.md': replaceWith('# Notes\n\nWorkers default to `gpt-4.1`.\n') },
    value: 'gpt-5.4',
    at: [MD, MODEL_LINE, 'model.default-line'],
    findings: [['references/notes.md', 3, 'error', 'default worker model `gpt-4.1` contradicts `gpt-5.4` (SKILL.md line 14)']],
  },
  { what: 'absent', edits: modelLine('- Default thinking `high`.'), value: 'gpt-5.4', at: 'default' },
]);

factTable('defaultThinking', [
  { what: 'as written', edits: {}, value: 'high', at: [MD, MODEL_LINE, 'thinking.default-line'] },
  ...(['low', 'medium', 'xhigh', 'max', 'ultra'] as const).map(
    (t): FactCase => ({
      what: `\`${t}\``,
      edits: modelLine(`- Default worker model \`gpt-5.4\`, default thinking \`${t}\`.`),
      value: t,
      at: [MD, '- Default worker', 'thinking.default-line'],
    }),
  ),
  {
    what: 'backticked in capitals (lower-cased)',
    edits: modelLine('- The default is `GPT-5`, thinking `Low`.'),
    value: 'low',
    at: [MD, '`GPT-5`', 'thinking.default-line'],
  },
  {
    what: 'in prose after "thinking ="',
    edits: modelLine('- Default worker model `gpt-5.4`, thinking = ultra.'),
    value: 'ultra',
    at: [MD, '- Default worker', 'thinking.default-line'],
  },
  {
    what: 'boundary: three marks between "thinking" and the level',
    edits: modelLine('- Default worker model `gpt-5.4`, thinking: "max".'),
    value: 'max',
    at: [MD, '- Default worker', 'thinking.default-line'],
  },
  { what: 'boundary: four spaces between (not read)', edits: modelLine('- Default worker model `gpt-5.4`, thinking    max.'), value: 'high', at: 'default' },
  { what: 'a level that is not one', edits: modelLine('- Default worker model `gpt-5.4`, thinking `extreme`.'), value: 'high', at: 'default' },
  {
    what: 'a second default',
    edits: addLine('Reviewers run with thinking `low` by default.'),
    value: 'high',
    at: [MD, MODEL_LINE, 'thinking.default-line'],
    findings: [[MD, 'Reviewers', 'error', 'default thinking `low` contradicts `high` (line 14)']],
  },
  { what: 'absent', edits: modelLine('- Default worker model `gpt-5.4`.'), value: 'high', at: 'default' },
]);

const beatLine = (line: string): Edits => ({ [MD]: swap(BEAT_LINE, line === '' ? '' : `${line}\n`) });
factTable('heartbeat', [
  { what: 'as written (the rrule)', edits: {}, value: { minutes: 2, rrule: 'FREQ=MINUTELY;INTERVAL=2' }, at: [MD, BEAT_LINE, 'heartbeat.rrule'] },
  {
    what: 'prose "five-minute heartbeat"',
    edits: beatLine('- Keep a five-minute heartbeat.'),
    value: { minutes: 5, rrule: 'FREQ=MINUTELY;INTERVAL=5' },
    at: [MD, 'five-minute', 'heartbeat.prose'],
  },
  {
    what: 'prose "every 7 minutes"',
    edits: beatLine('- The heartbeat fires every 7 minutes.'),
    value: { minutes: 7, rrule: 'FREQ=MINUTELY;INTERVAL=7' },
    at: [MD, 'every 7', 'heartbeat.prose'],
  },
  {
    what: 'boundary: "every one minute"',
    edits: beatLine('- The heartbeat fires every one minute.'),
    value: { minutes: 1, rrule: 'FREQ=MINUTELY;INTERVAL=1' },
    at: [MD, 'every one', 'heartbeat.prose'],
  },
  {
    what: 'an HOURLY rrule (in minutes)',
    edits: beatLine('- Heartbeat rrule `FREQ=HOURLY;INTERVAL=2`.'),
    value: { minutes: 120, rrule: 'FREQ=HOURLY;INTERVAL=2' },
    at: [MD, 'HOURLY', 'heartbeat.rrule'],
  },
  {
    what: 'HOURLY without INTERVAL',
    edits: beatLine('- Heartbeat rrule `FREQ=HOURLY`.'),
    value: { minutes: 60, rrule: 'FREQ=HOURLY' },
    at: [MD, 'HOURLY', 'heartbeat.rrule'],
  },
  {
    what: 'MINUTELY without INTERVAL',
    edits: beatLine('- Heartbeat rrule `FREQ=MINUTELY`.'),
    value: { minutes: 1, rrule: 'FREQ=MINUTELY' },
    at: [MD, 'MINUTELY', 'heartbeat.rrule'],
  },
  {
    what: 'an rrule with a part before FREQ',
    edits: beatLine('- Heartbeat rrule `BYDAY=MO,TU;FREQ=MINUTELY;INTERVAL=4`.'),
    value: { minutes: 4, rrule: 'BYDAY=MO,TU;FREQ=MINUTELY;INTERVAL=4' },
    at: [MD, 'BYDAY', 'heartbeat.rrule'],
  },
  {
    what: 'an rrule needs no heartbeat word',
    edits: beatLine('- Wake on `FREQ=MINUTELY;INTERVAL=3`.'),
    value: { minutes: 3, rrule: 'FREQ=MINUTELY;INTERVAL=3' },
    at: [MD, 'Wake on', 'heartbeat.rrule'],
  },
  {
    what: "an rrule in SKILL.md's fenced block counts",
    edits: beatLine('```\nFREQ=MINUTELY;INTERVAL=9\n```'),
    value: { minutes: 9, rrule: 'FREQ=MINUTELY;INTERVAL=9' },
    at: [MD, 'FREQ=MINUTELY;INTERVAL=9', 'heartbeat.rrule'],
  },
  {
    what: "an rrule in a reference file's prose counts",
    edits: { ...beatLine(''), [STATE]: swap('- Merges:', '- Heartbeat: `FREQ=MINUTELY;INTERVAL=9`.\n- Merges:') },
    value: { minutes: 9, rrule: 'FREQ=MINUTELY;INTERVAL=9' },
    at: [STATE, 'INTERVAL=9', 'heartbeat.rrule'],
  },
  {
    what: "an rrule in a reference file's template does not",
    edits: { ...beatLine(''), [STATE]: swap('<heartbeat>\n', '<heartbeat> FREQ=MINUTELY;INTERVAL=9\n') },
    value: { minutes: 2, rrule: 'FREQ=MINUTELY;INTERVAL=2' },
    at: 'default',
  },
  {
    what: 'a DAILY rrule is no interval',
    edits: beatLine('- Heartbeat rrule `FREQ=DAILY;INTERVAL=1`.'),
    value: { minutes: 2, rrule: 'FREQ=MINUTELY;INTERVAL=2' },
    at: 'default',
  },
  {
    what: 'prose without the word heartbeat',
    edits: beatLine('- Wake every 3 minutes.'),
    value: { minutes: 2, rrule: 'FREQ=MINUTELY;INTERVAL=2' },
    at: 'default',
  },
  {
    what: 'prose that disagrees with the rrule on its own line (rrules come first)',
    edits: beatLine('- Heartbeat: every 3 minutes, rrule `FREQ=MINUTELY;INTERVAL=2`.'),
    value: { minutes: 2, rrule: 'FREQ=MINUTELY;INTERVAL=2' },
    at: [MD, '- Heartbeat:', 'heartbeat.rrule'],
    findings: [[MD, '- Heartbeat:', 'error', 'heartbeat interval every 3 min contradicts every 2 min (FREQ=MINUTELY;INTERVAL=2) (line 15)']],
  },
  {
    what: 'a second rrule',
    edits: addLine('For long builds use `FREQ=MINUTELY;INTERVAL=5` instead.'),
    value: { minutes: 2, rrule: 'FREQ=MINUTELY;INTERVAL=2' },
    at: [MD, BEAT_LINE, 'heartbeat.rrule'],
    findings: [
      [
        MD,
        'For long builds',
        'error',
        'heartbeat interval every 5 min (FREQ=MINUTELY;INTERVAL=5) contradicts every 2 min (FREQ=MINUTELY;INTERVAL=2) (line 15)',
      ],
    ],
  },
  {
    what: 'an HOURLY rrule in a reference file',
    edits: { [STATE]: swap('- Merges:', '- Heartbeat: `FREQ=HOURLY;INTERVAL=1`.\n- Merges:') },
    value: { minutes: 2, rrule: 'FREQ=MINUTELY;INTERVAL=2' },
    at: [MD, BEAT_LINE, 'heartbeat.rrule'],
    findings: [
      [
        STATE,
        'HOURLY',
        'error',
        'heartbeat interval every 60 min (FREQ=HOURLY;INTERVAL=1) contradicts every 2 min (FREQ=MINUTELY;INTERVAL=2) (SKILL.md line 15)',
      ],
    ],
  },
  { what: 'absent', edits: beatLine(''), value: { minutes: 2, rrule: 'FREQ=MINUTELY;INTERVAL=2' }, at: 'default' },
]);

const stallLine = (line: string): Edits => ({ [MD]: swap(STALL_LINE, line === '' ? '' : `${line}\n`) });
factTable('stallPasses', [
  { what: 'as written', edits: {}, value: 3, at: [MD, STALL_LINE, 'stall.passes'] },
  {
    what: 'a number word, no adjective',
    edits: stallLine('- A worker is stalled after three heartbeat passes without news.'),
    value: 3,
    at: [MD, 'three', 'stall.passes'],
  },
  {
    what: '"twelve quiet heartbeat passes"',
    edits: stallLine('- Give up after twelve quiet heartbeat passes.'),
    value: 12,
    at: [MD, 'twelve', 'stall.passes'],
  },
  { what: 'boundary: two words between', edits: stallLine('- After 4 fully silent heartbeat passes, act.'), value: 4, at: [MD, 'fully', 'stall.passes'] },
  { what: 'boundary: three words between (not read)', edits: stallLine('- After 4 very fully silent heartbeat passes, act.'), value: 3, at: 'default' },
  { what: '"passes" alone on a line about stalls', edits: stallLine('- A worker stalls after 4 passes.'), value: 4, at: [MD, 'stalls after', 'stall.passes'] },
  { what: '"passes" alone on a line saying quiet', edits: stallLine('- Quiet for 4 missed passes: act.'), value: 4, at: [MD, 'Quiet for', 'stall.passes'] },
  { what: '"passes" alone elsewhere (not read)', edits: stallLine('- A worker acts after 4 passes.'), value: 3, at: 'default' },
  { what: 'boundary: one pass', edits: stallLine('- Stall threshold: 1 silent heartbeat passes.'), value: 1, at: [MD, 'Stall threshold', 'stall.passes'] },
  {
    what: 'a second count',
    edits: stallLine(`${STALL_LINE}- Or five silent heartbeat passes.`),
    value: 3,
    at: [MD, STALL_LINE, 'stall.passes'],
    findings: [[MD, 'Or five', 'error', 'stall threshold 5 passes contradicts 3 passes (line 16)']],
  },
  { what: 'absent', edits: stallLine(''), value: 3, at: 'default' },
]);

const startupLine = (line: string): Edits => ({ [MD]: swap(STARTUP_LINE, line === '' ? '' : `${line}\n`) });
factTable('startupWindowMinutes', [
  { what: 'as written', edits: {}, value: 10, at: [MD, STARTUP_LINE, 'startup.window'] },
  {
    what: '"start-up", "fifteen mins"',
    edits: startupLine('- Start-up window: fifteen mins for a first response.'),
    value: 15,
    at: [MD, 'Start-up', 'startup.window'],
  },
  { what: '"10min"', edits: startupLine('- Startup gate: 10min.'), value: 10, at: [MD, 'Startup gate', 'startup.window'] },
  { what: '"20-minute"', edits: startupLine('- A 20-minute startup window.'), value: 20, at: [MD, '20-minute', 'startup.window'] },
  { what: 'boundary: "1 minute"', edits: startupLine('- Startup: 1 minute.'), value: 1, at: [MD, 'Startup: 1', 'startup.window'] },
  { what: '"minutesish" is no unit', edits: startupLine('- Startup: 10 minutesish.'), value: 10, at: 'default' },
  { what: 'no startup word', edits: startupLine('- First response window: 10 minutes.'), value: 10, at: 'default' },
  {
    what: 'a second window',
    edits: startupLine(`${STARTUP_LINE}- Startup may take 12 minutes.`),
    value: 10,
    at: [MD, STARTUP_LINE, 'startup.window'],
    findings: [[MD, 'Startup may', 'error', 'startup window 12 min contradicts 10 min (line 17)']],
  },
  { what: 'absent', edits: startupLine(''), value: 10, at: 'default' },
]);

const headings = (f: (name: string, i: number) => string): Edits => ({
  [MD]: chain(...PHASE_HEADINGS.map((h, i) => swap(`${h}\n`, `${f(h.slice(7), i)}\n`))),
});
factTable('phases', [
  { what: 'as written (numbered headings)', edits: {}, value: PHASES, at: [MD, PHASE_HEADINGS[0]!, 'phases.numbered-headings'] },
  { what: '"Phase N: Name"', edits: headings((n, i) => `### Phase ${i + 1}: ${n}`), value: PHASES, at: [MD, '### Phase 1:', 'phases.numbered-headings'] },
  { what: '"N) Name"', edits: headings((n, i) => `### ${i + 1}) ${n}`), value: PHASES, at: [MD, '### 1)', 'phases.numbered-headings'] },
  {
    what: '"N — Name (…)"',
    edits: headings((n, i) => `### ${i + 1} — ${n} (exit on confirmation)`),
    value: PHASES,
    at: [MD, '### 1 —', 'phases.numbered-headings'],
  },
  { what: 'a bold name', edits: headings((n, i) => `### ${i + 1}. **${n}**: details`), value: PHASES, at: [MD, '### 1. **', 'phases.numbered-headings'] },
  {
    what: 'an ordered list before the headings',
    edits: {
      [MD]: swap(
        'Run exactly these six, in order; each ends on its exit condition.\n',
        'Run exactly these six, in order:\n1. **Plan** — split.\n2. Start: workers.\n3. Dispatch - tasks.\n4. Poll (and decide).\n5. Merge. Serially.\n6. Close\n\nDetails:\n',
      ),
    },
    value: ['Plan', 'Start', 'Dispatch', 'Poll', 'Merge', 'Close'],
    at: [MD, '1. **Plan**', 'phases.ordered-list'],
  },
  {
    what: 'five phases',
    edits: { [MD]: cut(`${PHASE_HEADINGS[5]}\n`) },
    value: PHASES.slice(0, 5),
    at: [MD, PHASE_HEADINGS[0]!, 'phases.numbered-headings'],
    findings: [[MD, PHASE_HEADINGS[0]!, 'error', `expected six phases, found 5: ${PHASES.slice(0, 5).join(', ')}`]],
  },
  {
    what: 'seven phases',
    edits: { [MD]: swap(STEPS_HEADING, `### 7. Retrospective\n- talk.\n\n${STEPS_HEADING}`) },
    value: [...PHASES, 'Retrospective'],
    at: [MD, PHASE_HEADINGS[0]!, 'phases.numbered-headings'],
    findings: [[MD, PHASE_HEADINGS[0]!, 'error', `expected six phases, found 7: ${[...PHASES, 'Retrospective'].join(', ')}`]],
  },
  {
    what: 'a numbered heading one level down is not a phase',
    edits: headings((n, i) => `${i === 2 ? '####' : '###'} ${i + 1}. ${n}`),
    value: PHASES.filter((_, i) => i !== 2),
    at: [MD, PHASE_HEADINGS[0]!, 'phases.numbered-headings'],
    findings: [[MD, PHASE_HEADINGS[0]!, 'error', `expected six phases, found 5: ${PHASES.filter((_, i) => i !== 2).join(', ')}`]],
  },
  { what: 'absent (headings without numbers, no ordered list)', edits: headings((n) => `### ${n}`), value: PHASES, at: 'default' },
]);

const STEPS = ['Execute', 'Self-review and verify', 'Commit and report'];
factTable('workerSteps', [
  { what: 'as written', edits: {}, value: STEPS, at: [MD, '1. **Execute**', 'worker-steps.list'] },
  {
    what: 'bullets under "The worker workflow"',
    edits: {
      [MD]: chain(
        swap(STEPS_HEADING, '## The worker workflow\n'),
        swap(STEPS_LIST, '- Build it - in the worktree.\n- Check it (tests too).\n- Ship it: commit and report.\n'),
      ),
    },
    value: ['Build it', 'Check it', 'Ship it'],
    at: [MD, '- Build it', 'worker-steps.list'],
  },
  ...['arc', 'loop', 'procedure'].map(
    (w): FactCase => ({
      what: `"Worker ${w}"`,
      edits: { [MD]: swap(STEPS_HEADING, `## Worker ${w}\n`) },
      value: STEPS,
      at: [MD, '1. **Execute**', 'worker-steps.list'],
    }),
  ),
  { what: '"Worker arcs" is not "arc"', edits: { [MD]: swap(STEPS_HEADING, '## Worker arcs\n') }, value: STEPS, at: 'default' },
  {
    what: 'an update_plan line (spans with a space; holes left out)',
    edits: {
      [MD]: chain(
        swap(STEPS_HEADING, '## Worker rules\n'),
        swap(STEPS_LIST, 'Each worker tracks its work with `update_plan` using `Do it`, `<hole> x`, `Check it`.\n'),
      ),
    },
    value: ['Do it', 'Check it'],
    at: [MD, 'Each worker tracks', 'worker-steps.update-plan'],
  },
  {
    what: 'an update_plan line with a step of one word (`Execute`)',
    edits: {
      [MD]: chain(
        swap(STEPS_HEADING, '## Worker rules\n'),
        swap(STEPS_LIST, 'Each worker tracks its work with `update_plan` using `Execute`, `Self-review and verify`, `Commit and report`.\n'),
      ),
    },
    value: STEPS,
    at: [MD, 'Each worker tracks', 'worker-steps.update-plan'],
  },
  {
    what: 'an update_plan line in a reference file',
    edits: {
      [MD]: swap(STEPS_HEADING, '## Worker rules\n'),
      [REPORT]: swap('as the report format;', 'as the report format (the worker tracks `update_plan` with `Do it`, `Ship it`);'),
    },
    value: ['Do it', 'Ship it'],
    at: [REPORT, 'update_plan', 'worker-steps.update-plan'],
  },
  {
    what: 'an update_plan line that disagrees with the list',
    edits: { [MD]: swap(STEPS_LIST, `${STEPS_LIST}\nEach worker keeps \`update_plan\` with \`Do it\`, \`Ship it\`.\n`) },
    value: STEPS,
    at: [MD, '1. **Execute**', 'worker-steps.list'],
    findings: [[MD, 'Each worker keeps', 'error', 'worker steps Do it / Ship it contradicts Execute / Self-review and verify / Commit and report (line 139)']],
  },
  {
    what: 'an update_plan line naming the same steps as the list: no finding',
    edits: {
      [MD]: swap(STEPS_LIST, `${STEPS_LIST}\nEach worker keeps \`update_plan\` with \`Execute\`, \`Self-review and verify\`, \`Commit and report\`.\n`),
    },
    value: STEPS,
    at: [MD, '1. **Execute**', 'worker-steps.list'],
  },
  {
    what: 'one in a reference file that disagrees',
    edits: { [REPORT]: swap('as the report format;', 'as the report format (the worker tracks `update_plan` with `Do it`, `Ship it`);') },
    value: STEPS,
    at: [MD, '1. **Execute**', 'worker-steps.list'],
    findings: [
      [REPORT, 'update_plan', 'error', 'worker steps Do it / Ship it contradicts Execute / Self-review and verify / Commit and report (SKILL.md line 139)'],
    ],
  },
  { what: 'absent', edits: { [MD]: swap(STEPS_HEADING, '## Worker rules\n') }, value: STEPS, at: 'default' },
]);

const headerSpan = (to: string): Edits => ({ [MD]: swap(HEADER_SPAN, to) });
factTable('header', [
  { what: 'as written', edits: {}, value: 'From: <role> (thread ID: <thread-id>)', at: [MD, HEADER_SPAN, 'header.from-span'] },
  {
    what: 'other hole names and brackets',
    edits: headerSpan('`From: <sender-role> [<sender-id>]`'),
    value: 'From: <sender-role> [<sender-id>]',
    at: [MD, '`From: <sender-role>', 'header.from-span'],
  },
  {
    what: 'a worker thread id hole',
    edits: headerSpan('`From: <member-role> / <worker-thread-id>`'),
    value: 'From: <member-role> / <worker-thread-id>',
    at: [MD, '`From: <member-role>', 'header.from-span'],
  },
  {
    what: 'a space inside the backticks',
    edits: headerSpan('` From: <role> (thread ID: <thread-id>)`'),
    value: 'From: <role> (thread ID: <thread-id>)',
    at: [MD, '` From:', 'header.from-span'],
  },
  {
    what: 'the same shape again with other hole names: no finding',
    edits: addLine('Example: `From: <member-role> (thread ID: <sender-id>)`.'),
    value: 'From: <role> (thread ID: <thread-id>)',
    at: [MD, HEADER_SPAN, 'header.from-span'],
  },
  {
    what: 'a partial one later is ignored',
    edits: addLine('Example: `From: <role>`.'),
    value: 'From: <role> (thread ID: <thread-id>)',
    at: [MD, HEADER_SPAN, 'header.from-span'],
  },
  {
    what: 'only partial ones: the first',
    edits: headerSpan('`From: <role>`, or `From: <thread-id>`'),
    value: 'From: <role>',
    at: [MD, '`From: <role>`', 'header.from-span'],
  },
  {
    what: 'a second shape',
    edits: addLine('Example: `From: <role> [<thread-id>]`.'),
    value: 'From: <role> (thread ID: <thread-id>)',
    at: [MD, HEADER_SPAN, 'header.from-span'],
    findings: [[MD, 'Example:', 'error', 'message header `From: <role> [<thread-id>]` contradicts `From: <role> (thread ID: <thread-id>)` (line 21)']],
  },
  { what: 'boundary: no hole is no header', edits: headerSpan('`From: leader`'), value: 'From: <role> (thread ID: <thread-id>)', at: 'default' },
  {
    what: 'boundary: "from:" in lower case',
    edits: headerSpan('`from: <role> (thread ID: <thread-id>)`'),
    value: 'From: <role> (thread ID: <thread-id>)',
    at: 'default',
  },
  { what: 'absent', edits: headerSpan('the header'), value: 'From: <role> (thread ID: <thread-id>)', at: 'default' },
]);

/** The journal path in SKILL.md replaced; the state template's mention of it taken out. */
const journal = (to: string): Edits => ({ [MD]: swap(JOURNAL_SPAN, to), [STATE]: swap(JOURNAL_SPAN, 'the journal path') });
factTable('journalPath', [
  { what: 'as written', edits: {}, value: '.thread-team/<leader-thread-id>/state.md', at: [MD, JOURNAL_SPAN, 'journal.path-span'] },
  {
    what: 'a journal.md under runs/',
    edits: journal('`.thread-team/runs/<coordinator-thread-id>/journal.md`'),
    value: '.thread-team/runs/<coordinator-thread-id>/journal.md',
    at: [MD, '`.thread-team/runs/', 'journal.path-span'],
  },
  {
    what: 'any name under .thread-team/',
    edits: journal('`.thread-team/<leader-thread-id>/log.md`'),
    value: '.thread-team/<leader-thread-id>/log.md',
    at: [MD, '/log.md', 'journal.path-span'],
  },
  {
    what: 'a state file elsewhere',
    edits: journal('`runs/<leader-thread-id>-state.md`'),
    value: 'runs/<leader-thread-id>-state.md',
    at: [MD, '`runs/', 'journal.path-span'],
  },
  {
    what: 'the same shape with another hole name: no finding',
    edits: { [STATE]: swap(JOURNAL_SPAN, '`.thread-team/<lead-id>/state.md`') },
    value: '.thread-team/<leader-thread-id>/state.md',
    at: [MD, JOURNAL_SPAN, 'journal.path-span'],
  },
  {
    what: 'another name elsewhere (not read)',
    edits: journal('`runs/<leader-thread-id>/log.md`'),
    value: '.thread-team/<leader-thread-id>/state.md',
    at: 'default',
  },
  {
    what: 'a template name (not read)',
    edits: journal('`.thread-team/<leader-thread-id>/state-template.md`'),
    value: '.thread-team/<leader-thread-id>/state.md',
    at: 'default',
  },
  {
    what: 'under references/ (not read)',
    edits: journal('`references/<leader-thread-id>/state.md`'),
    value: '.thread-team/<leader-thread-id>/state.md',
    at: 'default',
  },
  {
    what: 'not .md (not read)',
    edits: journal('`.thread-team/<leader-thread-id>/state.txt`'),
    value: '.thread-team/<leader-thread-id>/state.md',
    at: 'default',
  },
  {
    what: 'a second path',
    edits: addLine('Older runs used `.thread-team/<leader-thread-id>/journal.md`.'),
    value: '.thread-team/<leader-thread-id>/state.md',
    at: [MD, JOURNAL_SPAN, 'journal.path-span'],
    findings: [
      [MD, 'Older runs', 'error', 'journal path `.thread-team/<leader-thread-id>/journal.md` contradicts `.thread-team/<leader-thread-id>/state.md` (line 19)'],
    ],
  },
  {
    what: 'a directory not keyed by the leader thread id (not read)',
    edits: journal('`.thread-team/<run-name>/log.md`'),
    value: '.thread-team/<leader-thread-id>/state.md',
    at: 'default',
  },
  {
    what: 'a per-role notes path under .thread-team/ is no second journal path',
    edits: { [MD]: swap(NOTES_SPAN, '`.thread-team/<role>-notes.md`') },
    value: '.thread-team/<leader-thread-id>/state.md',
    at: [MD, JOURNAL_SPAN, 'journal.path-span'],
    findings: [DEFAULT_WARNING.workerNotesPath],
  },
  { what: 'absent', edits: journal('the journal file'), value: '.thread-team/<leader-thread-id>/state.md', at: 'default' },
]);

factTable('workerNotesPath', [
  { what: 'as written', edits: {}, value: '.thread-team/notes.md', at: [MD, NOTES_SPAN, 'worker-files.notes-span'] },
  {
    what: 'another directory and name',
    edits: { [MD]: swap(NOTES_SPAN, '`docs/progress-notes.md`') },
    value: 'docs/progress-notes.md',
    at: [MD, '`docs/', 'worker-files.notes-span'],
  },
  { what: 'capitals', edits: { [MD]: swap(NOTES_SPAN, '`NOTES.md`') }, value: 'NOTES.md', at: [MD, '`NOTES.md`', 'worker-files.notes-span'] },
  {
    what: 'boundary: a path with a hole (not read)',
    edits: { [MD]: swap(NOTES_SPAN, '`notes/<role>-notes.md`') },
    value: '.thread-team/notes.md',
    at: 'default',
  },
  {
    what: 'a second path',
    edits: addLine('Older: `.thread-team/old-notes.md`.'),
    value: '.thread-team/notes.md',
    at: [MD, NOTES_SPAN, 'worker-files.notes-span'],
    findings: [[MD, 'Older:', 'error', 'worker notes path `.thread-team/old-notes.md` contradicts `.thread-team/notes.md` (line 20)']],
  },
  { what: 'absent', edits: { [MD]: swap(NOTES_SPAN, 'a notes file') }, value: '.thread-team/notes.md', at: 'default' },
]);

/** The report path in the settings replaced; its two other mentions taken out. */
const reportPath = (to: string): Edits => ({
  [MD]: chain(swap('read its `.thread-team/report.md`', 'read its report'), swap(REPORT_SPAN, to)),
  [REPORT]: swap('written to `.thread-team/report.md`', 'written to the report file'),
});
factTable('workerReportPath', [
  { what: 'as written', edits: {}, value: '.thread-team/report.md', at: [MD, REPORT_SPAN, 'worker-files.report-span'] },
  {
    what: 'another directory and name',
    edits: reportPath('`out/worker-report.md`'),
    value: 'out/worker-report.md',
    at: [MD, '`out/', 'worker-files.report-span'],
  },
  { what: 'a template name (not read)', edits: reportPath('`my-report-template.md`'), value: '.thread-team/report.md', at: 'default' },
  {
    what: 'a later mention that differs (in case)',
    edits: { [MD]: swap('read its `.thread-team/report.md`', 'read its `.thread-team/REPORT.md`') },
    value: '.thread-team/report.md',
    at: [MD, REPORT_SPAN, 'worker-files.report-span'],
    findings: [[MD, 'REPORT.md', 'error', 'worker report path `.thread-team/REPORT.md` contradicts `.thread-team/report.md` (line 20)']],
  },
  { what: 'absent', edits: reportPath('a report file'), value: '.thread-team/report.md', at: 'default' },
]);

/** The signals line replaced; the two later mentions of the signals taken out. */
const signals = (line: string): Edits => ({
  [MD]: chain(
    swap(SIGNALS_LINE, `${line}\n`),
    swap('- `BLOCKED`: unblock', '- Blocked: unblock'),
    swap('has sent `COMPLETE` or', 'has sent its completion or'),
  ),
});
factTable('completionSignal', [
  { what: 'as written', edits: {}, value: 'COMPLETE', at: [MD, SIGNALS_LINE, 'signal.completion-line'] },
  { what: 'FINISHED says so itself', edits: signals('- Say `FINISHED` or `STUCK`.'), value: 'FINISHED', at: [MD, '- Say', 'signal.completion-line'] },
  {
    what: 'an underscore keyword saying DONE',
    edits: signals('- Say `ALL_DONE` at the end.'),
    value: 'ALL_DONE',
    at: [MD, '- Say', 'signal.completion-line'],
    findings: [DEFAULT_WARNING.blockedSignal],
  },
  {
    what: 'the nearest word decides ("when done … `READY`")',
    edits: signals('- Signals: when done send `READY`; if blocked send `WAITING`.'),
    value: 'READY',
    at: [MD, '- Signals:', 'signal.completion-line'],
  },
  {
    what: '"on completion `READY <sha>`"',
    edits: signals('- Signals: on completion `READY <sha>`, when blocked `WAITING <why>`.'),
    value: 'READY',
    at: [MD, '- Signals:', 'signal.completion-line'],
  },
  {
    what: 'the word of its own sentence ("Finished: `READY`. Blocked: …")',
    edits: signals('- Finished: `READY`. Blocked: `WAITING`.'),
    value: 'READY',
    at: [MD, '- Finished:', 'signal.completion-line'],
  },
  {
    what: 'boundary: two capitals are no keyword',
    edits: signals('- Say `OK` when done and `NO` when blocked.'),
    value: 'COMPLETE',
    at: 'default',
    findings: [DEFAULT_WARNING.blockedSignal],
  },
  {
    what: 'automation words are no signals',
    edits: signals('- Status `ACTIVE` when done, `PAUSED` when blocked, `TODO` complete, `HEAD` blocked.'),
    value: 'COMPLETE',
    at: 'default',
    findings: [DEFAULT_WARNING.blockedSignal],
  },
  { what: 'a keyword with a digit', edits: signals('- Say `DONE2` when done.'), value: 'COMPLETE', at: 'default', findings: [DEFAULT_WARNING.blockedSignal] },
  { what: 'lower case', edits: signals('- Say `complete` or `blocked`.'), value: 'COMPLETE', at: 'default', findings: [DEFAULT_WARNING.blockedSignal] },
  { what: 'a line about neither', edits: signals('- Say `READY` or `WAITING`.'), value: 'COMPLETE', at: 'default', findings: [DEFAULT_WARNING.blockedSignal] },
  {
    what: 'a second keyword',
    edits: { [MD]: swap('has sent `COMPLETE` or', 'has sent `DONE` or') },
    value: 'COMPLETE',
    at: [MD, SIGNALS_LINE, 'signal.completion-line'],
    findings: [[MD, 'has sent `DONE`', 'error', 'completion signal `DONE` contradicts `COMPLETE` (line 22)']],
  },
  { what: 'absent', edits: signals('- Signals: see the templates.'), value: 'COMPLETE', at: 'default', findings: [DEFAULT_WARNING.blockedSignal] },
]);

factTable('blockedSignal', [
  { what: 'as written', edits: {}, value: 'BLOCKED', at: [MD, SIGNALS_LINE, 'signal.blocked-line'] },
  { what: 'STUCK says so itself', edits: signals('- Say `FINISHED` or `STUCK`.'), value: 'STUCK', at: [MD, '- Say', 'signal.blocked-line'] },
  {
    what: 'the nearest word decides ("if blocked send `WAITING`")',
    edits: signals('- Signals: when done send `READY`; if blocked send `WAITING`.'),
    value: 'WAITING',
    at: [MD, '- Signals:', 'signal.blocked-line'],
  },
  {
    what: 'the word of its own clause ("… when finished; `HELP` when blocked")',
    edits: signals('- Signals: `DONE <sha>` when finished; `HELP` when blocked.'),
    value: 'HELP',
    at: [MD, '- Signals:', 'signal.blocked-line'],
  },
  {
    what: 'the word of its own sentence ("… Blocked: `WAITING`.")',
    edits: signals('- Finished: `READY`. Blocked: `WAITING`.'),
    value: 'WAITING',
    at: [MD, '- Finished:', 'signal.blocked-line'],
  },
  {
    what: 'boundary: two capitals are no keyword',
    edits: signals('- Say `OK` when done and `NO` when blocked.'),
    value: 'BLOCKED',
    at: 'default',
    findings: [DEFAULT_WARNING.completionSignal],
  },
  {
    what: 'a second keyword',
    edits: { [MD]: swap('- `BLOCKED`: unblock', '- `STUCK`: unblock') },
    value: 'BLOCKED',
    at: [MD, SIGNALS_LINE, 'signal.blocked-line'],
    findings: [[MD, '- `STUCK`', 'error', 'blocked signal `STUCK` contradicts `BLOCKED` (line 22)']],
  },
  {
    what: 'a second keyword in a reference file',
    edits: { 'references/notes.md': replaceWith('# Notes\n\nWhen blocked send `STUCK`.\n') },
    value: 'BLOCKED',
    at: [MD, SIGNALS_LINE, 'signal.blocked-line'],
    findings: [['references/notes.md', 3, 'error', 'blocked signal `STUCK` contradicts `BLOCKED` (SKILL.md line 22)']],
  },
  { what: 'absent', edits: signals('- Signals: see the templates.'), value: 'BLOCKED', at: 'default', findings: [DEFAULT_WARNING.completionSignal] },
]);

const messageLine = (line: string): Edits => ({ [MD]: swap(MESSAGE_LINE, line === '' ? '' : `${line}\n`) });
factTable('messageLimit', [
  { what: 'as written', edits: {}, value: 1500, at: [MD, MESSAGE_LINE, 'message.limit'] },
  { what: 'a thousands comma, "chars"', edits: messageLine('- Messages stay under 2,000 chars.'), value: 2000, at: [MD, '2,000', 'message.limit'] },
  { what: 'no space before the unit', edits: messageLine('- Message limit: 800characters.'), value: 800, at: [MD, '800', 'message.limit'] },
  { what: 'boundary: one character', edits: messageLine('- Message limit: 1 characters.'), value: 1, at: [MD, 'Message limit', 'message.limit'] },
  { what: 'no word about messages', edits: messageLine('- Limit: 800 characters.'), value: 1500, at: 'default' },
  { what: '"char" is no unit', edits: messageLine('- Message limit: 800 char.'), value: 1500, at: 'default' },
  {
    what: 'a second limit in a reference file',
    edits: { [REPORT]: swap('as the report format;', 'as the report format (messages stay under 900 characters);') },
    value: 1500,
    at: [MD, MESSAGE_LINE, 'message.limit'],
    findings: [[REPORT, '900 characters', 'error', 'message size limit 900 characters contradicts 1500 characters (SKILL.md line 18)']],
  },
  { what: 'absent (the template states it only inside its fence)', edits: messageLine(''), value: 1500, at: 'default' },
]);

describe('number words', () => {
  // Every number word the rules know, read as a stall count from SKILL.md's own line.
  const base = readFile(join(SKILL, MD), 'utf8');
  it.each([
    ['one', 1],
    ['two', 2],
    ['three', 3],
    ['four', 4],
    ['five', 5],
    ['six', 6],
    ['seven', 7],
    ['eight', 8],
    ['nine', 9],
    ['ten', 10],
    ['eleven', 11],
    ['twelve', 12],
    ['fifteen', 15],
    ['twenty', 20],
    ['thirty', 30],
    ['sixty', 60],
    ['Five', 5],
    ['45', 45],
  ] as const)('%s → %i', async (word, n) => {
    const text = (await base).replace(STALL_LINE, `- Stall threshold: ${word} silent heartbeat passes (S3).\n`);
    const { facts, findings } = extractFacts(parseMarkdown(text));
    expect(facts.stallPasses).toEqual({ value: n, file: MD, line: 16, rule: 'stall.passes' });
    expect(findings).toEqual([]);
  });
  it('a word it does not know ("forty") is no number', async () => {
    const text = (await base).replace(STALL_LINE, '- Stall threshold: forty silent heartbeat passes (S3).\n');
    expect(extractFacts(parseMarkdown(text)).facts.stallPasses).toBeUndefined();
  });
});

// =======================================================================================
// Small pieces of load.ts and lint.ts the findings go through.

describe('templateKindOf', () => {
  it.each([
    ['worker-registration-template', 'registration'],
    ['registration-dispatch', 'registration'],
    ['worker-dispatch-template', 'dispatch'],
    ['dispatch-final', 'dispatch'],
    ['final-report-template', 'final'],
    ['Final report', 'final'],
    ['worker-report-template', 'report'],
    ['Worker Report', 'report'],
    ['report', null],
    ['worker', null],
    ['leader-state-template', 'state'],
    ['run-journal', 'state'],
    ['readme', null],
  ] as const)('%s → %s', (name, kind) => {
    expect(templateKindOf(name)).toBe(kind);
  });
});

describe('sortFindings and atLeast', () => {
  const f = (file: string, line: number, level: Finding['level'], message: string): Finding => ({ file, line, level, message });
  const mixed = [
    f('b', 2, 'info', 'x'),
    f('a', 9, 'warning', 'z'),
    f('b', 2, 'error', 'a'),
    f('a', 1, 'error', 'y'),
    f('b', 1, 'warning', 'q'),
    f('b', 2, 'info', 'x'),
  ];
  it('orders by file, then line, then message; equal ones stay', () => {
    expect(sortFindings(mixed)).toEqual([
      f('a', 1, 'error', 'y'),
      f('a', 9, 'warning', 'z'),
      f('b', 1, 'warning', 'q'),
      f('b', 2, 'error', 'a'),
      f('b', 2, 'info', 'x'),
      f('b', 2, 'info', 'x'),
    ]);
    expect(mixed[0]).toEqual(f('b', 2, 'info', 'x')); // a copy is sorted
  });
  it('findings equal in file, line and message keep their order, in either order', () => {
    const one = [f('a', 1, 'error', 'same'), f('a', 1, 'warning', 'same'), f('a', 1, 'info', 'same')];
    expect(sortFindings(one)).toEqual(one);
    expect(sortFindings([...one].reverse())).toEqual([...one].reverse());
  });
  it('atLeast keeps errors, or errors and warnings, in order', () => {
    expect(atLeast(mixed, 'error')).toEqual([f('b', 2, 'error', 'a'), f('a', 1, 'error', 'y')]);
    expect(atLeast(mixed, 'warning')).toEqual([f('a', 9, 'warning', 'z'), f('b', 2, 'error', 'a'), f('a', 1, 'error', 'y'), f('b', 1, 'warning', 'q')]);
  });
});
