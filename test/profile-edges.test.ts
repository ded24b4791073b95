// Fact reader and loader edge cases, pinned.
//
// Mutation testing of `src/skill/profile.ts` and `src/skill/load.ts` left mutants alive where
// the real skills never go: numbers and words written with capitals, worker steps named on an
// `update_plan` line that the steps list spells in lower case, spans that are not a step, a
// header or a path though they look close, journal paths whose leader directory holds more
// than the hole, ALL-CAPS words of automation, model ids and rrules at their edges, and a
// references folder the loader may not enter. Each case asserts a whole value, so a mutant that
// changes what the code does fails a test. The expectations are what the code does today.

import type { PathLike } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadSkill } from '../src/skill/load.ts';
import { parseMarkdown } from '../src/skill/markdown.ts';
import { extractFacts } from '../src/skill/profile.ts';

// Root may enter any folder: a references folder without permissions is simulated by failing
// every call on a path under it, as the file system would for another user. Everything else
// runs on the real file system.
const denied = vi.hoisted(() => ({ under: null as string | null }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const deny = (path: PathLike) => {
    if (denied.under === null || !String(path).startsWith(denied.under)) return null;
    return Promise.reject(Object.assign(new Error(`EACCES: permission denied, '${String(path)}'`), { code: 'EACCES' }));
  };
  const readdir = ((path: PathLike, ...rest: unknown[]) =>
    deny(path) ?? (real.readdir as (...a: unknown[]) => Promise<unknown>)(path, ...rest)) as typeof real.readdir;
  const stat = ((path: PathLike, ...rest: unknown[]) => deny(path) ?? (real.stat as (...a: unknown[]) => Promise<unknown>)(path, ...rest)) as typeof real.stat;
  return { ...real, default: { ...real, readdir, stat }, readdir, stat };
});

afterEach(() => {
  denied.under = null;
});

/** The facts and findings of a SKILL.md made of these lines. */
const facts = (...lines: string[]) => extractFacts(parseMarkdown(`${lines.join('\n')}\n`));
const at = (line: number, rule: string) => ({ file: 'SKILL.md', line, rule });
const error = (line: number, message: string) => ({ file: 'SKILL.md', line, level: 'error', message });

describe('a skill that states nothing', () => {
  it('has no fact at all, not even an undefined one', () => {
    expect(facts('# Skill', 'Plain text.')).toStrictEqual({ facts: {}, findings: [] });
  });
});

describe('numbers with capitals', () => {
  it('a heartbeat "Every 5 minutes"', () => {
    expect(facts('# S', 'Heartbeat: Every 5 minutes.').facts).toEqual({
      heartbeat: { value: { minutes: 5, rrule: 'FREQ=MINUTELY;INTERVAL=5' }, ...at(2, 'heartbeat.prose') },
    });
  });

  it('"Three heartbeat passes"', () => {
    expect(facts('# S', 'Three heartbeat passes without a reply mark a worker.').facts).toEqual({ stallPasses: { value: 3, ...at(2, 'stall.passes') } });
  });

  it('"Silent for Four passes"', () => {
    expect(facts('# S', 'A worker Silent for Four passes is replaced.').facts).toEqual({ stallPasses: { value: 4, ...at(2, 'stall.passes') } });
  });

  it('a startup window of "Ten Minutes"', () => {
    expect(facts('# S', 'Startup within Ten Minutes.').facts).toEqual({ startupWindowMinutes: { value: 10, ...at(2, 'startup.window') } });
  });
});

