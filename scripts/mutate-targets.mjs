// What `npm run mutate` mutation-tests, and with which tests: one target per folder, each with
// the fast, direct tests of that folder only. The catalogue, live and end-to-end tests are
// left out: each simulates or spawns for seconds, and per-test coverage would run them for
// every mutant they touch (hours); the leader-to-checker path they add is covered by
// test/mutation.test.ts in `npm test`. test/modules-load.test.ts is in every target: it turns a
// mutant that stops a module from loading into a failed test (Stryker's vitest runner would
// otherwise score it survived; see that file). Each list runs in its order (see
// vitest.mutate.config.ts), cheapest first: a mutant's run stops at its first failing test.
const LOADS = 'test/modules-load.test.ts';

/**
 * Where the measurements live: each run's JSON report, the files it was asked to mutate and its
 * test fingerprint are committed (a fresh clone scores from them, and re-runs incrementally from
 * the report, which holds what Stryker's incremental file does, instead of hours of
 * re-measuring); the incremental files and the HTML pages are rebuilt by each run and ignored.
 */
export const MEASURED = 'mutation';
export const PAGES = 'reports/mutation';

export const TARGETS = {
  invariants: {
    mutate: ['src/invariants/**/*.ts', '!src/invariants/broken-traces.ts'],
    tests: [
      'test/rule-sets.test.ts',
      'test/clauses.test.ts',
      'test/invariants-edges.test.ts',
      'test/trace-model.test.ts',
      'test/hosts-checkers.test.ts',
      LOADS,
    ],
    goal: 90,
  },
  skill: {
    mutate: ['src/skill/**/*.ts'],
    tests: [
      'test/lines.test.ts',
      'test/paths.test.ts',
      'test/paraphrase.test.ts',
      'test/views.test.ts',
      'test/form-fill.test.ts',
      'test/skill-edges.test.ts',
      'test/markdown.test.ts',
      'test/forms-golden.test.ts',
      'test/skills-golden.test.ts',
      'test/skill.test.ts',
      'test/forms.test.ts',
      'test/forms.property.test.ts',
      'test/skill-lint.test.ts',
      'test/skill-findings.test.ts',
      'test/form-edges.test.ts',
      'test/form-read-edges.test.ts',
      'test/profile-edges.test.ts',
      LOADS,
    ],
    // Files whose own tests are not named after them (test/NAME.test.ts is found by name).
    direct: {
      'src/skill/load.ts': ['test/profile-edges.test.ts', 'test/skill-findings.test.ts'],
      'src/skill/profile.ts': ['test/profile-edges.test.ts', 'test/skill-findings.test.ts'],
      'src/skill/form.ts': ['test/form-edges.test.ts', 'test/forms.test.ts'],
      'src/skill/form-read.ts': ['test/form-read-edges.test.ts', 'test/forms.test.ts'],
    },
    goal: 85,
  },
  contract: {
    mutate: ['src/contract/**/*.ts'],
    tests: [
      'test/contract.test.ts',
      'test/contract-errors.test.ts',
      'test/sim/tools.test.ts',
      'test/sim/threads.test.ts',
      'test/sim/heartbeats.test.ts',
      'test/sim/tui-host.test.ts',
      'test/contract/rrule.test.ts',
      'test/contract/automation-book.test.ts',
      'test/contract/answers.test.ts',
      LOADS,
    ],
    direct: {
      'src/contract/hosts.ts': ['test/sim/tui-host.test.ts'],
      'src/contract/rrule.ts': ['test/contract/rrule.test.ts'],
      'src/contract/automation-book.ts': ['test/contract/automation-book.test.ts'],
      'src/contract/answers.ts': ['test/contract/answers.test.ts'],
    },
    goal: 85,
  },
};

/**
 * The tests a run over `files` (paths, or `path:from-to` parts) puts first: each file's own,
 * test/NAME.test.ts or the target's `direct` entry, when the target runs them.
 */
export function directTests(t, files) {
  const out = [];
  for (const entry of files) {
    const path = entry.replace(/:\d+-\d+$/, '');
    const base = path.replace(/^.*\//, '').replace(/\.ts$/, '');
    for (const test of [...(t.direct?.[path] ?? []), `test/${base}.test.ts`]) if (t.tests.includes(test) && !out.includes(test)) out.push(test);
  }
  return out;
}

export function target(name = process.env.MUTATE_TARGET ?? 'invariants') {
  const t = TARGETS[name];
  if (!t) throw new Error(`MUTATE_TARGET: expected one of ${Object.keys(TARGETS).join(', ')}, got ${name}`);
  return { name, ...t };
}
