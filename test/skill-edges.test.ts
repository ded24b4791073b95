// Reader and header edge cases, pinned.
//
// Mutation testing of `src/skill/template.ts`, `src/skill/slots.ts` and `src/skill/header.ts`
// left mutants alive: the other suites read real skills, which never hit these edges (a hole
// in the middle of a line, CR line endings, a header whose literal text holds regex
// characters, every spelling in the synonym table, the order of its rows, weak hole names,
// enumeration holes). Each case here asserts a whole value, so a mutant that changes what
// the code does fails a test. The expectations are what the code does today; where that
// looks wrong, a `NOTE: possible defect:` comment says so.

import { describe, expect, it } from 'vitest';
import { readableLines } from '../src/skill/form-read.ts';
import { templateHasHeader } from '../src/skill/compose.ts';
import { parseHeader, renderHeader } from '../src/skill/header.ts';
import { kebab, plain } from '../src/skill/lines.ts';
import { SLOT_SYNONYMS, classifyHole, classifyName, enumOptions, slotFor } from '../src/skill/slots.ts';
import { RenderError, segments, unfilledHoles } from '../src/skill/template.ts';
import type { SkillProfile, Slot, TemplateKind } from '../src/skill/types.ts';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const lit = (text: string) => ({ kind: 'lit' as const, text });
const hole = (name: string, index: number) => ({ kind: 'hole' as const, name, index });

/** A profile with only the header fact (the only part header.ts reads). */
function headerProfile(value: string): Pick<SkillProfile, 'header'> {
  return { header: { value, file: 'SKILL.md', line: 3, rule: 'test' } };
}

const STANDARD = headerProfile('From: <role> (thread ID: <thread-id>)');
const parse = (text: string, p = STANDARD) => parseHeader(p, text);
const API_T1 = { role: 'api', threadId: 't-1' };

const envelope = (inner: string) => `<codex_delegation><source_thread_id>t-0</source_thread_id><input>${inner}</input></codex_delegation>`;

// ---------------------------------------------------------------------------------------------
// 1. segments() / unfilledHoles()
// ---------------------------------------------------------------------------------------------

describe('segments', () => {
  it.each([
    ['hole then text on the same line', 'Base: <sha> (from main)', [lit('Base: '), hole('sha', 6), lit(' (from main)')]],
    ['text before and after', 'x <a> y', [lit('x '), hole('a', 2), lit(' y')]],
    ['two adjacent holes', '<a><b>', [hole('a', 0), hole('b', 3)]],
    ['adjacent holes between text', 'p<a><b>q', [lit('p'), hole('a', 1), hole('b', 4), lit('q')]],
    ['no hole', 'no holes here', [lit('no holes here')]],
    ['only a hole', '<only>', [hole('only', 0)]],
    ['empty text', '', []],
    ['leading newline', '\nFrom: <role>', [lit('\nFrom: '), hole('role', 7)]],
    ['trailing newline', '<role>\n', [hole('role', 0), lit('\n')]],
    ['holes on two lines', 'a <b> c\n<d>', [lit('a '), hole('b', 2), lit(' c\n'), hole('d', 8)]],
    ['hole name with spaces and punctuation', 'Run: <commands or checks>.', [lit('Run: '), hole('commands or checks', 5), lit('.')]],
    ['repeated hole', '<a> <a>', [hole('a', 0), lit(' '), hole('a', 4)]],
    ['upper-case start is not a hole', '<Upper> x', [lit('<Upper> x')]],
    ['digit start is not a hole', '<1a>', [lit('<1a>')]],
    ['empty brackets are not a hole', '<> x', [lit('<> x')]],
    ['a name ending with a slash is not a hole', 'a <br/> b', [lit('a <br/> b')]],
    ['a tag with a closing tag is not a hole', '<input>x</input>', [lit('<input>x</input>')]],
    ['a tag elsewhere closed still makes it a tag', '<input> then </input> <b>', [lit('<input> then </input> '), hole('b', 22)]],
    ['doubled brackets', '<<a>>', [lit('<'), hole('a', 1), lit('>')]],
    ['an unclosed bracket before a hole', '<a <b>', [lit('<a '), hole('b', 3)]],
    ['a hole cannot span lines', '<a\nb>', [lit('<a\nb>')]],
  ])('%s', (_what, text, expected) => {
    expect(segments(text)).toEqual(expected);
  });

  it('gives the same answer when called again (the hole regex is reset)', () => {
    const text = 'Base: <sha> (from <branch>)';
    const expected = [lit('Base: '), hole('sha', 6), lit(' (from '), hole('branch', 18), lit(')')];
    expect(segments(text)).toEqual(expected);
    expect(segments(text)).toEqual(expected);
    expect(segments('<x>')).toEqual([hole('x', 0)]);
  });
});