describe('worker steps on an update_plan line', () => {
  it('a one-word step in lower case counts when the steps list names it', () => {
    const r = facts(
      '# S',
      '## Worker steps',
      '- execute',
      '- self-check',
      '- commit',
      '',
      'Each worker tracks its work with `update_plan` using `execute`, `self-check`, `in_progress`.',
    );
    expect(r).toEqual({
      facts: { workerSteps: { value: ['execute', 'self-check', 'commit'], ...at(3, 'worker-steps.list') } },
      findings: [error(7, 'worker steps execute / self-check contradicts execute / self-check / commit (line 3)')],
    });
  });

  it('the tool is found with blanks inside its backticks, and is never a step, even one the list names', () => {
    expect(facts('# S', 'Each worker tracks it with `  update_plan `: `Execute`, `Self-review`.').facts).toEqual({
      workerSteps: { value: ['Execute', 'Self-review'], ...at(2, 'worker-steps.update-plan') },
    });
    expect(facts('# S', '## Worker steps', '- Plan', '- update_plan', '', 'Each worker tracks with `update_plan`: `Plan`, `Build`.').findings).toEqual([
      error(6, 'worker steps Plan / Build contradicts Plan / update_plan (line 3)'),
    ]);
  });

  it('a step is a capitalised word, hyphenated words in lower case after it, or words with spaces', () => {
    expect(facts('# S', 'Each worker tracks with `update_plan`: `fooBar`, `Review_all`, `Execute2`, `Self-review`, `Execute`, `Ship it`.').facts).toEqual({
      workerSteps: { value: ['Self-review', 'Execute', 'Ship it'], ...at(2, 'worker-steps.update-plan') },
    });
  });

  it('needs a line about workers that names update_plan, and two steps', () => {
    expect(facts('# S', 'Each worker lists `Alpha`, `Beta` as steps.')).toStrictEqual({ facts: {}, findings: [] });
    expect(facts('# S', 'Steps: `Alpha`, `Beta` via `update_plan`.')).toStrictEqual({ facts: {}, findings: [] });
    expect(facts('# S', 'Each worker tracks with `update_plan`: `Execute`.')).toStrictEqual({ facts: {}, findings: [] });
  });
});

describe('spans that look like a header, a path or a signal', () => {
  it('a header span starts with From:', () => {
    expect(facts('# S', 'Send `Reply From: <role> <thread-id>` first.')).toStrictEqual({ facts: {}, findings: [] });
  });

  it('a worker file is one whole .md path outside references/, named by its last segment', () => {
    expect(
      facts('# S', 'Notes go in `worker notes.md`; also `.thread-team/notes.md.txt`; and `x/references/notes.md`; `templates/notes.md`; `docs/guide.md`.'),
    ).toEqual({
      facts: { workerNotesPath: { value: 'x/references/notes.md', ...at(2, 'worker-files.notes-span') } },
      findings: [error(2, 'worker notes path `templates/notes.md` contradicts `x/references/notes.md` (line 2)')],
    });
  });

  it('a path with an angle bracket is a journal or nothing; a leader directory is the hole alone', () => {
    expect(facts('# S', 'Keep `.thread-team/<Role>-notes.md` and `.thread-team/<leader-thread-id>/state.md`.')).toEqual({
      facts: { journalPath: { value: '.thread-team/<leader-thread-id>/state.md', ...at(2, 'journal.path-span') } },
      findings: [],
    });
    expect(facts('# S', 'Keep `.thread-team/<leader-thread-id>-old/notes.md`.')).toStrictEqual({ facts: {}, findings: [] });
  });

  it('a signal is a span that starts with its keyword; automation words are none', () => {
    expect(facts('# S', 'When complete, say DONE: `say DONE`.')).toStrictEqual({ facts: {}, findings: [] });
    expect(facts('# S', 'When complete, send `NOTIFY`; when done, `DONT_NOTIFY`; when finished, `README`.')).toStrictEqual({ facts: {}, findings: [] });
  });
});

describe('model ids and rrules at their edges', () => {
  it('a model id is the whole span: `o3-mini` is one, `my-gpt-5` and `gpt-5/x` are not', () => {
    expect(facts('# S', 'The default model is `o3-mini`.').facts).toEqual({ defaultModel: { value: 'o3-mini', ...at(2, 'model.default-line') } });
    expect(facts('# S', 'The default model is `my-gpt-5`; default `gpt-5/x`.')).toStrictEqual({ facts: {}, findings: [] });
  });

  it('an rrule interval of two digits', () => {
    expect(facts('# S', 'Heartbeat rrule `FREQ=MINUTELY;INTERVAL=15`.').facts).toEqual({
      heartbeat: { value: { minutes: 15, rrule: 'FREQ=MINUTELY;INTERVAL=15' }, ...at(2, 'heartbeat.rrule') },
    });
  });
});

