// The views (src/skill/views.ts) every reader of messages and files goes through, pinned on
// hand-made readings: the roster, paths, collaborators, a report, a journal's status, the
// final report and a worker's signal, each with the spellings people and models use and the
// near misses that must not count.

import { describe, expect, it } from 'vitest';
import type { FormReading, Row } from '../src/skill/form-read.ts';
import { formOf } from '../src/skill/form.ts';
import {
  assignmentOf,
  collaboratorsOf,
  finalOf,
  parseRosterText,
  pathsIn,
  recognise,
  reportOf,
  rosterOf,
  signalOf,
  stateOf,
  type Forms,
} from '../src/skill/views.ts';
import { lazy } from './support/lazy.ts';

/** A reading with the given values and collections (everything else empty). */
function reading(values: FormReading['values'], lists: FormReading['lists'] = [], subjects: FormReading['subjects'] = {}): FormReading {
  return { score: 1, anchors: 1, found: 1, values, holes: {}, lists, subjects, missing: [], unfilled: [], extra: '' };
}
const row = (values: Row['values'], text = '', holes: Row['holes'] = {}): Row => ({ text, values, holes });

describe('parseRosterText', () => {
  it.each([
    ['api | 019a7f3c', [{ role: 'api', threadId: '019a7f3c' }]],
    ['- api: 019a7f3c / feat/api', [{ role: 'api', threadId: '019a7f3c' }]],
    ['api (thread ID: 019a-7f3c)', [{ role: 'api', threadId: '019a-7f3c' }]],
    ['api (019a_7f3c)', [{ role: 'api', threadId: '019a_7f3c' }]],
    ['data layer   :   abcdef', [{ role: 'data layer', threadId: 'abcdef' }]],
    [
      '1. api | 019a7f3c\n2. db | 02bb8e4d',
      [
        { role: 'api', threadId: '019a7f3c' },
        { role: 'db', threadId: '02bb8e4d' },
      ],
    ],
    ['api: 12345', []], // an id has at least six characters
    ['api 019a7f3c', []], // no separator
    ['| 019a7f3c', []], // no role
    ['api: !!!!!!!', []],
    [undefined, []],
    ['none', []],
  ])('%j → %j', (text, entries) => {
    expect(parseRosterText(text)).toEqual(entries);
  });
});

describe('rosterOf', () => {
  it('rows with a role and an id, the leader first (from its own row), each id once', () => {
    const r = reading(
      {},
      [
        {
          slot: 'roster',
          label: 'Roster',
          rows: [
            row({ role: '**api**', 'worker-thread-id': '019a7f3c' }),
            row({ role: 'db', 'thread-id': '02bb8e4d' }),
            row({ role: 'dup', 'thread-id': '019a7f3c' }),
          ],
        },
      ],
      { leader: row({ 'leader-thread-id': 'lead0001' }) },
    );
    expect(rosterOf(r)).toEqual([
      { role: 'leader', threadId: 'lead0001' },
      { role: 'api', threadId: '019a7f3c' },
      { role: 'db', threadId: '02bb8e4d' },
    ]);
  });

  it('a row whose id is not an id is read as text; the leader id of the message counts only beside rows', () => {
    const rows = [row({ role: 'api', 'thread-id': 'n/a' }, 'api | 019a7f3c')];
    expect(rosterOf(reading({ 'leader-thread-id': 'lead0001' }, [{ slot: 'roster', label: null, rows }]))).toEqual([
      { role: 'leader', threadId: 'lead0001' },
      { role: 'api', threadId: '019a7f3c' },
    ]);
    expect(rosterOf(reading({ 'leader-thread-id': 'lead0001', roster: 'api | 019a7f3c' }))).toEqual([{ role: 'api', threadId: '019a7f3c' }]);
    expect(rosterOf(reading({ 'leader-thread-id': 'x' }, [{ slot: 'roster', label: null, rows: [row({ role: 'api', 'thread-id': '019a7f3c' })] }]))).toEqual([
      { role: 'api', threadId: '019a7f3c' },
    ]);
  });

  it('other collections are not the roster', () => {
    expect(rosterOf(reading({}, [{ slot: 'merges', label: null, rows: [row({ role: 'api', 'thread-id': '019a7f3c' })] }]))).toEqual([]);
  });
});

