// Deliberate defects of the reference leader. Each breaks one protocol rule, so that the
// mutation test can show the invariant for that rule catching it. Never used in real runs.
export const FLAWS = [
  'merge-two-at-once', // merges every ready branch, then runs the tests once
  'paste-reports', // forwards a worker's whole report to the team in a message
  'fix-directly', // fixes review findings itself in the worker's worktree instead of sending rework
  'no-final-review', // reports complete without reviewing and verifying the merged whole
  'busy-wait', // polls wait_threads in a loop inside one turn instead of ending it
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
  'ignore-missing-tools', // runs a team although a required thread tool is missing
  'no-exclude', // never git-excludes .thread-team/
  'clean-foreign-runs', // deletes other leaders' unfinished journals
  'no-status', // ignores the user's status questions
  'unfilled-dispatch', // sends a dispatch with a hole left unfilled
  'no-startup-replace', // never replaces a worker that did not start
  'replace-without-asking', // replaces a silent started worker without a status request first
] as const;
export type Flaw = (typeof FLAWS)[number];
