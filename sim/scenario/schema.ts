import { z } from 'zod';
import { BEHAVIOURS, behaviourSpecSchema, type BehaviourSpec } from '../workers/behaviours.ts';
import { FLAWS } from '../../src/leader/flaws.ts';

// A scenario file: the repository and the task, how each worker role behaves, the faults and
// when they strike, what the user does, and what the run must come to. Durations are minutes
// as numbers, or strings with a unit: `90s`, `15m`, `2h`, `500ms`.

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
export const duration = z
  .union([
    z.number().nonnegative(),
    z.string().regex(/^\d+(\.\d+)?(ms|s|m|h)$/, 'a duration like 90s, 15m or 2h (a bare number means minutes)'),
  ])
  .transform((v) => {
    if (typeof v === 'number') return Math.round(v * 60_000);
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(v)!;
    return Math.round(Number(m[1]) * UNITS[m[2]!]!);
  });

const role = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a role is lower-case kebab-case, like api or data-layer');
const relPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'a path relative to the repository root, without ..');

const behaviour = z.union([z.enum(BEHAVIOURS), behaviourSpecSchema]).transform((b): BehaviourSpec => (typeof b === 'string' ? { kind: b } : b));

const area = z
  .object({
    role,
    scope: z.string().min(1),
    owns: z.array(relPath).min(1),
    acceptance: z.array(z.string().min(1)).default([]),
    invariants: z.array(z.string().min(1)).default([]),
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
  count: z.number().int().positive().default(1),
};

export const faultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('drop-message'), ...messageMatch }).strict(),
  z.object({ kind: z.literal('delay-message'), by: duration, ...messageMatch }).strict(),
  z.object({ kind: z.literal('duplicate-message'), ...messageMatch }).strict(),
  /** The matched message is held back until the next one to the same thread has overtaken it. */
  z.object({ kind: z.literal('reorder-messages'), ...messageMatch }).strict(),
  z.object({ kind: z.literal('system-error'), at: duration, target: role }).strict(),
  z
    .object({
      kind: z.literal('tool-failure'),
      tool: z.string().min(1),
      after: duration.optional(),
      count: z.number().int().positive().default(1),
    })
    .strict(),
  z.object({ kind: z.literal('remove-worktree'), at: duration, target: role }).strict(),
  z.object({ kind: z.literal('move-branch'), at: duration, target: role }).strict(),
  z
    .object({
      kind: z.literal('context-loss'),
      /** Before the leader's turn with this 1-based index starts. */
      turn: z.number().int().positive().optional(),
      /** Or at the first leader turn that starts at or after this time. */
      at: duration.optional(),
    })
    .strict()
    .refine((f) => (f.turn === undefined) !== (f.at === undefined), 'context-loss needs exactly one of turn or at'),
  z.object({ kind: z.literal('clock-jump'), at: duration, by: duration }).strict(),
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
      count: z.number().int().positive().optional(),
    })
    .strict(),
]);
export type Fault = z.infer<typeof faultSchema>;

const thinking = z.enum(['low', 'medium', 'high', 'xhigh', 'max', 'ultra']);

export const OUTCOMES = ['complete', 'aborted', 'direct-execution', 'refused', 'stuck'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const scenarioSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a kebab-case name'),
    description: z.string().default(''),
    /**
     * A fixture skill this scenario is about, by name (`fixtures/skills/NAME`): a scenario for a
     * skill's own wording. `run --skill` overrides it.
     */
    skill: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'the name of a skill under fixtures/skills/, like alt-team').optional(),
    seed: z.number().int().nonnegative().default(1),
    repo: z
      .object({
        fixture: z.string().min(1).optional(),
        files: z.record(z.string(), z.string()).optional(),
        branch: z.string().min(1).default('main'),
        /** Files present in the leader's checkout but never committed (another run's journal). */
        untracked: z.record(relPath, z.string()).default({}),
        verify: z
          .object({
            command: z.string().min(1).default('npm test'),
            /** The command fails when any file of the tree contains one of these. */
            failOn: z.array(z.string().min(1)).default(['<<<<<<<', '// BUG']),
          })
          .strict()
          .default({ command: 'npm test', failOn: ['<<<<<<<', '// BUG'] }),
      })
      .strict()
      .refine((r) => (r.fixture === undefined) !== (r.files === undefined), 'give exactly one of fixture or files'),
    task: z
      .object({
        prompt: z.string().min(1),
        shape: z.enum(['independent', 'core-refactor']).default('independent'),
        /** Registries every worker may append to (a routes list): owned by nobody, mergeable. */
        shared: z.array(relPath).default([]),
        areas: z.array(area).min(1).max(8),
      })
      .strict(),
    workers: z.record(role, z.union([behaviour, z.array(behaviour).min(1)])).default({}),
    user: z
      .object({
        confirm: z.boolean().default(true),
        settings: z.object({ model: z.string().min(1), thinking }).strict().optional(),
        status: z.array(duration).default([]),
        cancel: duration.optional(),
        keepWorktrees: z.boolean().default(false),
      })
      .strict()
      .default({ confirm: true, status: [], keepWorktrees: false }),
    world: z
      .object({
        /** create_thread answers pendingWorktreeId; the thread appears this much later. */
        pendingWorktree: duration.optional(),
        /** Tools this Codex build does not have. */
        without: z.array(z.string().min(1)).default([]),
        latency: duration.default(2_000),
        step: duration.default(1_000),
      })
      .strict()
      .default({ without: [], latency: 2_000, step: 1_000 }),
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
    horizon: duration.default(12 * 3_600_000),
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