describe('pathsIn', () => {
  it.each([
    ['edit src/api/billing.ts and README.md', ['src/api/billing.ts', 'README.md']],
    ['(src/a.ts), `b/c.js`; "d/e.md" \'f.py\'', ['src/a.ts', 'b/c.js', 'd/e.md', 'f.py']],
    ['src/a.ts: the handler', ['src/a.ts']],
    ['a/b/c', ['a/b/c']], // a folder path
    ['see docs/guide.', ['docs/guide']],
    ['src/a.ts src/a.ts', ['src/a.ts']],
    ['version 1.2 and 2024/05', []], // numbers are not paths
    ['e.g. this', []],
    ['x.abcdefg', []], // an extension is at most six letters
    ['file.TS', []],
    ['http://host/x', []],
    ['', []],
    [undefined, []],
  ])('%j → %j', (text, paths) => {
    expect(pathsIn(text)).toEqual(paths);
  });
});

describe('collaboratorsOf', () => {
  const roster = [
    { role: 'API', threadId: '019a7f3c' },
    { role: 'db', threadId: '02bb8e4d' },
  ];
  it.each([
    ['- api: ask about the schema\n- DB', ['api', 'db']],
    ['api; api (again)', ['api']],
    ['ops team', ['ops team']], // not a roster role: the item as written
    ['- 2 people', ['2 people']],
    ['none', []],
  ])('%j → %j', (text, roles) => {
    expect(collaboratorsOf(text, roster)).toEqual(roles);
  });
  it('without a roster every lead word counts', () => {
    expect(collaboratorsOf('ops: the deploy', [])).toEqual(['ops']);
  });
});

describe('assignmentOf', () => {
  it('every field it gives, the owned files from the ownership map when the list is empty, not-owned from peers on the roster', () => {
    const r = reading(
      {
        role: '**api**',
        'worker-thread-id': '019a7f3c',
        'leader-thread-id': 'lead0001',
        branch: 'feat/api',
        'working-directory': '/w/api',
        'base-commit': 'abc1234',
        'integration-branch': 'main',
        scope: 'the billing API',
        'not-owned-files': 'docs/ (ask first)',
        'report-path': '.thread-team/report.md',
        'notes-path': '.thread-team/notes.md',
        ownership: '- api: src/api/billing.ts\n- db: src/db/schema.sql\n- web: web/app.ts',
        collaborators: 'db',
      },
      [
        { slot: 'roster', label: null, rows: [row({ role: 'db', 'thread-id': '02bb8e4d' })] },
        { slot: 'verification-commands', label: null, rows: [row({}, 'npm test'), row({}, 'npm run lint')] },
      ],
    );
    expect(assignmentOf(r)).toEqual({
      role: 'api',
      self: '019a7f3c',
      leader: 'lead0001',
      branch: 'feat/api',
      dir: '/w/api',
      base: 'abc1234',
      integration: 'main',
      scope: 'the billing API',
      owned: ['src/api/billing.ts'],
      notOwned: ['docs/ (ask first)', 'src/db/schema.sql'],
      verification: ['npm test', 'npm run lint'],
      roster: [
        { role: 'leader', threadId: 'lead0001' },
        { role: 'db', threadId: '02bb8e4d' },
      ],
      collaborators: ['db'],
      reportPath: '.thread-team/report.md',
      notesPath: '.thread-team/notes.md',
    });
  });

  it('an empty reading gives only the lists; owned files fall back to the paths of the scope', () => {
    expect(assignmentOf(reading({}))).toEqual({ owned: [], notOwned: [], verification: [], roster: [], collaborators: [] });
    expect(assignmentOf(reading({ scope: 'fix src/x.ts', 'owned-files': '' })).owned).toEqual(['src/x.ts']);
    expect(assignmentOf(reading({ 'owned-files': '- src/a.ts and src/b.ts\n- the whole web app' })).owned).toEqual([
      'src/a.ts',
      'src/b.ts',
      'the whole web app',
    ]);
  });
});