describe('loading', () => {
  it('a references folder that cannot be entered reads as one without files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'profile-edges-'));
    try {
      await mkdir(join(dir, 'references'));
      await writeFile(join(dir, 'references', 'worker-dispatch-template.md'), '# Worker dispatch template\n\n```\nGo\n```\n');
      await writeFile(join(dir, 'SKILL.md'), '---\nname: x\ndescription: y\n---\n# X\n');
      denied.under = join(dir, 'references');
      const { profile, findings } = await loadSkill(dir);
      expect(profile).toBeNull();
      expect(findings.filter((f) => f.file.startsWith('references/')).map((f) => f.message)).toEqual([
        'missing final report template (no references/*.md named or headed like it)',
        'missing leader state template (no references/*.md named or headed like it)',
        'missing worker dispatch template (no references/*.md named or headed like it)',
        'missing worker registration template (no references/*.md named or headed like it)',
        'missing worker report template (no references/*.md named or headed like it)',
      ]);
    } finally {
      denied.under = null;
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('which signal a span is, from the words of its clause', () => {
  const signal = (line: string) => {
    const f = facts('# S', line).facts;
    return { complete: f.completionSignal?.value ?? null, blocked: f.blockedSignal?.value ?? null };
  };

  it('a word labelling the span wins over a nearer one: the colon alone between them, blanks around it', () => {
    expect(signal('Blocked:  `WAITING` done.')).toEqual({ complete: null, blocked: 'WAITING' });
    expect(signal('Blocked : `WAITING` done.')).toEqual({ complete: null, blocked: 'WAITING' });
    expect(signal('Blocked by it: `WAITING` done.')).toEqual({ complete: 'WAITING', blocked: null });
    expect(signal('Blocked: see `WAITING` done.')).toEqual({ complete: 'WAITING', blocked: null });
  });

  it('else the nearest word, one before the span winning a tie', () => {
    expect(signal('Done `WAITING` blocked.')).toEqual({ complete: 'WAITING', blocked: null });
    expect(signal('Blocked `WAITING` done.')).toEqual({ complete: null, blocked: 'WAITING' });
    expect(signal('Blocked there `WAITING` done.')).toEqual({ complete: 'WAITING', blocked: null });
    expect(signal('`WAITING` done, then blocked.')).toEqual({ complete: 'WAITING', blocked: null });
  });

  it('only words of its own clause: a sentence ends at a period and blanks, not inside a word', () => {
    expect(signal('Blocked. Send `HELP` now.')).toEqual({ complete: null, blocked: null });
    expect(signal('Blocked.now send `HELP`.')).toEqual({ complete: null, blocked: 'HELP' });
    expect(signal('It is done.      Send `HELP` now.')).toEqual({ complete: null, blocked: null });
  });

  it('words inside the span itself are no cue', () => {
    expect(signal('Send `HELP done` when blocked.')).toEqual({ complete: null, blocked: 'HELP' });
  });
});

describe('tools at the edges of their clauses', () => {
  const tools = (...lines: string[]) => {
    const r = facts(...lines);
    return { required: r.facts.requiredTools ?? null, optional: r.facts.optionalTools ?? null, findings: r.findings };
  };
  const none = { required: null, optional: null, findings: [] };

  it('the words that make a tool required: require, must-have, a clause opening with need(s)', () => {
    expect(tools('# S', 'We require `create_thread`.')).toEqual({ ...none, required: { value: ['create_thread'], ...at(2, 'tools.required-clause') } });
    expect(tools('# S', '`create_thread` is a must-have.')).toEqual({ ...none, required: { value: ['create_thread'], ...at(2, 'tools.required-clause') } });
    expect(tools('# S', '- Need `create_thread`.')).toEqual({ ...none, required: { value: ['create_thread'], ...at(2, 'tools.required-clause') } });
    expect(tools('# S', 'This skill needs `create_thread`.')).toEqual(none);
  });

  it('the last word of a line counts, and a span right after a semicolon belongs to the clause after it', () => {
    expect(tools('# S', '`create_thread` is mandatory')).toEqual({ ...none, required: { value: ['create_thread'], ...at(2, 'tools.required-clause') } });
    expect(tools('# S', 'Optional;`create_thread` is required.')).toEqual({
      ...none,
      required: { value: ['create_thread'], ...at(2, 'tools.required-clause') },
    });
  });

  it('a heading says the mode of its section but names no tool itself', () => {
    expect(tools('# S', '## Required tools: `create_thread`')).toEqual(none);
    expect(tools('# S', '## Optional `create_thread`')).toEqual(none);
  });

  it('a fenced line in a tools section changes no mode', () => {
    expect(tools('# S', '## Tools', 'Required: `create_thread`', '```text', 'optional', '```', '- `send_message_to_thread`')).toEqual({
      ...none,
      required: { value: ['create_thread', 'send_message_to_thread'], ...at(3, 'tools.required-clause') },
    });
  });

  it('a tools section lists a tool as the first span of a bullet or numbered item, the first heading too', () => {
    expect(
      tools(
        '# Tools',
        '  - `list_threads`',
        '10. `read_thread`',
        '-  `wait_threads`',
        '1) `fork_thread`',
        'See - `set_thread_title`.',
        '- see `set_thread_pinned`.',
      ),
    ).toEqual({ ...none, optional: { value: ['list_threads', 'read_thread', 'wait_threads', 'fork_thread'], ...at(2, 'tools.section-listed') } });
  });

  it("the description's requirement counts only when no clause requires a tool, and broken front-matter has none", () => {
    expect(tools('---', 'name: x', 'description: Requires list_threads.', '---', '# S', 'Required: `create_thread`.')).toEqual({
      ...none,
      required: { value: ['create_thread'], ...at(6, 'tools.required-clause') },
    });
    expect(tools('---', 'description: [unclosed', '---', '# S', 'Text.')).toEqual(none);
  });

  it('a tool name is trimmed, loses its namespace prefix only at its start and its call from the parenthesis on', () => {
    expect(tools('# S', 'Required: `  create_thread `, `list_codex_app.threads`, `read_thread(id, turns)`.')).toEqual({
      ...none,
      required: { value: ['create_thread', 'read_thread'], ...at(2, 'tools.required-clause') },
    });
  });
});

describe('phases and worker steps at the edges of their sections', () => {
  const phases = (...lines: string[]) => facts('# S', ...lines).facts.phases ?? null;
  const named = (items: string[], line: number) => ({ value: items, file: 'SKILL.md', line, rule: 'phases.numbered-headings' });
  const listed = (items: string[], line: number) => ({ value: items, file: 'SKILL.md', line, rule: 'phases.ordered-list' });

  it('a numbered heading starts with its number, after "Phase" if at all, one or two digits; the separator may be left out', () => {
    expect(phases('## Phases', '### Intro 1 here', '1. Plan', '2. Build')).toEqual(listed(['Plan', 'Build'], 4));
    expect(phases('## Phases', '### Phase 1: Plan', '### 10. Ship', '### 1 Check')).toEqual(named(['Plan', 'Ship', 'Check'], 3));
  });

  it('only the headings inside the section count, its first and last line included', () => {
    expect(phases('## 1. Intro', '## Phases', '1. Plan', '2. Build')).toEqual(listed(['Plan', 'Build'], 4));
    expect(phases('## Phases', '### 1. Plan', '### 2. Build', '## Next')).toEqual(named(['Plan', 'Build'], 3));
    expect(phases('## Phases', 'Text.', '## 1. Later')).toBeNull();
  });

  it('numbered headings before an ordered list win over it', () => {
    expect(phases('## Phases', '### 1. Plan', '1. step one', '### 2. Build')).toEqual(named(['Plan', 'Build'], 3));
  });

  it('a worker steps heading without a list gives no steps', () => {
    expect(facts('# S', '## Worker steps', 'Text.')).toStrictEqual({ facts: {}, findings: [] });
  });
});