describe('unfilledHoles', () => {
  it.each([
    ['Base: <sha> (from main)', ['sha']],
    ['<a> <b> <a>', ['a', 'b']],
    ['<b> <a> <b> <a>', ['b', 'a']],
    ['<a><a><a>', ['a']],
    ['no holes here', []],
    ['', []],
    ['<only>', ['only']],
    ['\nFrom: <role> (thread ID: <thread-id>)', ['role', 'thread-id']],
    ['<input>x</input> <y>', ['y']],
    ['<Upper> <lower>', ['lower']],
  ])('%j → %j', (text, expected) => {
    expect(unfilledHoles(text)).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Line endings and what readableLines keeps
// ---------------------------------------------------------------------------------------------

describe('readableLines', () => {
  it.each([
    ['CRLF is normalised', 'a\r\nb\r\n', ['a', 'b', '']],
    ['lone CR is normalised', 'a\rb', ['a', 'b']],
    ['blank CRLF line kept as empty', 'a\r\n\r\nb', ['a', '', 'b']],
    ['mixed endings', 'a\nb\r\nc\rd', ['a', 'b', 'c', 'd']],
    ['CR CR is two breaks', 'a\r\rb', ['a', '', 'b']],
    ['LF CR is two breaks', 'a\n\rb', ['a', '', 'b']],
    ['trailing whitespace stripped, leading kept', '  a  \nb\t', ['  a', 'b']],
    ['fence lines become empty', '```\nx\n```', ['', 'x', '']],
    ['tilde fences too', '~~~md\nx\n~~~', ['', 'x', '']],
    ['an indented fence too', '  ```js\nx', ['', 'x']],
    ['fence marks inside a line or after a word are text', 'a ``` b\nx```\nsee ~~~', ['a ``` b', 'x```', 'see ~~~']],
    ['HTML comments dropped', 'a<!-- c -->b\n<!--\nx\n-->c', ['ab', 'c']],
    ['empty text', '', ['']],
    ['a delegation envelope is unwrapped', envelope('From: x\r\nbody'), ['From: x', 'body']],
    // Whitespace around an envelope is not part of it (was a defect: a trailing newline hid the header).
    ['an envelope with a trailing newline is unwrapped', `${envelope('From: x')}\n`, ['From: x']],
    ['an envelope after a blank line is unwrapped', `\n${envelope('From: x')}`, ['From: x']],
    [
      'text after an envelope keeps it whole',
      `${envelope('From: x')} and more`,
      ['<codex_delegation><source_thread_id>t-0</source_thread_id><input>From: x</input></codex_delegation> and more'],
    ],
  ])('%s', (_what, text, expected) => {
    expect(readableLines(text)).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// 3. parseHeader / renderHeader
// ---------------------------------------------------------------------------------------------

describe('parseHeader with From: <role> (thread ID: <thread-id>)', () => {
  it.each([
    ['exact', 'From: api (thread ID: t-1)', API_T1],
    ['with a body after it', 'From: api (thread ID: t-1)\nDo the work.', API_T1],
    ['extra spaces between words', 'From:   api    (thread   ID:  t-1)', API_T1],
    ['a tab between words', 'From:\tapi (thread\tID: t-1)', API_T1],
    ['trailing spaces', 'From: api (thread ID: t-1)   ', API_T1],
    ['leading spaces', '   From: api (thread ID: t-1)', API_T1],
    ['CRLF after the first line', 'From: api (thread ID: t-1)\r\nbody\r\n', API_T1],
    ['CR after the first line', 'From: api (thread ID: t-1)\rbody', API_T1],
    ['bold around the line', '**From: api (thread ID: t-1)**', API_T1],
    ['underscore bold around the line', '__From: api (thread ID: t-1)__', API_T1],
    ['code around the line', '`From: api (thread ID: t-1)`', API_T1],
    ['italic around the line', '_From: api (thread ID: t-1)_', API_T1],
    ['bold role', 'From: **api** (thread ID: t-1)', API_T1],
    ['code id', 'From: api (thread ID: `t-1`)', API_T1],
    ['a leading blank line', '\nFrom: api (thread ID: t-1)', API_T1],
    ['leading whitespace-only lines', '  \n\t\r\nFrom: api (thread ID: t-1)', API_T1],
    ['inside a code fence', '```\nFrom: api (thread ID: t-1)\n```', API_T1],
    ['after an HTML comment', '<!-- sent by the leader -->\nFrom: api (thread ID: t-1)', API_T1],
    ['in a delegation envelope', envelope('From: api (thread ID: t-1)\nbody'), API_T1],
    ['a role with spaces', 'From: api team (thread ID: t-1)', { role: 'api team', threadId: 't-1' }],
    ['a uuid id', 'From: web (thread ID: 019a-b2c3)', { role: 'web', threadId: '019a-b2c3' }],
    // The id hole is lazy but must reach the last `)` before the end of the line.
    ['a parenthesis after the id', 'From: api (thread ID: t-1) (x)', { role: 'api', threadId: 't-1) (x' }],
  ])('%s', (_what, text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it.each([
    ['text before the header on its line (anchored at ^)', 'Hi From: api (thread ID: t-1)'],
    ['a marker before the header (plain does not strip list markers)', '- From: api (thread ID: t-1)'],
    ['a heading before the header', '## From: api (thread ID: t-1)'],
    ['text after the header on its line (anchored at $)', 'From: api (thread ID: t-1) thanks'],
    ['a full stop after the header', 'From: api (thread ID: t-1).'],
    ['the header on the second non-blank line', 'Hello\nFrom: api (thread ID: t-1)'],
    ['the header split over two lines', 'From: api\n(thread ID: t-1)'],
    ['no space after the colon', 'From:api (thread ID: t-1)'],
    ['an empty role', 'From:  (thread ID: t-1)'],
    ['an empty id', 'From: api (thread ID: )'],
    ['a different literal', 'To: api (thread ID: t-1)'],
    ['different case', 'from: api (thread id: t-1)'],
    ['an empty message', ''],
    ['only blank lines', '\n  \n'],
  ])('null: %s', (_what, text) => {
    expect(parse(text)).toBeNull();
  });
});

describe('parseHeader: holes, captures and literal text', () => {
  it('holes in the other order: [<thread-id>] <role> says:', () => {
    const p = headerProfile('[<thread-id>] <role> says:');
    expect(parseHeader(p, '[t-9] api says:')).toEqual({ role: 'api', threadId: 't-9' });
    expect(parseHeader(p, 'api says: [t-9]')).toBeNull();
  });

  it('a whitespace-only capture is no role or no id', () => {
    const p = headerProfile('[<role>|<thread-id>]');
    expect(parseHeader(p, '[api|t-1]')).toEqual(API_T1);
    expect(parseHeader(p, '[ |t-1]')).toBeNull();
    expect(parseHeader(p, '[api| ]')).toBeNull();
    expect(parseHeader(p, '[|t-1]')).toBeNull();
  });

  it('captures are trimmed', () => {
    const p = headerProfile('[<role>|<thread-id>]');
    expect(parseHeader(p, '[ api | t-1 ]')).toEqual(API_T1);
  });

  it('a message with nothing to say has no header, even when the header is two bare holes', () => {
    const p = headerProfile('<role> <thread-id>');
    expect(parseHeader(p, 'api t-1')).toEqual(API_T1);
    for (const text of ['', '\n  \n', '```\n```']) expect(parseHeader(p, text)).toBeNull();
  });

  it('a header without an id hole never parses', () => {
    expect(parseHeader(headerProfile('From: <role>'), 'From: api')).toBeNull();
  });

  it('a header without a role hole never parses', () => {
    expect(parseHeader(headerProfile('Thread: <thread-id>'), 'Thread: t-1')).toBeNull();
  });

  it('the first role and the first id win when a hole repeats', () => {
    const p = headerProfile('<role> to <role> [<thread-id>] re <thread-id>');
    expect(parseHeader(p, 'api to web [t-1] re t-2')).toEqual(API_T1);
  });

  it('a hole that is neither role nor id is matched and ignored', () => {
    const p = headerProfile('From: <role> (thread ID: <thread-id>) at <colour>');
    expect(parseHeader(p, 'From: api (thread ID: t-1) at blue')).toEqual(API_T1);
    expect(parseHeader(p, 'From: api (thread ID: t-1)')).toBeNull();
  });

  it.each([['<worker-thread-id>'], ['<leader-thread-id>'], ['<sender-thread-id>'], ['<thread>'], ['<id>'], ['<threadid>']])('an id hole named %s', (idHole) => {
    const p = headerProfile(`From: <role> (${idHole})`);
    expect(parseHeader(p, 'From: api (t-1)')).toEqual(API_T1);
  });

  it.each([['<name>'], ['<who>'], ['<worker>'], ['<role-name>'], ['<sender-role>']])('a role hole named %s', (roleHole) => {
    const p = headerProfile(`${roleHole} [<thread-id>]`);
    expect(parseHeader(p, 'api [t-1]')).toEqual(API_T1);
  });

  // Each literal regex character must match itself only.
  it.each([
    // [value, matches, near-miss that an unescaped character would accept or a different text]
    ['Who? <role> (id: <thread-id>) $', 'Who? api (id: t-1) $', 'Whoo api (id: t-1) $'],
    ['Who? <role> (id: <thread-id>) $', 'Who? api (id: t-1) $', 'Wh api (id: t-1) $'],
    ['Who? <role> (id: <thread-id>) $', 'Who? api (id: t-1) $', 'Who? api (id: t-1)'],
    ['Who? <role> (id: <thread-id>) $', 'Who? api (id: t-1) $', 'Who? api id: t-1 $'],
    ['<role>.<thread-id>', 'api.t-1', 'apiXt-1'],
    ['<role>*<thread-id>', 'api*t-1', 'apit-1'],
    ['<role>+<thread-id>', 'api+t-1', 'apit-1'],
    ['<role>|<thread-id>', 'api|t-1', 'api'],
    ['<role>^<thread-id>', 'api^t-1', 'apit-1'],
    ['<role>$<thread-id>', 'api$t-1', 'apit-1'],
    ['<role>{<thread-id>}', 'api{t-1}', 'apit-1'],
    ['<role>\\<thread-id>', 'api\\t-1', 'apit-1'],
    ['[<thread-id>] <role>', '[t-1] api', 't api'],
    ['(<thread-id>) <role>', '(t-1) api', 't-1 api'],
  ])('%s parses %s but not %s', (value, good, bad) => {
    const p = headerProfile(value);
    expect(parseHeader(p, good)).toEqual(API_T1);
    expect(parseHeader(p, bad)).toBeNull();
  });
});

describe('renderHeader', () => {
  it.each([
    ['From: <role> (thread ID: <thread-id>)', 'From: api (thread ID: t-9)'],
    ['[<thread-id>] <role> says:', '[t-9] api says:'],
    ['<role>@<thread-id>', 'api@t-9'],
    ['\nFrom: <role> <thread-id>\n', '\nFrom: api t-9\n'],
    ['<role> to <role> [<thread-id>]', 'api to api [t-9]'],
    ['Who? <role> (id: <thread-id>) $', 'Who? api (id: t-9) $'],
    ['From: <name> (<worker-thread-id>)', 'From: api (t-9)'],
    ['<who> <leader-thread-id>', 'api t-9'],
    ['<worker> <id>', 'api t-9'],
    ['<role> <thread>', 'api t-9'],
    ['no holes at all', 'no holes at all'],
    ['', ''],
  ])('%j → %j', (value, expected) => {
    expect(renderHeader(headerProfile(value), 'api', 't-9')).toEqual(expected);
  });

  it('round-trips through parseHeader', () => {
    for (const value of ['From: <role> (thread ID: <thread-id>)', '[<thread-id>] <role> says:', 'Who? <role> (id: <thread-id>) $']) {
      const p = headerProfile(value);
      expect(parseHeader(p, renderHeader(p, 'backend', 't-2'))).toEqual({ role: 'backend', threadId: 't-2' });
    }
  });

  it.each([
    ['From: <role> <colour>', 'colour'],
    ['<branch> <role> <thread-id>', 'branch'],
    ['<role> <thread-id> <base-commit>', 'base-commit'],
    ['<role> <thread-ids-list>', 'thread-ids-list'],
  ])('%s throws for <%s>', (value, name) => {
    let err: unknown;
    try {
      renderHeader(headerProfile(value), 'api', 't-1');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RenderError);
    expect((err as Error).name).toBe('RenderError');
    expect((err as Error).message).toBe(`SKILL.md:3: header hole <${name}> is neither a role nor a thread id`);
  });

  it('names the file and line of the header fact', () => {
    const p = { header: { value: 'From: <colour>', file: 'refs/protocol.md', line: 41, rule: 'test' } };
    expect(() => renderHeader(p, 'api', 't-1')).toThrow(new RenderError('refs/protocol.md:41: header hole <colour> is neither a role nor a thread id'));
  });
});

// ---------------------------------------------------------------------------------------------
// 4. The synonym table
// ---------------------------------------------------------------------------------------------

describe('kebab (what names go through)', () => {
  it.each([
    ['Base commit', 'base-commit'],
    ['BASE_COMMIT', 'base-commit'],
    ['baseCommit', 'basecommit'], // camelCase is not split, only lower-cased
    ['  **Base commit:**  ', 'base-commit'],
    ["Don't touch", 'don-t-touch'],
    ['---', ''],
  ])('%j → %j', (input, expected) => {
    expect(kebab(input)).toBe(expected);
  });
});

describe('plain (what the header line goes through)', () => {
  it.each([
    ['**From: api (thread ID: t-1)**', 'From: api (thread ID: t-1)'],
    ['`From:`   api', 'From: api'],
    ['_x_', 'x'],
    ['  a \t b  ', 'a b'],
  ])('%j → %j', (input, expected) => {
    expect(plain(input)).toBe(expected);
  });
});

// One group per row of SLOT_SYNONYMS, in order, named by the row's pattern (checked against
// the table itself): every spelling the pattern offers, natural spellings (through `kebab`),
// cases that prove an earlier row wins, and for anchored patterns a near miss. The last group
// is names no row matches. `null` means classifyName finds no slot.
const SYNONYMS: [string, [string, Slot | null][]][] = [
  [
    'integration-?branch|leader-?branch',
    [
      ['integration-branch', 'integration-branch'],
      ['integrationbranch', 'integration-branch'],
      ['leader-branch', 'integration-branch'],
      ['leaderbranch', 'integration-branch'],
      ['Integration branch', 'integration-branch'],
      ['INTEGRATION_BRANCH', 'integration-branch'],
      ['integrationBranch', 'integration-branch'],
      ['the-integration-branch-name', 'integration-branch'],
      ['integration', null],
    ],
  ],
  [
    '(leader|coordinator|lead|orchestrator|manager)-?(thread|id\\b|thread-?id)',
    [
      ['leader-thread', 'leader-thread-id'],
      ['leaderthread', 'leader-thread-id'],
      ['leader-id', 'leader-thread-id'],
      ['leaderid', 'leader-thread-id'],
      ['leader-thread-id', 'leader-thread-id'],
      ['leader-threadid', 'leader-thread-id'],
      ['leaderthreadid', 'leader-thread-id'],
      ['coordinator-thread-id', 'leader-thread-id'],
      ['coordinator-id', 'leader-thread-id'],
      ['lead-thread', 'leader-thread-id'],
      ['lead-id', 'leader-thread-id'],
      ['orchestrator-thread', 'leader-thread-id'],
      ['orchestratorid', 'leader-thread-id'],
      ['manager-thread-id', 'leader-thread-id'],
      ['manager-id', 'leader-thread-id'],
      ['Leader thread ID', 'leader-thread-id'],
      ['LEADER_THREAD_ID', 'leader-thread-id'],
      ['leaderThreadId', 'leader-thread-id'],
      ['leader-id-value', 'leader-thread-id'],
      ['leader-identity', null], // `id\b`: not a word on its own here
    ],
  ],
  [
    '(worker|your|member|assignee|own|self|agent)(-[a-z])?-(thread|id$)|(worker|member)-thread',
    [
      ['worker-thread', 'worker-thread-id'],
      ['worker-thread-id', 'worker-thread-id'],
      ['worker-id', 'worker-thread-id'],
      ['worker-a-thread', 'worker-thread-id'],
      ['worker-b-id', 'worker-thread-id'],
      ['your-thread-id', 'worker-thread-id'],
      ['your-id', 'worker-thread-id'],
      ['member-thread', 'worker-thread-id'],
      ['member-id', 'worker-thread-id'],
      ['assignee-thread-id', 'worker-thread-id'],
      ['assignee-id', 'worker-thread-id'],
      ['own-thread', 'worker-thread-id'],
      ['own-id', 'worker-thread-id'],
      ['self-thread-id', 'worker-thread-id'],
      ['self-id', 'worker-thread-id'],
      ['agent-thread', 'worker-thread-id'],
      ['agent-id', 'worker-thread-id'],
      ['Worker thread ID', 'worker-thread-id'],
      ['the-worker-thread', 'worker-thread-id'],
      ['new-member-thread-x', 'worker-thread-id'],
      ['worker-ab-id', null], // one letter only between
      ['worker-id-x', null], // `id$`
      ['workerthread', null],
      ['yourThreadId', null], // kebab does not split camelCase
    ],
  ],
  [
    '^(sender-|source-)?(thread-?id|thread|id)$',
    [
      ['thread-id', 'thread-id'],
      ['threadid', 'thread-id'],
      ['thread', 'thread-id'],
      ['id', 'thread-id'],
      ['sender-thread-id', 'thread-id'],
      ['sender-threadid', 'thread-id'],
      ['sender-thread', 'thread-id'],
      ['sender-id', 'thread-id'],
      ['source-thread-id', 'thread-id'],
      ['source-id', 'thread-id'],
      ['Thread ID', 'thread-id'],
      ['THREAD_ID', 'thread-id'],
      ['threadId', 'thread-id'],
      ['<thread id>', 'thread-id'],
      ['thread-ids-list', null],
      ['my-thread-id', null],
      ['ids', null],
      ['the-id', null],
    ],
  ],
  [
    'journal|state-?(path|file)|run-?(log|file)',
    [
      ['journal', 'journal-path'],
      ['Journal path', 'journal-path'],
      ['state-path', 'journal-path'],
      ['statepath', 'journal-path'],
      ['state-file', 'journal-path'],
      ['statefile', 'journal-path'],
      ['run-log', 'journal-path'],
      ['runlog', 'journal-path'],
      ['run-file', 'journal-path'],
      ['runfile', 'journal-path'],
    ],
  ],
  [
    'report-?(format|template|shape|layout|structure)|^format$',
    [
      ['report-format', 'report-format'],
      ['reportformat', 'report-format'],
      ['report-template', 'report-format'],
      ['report-shape', 'report-format'],
      ['report-layout', 'report-format'],
      ['reportstructure', 'report-format'],
      ['Format', 'report-format'],
      ['file-format', null],
      ['format-x', null],
    ],
  ],
  [
    'report-?(path|file|location)',
    [
      ['report-path', 'report-path'],
      ['reportpath', 'report-path'],
      ['Report file', 'report-path'],
      ['report-location', 'report-path'],
    ],
  ],
  [
    'awaiting|outstanding',
    [
      ['awaiting', 'awaiting'],
      ['Awaiting reports', 'awaiting'],
      ['outstanding', 'awaiting'],
    ],
  ],
  [
    'reports$',
    [
      ['reports', 'reports'],
      ['worker-reports', 'reports'],
      ['reports-list', null],
    ],
  ],
  [
    'notes',
    [
      ['notes', 'notes-path'],
      ['Worker notes path', 'notes-path'],
    ],
  ],
  [
    'repo(sitory)?-?(path|root|dir)',
    [
      ['repo-path', 'repo-path'],
      ['repopath', 'repo-path'],
      ['repo-root', 'repo-path'],
      ['repo-dir', 'repo-path'],
      ['repository-path', 'repo-path'],
      ['repositoryroot', 'repo-path'],
      ['Repository dir', 'repo-path'],
    ],
  ],
  [
    'work(ing)?-?(dir|directory|tree|path)|worktree|cwd|checkout-?(dir|path)|^dir(ectory)?$',
    [
      ['working-dir', 'working-directory'],
      ['workingdir', 'working-directory'],
      ['work-dir', 'working-directory'],
      ['Working directory', 'working-directory'],
      ['work-tree', 'working-directory'],
      ['working-path', 'working-directory'],
      ['workpath', 'working-directory'],
      ['worktree', 'working-directory'],
      ['worktree-path', 'working-directory'],
      ['cwd', 'working-directory'],
      ['checkout-dir', 'working-directory'],
      ['checkoutpath', 'working-directory'],
      ['dir', 'working-directory'],
      ['Directory', 'working-directory'],
      ['directory-name', null],
      ['dirs', null],
    ],
  ],
  [
    'base-?(commit|sha|ref|revision|rev)|start(ing|s)?-?(commit|point|sha|from)|fork-?point',
    [
      ['base-commit', 'base-commit'],
      ['basecommit', 'base-commit'],
      ['Base commit', 'base-commit'],
      ['BASE_COMMIT', 'base-commit'],
      ['baseCommit', 'base-commit'],
      ['base-sha', 'base-commit'],
      ['base-ref', 'base-commit'],
      ['base-revision', 'base-commit'],
      ['baserev', 'base-commit'],
      ['start-commit', 'base-commit'],
      ['starting-point', 'base-commit'],
      ['starts-from', 'base-commit'],
      ['startsfrom', 'base-commit'],
      ['start-sha', 'base-commit'],
      ['fork-point', 'base-commit'],
      ['forkpoint', 'base-commit'],
      ['sha-or-branch-the-worker-branch-starts-from', 'base-commit'],
    ],
  ],
  [
    'merge-?(result|outcome)',
    [
      ['merge-result', 'merge-result'],
      ['mergeresult', 'merge-result'],
      ['merge-outcome', 'merge-result'],
    ],
  ],
  [
    'review-?result|pre-?merge-?review',
    [
      ['review-result', 'review'],
      ['reviewresult', 'review'],
      ['review-results', 'review'],
      ['pre-merge-review', 'review'],
      ['premergereview', 'review'],
      ['pre-mergereview', 'review'],
      ['review', null],
    ],
  ],
  [
    'commit|(^|-)sha(-|$)|revision|(^|-)head$',
    [
      ['commit', 'commit-sha'],
      ['head-commit', 'commit-sha'],
      ['merge-commit', 'commit-sha'], // before `merge`
      ['sha', 'commit-sha'],
      ['sha-value', 'commit-sha'],
      ['the-sha', 'commit-sha'],
      ['the-sha-value', 'commit-sha'],
      ['revision', 'commit-sha'],
      ['head', 'commit-sha'],
      ['branch-head', 'commit-sha'], // before `branch`
      ['shasum', null],
      ['header', null],
      ['ahead', null],
    ],
  ],
  [
    'responsibility-?map|ownership|who-?owns',
    [
      ['responsibility-map', 'ownership'],
      ['responsibilitymap', 'ownership'],
      ['ownership', 'ownership'],
      ['who-owns', 'ownership'],
      ['whoowns', 'ownership'],
    ],
  ],
  [
    'not-?owned|off-?limits|not-?touch|don-?t-?touch|forbidden|hands-?off|others?-files|read-?only-?files',
    [
      ['not-owned', 'not-owned-files'],
      ['notowned', 'not-owned-files'],
      ['Not owned files', 'not-owned-files'],
      ['off-limits', 'not-owned-files'],
      ['offlimits', 'not-owned-files'],
      ['not-touch', 'not-owned-files'],
      ['do-not-touch', 'not-owned-files'],
      ['nottouch', 'not-owned-files'],
      ['dont-touch', 'not-owned-files'],
      ['donttouch', 'not-owned-files'],
      // "Don't touch" kebabs to `don-t-touch` (was a defect: no row matched it).
      ["Don't touch", 'not-owned-files'],
      ['don-t-touch', 'not-owned-files'],
      ['forbidden', 'not-owned-files'],
      ['hands-off', 'not-owned-files'],
      ['handsoff', 'not-owned-files'],
      ['other-files', 'not-owned-files'],
      ['others-files', 'not-owned-files'],
      ['read-only-files', 'not-owned-files'],
      ['readonlyfiles', 'not-owned-files'],
      ['read-onlyfiles', 'not-owned-files'],
    ],
  ],
  [
    'owned|files-?(you-?)?own|own-?files|write-?set',
    [
      ['owned', 'owned-files'],
      ['Owned files', 'owned-files'],
      ['files-own', 'owned-files'],
      ['filesown', 'owned-files'],
      ['files-you-own', 'owned-files'],
      ['filesyouown', 'owned-files'],
      ['files-youown', 'owned-files'],
      ['own-files', 'owned-files'],
      ['ownfiles', 'owned-files'],
      ['write-set', 'owned-files'],
      ['writeset', 'owned-files'],
      ['owned-files-changed', 'owned-files'], // before files-changed
    ],
  ],
  [
    '(files|paths)-?(changed|touched|modified)|changed-?(files|paths)|^changes$|diff-?stat',
    [
      ['files-changed', 'files-changed'],
      ['fileschanged', 'files-changed'],
      ['Files touched', 'files-changed'],
      ['files-modified', 'files-changed'],
      ['paths-changed', 'files-changed'],
      ['pathstouched', 'files-changed'],
      ['paths-modified', 'files-changed'],
      ['changed-files', 'files-changed'],
      ['changedfiles', 'files-changed'],
      ['changed-paths', 'files-changed'],
      ['changes', 'files-changed'],
      ['diff-stat', 'files-changed'],
      ['diffstat', 'files-changed'],
      ['changes-made', null],
    ],
  ],
  [
    'accept|done-?criteria|definition-?of-?done|success-?criteria|expected-?result|deliverables',
    [
      ['accept', 'acceptance-criteria'],
      ['Acceptance criteria', 'acceptance-criteria'],
      ['done-criteria', 'acceptance-criteria'],
      ['donecriteria', 'acceptance-criteria'],
      ['definition-of-done', 'acceptance-criteria'],
      ['definitionofdone', 'acceptance-criteria'],
      ['definition-ofdone', 'acceptance-criteria'],
      ['success-criteria', 'acceptance-criteria'],
      ['successcriteria', 'acceptance-criteria'],
      ['expected-result', 'acceptance-criteria'],
      ['expectedresults', 'acceptance-criteria'], // before verification-results
      ['deliverables', 'acceptance-criteria'],
    ],
  ],
  [
    '(command|check|test|verif)\\w*-.*result|test-?(results|output|run)|check-?results|verification-after',
    [
      ['command-result', 'verification-results'],
      ['commands-and-results', 'verification-results'],
      ['check-result', 'verification-results'],
      ['checks-x-results', 'verification-results'],
      ['test-result', 'verification-results'],
      ['Verification results', 'verification-results'],
      ['verify-result', 'verification-results'],
      ['test-results', 'verification-results'],
      ['testresults', 'verification-results'],
      ['test-output', 'verification-results'],
      ['testoutput', 'verification-results'],
      ['test-run', 'verification-results'],
      ['testrun', 'verification-results'],
      ['check-results', 'verification-results'],
      ['checkresults', 'verification-results'],
      ['verification-after', 'verification-results'],
    ],
  ],
  [
    'verif\\w*-?(command|cmd)|(test|check|build)-?(command|cmd)s?|^commands',
    [
      ['verification-commands', 'verification-commands'],
      ['verificationcommands', 'verification-commands'],
      ['verify-cmd', 'verification-commands'],
      ['verifycmd', 'verification-commands'],
      ['test-command', 'verification-commands'],
      ['testcommands', 'verification-commands'],
      ['test-cmd', 'verification-commands'],
      ['check-commands', 'verification-commands'],
      ['checkcmds', 'verification-commands'],
      ['build-command', 'verification-commands'],
      ['buildcmd', 'verification-commands'],
      ['commands', 'verification-commands'],
      ['commands-to-run', 'verification-commands'],
      ['run-commands', null],
    ],
  ],
  [
    'invariant|preserve|guarantee',
    [
      ['invariants', 'invariants'],
      ['must-preserve', 'invariants'],
      ['guarantees', 'invariants'],
    ],
  ],
  [
    'retired|replaced-?workers',
    [
      ['retired', 'retired'],
      ['replaced-workers', 'retired'],
      ['replacedworkers', 'retired'],
    ],
  ],
  [
    'new-?worker|replacement',
    [
      ['new-worker', 'replacement'], // before role's `-worker$`
      ['newworker', 'replacement'],
      ['replacement', 'replacement'],
    ],
  ],
  [
    'exclu|not-?integrated|unmerged|dropped|skipped|left-?out',
    [
      ['excluded', 'excluded'],
      ['exclusions', 'excluded'],
      ['not-integrated', 'excluded'],
      ['notintegrated', 'excluded'],
      ['unmerged', 'excluded'], // before `merge`
      ['dropped', 'excluded'],
      ['skipped', 'excluded'],
      ['left-out', 'excluded'],
      ['leftout', 'excluded'],
    ],
  ],
  [
    'depend',
    [
      ['dependencies', 'dependencies'],
      ['depends-on', 'dependencies'],
    ],
  ],
  ['fixes', [['fixes', 'fixes']]],
  [
    'integration-?log|merge',
    [
      ['integration-log', 'merges'],
      ['integrationlog', 'merges'],
      ['merges', 'merges'],
      ['Merge', 'merges'],
    ],
  ],
  [
    '(^|-)stall',
    [
      ['stall-watch', 'stall-watch'],
      ['stalled', 'stall-watch'],
      ['no-stall', 'stall-watch'],
      // "install…" is not a stall (was a defect: the pattern was unanchored).
      ['installed', null],
      ['install-command', null],
    ],
  ],
  [
    '(last|previous)-?(heartbeat|wake)',
    [
      ['last-heartbeat', 'last-wake'],
      ['lastheartbeat', 'last-wake'],
      ['last-wake', 'last-wake'],
      ['previous-heartbeat', 'last-wake'],
      ['previouswake', 'last-wake'],
    ],
  ],
  [
    'next-?(heartbeat|wake)',
    [
      ['next-heartbeat', 'next-wake'],
      ['nextwake', 'next-wake'],
    ],
  ],
  [
    'branch',
    [
      ['branch', 'branch'],
      ['Branch name', 'branch'],
      ['worker-branch', 'branch'],
    ],
  ],
  [
    'roster|team|members|^workers$|^threads$',
    [
      ['roster', 'roster'],
      ['team', 'roster'],
      ['team-members', 'roster'],
      ['members', 'roster'],
      ['workers', 'roster'],
      ['threads', 'roster'],
      ['workers-list', null],
      ['threads-open', null],
    ],
  ],
  [
    'collab|peers?|contacts|may-?message',
    [
      ['collaborators', 'collaborators'],
      ['peer', 'collaborators'],
      ['peers', 'collaborators'],
      ['contacts', 'collaborators'],
      ['may-message', 'collaborators'],
      ['maymessage', 'collaborators'],
    ],
  ],
  [
    'scope|boundary|assignment|subtask|responsib',
    [
      ['scope', 'scope'],
      ['boundary', 'scope'],
      ['assignment', 'scope'],
      ['subtask', 'scope'], // before task
      ['responsibilities', 'scope'],
    ],
  ],
  [
    'next',
    [
      ['next', 'next-action'],
      ['next-step', 'next-action'], // before plan's `steps?$`
    ],
  ],
  [
    '(^|-)plan|design|approach|execution|steps?$',
    [
      ['plan', 'plan'],
      ['work-plan', 'plan'],
      ['design', 'plan'],
      ['approach', 'plan'],
      ['execution-steps', 'plan'],
      ['step', 'plan'],
      ['steps', 'plan'],
      ['steps-taken', null],
      ['planet', 'plan'], // anchored at the start only
      ['airplane', null],
    ],
  ],
  [
    'summary|overview|what-?changed|task-?completed|what-?was-?done',
    [
      ['summary', 'summary'],
      ['overview', 'summary'],
      ['what-changed', 'summary'],
      ['whatchanged', 'summary'],
      ['task-completed', 'summary'], // before task
      ['taskcompleted', 'summary'],
      ['what-was-done', 'summary'],
      ['whatwasdone', 'summary'],
    ],
  ],
  [
    'open-?issues|issues|risks|concerns|caveats|known-?problems|bugs|unresolved',
    [
      ['open-issues', 'open-issues'],
      ['openissues', 'open-issues'],
      ['issues', 'open-issues'],
      ['risks', 'open-issues'],
      ['concerns', 'open-issues'],
      ['caveats', 'open-issues'],
      ['known-problems', 'open-issues'],
      ['knownproblems', 'open-issues'],
      ['bugs', 'open-issues'],
      ['unresolved', 'open-issues'],
    ],
  ],
  [
    'follow|todo',
    [
      ['follow-ups', 'follow-ups'],
      ['followups', 'follow-ups'],
      ['todo', 'follow-ups'],
    ],
  ],
  [
    'phase|stage|mode$',
    [
      ['phase', 'phase'],
      ['stage', 'phase'],
      ['mode', 'phase'],
      ['run-mode', 'phase'],
      ['modes', null],
    ],
  ],
  [
    '^startup$|start-?up-?(state|status)',
    [
      ['startup', 'startup'],
      ['Startup', 'startup'],
      ['start-up-state', 'startup'],
      ['startupstate', 'startup'],
      ['startup-status', 'startup'], // before status
      ['start-upstatus', 'startup'],
      ['startup-time', 'updated-at'],
    ],
  ],
  [
    'status|^state$|run-?state',
    [
      ['status', 'status'],
      ['worker-status', 'status'],
      ['state', 'status'],
      ['run-state', 'status'],
      ['runstate', 'status'],
      ['states', null],
    ],
  ],
  [
    'task|goal|objective|request',
    [
      ['task', 'task'],
      ['goal', 'task'],
      ['objective', 'task'],
      ['request', 'task'],
    ],
  ],
  [
    'settings|config',
    [
      ['settings', 'settings'],
      ['config', 'settings'],
      ['configuration', 'settings'],
    ],
  ],
  [
    '^model$|-model$|model-?id',
    [
      ['model', 'model'],
      ['default-model', 'model'],
      ['model-id', 'model'],
      ['modelid', 'model'],
      ['models', null],
      ['model-name', null],
      ['supermodel', null],
    ],
  ],
  [
    'thinking|effort|reasoning',
    [
      ['thinking', 'thinking'],
      ['effort', 'thinking'],
      ['reasoning', 'thinking'], // before reason
    ],
  ],
  [
    'heartbeat|automation|wake',
    [
      ['heartbeat', 'heartbeat'],
      ['automation', 'heartbeat'],
      ['wake', 'heartbeat'],
      ['wake-time', 'heartbeat'], // before updated-at
    ],
  ],
  [
    'decision|choices|rulings',
    [
      ['decisions', 'decisions'],
      ['choices', 'decisions'],
      ['rulings', 'decisions'],
    ],
  ],
  [
    'updated|timestamp|(^|-)(time|date)',
    [
      ['updated', 'updated-at'],
      ['last-updated', 'updated-at'],
      ['timestamp', 'updated-at'],
      ['time', 'updated-at'],
      ['date', 'updated-at'],
      ['update-time', 'updated-at'],
      ['end-date', 'updated-at'],
      ['runtime', null],
      ['mandate', null],
    ],
  ],
  [
    'outcome|verdict|^result$',
    [
      ['outcome', 'outcome'],
      ['verdict', 'outcome'],
      ['result', 'outcome'],
      ['results', null],
    ],
  ],
  [
    'clean|teardown',
    [
      ['cleanup', 'cleanup'],
      ['teardown', 'cleanup'],
    ],
  ],
  [
    'reason|why|cause|stuck',
    [
      ['reason', 'reason'],
      ['why', 'reason'],
      ['cause', 'reason'],
      ['stuck', 'reason'],
    ],
  ],
  [
    'role|^name$|^who$|(^|-)worker$',
    [
      ['role', 'role'],
      ['Role name', 'role'],
      ['name', 'role'],
      ['who', 'role'],
      ['worker', 'role'],
      ['the-worker', 'role'],
      ['names', null],
      ['whom', null],
      ['workerx', null],
      ['coworker', null],
    ],
  ],
  [
    'nothing at all',
    [
      ['', null],
      ['---', null],
      ['colour', null],
    ],
  ],
];

const ALL_CASES = SYNONYMS.flatMap(([, cases]) => cases);

describe('classifyName over SLOT_SYNONYMS', () => {
  it('the groups below follow the table row by row (same patterns, same order)', () => {
    expect(SYNONYMS.slice(0, -1).map(([pattern]) => pattern)).toEqual(SLOT_SYNONYMS.map(([re]) => re.source));
    expect(SLOT_SYNONYMS.length).toBe(56);
  });

  it('an empty name, or one of punctuation only, has no slot (whatever the kind)', () => {
    for (const name of ['', '***', ' - ']) for (const kind of [undefined, 'dispatch', 'report'] as const) expect(classifyName(name, kind)).toBeNull();
  });

  it('every row has at least one case that maps to it', () => {
    const covered = new Set(ALL_CASES.map(([, s]) => s));
    expect(SLOT_SYNONYMS.map(([, s]) => s).filter((s) => !covered.has(s))).toEqual([]);
  });

  it.each(SYNONYMS)('/%s/', (_pattern, cases) => {
    expect(cases.map(([input]) => [input, classifyName(input)])).toEqual(cases);
  });

  it('classifyHole is classifyName without a kind', () => {
    expect(ALL_CASES.map(([input]) => [input, classifyHole(input)])).toEqual(ALL_CASES);
    expect(classifyHole('verification')).toBe('verification-results');
  });
});

describe('the verification rule (the kind decides)', () => {
  const KINDS: (TemplateKind | undefined)[] = ['dispatch', 'registration', 'report', undefined];
  const byKind = (k: TemplateKind | undefined) => (k === 'dispatch' || k === 'registration' ? 'verification-commands' : 'verification-results');
  const cases = ['verification', 'Verification', 'verify', 'check', 'checks', 'test', 'tests', 'TESTS'].flatMap((w) =>
    KINDS.map((k) => [w, k, byKind(k)] as const),
  );
  it.each(cases)('%j as %s → %s', (word, kind, expected) => {
    expect(classifyName(word, kind)).toBe(expected);
  });

  it.each([
    ['verifications', null],
    ['testing', null],
    ['the-checks', null],
    ['verification-commands', 'verification-commands'],
  ] as const)('not the rule: %j as report → %j', (word, expected) => {
    expect(classifyName(word, 'report')).toBe(expected);
  });

  it('a kind does not change other rows', () => {
    for (const k of KINDS) expect(classifyName('Base commit', k)).toBe('base-commit');
  });
});

describe('slotFor', () => {
  // Weak hole names (and what each would give on its own), under a label that names a slot.
  const WEAK_HOLES: [string, Slot | null][] = [
    ['id', 'thread-id'],
    ['sha', 'commit-sha'],
    ['summary', 'summary'],
    ['files', null],
    ['branch', 'branch'],
    ['scope', 'scope'],
    ['status', 'status'],
    ['check', 'verification-results'],
    ['checks', 'verification-results'],
    ['step', 'plan'],
    ['worker', 'role'],
    ['details', null],
    ['value', null],
    ['text', null],
    ['result', 'outcome'],
    ['none', null],
    ['info', null],
    ['the-id', null],
    ['the-sha', 'commit-sha'],
    ['the-status', 'status'],
    ['The worker', 'role'],
    ['id-or-none', null],
    ['sha-or-details', 'commit-sha'],
    ['status-or-n-a', 'status'],
    ['branch or none', 'branch'],
    ['summary-or-details', 'summary'],
    ['summary-or-anything-else', 'summary'],
    ['none-or-list', null],
    ['details-or-notes', 'notes-path'],
  ];

  it.each(WEAK_HOLES)('weak hole <%s> defers to a label, else gives its own slot %j', (h, own) => {
    expect(slotFor(h, 'Base commit', 'report')).toBe('base-commit');
    expect(slotFor(h, null, 'report')).toBe(own);
    expect(slotFor(h, 'Colour', 'report')).toBe(own); // a label that names nothing
  });

  it.each([
    // A specific (not weak) hole name wins over the label.
    ['base-commit', 'Working directory', 'base-commit'],
    ['sha-or-branch-the-worker-branch-starts-from', 'Commit', 'base-commit'],
    ['sha-value', 'Base commit', 'commit-sha'],
    ['branch-name', 'Base commit', 'branch'],
    ['status-or-other', 'Base commit', 'status'],
    ['summary-of-work', 'Base commit', 'summary'],
    ['ids', 'Base commit', 'base-commit'], // no slot of its own: the label
    ['worker-thread-id', 'Leader thread ID', 'worker-thread-id'],
    ['the-the-id', 'Base commit', 'base-commit'],
    ['build-summary-or-notes', 'Branch', 'notes-path'], // "summary-or-" is weak only at the start
    ['summary-or-notes', 'Branch', 'branch'],
    // No slot, no label.
    ['colour', null, null],
    ['foo-bar', null, null],
    // No slot, a label that names nothing.
    ['colour', 'Favourite', null],
  ] as const)('<%s> under %j → %j', (h, label, expected) => {
    expect(slotFor(h, label, 'report')).toBe(expected);
  });

  it('`thread-id` is specific, so it wins over a leader label', () => {
    // `id` alone is weak, `thread-id` is not: under `Leader thread ID:` a `<thread-id>` hole
    // keeps its own, generic slot.
    expect(slotFor('thread-id', 'Leader thread ID', 'dispatch')).toBe('thread-id');
    expect(slotFor('id', 'Leader thread ID', 'dispatch')).toBe('leader-thread-id');
  });

  it('the kind reaches both the hole and the label', () => {
    expect(slotFor('value', 'Verification', 'dispatch')).toBe('verification-commands');
    expect(slotFor('value', 'Verification', 'registration')).toBe('verification-commands');
    expect(slotFor('value', 'Verification', 'report')).toBe('verification-results');
    expect(slotFor('checks', null, 'dispatch')).toBe('verification-commands');
    expect(slotFor('checks', null, 'report')).toBe('verification-results');
    expect(slotFor('checks', 'Base commit', 'dispatch')).toBe('base-commit');
    expect(slotFor('tests', 'Base commit', 'dispatch')).toBe('verification-commands'); // `tests` is not weak
  });

  it('an empty label is no label', () => {
    expect(slotFor('sha', '', 'report')).toBe('commit-sha');
  });
});

describe('enumOptions', () => {
  it.each([
    ['yes/no', ['yes', 'no']],
    ['yes/no plus notes', ['yes', 'no']],
    ['yes/no\tand why', ['yes', 'no']],
    ['  yes/no', ['yes', 'no']],
    ['yes/no  ', ['yes', 'no']],
    ['Yes/No', ['Yes', 'No']],
    ['PASS/FAIL', ['PASS', 'FAIL']],
    ['yes/no/n-a', ['yes', 'no', 'n-a']],
    ['pending/received/none', ['pending', 'received', 'none']],
    ['done/blocked/n-a', ['done', 'blocked', 'n-a']],
    ['ok2/no', ['ok2', 'no']],
    // Each answer word makes a list a choice.
    ['yes/maybe', ['yes', 'maybe']],
    ['maybe/no', ['maybe', 'no']],
    ['n-a/done', ['n-a', 'done']],
    ['na/done', ['na', 'done']],
    ['true/unknown', ['true', 'unknown']],
    ['unknown/false', ['unknown', 'false']],
    ['pass/skip', ['pass', 'skip']],
    ['skip/fail', ['skip', 'fail']],
    ['passed/skipped', ['passed', 'skipped']],
    ['skipped/failed', ['skipped', 'failed']],
    ['none/some', ['none', 'some']],
    ['NA/Done', ['NA', 'Done']],
    ['True/Unknown', ['True', 'Unknown']],
  ] as const)('%j → %j', (h, expected) => {
    expect(enumOptions(h)).toEqual(expected);
  });

  it.each([
    ['commands/results'], // no answer word: a description
    ['pending/received'],
    ['a/b'],
    ['yes'], // a single word
    ['none'],
    ['yes/'],
    ['/yes'],
    ['yes / no'],
    ['yes/no, with notes'], // the list must end at a space or the end
    ['yes/no.'],
    ['1/yes'],
    ['yes/2'],
    ['notes: yes/no'], // the list must lead
    ['yess/noo'],
    ['n_a/yes'],
    [''],
  ])('%j → null', (h) => {
    expect(enumOptions(h)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// The first line that says anything: blank lines above a header or a template's header line
// ---------------------------------------------------------------------------------------------

describe('the header is read off the first line that says anything', () => {
  const HEADER = 'From: <role> (thread ID: <thread-id>)';

  it('parseHeader skips blank and blank-looking lines above it, and finds nothing in blank text', () => {
    expect(parseHeader(headerProfile(HEADER), '\n   \n\nFrom: lead (thread ID: t-1)\nrest')).toEqual({ role: 'lead', threadId: 't-1' });
    expect(parseHeader(headerProfile(HEADER), 'Hello\nFrom: lead (thread ID: t-1)')).toBeNull();
    expect(parseHeader(headerProfile(HEADER), '\n  \n')).toBeNull();
  });

  const withTemplate = (text: string) =>
    ({
      ...headerProfile(HEADER),
      templates: { dispatch: { kind: 'dispatch', file: 'references/d.md', line: 3, text } },
    }) as unknown as Pick<SkillProfile, 'header' | 'templates'>;

  it('templateHasHeader: a header line after blank lines counts; a later one or none does not', () => {
    expect(templateHasHeader(withTemplate('\n  \nFrom: <role> (thread ID: <thread-id>)\nBody'), 'dispatch')).toBe(true);
    expect(templateHasHeader(withTemplate('Body\nFrom: <role> (thread ID: <thread-id>)'), 'dispatch')).toBe(false);
    expect(templateHasHeader(withTemplate('\n   \n'), 'dispatch')).toBe(false);
    // Read as a worker reads a message: a comment or a fence line before the header says nothing.
    expect(templateHasHeader(withTemplate('<!-- sent by the leader -->\nFrom: <role> (thread ID: <thread-id>)\nBody'), 'dispatch')).toBe(true);
    expect(templateHasHeader(withTemplate('```text\nFrom: <role> (thread ID: <thread-id>)\nBody\n```'), 'dispatch')).toBe(true);
  });
});