describe('reportOf', () => {
  it.each([
    ['abc1234 on feat/api', 'abc1234'],
    ['commit `0123456789abcdef0123456789abcdef01234567`', '0123456789abcdef0123456789abcdef01234567'],
    ['abc123', undefined], // six hex digits are not a commit
    ['ABC1234', undefined],
    ['xabc1234', undefined],
    ['abc1234x', undefined], // a hex run inside a word is not a commit, at either end
  ])('commit %j → %j', (sha, commit) => {
    expect(reportOf(reading({ 'commit-sha': sha })).commit).toBe(commit);
  });

  it.each([
    ['npm test: exit 1', true],
    ['exit 0', false],
    ['exit 10', true],
    ['2 tests FAIL', true],
    ['1 failed, 3 passed', true],
    ['it fails on CI', true],
    ['build failure', true],
    ['12 passed, 0 failed', false], // "0 fail" is a pass
    ['failover works', false],
    ['unfailed', false],
    ['', false],
  ])('verification %j failed: %s', (verification, failed) => {
    expect(reportOf(reading({ 'verification-results': verification })).failed).toBe(failed);
  });

  it('the verification may be a list; the summary is passed on', () => {
    const r = reading({ summary: 'done' }, [{ slot: 'verification-results', label: null, rows: [row({}, 'npm test: ok'), row({}, 'lint: exit 2')] }]);
    expect(reportOf(r)).toEqual({ commit: undefined, summary: 'done', verification: 'npm test: ok\nlint: exit 2', failed: true });
    expect(reportOf(reading({}))).toEqual({ commit: undefined, summary: undefined, verification: '', failed: false });
  });
});

describe('stateOf', () => {
  it.each([
    ['running', 'running', ''],
    ['Complete', 'complete', ''],
    ['completed', 'complete', ''],
    ['**ABORTED**', 'aborted', ''],
    ['aborting', 'aborted', ''],
    ['aborted: tests never passed', 'aborted', 'tests never passed'],
    ['aborted; out of budget', 'aborted', 'out of budget'],
    ['aborted — user asked', 'aborted', 'user asked'],
    ['aborted – user asked', 'aborted', 'user asked'],
    ['aborted - user asked', 'aborted', 'user asked'],
    ['aborted (user asked)', 'aborted', 'user asked'],
    ['aborted\nuser asked', 'aborted', 'user asked'],
    ['- in-progress', 'in-progress', ''],
    ['waiting on api', 'waiting on api', ''],
    ['', '', ''],
  ])('%j → %j, %j', (status, word, reason) => {
    expect(stateOf(reading({ status }))).toEqual({ status: word, reason });
  });
  it('a reason field wins over the reason on the status line', () => {
    expect(stateOf(reading({ status: 'aborted: short', reason: '  the long one ' }))).toEqual({ status: 'aborted', reason: 'the long one' });
  });
});

describe('finalOf', () => {
  it.each([
    ['Aborted', 'aborted'],
    ['cancelled by the user', 'aborted'],
    ['canceled', 'aborted'],
    ['abort', 'aborted'],
    ['complete', 'complete'],
    ['Completed with one exclusion', 'complete'],
    ['partial', 'other'],
    ['incomplete', 'other'],
    ['aborts', 'other'],
  ])('outcome %j → %s', (outcome, word) => {
    expect(finalOf(reading({ outcome }), '').outcome).toBe(word);
  });

  it('without an outcome field the text says it', () => {
    expect(finalOf(reading({}), 'From: leader (thread ID: t)\nThe run was aborted.').outcome).toBe('aborted');
    expect(finalOf(reading({}), 'All complete.').outcome).toBe('complete');
    expect(finalOf(reading({}), 'Done.').outcome).toBe('other');
  });

  it('excluded roles from the excluded list, in every spelling, and from roster rows marked excluded', () => {
    const r = reading({ excluded: '- API: tests failed\n- db — no commit\n- web – late\n- ops - blocked\n- qa (never started)\n- not a role line' }, [
      {
        slot: 'roster',
        label: null,
        rows: [
          row({ role: 'Docs', outcome: 'out of scope' }, '', { status: 'Excluded' }),
          row({ role: 'cli', summary: 'dropped late' }, '', { status: 'not integrated' }),
          row({ role: 'qa' }, '', { status: 'dropped' }),
          row({ role: 'perf', reason: 'slow' }, '', { status: 'merged' }),
          row({}, '', { status: 'excluded' }),
          row({ role: 'ops' }, '', { status: 'not-integrated' }),
        ],
      },
    ]);
    expect(Object.fromEntries(finalOf(r, '').excluded)).toEqual({
      api: 'tests failed',
      db: 'no commit',
      web: 'late',
      ops: 'blocked',
      qa: 'never started',
      docs: 'out of scope',
      cli: 'dropped late',
    });
    expect(finalOf(reading({}, [{ slot: 'roster', label: null, rows: [row({ role: 'x' }, '', { s: 'excluded' })] }]), '').excluded.get('x')).toBe('');
  });
});

