// What a hole of a template stands for. A hole is named by its author (`<base-commit>`,
// `<worktree-path>`, `<commands or checks>`) and usually sits under a label (`Base commit:`, a
// table's column header, a section title). Both are read through one synonym table over
// kebab-case words: the first row whose pattern matches decides. The hole's own name wins
// when it says something specific; a generic hole name (`<sha>`, `<id>`, `<summary>`) or
// one that fits no row leaves it to the label. So a differently worded skill maps onto the
// same slots as ours, and `Base commit: <sha-or-branch-the-worker-branch-starts-from>` is the
// base commit, not just any commit.

import { kebab } from './lines.ts';
import type { Slot, TemplateKind } from './types.ts';

/** Order matters: specific rows come before the general rows they would also match. */
export const SLOT_SYNONYMS: ReadonlyArray<readonly [RegExp, Slot]> = [
  [/integration-?branch|leader-?branch/, 'integration-branch'],
  [/(leader|coordinator|lead|orchestrator|manager)-?(thread|id\b|thread-?id)/, 'leader-thread-id'],
  [/(worker|your|member|assignee|own|self|agent)(-[a-z])?-(thread|id$)|(worker|member)-thread/, 'worker-thread-id'],
  [/^(sender-|source-)?(thread-?id|thread|id)$/, 'thread-id'],
  [/journal|state-?(path|file)|run-?(log|file)/, 'journal-path'],
  [/report-?(format|template|shape|layout|structure)|^format$/, 'report-format'],
  [/report-?(path|file|location)/, 'report-path'],
  [/awaiting|outstanding/, 'awaiting'],
  [/reports$/, 'reports'],
  [/notes/, 'notes-path'],
  [/repo(sitory)?-?(path|root|dir)/, 'repo-path'],
  [/work(ing)?-?(dir|directory|tree|path)|worktree|cwd|checkout-?(dir|path)|^dir(ectory)?$/, 'working-directory'],
  [/base-?(commit|sha|ref|revision|rev)|start(ing|s)?-?(commit|point|sha|from)|fork-?point/, 'base-commit'],
  [/merge-?(result|outcome)/, 'merge-result'],
  [/review-?result|pre-?merge-?review/, 'review'],
  [/commit|(^|-)sha(-|$)|revision|(^|-)head$/, 'commit-sha'],
  [/responsibility-?map|ownership|who-?owns/, 'ownership'],
  [/not-?owned|off-?limits|not-?touch|don-?t-?touch|forbidden|hands-?off|others?-files|read-?only-?files/, 'not-owned-files'],
  [/owned|files-?(you-?)?own|own-?files|write-?set/, 'owned-files'],
  [/(files|paths)-?(changed|touched|modified)|changed-?(files|paths)|^changes$|diff-?stat/, 'files-changed'],
  [/accept|done-?criteria|definition-?of-?done|success-?criteria|expected-?result|deliverables/, 'acceptance-criteria'],
  [/(command|check|test|verif)\w*-.*result|test-?(results|output|run)|check-?results|verification-after/, 'verification-results'],
  [/verif\w*-?(command|cmd)|(test|check|build)-?(command|cmd)s?|^commands/, 'verification-commands'],
  [/invariant|preserve|guarantee/, 'invariants'],
  [/retired|replaced-?workers/, 'retired'],
  [/new-?worker|replacement/, 'replacement'],
  [/exclu|not-?integrated|unmerged|dropped|skipped|left-?out/, 'excluded'],
  [/depend/, 'dependencies'],
  [/fixes/, 'fixes'],
  [/integration-?log|merge/, 'merges'],
  [/(^|-)stall/, 'stall-watch'],
  [/(last|previous)-?(heartbeat|wake)/, 'last-wake'],
  [/next-?(heartbeat|wake)/, 'next-wake'],
  [/branch/, 'branch'],
  [/roster|team|members|^workers$|^threads$/, 'roster'],
  [/collab|peers?|contacts|may-?message/, 'collaborators'],
  [/scope|boundary|assignment|subtask|responsib/, 'scope'],
  [/next/, 'next-action'],
  [/(^|-)plan|design|approach|execution|steps?$/, 'plan'],
  [/summary|overview|what-?changed|task-?completed|what-?was-?done/, 'summary'],
  [/open-?issues|issues|risks|concerns|caveats|known-?problems|bugs|unresolved/, 'open-issues'],
  [/follow|todo/, 'follow-ups'],
  [/phase|stage|mode$/, 'phase'],
  [/^startup$|start-?up-?(state|status)/, 'startup'],
  [/status|^state$|run-?state/, 'status'],
  [/task|goal|objective|request/, 'task'],
  [/settings|config/, 'settings'],
  [/^model$|-model$|model-?id/, 'model'],
  [/thinking|effort|reasoning/, 'thinking'],
  [/heartbeat|automation|wake/, 'heartbeat'],
  [/decision|choices|rulings/, 'decisions'],
  [/updated|timestamp|(^|-)(time|date)/, 'updated-at'],
  [/outcome|verdict|^result$/, 'outcome'],
  [/clean|teardown/, 'cleanup'],
  [/reason|why|cause|stuck/, 'reason'],
  [/role|^name$|^who$|(^|-)worker$/, 'role'],
];

