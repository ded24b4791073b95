/**
 * `automation_update`: the top-level tool that creates, updates, views and deletes heartbeat
 * and cron automations (a heartbeat wakes its thread with a `<heartbeat>` turn on a schedule).
 *
 * Arguments are a discriminated union on `mode`; every variant is a STRICT object (an unknown
 * key is an error, so a leader's typo surfaces):
 * - create: `kind`, `name`, `prompt`, `rrule` required;
 * - update: `id` required, every other field optional;
 * - delete: `id` required (`kind` tolerated);
 * - view:   optional `id` / `kind` filters.
 * The cron-only fields (`cwds`, `executionEnvironment`, `model`, `reasoningEffort`) are rejected
 * when `kind` is "heartbeat". On update without `kind` they pass here; the simulator checks
 * them against the stored automation's kind.
 */
import { z } from 'zod';
import { ThreadId, UnixSeconds } from './common.js';

// ---------------------------------------------------------------------------------------
// RRULE
// ---------------------------------------------------------------------------------------

export const RRULE_FREQUENCIES = ['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY'] as const;
/** The RFC 5545 rule parts accepted after FREQ. */
export const RRULE_KEYS = [
  'FREQ',
  'UNTIL',
  'COUNT',
  'INTERVAL',
  'BYSECOND',
  'BYMINUTE',
  'BYHOUR',
  'BYDAY',
  'BYMONTHDAY',
  'BYYEARDAY',
  'BYWEEKNO',
  'BYMONTH',
  'BYSETPOS',
  'WKST',
] as const;

const KEYS_ALT = RRULE_KEYS.join('|');
const FREQ_ALT = RRULE_FREQUENCIES.join('|');
/**
 * The same grammar as {@link checkRrule}, as one regular expression (for JSON Schema
 * `pattern`): `KEY=VALUE` parts joined by `;`, known keys only, none twice, FREQ present and
 * one of {@link RRULE_FREQUENCIES}, INTERVAL (if present) a positive integer.
 */
export const RRULE_PATTERN =
  `^(?!(?:.*;)?(${KEYS_ALT})=.*;\\1=)` +
  `(?=(?:.*;)?FREQ=(?:${FREQ_ALT})(?:;|$))` +
  `(?!(?:.*;)?INTERVAL=(?![1-9][0-9]*(?:;|$)))` +
  `(?:${KEYS_ALT})=[^;=\\s]+(?:;(?:${KEYS_ALT})=[^;=\\s]+)*$`;
const RRULE_REGEX = new RegExp(RRULE_PATTERN);

/**
 * Check an RRULE such as `FREQ=MINUTELY;INTERVAL=2`. Returns null when it is acceptable,
 * otherwise a short human sentence saying what is wrong.
 */
export function checkRrule(rule: string): string | null {
  if (rule.length === 0) return 'must not be empty (expected like FREQ=MINUTELY;INTERVAL=5)';
  const seen = new Set<string>();
  for (const part of rule.split(';')) {
    const m = /^([A-Za-z]+)=([^;=\s]+)$/.exec(part);
    if (!m) {
      return `part ${JSON.stringify(part)} is not KEY=VALUE (expected like FREQ=MINUTELY;INTERVAL=5)`;
    }
    const key = m[1]!;
    const value = m[2]!;
    if (!(RRULE_KEYS as readonly string[]).includes(key)) {
      return `unknown rule part ${JSON.stringify(key)} (known: ${RRULE_KEYS.join(', ')})`;
    }
    if (seen.has(key)) return `${key} is given twice`;
    seen.add(key);
    if (key === 'FREQ' && !(RRULE_FREQUENCIES as readonly string[]).includes(value)) {
      return `FREQ must be one of ${RRULE_FREQUENCIES.join(', ')} (got ${JSON.stringify(value)})`;
    }
    if (key === 'INTERVAL' && !/^[1-9][0-9]*$/.test(value)) {
      return `INTERVAL must be a positive integer (got ${JSON.stringify(value)})`;
    }
  }
  if (!seen.has('FREQ')) return 'must include FREQ (e.g. FREQ=MINUTELY;INTERVAL=5)';
  return null;
}

/** An RRULE string; see {@link checkRrule}. */
export const Rrule = z
  .string()
  .superRefine((value, ctx) => {
    const problem = checkRrule(value);
    // Stryker disable next-line StringLiteral: the error line is the issue's message whatever its code
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  })
  // Same grammar as the refinement: kept so that zod also enforces exactly what the exported
  // JSON Schema pattern says (the refinement's issue comes first and carries the message).
  .regex(RRULE_REGEX)
  .describe(
    'Schedule as an RFC 5545 RRULE, e.g. "FREQ=MINUTELY;INTERVAL=5". FREQ is SECONDLY, MINUTELY, HOURLY, DAILY or WEEKLY; INTERVAL a positive integer. Required for create.',
  );

// ---------------------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------------------

export const AUTOMATION_KINDS = ['heartbeat', 'cron'] as const;
export const AUTOMATION_STATUSES = ['ACTIVE', 'PAUSED'] as const;
/** The automation scheduler wakes every 30 s: a heartbeat fires up to a tick after it is due. */
export const AUTOMATION_TICK_MS = 30_000;
/** Most automations one tick starts. */
export const RUNS_PER_TICK = 3;
/** Fields a cron automation may carry and a heartbeat may not. */
export const CRON_ONLY_FIELDS = ['cwds', 'executionEnvironment', 'model', 'reasoningEffort'] as const;