describe('a list of one item holding a semicolon is one item', () => {
  // The reader tells a list's rows apart; a lone row once came back joined and split again.
  it('a verification command, an excluded worker: one row each, `;` and all', () => {
    const one = (slot: 'verification-commands' | 'excluded', text: string) => reading({}, [{ slot, label: null, rows: [row({}, text)] }]);
    expect(assignmentOf(one('verification-commands', 'npm ci; npm test')).verification).toEqual(['npm ci; npm test']);
    // An item wrapped onto a second line (the reader keeps its indented continuation) is one item too.
    expect(assignmentOf(one('verification-commands', 'npm test\n--workspace api')).verification).toEqual(['npm test --workspace api']);
    expect(Object.fromEntries(finalOf(one('excluded', 'api: tests failed; no commit'), '').excluded)).toEqual({ api: 'tests failed; no commit' });
  });

  it('a value written on one line is still a list folded onto it', () => {
    expect(assignmentOf(reading({ 'verification-commands': 'npm ci; npm test' })).verification).toEqual(['npm ci', 'npm test']);
  });
});

describe('signalOf', () => {
  const words = { complete: 'COMPLETE', blocked: 'BLOCKED' };
  const sha = '0123456789abcdef0123456789abcdef01234567';

  it.each([
    [`COMPLETE .thread-team/report.md ${sha}`, { kind: 'complete', text: `COMPLETE .thread-team/report.md ${sha}`, reportPath: '.thread-team/report.md', sha }],
    [`- **complete**: (\`out/r.md\`), ${sha}.`, { kind: 'complete', text: `complete: (out/r.md), ${sha}.`, reportPath: 'out/r.md', sha }],
    ['COMPLETE', { kind: 'complete', text: 'COMPLETE' }],
    ['COMPLETED it', { kind: 'other', text: 'COMPLETED it' }], // a longer word is not the signal
    ['BLOCKED: need the schema', { kind: 'blocked', text: 'need the schema' }],
    ['blocked — need the schema', { kind: 'blocked', text: 'need the schema' }],
    ['Status: tests running', { kind: 'status', text: 'tests running' }],
    ['STATUS - half done', { kind: 'status', text: 'half done' }],
    ['statuses differ', { kind: 'other', text: 'statuses differ' }],
    ['Hello.\n\nBLOCKED on db\nCOMPLETE', { kind: 'blocked', text: 'on db' }], // the first signal line wins
    [
      `Report at .thread-team/report.md, commit ${sha}`,
      { kind: 'complete', text: `Report at .thread-team/report.md, commit ${sha}`, reportPath: '.thread-team/report.md', sha },
    ],
    [`see out/report-api.md for ${sha}`, { kind: 'complete', text: `see out/report-api.md for ${sha}`, reportPath: 'out/report-api.md', sha }],
    [`Was blocked before ${sha} in .thread-team/report.md`, { kind: 'other', text: `Was blocked before ${sha} in .thread-team/report.md` }],
    [`commit ${sha} only`, { kind: 'other', text: `commit ${sha} only` }],
    [`commit ${sha.slice(1)} in .thread-team/report.md`, { kind: 'other', text: `commit ${sha.slice(1)} in .thread-team/report.md` }],
    ['', { kind: 'other', text: '' }],
  ])('%j', (body, signal) => {
    expect(signalOf(body, words, '.thread-team/report.md')).toEqual(signal);
  });

  it('signal words are taken literally, not as patterns', () => {
    expect(signalOf('D.NE x/r.md', { complete: 'D.NE', blocked: 'HELP' }, 'r.md')).toEqual({ kind: 'complete', text: 'D.NE x/r.md', reportPath: 'x/r.md' });
    expect(signalOf('DONE x/r.md', { complete: 'D.NE', blocked: 'HELP' }, 'r.md').kind).toBe('other');
  });
});

