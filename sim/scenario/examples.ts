// A fault of each kind with parameters that make it strike in a three-area run: the README's
// examples, and what `thread-team-sim new --fault KIND` writes (`ROLE` is a worker's role there).

export const FAULT_EXAMPLES: Record<string, Record<string, unknown>> = {
  'drop-message': { kind: 'drop-message', to: 'ROLE', after: '40s' },
  'delay-message': { kind: 'delay-message', by: '5m', to: 'ROLE' },
  'duplicate-message': { kind: 'duplicate-message', to: 'ROLE' },
  'reorder-messages': { kind: 'reorder-messages', to: 'ROLE' },
  'system-error': { kind: 'system-error', at: '10m', target: 'ROLE' },
  'tool-failure': { kind: 'tool-failure', tool: 'send_message_to_thread' },
  'remove-worktree': { kind: 'remove-worktree', at: '10m', target: 'ROLE' },
  'move-branch': { kind: 'move-branch', at: '10m', target: 'ROLE' },
  'context-loss': { kind: 'context-loss', turn: 5 },
  'clock-jump': { kind: 'clock-jump', at: '10m', by: '30m' },
  paraphrase: { kind: 'paraphrase', on: 'all' },
};

/** What each fault does to a run, in a line: the README's reference and `show`'s legend. */
export const FAULT_MEANINGS: Record<string, string> = {
  'drop-message': 'a matching message is lost: sent, never delivered',
  'delay-message': 'a matching message arrives `by` later than it would',
  'duplicate-message': 'a matching message is delivered twice',
  'reorder-messages': 'a matching message is held back until the next one to the same thread overtakes it',
  'system-error': "the target's thread falls into systemError at `at` and stops working",
  'tool-failure': 'calls of the named thread tool fail (`count` of them, from `after`)',
  'remove-worktree': "the target's worktree is removed from under it at `at`",
  'move-branch': "the target's branch is moved back to its base at `at`, losing its commits",
  'context-loss': 'the leader loses its context before a turn: it must recover from the journal',
  'clock-jump': 'the clock jumps forward `by` at `at`, as after a sleeping laptop',
  paraphrase: 'messages and written files are rewritten in transit as a model would (fields moved, lists renumbered, prose added)',
};
