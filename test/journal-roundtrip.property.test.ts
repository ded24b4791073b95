// A journal reads back as the state it was written from, for every skill's state template: after
// a lost context the leader knows only what it reads back. The ledger holds any value exactly
// (the leader puts workers' own words in it: reasons, report paths, progress notes; a no-break
// space among them once made the journal unreadable). The decisions are read from the filled-in
// template, where markup is markup: they come back exactly when they are words and punctuation,
// as the leader writes them, semicolons included (a lone decision holding `; ` once came back as
// two: the reader joined a list's rows and split the line again).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJournal, renderJournal } from '../src/leader/index.ts';
import { newWorker, type RunState, type WorkerRecord } from '../src/leader/state.ts';
import { loadSkill } from '../src/skill/index.ts';
import { allSkills } from './support/skills.ts';

const PHASES = ['pending', 'created', 'registered', 'dispatched', 'started', 'reported', 'rework', 'merged', 'replaced', 'excluded', 'stopped'] as const;
const STATUSES = ['awaiting-confirmation', 'declined', 'running', 'merging', 'aborting', 'complete', 'aborted'] as const;

/** One line of anything (a model's words, markup, separators, other scripts and spaces). */
const line = fc
  .string({
    unit: fc.oneof(fc.constantFrom(...' %>|:-*_`#[]()<>=\t\u00a0\u2028é漢'.split('')), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })),
    maxLength: 40,
  })
  .map((s) => s.replace(/[\r\n]/g, ' '));
const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
/** Words and punctuation, one space apart: a decision as the leader logs it. */
const prose = fc.array(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9./'-]{0,10}[,.:;]?$/), { minLength: 1, maxLength: 8 }).map((ws) => ws.join(' '));
const count = fc.integer({ min: 0, max: 10_000_000 });

const worker: fc.Arbitrary<WorkerRecord> = fc
  .record({
    role: word,
    n: fc.integer({ min: 1, max: 9 }),
    text: fc.array(line, { minLength: 9, maxLength: 9 }),
    nums: fc.array(count, { minLength: 8, maxLength: 8 }),
    asked: fc.boolean(),
    state: fc.constantFrom(...PHASES),
    cleaned: fc.constantFrom('', 'archived', 'removed', 'kept'),
  })
  .map(({ role, n, text, nums, asked, state, cleaned }) => {
    const w = newWorker(role, n);
    [w.thread, w.pending, w.branch, w.dir, w.base, w.seen, w.waitingOn, w.report, w.why] = text as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    [w.dispatchedAt, w.startedAt, w.silent, w.quietSince, w.askedAt, w.nudges, w.longUntil, w.reworks] = nums as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    w.sha = text[4]!;
    return Object.assign(w, { asked, state: state as WorkerRecord['state'], cleaned: cleaned as WorkerRecord['cleaned'] });
  });

const state: fc.Arbitrary<RunState> = fc.record({
  leader: word,
  status: fc.constantFrom(...STATUSES),
  reason: line,
  phase: line,
  updatedAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  task: line,
  model: line,
  thinking: line,
  integration: word,
  keepWorktrees: fc.boolean(),
  workers: fc.array(worker, { maxLength: 4 }),
  heartbeat: fc.option(fc.record({ id: word, status: fc.constantFrom('ACTIVE' as const, 'PAUSED' as const) }), { nil: null }),
  merges: fc.array(fc.record({ role: word, branch: line, sha: line, tests: line }), { maxLength: 3 }),
  // As the leader logs them: a time, then one line.
  decisions: fc.array(
    fc.tuple(fc.date({ noInvalidDate: true }), prose).map(([d, t]) => `[${d.toISOString()}] ${t}`),
    { maxLength: 5 },
  ),
  next: line,
});

describe('a journal reads back as the state it was written from', () => {
  for (const { name, dir } of allSkills()) {
    it(`${name}: any state, rendered and parsed`, async () => {
      const { profile } = await loadSkill(dir);
      fc.assert(
        fc.property(state, (st) => {
          expect(parseJournal(profile!, `${renderJournal(profile!, st)}\n`, 'journal')).toEqual(st);
        }),
        { numRuns: 300 },
      );
    });
  }
});
