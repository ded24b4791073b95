import type { TraceModel } from './model.ts';

export const RULE_IDS = [
  'T1',
  'T2',
  'T3',
  'T4',
  'W1',
  'W2',
  'W3',
  'M1',
  'M2',
  'M3',
  'M4',
  'M5',
  'M6',
  'H1',
  'H2',
  'H3',
  'H4',
  'J1',
  'J2',
  'J3',
  'J4',
  'J5',
  'S1',
  'S2',
  'S3',
  'R1',
  'R2',
  'R3',
  'R4',
  'A1',
  'L1',
  'L2',
  'U1',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export interface Violation {
  rule: RuleId;
  /** One sentence: what happened. */
  message: string;
  /** Indices of the trace events that prove it. */
  events: number[];
  /** Who broke the rule: the leader under test, or a (scripted, misbehaving) worker. */
  by: 'leader' | 'worker';
}

export interface Checker {
  rule: RuleId;
  name: string;
  /** Safety rules must hold at every step; liveness rules (L1, L2) at the end of the run. */
  kind: 'safety' | 'liveness';
  check(m: TraceModel): Violation[];
}

export const leaderBroke = (rule: RuleId, message: string, events: number[]): Violation => ({ rule, message, events, by: 'leader' });
export const workerBroke = (rule: RuleId, message: string, events: number[]): Violation => ({ rule, message, events, by: 'worker' });

/** Tool calls that change the world (as opposed to reading it). */
export const MUTATING_TOOLS = new Set([
  'create_thread',
  'send_message_to_thread',
  'fork_thread',
  'set_thread_archived',
  'set_thread_title',
  'set_thread_pinned',
]);
/** Workspace operations that change git state (not files being edited, not commands run). */
export const MUTATING_WS = new Set(['merge', 'commitMerge', 'abortMerge', 'worktreeAdd', 'worktreeRemove', 'setBranch', 'deleteBranch', 'discardChanges']);

/** An event, or an event's index in the trace. */
export type At = { i: number } | number;
const index = (x: At): number => (typeof x === 'number' ? x : x.i);

// Two events never share an index, so "after" and "at or after" ask the same question of two
// events: the one comparison mutation testing cannot tell apart lives here, marked once,
// instead of at every window edge of every checker.

/** Whether `a` comes later in the trace than `b`. */
export function after(a: At, b: At): boolean {
  // Stryker disable next-line EqualityOperator: two events never share an index, so > and >= agree
  return index(a) > index(b);
}

/** Whether `a` comes earlier in the trace than `b`. */
export function before(a: At, b: At): boolean {
  // Stryker disable next-line EqualityOperator: two events never share an index, so < and <= agree
  return index(a) < index(b);
}
