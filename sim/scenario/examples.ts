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
