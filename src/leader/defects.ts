// The leader's deliberate defects (src/core/flaws.ts), kept out of its sound path: a defect
// that alters an effect is a wrapper of the turn's tool port; a defect that leaves out (or
// replaces) a step is a named step the sound path asks about (`does`). With no flaws the port
// is the turn's own and every step is done.

import type { Flaw } from '../core/flaws.ts';
import type { TurnContext } from '../ports/agent.ts';

/** Steps of the sound path a defect may leave out; each is one `does(step)` switch in the leader. */
export const STEPS = [
  'check-tools', // T1: refuse without the thread tools
  'check-viability', // T2: no team for a task that should not get one
  'ask-consent', // T3: create nothing before the user confirms
  'exclude-journal', // J3: git-exclude .thread-team/
  'read-journal', // J4: a turn starts from the journal
  'respect-foreign-runs', // J5: other leaders' journals are reported, never touched
  'journal-each-step', // W2/J1: the journal is written before the next act
  'register', // M2: the registration goes before the dispatch
  'exclusive-worktree', // W1: a worker without its own worktree is not run
  'answer-status', // U1
  'teardown-on-cancel', // A1
  'delete-heartbeat', // H1
  'remove-worktrees', // W3
  'pause-before-merge', // H4
  'read-report', // R1: the report is read before a merge
  'review', // R1/L2: findings stop a merge
  'rework-to-owner', // R3: findings go back to the branch's owner
  'test-each-merge', // R1: the tests run after every merge
  'one-merge-at-a-time', // R1
  'final-review', // R4
  'replace-unstarted', // S1
  'ask-before-replacing', // S3
  'look-for-progress', // S2: a worker whose files move is not replaced
  'signals-only', // M4: reports stay in files; messages carry signals
] as const;
export type Step = (typeof STEPS)[number];

/** Which steps each defect leaves out (the defects that only alter an effect leave none out). */
const SKIPS: Readonly<Record<Flaw, readonly Step[]>> = {
  'ignore-missing-tools': ['check-tools'],
  'ignore-viability': ['check-viability'],
  'create-before-consent': ['ask-consent'],
  'no-exclude': ['exclude-journal'],
  'no-journal-read': ['read-journal'],
  'clean-foreign-runs': ['respect-foreign-runs'],
  'skip-journal-before-dispatch': ['journal-each-step'],
  'dispatch-before-registration': ['register'],
  'shared-worktree': ['exclusive-worktree'],
  'no-status': ['answer-status'],
  'no-teardown-on-cancel': ['teardown-on-cancel'],
  'leak-heartbeat': ['delete-heartbeat'],
  'keep-worktrees': ['remove-worktrees'],
  'no-pause-before-merge': ['pause-before-merge'],
  'merge-without-report': ['read-report'],
  'merge-without-review': ['review'],
  'fix-directly': ['rework-to-owner'],
  'merge-without-tests': ['test-each-merge'],
  'merge-two-at-once': ['test-each-merge', 'one-merge-at-a-time'],
  'no-final-review': ['final-review'],
  'no-startup-replace': ['replace-unstarted'],
  'replace-without-asking': ['ask-before-replacing'],
  'replace-progressing': ['look-for-progress'],
  'paste-reports': ['signals-only'],
  'fixed-journal-path': [],
  'no-header': [],
  'unfilled-dispatch': [],
  'omit-settings': [],
  'busy-wait': [],
  'read-sweep': [],
  'two-heartbeats': [],
};

export interface Defects {
  /** Whether the sound path does this step (false only under a defect that leaves it out). */
  does(step: Step): boolean;
  /** The turn's tool port, altered by the defects that alter effects. */
  port(ctx: TurnContext): TurnContext;
  /** The name the journal is keyed on (the leader's thread id; a fixed name under a defect, J2). */
  journalKey(thread: string): string;
}

export function defects(flaws: ReadonlySet<Flaw>): Defects {
  const skipped = new Set([...flaws].flatMap((f) => SKIPS[f]));
  return {
    does: (step) => !skipped.has(step),
    port: (ctx) => (flaws.size ? alteredPort(ctx, flaws) : ctx),
    journalKey: (thread) => (flaws.has('fixed-journal-path') ? 'leader' : thread),
  };
}

type Args = Record<string, unknown>;

/** The tool port with each effect-altering defect applied to the calls it concerns. */
function alteredPort(ctx: TurnContext, flaws: ReadonlySet<Flaw>): TurnContext {
  const inner = ctx.call.bind(ctx) as (tool: string, args: unknown) => ReturnType<TurnContext['call']>;
  const call = async (tool: string, given: unknown) => {
    const args = { ...(given as Args) };
    if (tool === 'send_message_to_thread' && typeof args.prompt === 'string') {
      let prompt = args.prompt;
      // M1: free-form messages without the header line (the templates carry their own).
      if (flaws.has('no-header') && /^[^\n]*\n(ROSTER UPDATE|UNBLOCKED|STATUS REQUEST|STOP|FYI)\b/.test(prompt)) prompt = prompt.replace(/^[^\n]*\n/, '');
      // M3: the dispatch goes out with a hole left unfilled.
      if (flaws.has('unfilled-dispatch')) prompt = prompt.replace(/Base commit: [0-9a-f]{40}/, 'Base commit: <base-commit>');
      args.prompt = prompt;
    }
    if (tool === 'create_thread') {
      // T4: no model or thinking. W1: the leader's own checkout.
      if (flaws.has('omit-settings')) {
        delete args.model;
        delete args.thinking;
      }
      const target = args.target as { environment?: unknown } | undefined;
      if (flaws.has('shared-worktree') && target) args.target = { ...target, environment: { type: 'local' } };
    }
    const result = await inner(tool, args);
    const snapshot = tool === 'wait_threads' && args.timeoutMs === 0;
    // H3: the snapshot polled in a loop inside the turn.
    if (snapshot && flaws.has('busy-wait')) for (let k = 0; k < 4; k++) await inner(tool, args);
    // M6: every worker's thread read at every wake.
    if (snapshot && flaws.has('read-sweep'))
      for (const t of args.targets as { threadId: string }[]) await inner('read_thread', { threadId: t.threadId, turnLimit: 1 });
    // H2: a second heartbeat next to the first.
    if (tool === 'automation_update' && args.mode === 'create' && result.ok && flaws.has('two-heartbeats'))
      await inner(tool, { ...args, name: 'extra', prompt: 'poll' });
    return result;
  };
  return Object.assign(Object.create(ctx) as TurnContext, { call });
}