// The survivors of the views' first mutation run, each pinned on its own.
describe('views: edges', () => {
  const sha = '0123456789abcdef0123456789abcdef01234567';
  const words = { complete: 'COMPLETE', blocked: 'BLOCKED' };

  it('an id must be an id from its first character; a path may hold digits after its first', () => {
    const rows = [row({ role: 'api', 'thread-id': 'x!abcdef1' })];
    expect(rosterOf(reading({}, [{ slot: 'roster', label: null, rows }]))).toEqual([]);
    expect(pathsIn('see src/v2.ts')).toEqual(['src/v2.ts']);
  });

  it("a worker's own entry of the ownership map is never among the files it must not touch; no role, no crash", () => {
    const ownership = '- api: src/api/x.ts\n- db: src/db/y.sql';
    const roster = [
      { slot: 'roster' as const, label: null, rows: [row({ role: 'api', 'thread-id': 'aaaaaa01' }), row({ role: 'db', 'thread-id': 'bbbbbb02' })] },
    ];
    const a = assignmentOf(reading({ role: 'API', ownership }, roster));
    expect(a.owned).toEqual(['src/api/x.ts']);
    expect(a.notOwned).toEqual(['src/db/y.sql']);
    expect(assignmentOf(reading({ ownership }, roster)).notOwned).toEqual(['src/api/x.ts', 'src/db/y.sql']);
  });

  it('journal status: no status at all, lines around it, blank lines inside, words that only contain abort or complete', () => {
    expect(stateOf(reading({}))).toEqual({ status: '', reason: '' });
    expect(stateOf(reading({ status: '\naborted\n' }))).toEqual({ status: 'aborted', reason: '' });
    expect(stateOf(reading({ status: 'aborted\n\nuser asked' }))).toEqual({ status: 'aborted', reason: 'user asked' });
    expect(stateOf(reading({ status: 'not-aborted' })).status).toBe('not-aborted');
    expect(stateOf(reading({ status: 'incomplete' })).status).toBe('incomplete');
  });

  it('final report: the outcome over lines, "cancel" alone, and excluded lines and rows read exactly', () => {
    expect(finalOf(reading({}), 'The run was\naborted.').outcome).toBe('aborted');
    expect(finalOf(reading({ outcome: 'cancel' }), '').outcome).toBe('aborted');
    const r = reading({ excluded: '- (1) api: failed\n- qa (never started )\n- ui (see (notes) later)' }, [
      {
        slot: 'roster',
        label: null,
        rows: [
          row({ role: 'docs', outcome: '  out of scope ' }, '', { status: ' excluded ' }),
          row({ role: 'cli' }, '', { status: 'not excluded' }),
          row({ role: 'web' }, '', { status: 'excluded later' }),
          row({ role: 'qa' }, '', { status: 'dropped' }),
        ],
      },
    ]);
    expect(Object.fromEntries(finalOf(r, '').excluded)).toEqual({ qa: 'never started', ui: 'see (notes) later', docs: 'out of scope' });
  });

  it.each([
    ['a\n\nb', { kind: 'other', text: 'a\nb' }],
    ['BLOCKED(no key - yet)', { kind: 'blocked', text: '(no key - yet)' }],
    ['STATUS(working - ok)', { kind: 'status', text: '(working - ok)' }],
    ['the status is fine', { kind: 'other', text: 'the status is fine' }],
    [`see out/report.md\n${sha}`, { kind: 'complete', text: `see out/report.md\n${sha}`, reportPath: 'out/report.md', sha }],
    [`COMPLETE x/it's-report.md ${sha}`, { kind: 'complete', text: `COMPLETE x/it's-report.md ${sha}`, reportPath: "x/it's-report.md", sha }],
    [`COMPLETE ((x/r.md)) ${sha}`, { kind: 'complete', text: `COMPLETE ((x/r.md)) ${sha}`, reportPath: 'x/r.md', sha }],
    [`COMPLETE out/report.txt ${sha}`, { kind: 'complete', text: `COMPLETE out/report.txt ${sha}`, reportPath: 'out/report.txt', sha }],
    [`COMPLETE report.md ${sha}`, { kind: 'complete', text: `COMPLETE report.md ${sha}`, reportPath: 'report.md', sha }],
  ])('signal %j', (body, signal) => {
    expect(signalOf(body, words, '.thread-team/report.md')).toEqual(signal);
  });
});

