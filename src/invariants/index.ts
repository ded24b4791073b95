import type { TraceEvent } from '../trace/events.ts';
import { TraceModel } from './model.ts';
import { T1, T2, T3, T4 } from './setup.ts';
import { W1, W2, W3 } from './worktrees.ts';
import { M1, M2, M3, M4, M5, M6 } from './messages.ts';
import { H1, H2, H3, H4 } from './heartbeats.ts';
import { J1, J2, J3, J4, J5 } from './journal.ts';
import { S1, S2, S3 } from './stalls.ts';
import { R1, R2, R3, R4 } from './merges.ts';
import { A1, L1, L2, U1 } from './endings.ts';
import type { Checker, RuleId, Violation } from './types.ts';

export { TraceModel } from './model.ts';
export type { Checker, RuleId, Violation } from './types.ts';
export { RULE_IDS } from './types.ts';
export { CORE_RULES, RULE_SETS, type RuleSet, counts } from './rule-sets.ts';

/** One checker per rule id of the protocol, in the protocol's order. */
export const CHECKERS: readonly Checker[] = [
  T1,
  T2,
  T3,
  T4,
  W1,
  W2,
  W3,
  M1,
  M2,
  M3,
  M4,
  M5,
  M6,
  H1,
  H2,
  H3,
  H4,
  J1,
  J2,
  J3,
  J4,
  J5,
  S1,
  S2,
  S3,
  R1,
  R2,
  R3,
  R4,
  A1,
  L1,
  L2,
  U1,
];

/**
 * What a trace cannot decide, rule by rule: the checker covers the rest. A trace records
 * acts, not judgement or intent, so these parts need a person or the scenario's expectations.
 */
export const UNDECIDABLE: readonly { rule: RuleId; part: string; reason: string }[] = [
  {
    rule: 'T2',
    part: 'whether the split favours a team',
    reason: 'needs the task split; decided only when the run header carries it (simulated runs), not for live traces',
  },
  {
    rule: 'M3',
    part: 'whether scope, criteria and plan are good enough',
    reason: 'the trace shows every hole filled and the roster complete, not the quality of what was written',
  },
  { rule: 'M5', part: 'peer messages whose target is not in any roster', reason: 'a thread the trace never saw created cannot be placed' },
  {
    rule: 'S3',
    part: '"about three passes" for a worker whose silence a long command or a peer wait excuses',
    reason: "the excuse is in the worker's words; the checker only refuses replacing a started worker without an earlier status request",
  },
  { rule: 'R3', part: 'whether a direct fix was "small"', reason: "a judgement; the checker refuses the leader editing a live worker's worktree" },
  {
    rule: 'R4',
    part: 'whether the review found the cross-worker defects there were',
    reason: 'the trace shows a whole-diff review and a verification after the last merge, not what a reviewer would have noticed',
  },
  {
    rule: 'U1',
    part: 'whether the answer is accurate',
    reason: 'the checker asks for roster roles, blockers, merge progress and next action, not their truth',
  },
];

export interface CheckResult {
  violations: Violation[];
  /** Fault kinds that actually struck (a green run that exercised nothing shows it). */
  faultsFired: string[];
  /** Planned fault kinds that never struck. */
  faultsMissed: string[];
}

export function checkTrace(events: readonly TraceEvent[], only?: readonly RuleId[]): CheckResult {
  const m = new TraceModel(events);
  const violations: Violation[] = [];
  for (const c of CHECKERS) {
    if (only && !only.includes(c.rule)) continue;
    violations.push(...c.check(m));
  }
  const fired = [...new Set(m.ofKind('fault').map((e) => e.fault))].sort();
  return { violations, faultsFired: fired, faultsMissed: m.start.faultsPlanned.filter((f) => !fired.includes(f)) };
}

export interface RunCheck extends CheckResult {
  /** Violations that fail the run: every leader violation, and worker ones the scenario did not expect. */
  failures: Violation[];
  /** Expected worker violations that did not happen (the misbehaviour never showed). */
  unexpectedMissing: string[];
}

export function checkRun(events: readonly TraceEvent[], opts: { workerViolations?: readonly string[] } = {}): RunCheck {
  const r = checkTrace(events);
  const expected = new Set(opts.workerViolations ?? []);
  const failures = r.violations.filter((v) => v.by === 'leader' || !expected.has(v.rule));
  const seen = new Set(r.violations.filter((v) => v.by === 'worker').map((v) => v.rule));
  const unexpectedMissing = [...expected].filter((rule) => !seen.has(rule as RuleId)).map((rule) => `a worker breaking ${rule}, which never happened`);
  return { ...r, failures, unexpectedMissing };
}
