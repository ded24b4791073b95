import { z } from 'zod';
import { BEHAVIOURS, behaviourSpecSchema, type BehaviourSpec } from '../workers/behaviours.ts';
import { FLAWS } from '../../src/core/flaws.ts';
import { THINKING_LEVELS } from '../../src/contract/common.ts';
import { TOOL_NAMES } from '../../src/contract/registry.ts';
import { HOSTS } from '../../src/contract/hosts.ts';

// A scenario file: the repository and the task, how each worker role behaves, the faults and
// when they strike, what the user does, and what the run must come to. Durations are minutes
// as numbers, or strings with a unit: `90s`, `15m`, `2h`, `500ms`.

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DAY = 86_400_000;

/** A duration up to `maxMs` (a week unless said otherwise): a value beyond any run is a typo. */
export function durationUpTo(maxMs: number, what = 'a duration') {
  const limit = maxMs % DAY === 0 ? `${maxMs / DAY}d` : maxMs % 3_600_000 === 0 ? `${maxMs / 3_600_000}h` : `${maxMs / 60_000}m`;
  return z
    .union([z.number().nonnegative(), z.string().regex(/^\d{1,9}(\.\d{1,6})?(ms|s|m|h|d)$/, `${what} like 90s, 15m or 2h (a bare number means minutes)`)])
    .transform((v) => {
      if (typeof v === 'number') return Math.round(v * 60_000);
      const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(v)!;
      return Math.round(Number(m[1]) * UNITS[m[2]!]!);
    })
    .refine((ms) => ms <= maxMs, `${what} of at most ${limit}`);
}
export const duration = durationUpTo(7 * DAY);

const role = z
  .string()
  .max(40, 'a role of at most 40 characters')
  .regex(/^[a-z][a-z0-9-]*$/, 'a role is lower-case kebab-case, like api or data-layer');

/**
 * A file of the repository: relative, inside it, and not git's own (`.git/`), written with
 * `/` between plain names. A scenario names files; it never reaches outside the repository.
 */
const relPath = z
  .string()
  .min(1)
  .max(200, 'a path of at most 200 characters')
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:/.test(p), 'a path relative to the repository root, not an absolute one')
  .refine((p) => !p.includes('\\') && !p.includes('\0') && !/[\n\r]/.test(p), 'a path with / between names, no backslash or control characters')
  .refine((p) => p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..'), 'a path inside the repository: no .., ., or empty names')
  .refine((p) => p.split('/')[0] !== '.git', 'a file of the repository, not of git (.git/)');

/** Files by path: each path as `relPath` says (reported at the key, with the reason). */
const fileMap = z.record(z.string(), z.string().max(1_000_000, 'a file of at most 1 MB')).superRefine((files, ctx) => {
  for (const key of Object.keys(files)) {
    const r = relPath.safeParse(key);
    if (!r.success) ctx.addIssue({ code: 'custom', path: [key], message: r.error.issues[0]!.message });
  }
});

/** One line of text (what ends up in a message line or a command name). */
const oneLine = (max: number, what: string) =>
  z
    .string()
    .min(1)
    .max(max, `${what} of at most ${max} characters`)
    .refine((t) => !/[\n\r]/.test(t), `${what} on one line`);

const behaviour = z.union([z.enum(BEHAVIOURS), behaviourSpecSchema]).transform((b): BehaviourSpec => (typeof b === 'string' ? { kind: b } : b));

const area = z
  .object({
    role,
    scope: oneLine(300, 'a scope'),
    owns: z.array(relPath).min(1).max(50),
    acceptance: z.array(oneLine(300, 'an acceptance criterion')).max(20).default([]),
    invariants: z.array(oneLine(300, 'an invariant')).max(20).default([]),
    collaborators: z.array(role).default([]),
  })
  .strict();

/** Where a fault applies: by sender and receiver role (`leader` for the leader). */
const messageMatch = {
  from: role.optional(),
  to: role.optional(),
  /** Only messages sent in this window of virtual time. */
  after: duration.optional(),
  before: duration.optional(),
  count: z.number().int().positive().max(1_000).default(1),
};

export const faultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('drop-message'), ...messageMatch }).strict(),
  z.object({ kind: z.literal('delay-message'), by: durationUpTo(DAY, 'a delay'), ...messageMatch }).strict(),
  z.object({ kind: z.literal('duplicate-message'), ...messageMatch }).strict(),
  /** The matched message is held back until the next one to the same thread has overtaken it. */
  z.object({ kind: z.literal('reorder-messages'), ...messageMatch }).strict(),
  z.object({ kind: z.literal('system-error'), at: duration, target: role }).strict(),
  z
    .object({
      kind: z.literal('tool-failure'),
      tool: z.enum(TOOL_NAMES as [string, ...string[]], { error: `a thread tool of the contract (${TOOL_NAMES.join(', ')})` }),
      after: duration.optional(),
      count: z.number().int().positive().max(1_000).default(1),
    })
    .strict(),
  z.object({ kind: z.literal('remove-worktree'), at: duration, target: role }).strict(),
  z.object({ kind: z.literal('move-branch'), at: duration, target: role }).strict(),
  z
    .object({
      kind: z.literal('context-loss'),
      /** Before the leader's turn with this 1-based index starts. */
      turn: z.number().int().positive().max(10_000).optional(),
      /** Or at the first leader turn that starts at or after this time. */
      at: duration.optional(),
    })
    .strict()
    .refine((f) => (f.turn === undefined) !== (f.at === undefined), 'context-loss needs exactly one of turn or at'),
  z.object({ kind: z.literal('clock-jump'), at: duration, by: durationUpTo(DAY, 'a jump') }).strict(),
  /**
   * A model's rewrite in transit (fields moved, lists renumbered and re-marked, prose added, a
   * table row added, markdown around it): of messages, and of the report and journal files as
   * they are written. Every matching one unless `count` says how many.
   */
  z
    .object({
      kind: z.literal('paraphrase'),
      on: z.enum(['messages', 'files', 'all']).default('all'),
      from: role.optional(),
      to: role.optional(),
      after: duration.optional(),
      before: duration.optional(),
      count: z.number().int().positive().max(100_000).optional(),
    })
    .strict()
    .refine((f) => !(f.on === 'files' && f.to !== undefined), 'a file has no receiver: `to` applies to messages (on: messages or all)'),
]);
export type Fault = z.infer<typeof faultSchema>;

