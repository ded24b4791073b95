// Which rules a verdict holds a run to. The protocol's rules are written for skills of its own
// family; thread-team skills in other dialects (an orchestrator with roles, its own task queue)
// still keep four that any of them must: exclusive worktrees, no leaked heartbeats, merges one
// at a time with a build/test run between, and state journaled after each outward act.
import type { RuleId, Violation } from './types.ts';

export const RULE_SETS = ['protocol', 'core'] as const;
export type RuleSet = (typeof RULE_SETS)[number];

/** The core rules; `part`, when given, picks the clause of a rule that is core (by its sentence). */
export const CORE_RULES: readonly { rule: RuleId; part?: RegExp; what: string }[] = [
  { rule: 'W1', what: 'exclusive worktrees: no two workers share a folder, and none works in another worker’s' },
  { rule: 'H1', what: 'no leaked heartbeats: every heartbeat the leader made is gone by the end' },
  { rule: 'R1', part: /without a build\/test run in between$/, what: 'serial merges: a build/test run between one merge and the next, and after the last' },
  { rule: 'J1', what: 'journaled state: the state file written after each outward act' },
];

/** Whether a violation counts under a rule set. */
export function counts(v: Pick<Violation, 'rule' | 'message'>, set: RuleSet): boolean {
  if (set === 'protocol') return true;
  return CORE_RULES.some((c) => c.rule === v.rule && (!c.part || c.part.test(v.message)));
}
