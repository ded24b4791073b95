// Deliberate defects of the reference leader. Each breaks one protocol rule, so that the
// mutation test can show the invariant for that rule catching it. Never used in real runs.
export const FLAWS = [
  'merge-early', // merges branches while others are still working, before all are in
  'leak-heartbeat', // never deletes its heartbeat
  'shared-worktree', // gives workers the leader's checkout (create_thread with a local environment)
  'skip-journal-before-dispatch', // does not journal between registration and dispatch
  'fixed-journal-path', // keys the journal on a fixed name instead of its thread id
  'no-header', // sends free-form messages without the From: header
  'replace-progressing', // replaces workers that are making progress
  'dispatch-before-registration', // never sends the registration
  'omit-settings', // creates workers without model and thinking
  'create-before-consent', // creates workers before the user confirmed
  'read-sweep', // read_thread on every worker at every wake
  'merge-without-tests', // merges without running the verification command
  'no-teardown-on-cancel', // ignores a cancel
  'no-pause-before-merge', // merges with the heartbeat still active
  'merge-without-report', // merges without reading the worker's report
  'merge-without-review', // merges what review rejects
  'ignore-viability', // starts a team for a task that should not get one
  'no-journal-read', // forgets to read its journal at the start of a turn
  'two-heartbeats', // creates a second heartbeat for its thread
  'keep-worktrees', // never removes the worktrees it created
] as const;
export type Flaw = (typeof FLAWS)[number];