/** Names that say "a value goes here" without saying which: the label decides instead. */
const WEAK =
  /^(the-)?(id|sha|summary|files|branch|scope|status|checks?|step|worker|details|value|text|result|none|info)(-or-(none|details|n-a))?$|^(summary|none|details)-or-/;

/** Words that say "verification" without saying commands or results: the template's kind decides. */
const VERIFY = /^(verification|verify|checks?|tests?)$/;

/** The slot a name (a hole's or a label's, any wording) stands for, or null. */
export function classifyName(name: string, kind?: TemplateKind): Slot | null {
  const k = kebab(name);
  // An empty name ('' or only punctuation) matches no pattern below: no slot.
  if (VERIFY.test(k)) return kind === 'dispatch' || kind === 'registration' ? 'verification-commands' : 'verification-results';
  for (const [re, slot] of SLOT_SYNONYMS) if (re.test(k)) return slot;
  return null;
}

/** The slot a hole name stands for, without context (kept for header and path holes). */
export function classifyHole(name: string): Slot | null {
  return classifyName(name);
}

/**
 * The slot of a hole under a label (or column header, or section title): the hole's own name
 * when it is specific, else the label's, else whatever the hole's name gives.
 */
export function slotFor(hole: string, label: string | null, kind: TemplateKind): Slot | null {
  const own = classifyName(hole, kind);
  const weak = WEAK.test(kebab(hole));
  if (own && !weak) return own;
  const byLabel = label ? classifyName(label, kind) : null;
  return byLabel ?? own;
}

/**
 * Options of an enumeration hole such as `<yes/no>` or `<yes/no plus notes>`: a leading list
 * of words joined by slashes. Null for a hole that is not one.
 */
export function enumOptions(hole: string): string[] | null {
  const m = /^([a-z][a-z0-9-]*(?:\/[a-z][a-z0-9-]*)+)(?=$|\s)/i.exec(hole.trim());
  if (!m) return null;
  const options = m[1]!.split('/');
  // `<commands/results>` is a description, `<yes/no>` a choice: a choice offers an answer word.
  return options.some((o) => ANSWERS.has(o.toLowerCase())) ? options : null;
}

const ANSWERS = new Set(['yes', 'no', 'n-a', 'na', 'true', 'false', 'pass', 'fail', 'passed', 'failed', 'none']);

/** Slots that name a thread id (a header's id hole may be any of them). */
export const ID_SLOTS: ReadonlySet<Slot> = new Set<Slot>(['thread-id', 'worker-thread-id', 'leader-thread-id']);
