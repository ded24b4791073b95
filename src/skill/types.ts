// The profile of a thread-team skill: the facts a leader must act on, each traced back to
// the file and line it was read from, and the five templates with their holes classified
// into slots (what the leader or a worker must fill them with).

import type { Thinking } from '../contract/common.ts';

export const TEMPLATE_KINDS = ['registration', 'dispatch', 'report', 'state', 'final'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

/** Semantic slots a template hole can stand for. A hole whose name fits no slot is a lint finding. */
export const SLOTS = [
  'leader-thread-id',
  'worker-thread-id',
  'thread-id', // a generic id (the header's, a roster row's)
  'role',
  'branch',
  'integration-branch',
  'working-directory',
  'repo-path',
  'base-commit',
  'commit-sha',
  'scope',
  'plan',
  'owned-files',
  'not-owned-files',
  'ownership', // who owns what, for the whole team (a responsibility map)
  'dependencies',
  'acceptance-criteria',
  'verification-commands',
  'invariants',
  'report-path',
  'notes-path',
  'report-format',
  'roster',
  'collaborators',
  'summary',
  'files-changed',
  'verification-results',
  'open-issues',
  'fixes',
  'review',
  'status',
  'startup',
  'phase',
  'task',
  'settings',
  'model',
  'thinking',
  'heartbeat',
  'last-wake',
  'next-wake',
  'awaiting',
  'stall-watch',
  'reports',
  'merges',
  'merge-result',
  'retired',
  'replacement',
  'decisions',
  'next-action',
  'updated-at',
  'outcome',
  'excluded',
  'cleanup',
  'follow-ups',
  'journal-path',
  'reason',
] as const;
export type Slot = (typeof SLOTS)[number];

export interface Hole {
  /** The name as written between the angle brackets. */
  name: string;
  slot: Slot | null;
  line: number;
}

export interface Template {
  kind: TemplateKind;
  /** Path relative to the skill directory. */
  file: string;
  /** 1-based line of the first line of the fenced block's content. */
  line: number;
  /** The verbatim text inside the fence (no trailing newline). */
  text: string;
  holes: Hole[];
}

export interface Fact<T> {
  value: T;
  /** Where it was read (relative to the skill directory), or `(protocol default)` with line 0. */
  file: string;
  line: number;
  /** Which documented rule found it (`default` for a protocol default). */
  rule: string;
}

export type { Thinking };

export interface SkillProfile {
  dir: string;
  name: Fact<string>;
  description: Fact<string>;
  requiredTools: Fact<string[]>;
  optionalTools: Fact<string[]>;
  defaultModel: Fact<string>;
  defaultThinking: Fact<Thinking>;
  /** Heartbeat interval in minutes, and the rrule that expresses it. */
  heartbeat: Fact<{ minutes: number; rrule: string }>;
  /** Silent heartbeat passes before a started worker counts as stalled. */
  stallPasses: Fact<number>;
  /** Minutes a dispatched worker has to show a first response (startup gate). */
  startupWindowMinutes: Fact<number>;
  /** The six phase names, in order. */
  phases: Fact<string[]>;
  /** The worker's own steps (execute / self-review and verify / commit and report). */
  workerSteps: Fact<string[]>;
  /** The message header, holes included, e.g. `From: <role> (thread ID: <thread-id>)`. */
  header: Fact<string>;
  /** Journal path relative to the repo root with a leader-thread-id hole. */
  journalPath: Fact<string>;
  workerNotesPath: Fact<string>;
  workerReportPath: Fact<string>;
  /** The keyword a worker's completion message starts its status line with (e.g. COMPLETE). */
  completionSignal: Fact<string>;
  /** The keyword a blocked worker's status line starts with (e.g. BLOCKED). */
  blockedSignal: Fact<string>;
  /** Largest cross-thread message in characters (M4). */
  messageLimit: Fact<number>;
  templates: Record<TemplateKind, Template>;
}

/**
 * error: the skill cannot be run as written (a missing template, contradicting facts, a form
 * that cannot be read back); warning: it runs, on a protocol default or without something the
 * protocol asks of it; info: worth knowing (a free-text hole, a header added above a template).
 */
export type Level = 'error' | 'warning' | 'info';

export interface Finding {
  file: string;
  line: number;
  level: Level;
  message: string;
}