export const AutomationKind = z
  .enum(AUTOMATION_KINDS)
  .describe('"heartbeat" wakes a thread with prompt while it is idle; "cron" runs prompt on its own. Required for create.');
export const AutomationStatus = z.enum(AUTOMATION_STATUSES).describe('ACTIVE (runs) or PAUSED.');
const AutomationId = z.string().min(1).describe('Automation id (automationId of the create receipt). Required for update and delete.');
const Name = z.string().min(1).describe('Short name of the automation. Required for create.');
const AutomationPrompt = z.string().min(1).describe('Instructions the automation runs with each time it fires. Required for create.');
const Destination = z.literal('thread').describe('"thread": deliver to a thread (the calling thread unless targetThreadId).');
const TargetThreadId = ThreadId.describe('Thread a heartbeat wakes; omit for the calling thread.');
const NotificationPolicy = z.literal('failed_runs_only').describe('"failed_runs_only": notify only about runs that fail.');

const cronFields = {
  cwds: z.array(z.string().min(1)).min(1).optional().describe('cron only: directories the run works in.'),
  executionEnvironment: z.string().min(1).optional().describe('cron only: where the run executes.'),
  model: z.string().min(1).optional().describe('cron only: model for the run.'),
  reasoningEffort: z.string().min(1).optional().describe('cron only: reasoning effort for the run.'),
};

/** Reject cron-only fields on a heartbeat (zod side of {@link HEARTBEAT_JSON_RULE}). */
function rejectCronFieldsOnHeartbeat(value: { kind?: string | undefined } & Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (value.kind !== 'heartbeat') return;
  for (const field of CRON_ONLY_FIELDS) {
    if (value[field] !== undefined) {
      // Stryker disable next-line StringLiteral: the error line is the issue's message whatever its code
      ctx.addIssue({ code: 'custom', path: [field], message: 'only allowed when kind is "cron" (this is a heartbeat)' });
    }
  }
}

/**
 * JSON Schema form of the heartbeat rule, attached to the create and update variants so the
 * exported schema enforces what {@link rejectCronFieldsOnHeartbeat} enforces.
 */
const HEARTBEAT_JSON_RULE = {
  allOf: [
    {
      if: { properties: { kind: { const: 'heartbeat' } }, required: ['kind'] },
      then: { not: { anyOf: CRON_ONLY_FIELDS.map((f) => ({ required: [f] })) } },
    },
  ],
};

// ---------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------

export const AutomationCreateArgs = z
  .strictObject({
    mode: z.literal('create').describe('"create" needs kind, name, prompt and rrule.'),
    kind: AutomationKind,
    name: Name,
    prompt: AutomationPrompt,
    rrule: Rrule,
    destination: Destination.optional(),
    targetThreadId: TargetThreadId.optional(),
    status: AutomationStatus.optional(),
    notificationPolicy: NotificationPolicy.optional(),
    ...cronFields,
  })
  .superRefine(rejectCronFieldsOnHeartbeat)
  .meta(HEARTBEAT_JSON_RULE);

export const AutomationUpdateModeArgs = z
  .strictObject({
    mode: z.literal('update').describe('"update" needs id and changes only the fields given.'),
    id: AutomationId,
    kind: AutomationKind.optional(),
    name: Name.optional(),
    prompt: AutomationPrompt.optional(),
    rrule: Rrule.optional(),
    destination: Destination.optional(),
    targetThreadId: TargetThreadId.optional(),
    status: AutomationStatus.optional(),
    notificationPolicy: NotificationPolicy.optional(),
    ...cronFields,
  })
  .superRefine(rejectCronFieldsOnHeartbeat)
  .meta(HEARTBEAT_JSON_RULE);

export const AutomationDeleteArgs = z.strictObject({
  mode: z.literal('delete').describe('"delete" needs id; it is the only way to stop a heartbeat.'),
  id: AutomationId,
  kind: AutomationKind.optional(),
});

export const AutomationViewArgs = z.strictObject({
  mode: z.literal('view').describe('"view" lists automations (optionally only one id or kind).'),
  // No descriptions of their own: the JSON Schema merges automation_update's branches, and a
  // field shared by several keeps the first branch's description (create's).
  id: AutomationId.optional(),
  kind: AutomationKind.optional(),
});

export const AutomationUpdateArgs = z.discriminatedUnion('mode', [AutomationCreateArgs, AutomationUpdateModeArgs, AutomationDeleteArgs, AutomationViewArgs]);
export type AutomationUpdateArgs = z.infer<typeof AutomationUpdateArgs>;

// ---------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------

/**
 * Receipt of create / update / delete. `status` is the automation's status after the call;
 * a delete answers "DELETED".
 */
export const AutomationReceipt = z.looseObject({
  automationId: z.string().min(1),
  mode: z.enum(['create', 'update', 'delete']),
  status: z.enum([...AUTOMATION_STATUSES, 'DELETED']),
});

/** One stored automation, as `view` lists it (cf. automation.toml). */
export const AutomationRecord = z.looseObject({
  id: z.string().min(1),
  kind: z.enum(AUTOMATION_KINDS),
  name: z.string(),
  prompt: z.string(),
  status: z.enum(AUTOMATION_STATUSES),
  rrule: z.string(),
  targetThreadId: z.string().min(1).nullable(),
  createdAt: UnixSeconds,
  updatedAt: UnixSeconds,
});
export type AutomationRecord = z.infer<typeof AutomationRecord>;

export const AutomationViewResult = z.looseObject({ automations: z.array(AutomationRecord) });

/** A receipt for create/update/delete, the list for view. */
export const AutomationUpdateResult = z.union([AutomationReceipt, AutomationViewResult]);
