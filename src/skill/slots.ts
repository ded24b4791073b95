// Hole names -> slots. A template hole is `<name>` with a kebab-case name; what it stands
// for is decided by the first row of SLOT_SYNONYMS whose pattern matches the name, so a
// differently worded skill (`<worktree-path>`, `<base-sha>`, `<team-roster>`) maps onto the
// same slots as ours. Order matters: specific rows come before general ones (not-owned before
// owned, base commit before commit sha, verification commands before verification results,
// excluded before merges before branch, report format before report path…).

import type { Slot } from './types.ts';

export const SLOT_SYNONYMS: ReadonlyArray<readonly [RegExp, Slot]> = [
  [/(leader|coordinator|lead|orchestrator|manager).*(thread|id)/, 'leader-thread-id'],
  [/(worker|your|member|assignee|own|self|agent).*(thread|-id$)/, 'worker-thread-id'],
  [/^(sender-|source-)?(thread-?id|thread|id)$/, 'thread-id'],
  [/journal|state-?(path|file)|run-?(log|file)/, 'journal-path'],
  [/report-?(format|template|shape|layout|structure)|^format$/, 'report-format'],
  [/report-?(path|file|location)/, 'report-path'],
  [/notes/, 'notes-path'],
  [/work(ing)?-?(dir|directory|tree|path)|worktree|cwd|checkout-?(dir|path)|^dir(ectory)?$/, 'working-directory'],
  [/base-?(commit|sha|ref|revision|rev)|start(ing)?-?(commit|point|sha)|fork-?point/, 'base-commit'],
  [/commit|sha|revision/, 'commit-sha'],
  [/not-?owned|off-?limits|do-?not-?touch|dont-?touch|forbidden|hands-?off|others?-files|read-?only-?files/, 'not-owned-files'],
  [/owned|files-?(you-?)?own|own-?files|ownership|write-?set/, 'owned-files'],
  [/(files|paths)-?(changed|touched|modified)|changed-?(files|paths)|^changes$|diff-?stat/, 'files-changed'],
  [/accept|done-?criteria|definition-?of-?done|success-?criteria/, 'acceptance-criteria'],
  [/verif.*(command|cmd)|(test|check|build)-?(command|cmd)s?|^commands$/, 'verification-commands'],
  [/verif|test-?(results|output|run)|check-?results/, 'verification-results'],
  [/invariant|preserve|guarantee/, 'invariants'],
  [/exclu|not-?integrated|unmerged|dropped|skipped|left-?out/, 'excluded'],
  [/merge/, 'merges'],
  [/branch/, 'branch'],
  [/roster|team|members|^workers$|^threads$/, 'roster'],
  [/collab|peers?|contacts|may-?message/, 'collaborators'],
  [/scope|boundary|assignment|subtask/, 'scope'],
  [/plan|design|approach/, 'plan'],
  [/summary|overview|what-?changed/, 'summary'],
  [/open-?issues|issues|risks|concerns|caveats|known-?problems/, 'open-issues'],
  [/follow|todo/, 'follow-ups'],
  [/next/, 'next-action'],
  [/phase|stage/, 'phase'],
  [/status|^state$|run-?state/, 'status'],
  [/task|goal|objective|request/, 'task'],
  [/settings|model|thinking|config/, 'settings'],
  [/heartbeat|automation|wake/, 'heartbeat'],
  [/decision|choices|rulings/, 'decisions'],
  [/updated|timestamp|time|date/, 'updated-at'],
  [/outcome|verdict|^result$/, 'outcome'],
  [/clean|teardown/, 'cleanup'],
  [/reason|why|cause/, 'reason'],
  [/role|^name$|^who$/, 'role'],
];

/** The slot a hole name stands for, or null when no synonym row matches. */
export function classifyHole(name: string): Slot | null {
  for (const [re, slot] of SLOT_SYNONYMS) if (re.test(name)) return slot;
  return null;
}

/** Slots that name a thread id (a header's id hole may be any of them). */
export const ID_SLOTS: ReadonlySet<Slot> = new Set<Slot>(['thread-id', 'worker-thread-id', 'leader-thread-id']);