const thinking = z.enum(THINKING_LEVELS);

/** The person's side of a run: the answer to the leader's checkpoint, status questions, a cancel (also `live --scripted-user`). */
export const userSchema = z
  .object({
    confirm: z.boolean().default(true),
    settings: z
      .object({ model: z.string().min(1), thinking })
      .strict()
      .optional(),
    status: z.array(duration).max(50).default([]),
    cancel: duration.optional(),
    keepWorktrees: z.boolean().default(false),
  })
  .strict();

export const OUTCOMES = ['complete', 'aborted', 'direct-execution', 'refused', 'stuck'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const scenarioSchema = z
  .object({
    name: z
      .string()
      .max(80, 'a name of at most 80 characters')
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'a kebab-case name'),
    description: z.string().max(2_000, 'a description of at most 2000 characters').default(''),
    /**
     * A fixture skill this scenario is about, by name (`fixtures/skills/NAME`): a scenario for a
     * skill's own wording. `run --skill` overrides it.
     */
    skill: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'the name of a skill under fixtures/skills/, like alt-team')
      .optional(),
    seed: z.number().int().nonnegative().max(0xffffffff).default(1),
    repo: z
      .object({
        /** A fixture repository by name, from fixtures/repos/ (never a path). */
        fixture: z
          .string()
          .max(60)
          .regex(/^[a-z0-9][a-z0-9._-]*$/, 'the name of a fixture repository under fixtures/repos/, like webapp (a name, not a path)')
          .optional(),
        files: fileMap.refine((f) => Object.keys(f).length <= 2_000, 'at most 2000 files').optional(),
        branch: z
          .string()
          .max(100)
          .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'a branch name of letters, digits, . _ / -')
          .default('main'),
        /** Files present in the leader's checkout but never committed (another run's journal). */
        untracked: fileMap.default({}),
        verify: z
          .object({
            /**
             * The name the verification goes by in messages and reports (`npm test`). It is never
             * run: the harness judges the tree by `failOn` with a check of its own.
             */
            command: oneLine(200, 'a command').default('npm test'),
            /** The command fails when any file of the tree contains one of these. */
            failOn: z.array(oneLine(200, 'a marker')).max(20).default(['<<<<<<<', '// BUG']),
          })
          .strict()
          .default({ command: 'npm test', failOn: ['<<<<<<<', '// BUG'] }),
      })
      .strict()
      .refine((r) => (r.fixture === undefined) !== (r.files === undefined), 'give exactly one of fixture or files'),
    task: z
      .object({
        prompt: z.string().min(1).max(10_000, 'a prompt of at most 10000 characters'),
        shape: z.enum(['independent', 'core-refactor']).default('independent'),
        /** Registries every worker may append to (a routes list): owned by nobody, mergeable. */
        shared: z.array(relPath).max(50).default([]),
        areas: z.array(area).min(1).max(8),
      })
      .strict(),
    workers: z.record(role, z.union([behaviour, z.array(behaviour).min(1)])).default({}),
    user: userSchema.default({ confirm: true, status: [], keepWorktrees: false }),
    world: z
      .object({
        /** create_thread answers pendingWorktreeId; the thread appears this much later. */
        pendingWorktree: durationUpTo(7_200_000, 'a worktree delay').optional(),
        /** Tools this Codex build does not have. */
        without: z.array(z.enum(TOOL_NAMES as [string, ...string[]], { error: `a thread tool of the contract (${TOOL_NAMES.join(', ')})` })).default([]),
        latency: durationUpTo(3_600_000, 'a latency').default(2_000),
        step: durationUpTo(600_000, 'a model step').default(1_000),
        /** A message to a thread whose turn runs: held for its next turn, or steered into the running one. */
        delivery: z.enum(['next-turn', 'steer']).default('next-turn'),
        /** Whose thread tools: the desktop app's, or the terminal UI's (narrower, 1,000-byte prompts, no heartbeats). */
        host: z.enum(HOSTS).default('desktop'),
      })
      .strict()
      .default({ without: [], latency: 2_000, step: 1_000, delivery: 'next-turn', host: 'desktop' }),
    faults: z.array(faultSchema).default([]),
    leader: z
      .object({
        driver: z.enum(['reference']).default('reference'),
        /** Deliberate defects of the reference leader (mutation testing; a shrunk explore case). */
        flaws: z.array(z.enum(FLAWS)).default([]),
      })
      .strict()
      .default({ driver: 'reference', flaws: [] }),
    expect: z
      .object({
        /** Omitted in generated cases: then only the invariants judge the run. */
        outcome: z.enum(OUTCOMES).optional(),
        workers: z.number().int().nonnegative().optional(),
        replacements: z.number().int().nonnegative().optional(),
        reworks: z.number().int().nonnegative().optional(),
        merges: z.number().int().nonnegative().optional(),
        /** Rule ids a misbehaving worker is expected to break (the leader must still finish). */
        workerViolations: z.array(z.string()).default([]),
      })
      .strict(),
    horizon: duration.refine((ms) => ms >= 60_000, 'a horizon of at least 1m').default(12 * 3_600_000),
  })
  .strict()
  .superRefine((s, ctx) => {
    const roles = s.task.areas.map((a) => a.role);
    roles.forEach((r, i) => {
      if (roles.indexOf(r) !== i) ctx.addIssue({ code: 'custom', path: ['task', 'areas', i, 'role'], message: `duplicate role ${r}` });
    });
    for (const r of Object.keys(s.workers)) {
      if (!roles.includes(r)) ctx.addIssue({ code: 'custom', path: ['workers', r], message: `no task area has role ${r}` });
    }
    // Two areas owning one file would edit it both: a registry all may append to is `shared`,
    // and a task whose areas share files on purpose is a core refactor (T2).
    if (s.task.shape !== 'core-refactor') {
      const owner = new Map<string, string>();
      for (const [i, a] of s.task.areas.entries()) {
        for (const [k, f] of a.owns.entries()) {
          const o = owner.get(f);
          if (o && !s.task.shared.includes(f)) {
            ctx.addIssue({
              code: 'custom',
              path: ['task', 'areas', i, 'owns', k],
              message: `${o} owns ${f} too (list it under task.shared if every worker may append to it, or use shape: core-refactor)`,
            });
          }
          owner.set(f, a.role);
        }
      }
    }
    // A fault that can never strike would make a green run that tested nothing.
    const never = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message: `never strikes: ${message}` });
    const pastHorizon = (ms: number) => `${Math.round(ms / 60_000)}m is past the horizon (${Math.round(s.horizon / 60_000)}m)`;
    s.faults.forEach((f, i) => {
      for (const key of ['at', 'after'] as const) {
        const ms = key in f ? (f as Record<string, unknown>)[key] : undefined;
        if (typeof ms === 'number' && ms >= s.horizon) never(['faults', i, key], pastHorizon(ms));
      }
      if ('before' in f && f.before !== undefined && 'after' in f && f.after !== undefined && f.before <= f.after)
        never(['faults', i, 'before'], 'its window (after … before) is empty');
      if (f.kind === 'tool-failure' && s.world.without.includes(f.tool)) never(['faults', i, 'tool'], `this build has no ${f.tool} (world.without)`);
    });
    s.user.status.forEach((ms, i) => {
      if (ms >= s.horizon) ctx.addIssue({ code: 'custom', path: ['user', 'status', i], message: `a status question at ${pastHorizon(ms)}` });
    });
    if (s.user.cancel !== undefined && s.user.cancel >= s.horizon)
      ctx.addIssue({ code: 'custom', path: ['user', 'cancel'], message: `a cancel at ${pastHorizon(s.user.cancel)}` });
    s.faults.forEach((f, i) => {
      // A message fault may name only `to` (optional keys absent from the input are absent here).
      for (const key of ['target', 'from', 'to'] as const) {
        const t = key in f ? (f as Record<string, unknown>)[key] : undefined;
        if (typeof t === 'string' && t !== 'leader' && !roles.includes(t)) {
          ctx.addIssue({ code: 'custom', path: ['faults', i, key], message: `no task area has role ${t}` });
        }
      }
    });
  });

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;

/** The behaviour of the n-th incarnation (0-based) of a role: the last entry repeats. */
export function behaviourOf(s: Scenario, role: string, incarnation: number): BehaviourSpec {
  const b = s.workers[role];
  if (!b) return { kind: 'diligent' };
  const list = Array.isArray(b) ? b : [b];
  return list[Math.min(incarnation, list.length - 1)]!;
}
