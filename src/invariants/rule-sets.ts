// Which rules a verdict holds a run to. The protocol's rules are written for skills of its own
// family; thread-team skills in other dialects (an orchestrator with roles, its own task queue)
// still keep four that any of them must: exclusive worktrees, no leaked heartbeats, merges one
// at a time with a build/test run between, and state journaled after each outward act.
import type { RuleId, Violation } from './types.ts';

export const RULE_SETS = ['protocol', 'core'] as const;
export type RuleSet = (typeof RULE_SETS)[number];

/**
 * The core rules: exclusive worktrees (W1), no leaked heartbeats (H1), serial merges (R1's
 * clause of a build/test run between one merge and the next, and after the last: `part` picks a
 * clause by its sentence), journaled state (J1).
 */
export const CORE_RULES: readonly { rule: RuleId; part?: RegExp }[] = [
  { rule: 'W1' },
  { rule: 'H1' },
  { rule: 'R1', part: /without a build\/test run in between$/ },
  { rule: 'J1' },
];

/** Whether a violation counts under a rule set. */
export function counts(v: Pick<Violation, 'rule' | 'message'>, set: RuleSet): boolean {
  if (set === 'protocol') return true;
  return CORE_RULES.some((c) => c.rule === v.rule && (!c.part || c.part.test(v.message)));
}