// The survivors of a later mutation run, each pinned on its own.
describe('views: edges, second run', () => {
  const roster = (...rows: Row[]) => [{ slot: 'roster' as const, label: null, rows }];

  it('an id is an id to its last character: a row or leader id with more after it is not taken', () => {
    expect(rosterOf(reading({}, roster(row({ role: 'api', 'thread-id': '019a7f3c!' }))))).toEqual([]);
    expect(rosterOf(reading({}, roster(row({ role: 'api', 'thread-id': '019a7f3c' })), { leader: row({ 'leader-thread-id': 'lead0001 (me)' }) }))).toEqual([
      { role: 'api', threadId: '019a7f3c' },
    ]);
  });

  it('a row needs both a role and an id to be read by its holes; else its text is read', () => {
    expect(rosterOf(reading({}, roster(row({ 'thread-id': '019a7f3c' }, 'web | 0c0c0c0c'))))).toEqual([{ role: 'web', threadId: '0c0c0c0c' }]);
    expect(rosterOf(reading({}, roster(row({ role: 'api' }, 'web | 0c0c0c0c'))))).toEqual([{ role: 'web', threadId: '0c0c0c0c' }]);
  });

  it('roster text beside roster rows is not read', () => {
    expect(rosterOf(reading({ roster: 'web | 0c0c0c0c' }, roster(row({ role: 'api', 'thread-id': '019a7f3c' }))))).toEqual([
      { role: 'api', threadId: '019a7f3c' },
    ]);
  });

  it('an ownership map skips its lines without a label', () => {
    const a = assignmentOf(reading({ role: 'api', ownership: 'Ownership as agreed\n- api: src/api/x.ts' }));
    expect(a.owned).toEqual(['src/api/x.ts']);
  });

  it('a lead word is the first word of an item, not a later one, even with no roster to check it against', () => {
    expect(collaboratorsOf('- 2 people', [])).toEqual(['2 people']);
  });

  it('the completion word itself is never taken for the report path', () => {
    expect(signalOf('WORK/DONE', { complete: 'WORK/DONE', blocked: 'HELP' }, 'r.md')).toEqual({ kind: 'complete', text: 'WORK/DONE' });
  });
});

describe('recognise', () => {
  // Two made-up forms: a short one (two labels) and a long one (five, the short one's first).
  const forms = lazy(
    () =>
      ({
        registration: formOf('registration', 'short.md', 1, 'Alpha: <a>\nBeta: <b>'),
        dispatch: formOf('dispatch', 'long.md', 1, 'Alpha: <a>\nBeta: <b>\nGamma: <c>\nDelta: <d>\nEpsilon: <e>'),
        report: formOf('report', 'short-too.md', 1, 'Alpha: <a>\nBeta: <b>'),
      }) as unknown as Forms,
  );
  const two = 'Alpha: 1\nBeta: 2';
  const three = `${two}\nGamma: 3`;
  const five = `${three}\nDelta: 4\nEpsilon: 5`;

  it.each([
    [two, ['registration', 'dispatch'], 'registration'], // the long form finds 2 of 5: below the bar
    [two, ['dispatch', 'registration'], 'registration'],
    [three, ['dispatch', 'registration'], 'registration'], // the long form at 3 of 5 clears the bar, the short one scores higher
    [three, ['registration', 'dispatch'], 'registration'], // finding more anchors does not beat a higher score
    [two, ['registration', 'report'], 'registration'], // a full tie: the first asked for
    [two, ['report', 'registration'], 'report'],
    [three, ['dispatch'], 'dispatch'], // exactly at the bar counts
    [five, ['registration', 'dispatch'], 'dispatch'], // both whole: the one that found more anchors
    [five, ['dispatch', 'registration'], 'dispatch'],
    ['Nothing: here', ['registration', 'dispatch'], null],
  ] as const)('%j among %j is %s', (text, kinds, kind) => {
    expect(recognise(forms(), text, [...kinds])?.kind ?? null).toBe(kind);
  });
});
