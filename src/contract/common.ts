/**
 * Shared building blocks of the Codex tool contract: ids, the `thinking` levels, thread and
 * turn statuses, timestamps, and the result envelope every dynamic tool answers with.
 *
 * Conventions used throughout `src/contract`:
 * - ARGUMENT objects are strict (`z.strictObject`): an unknown key is an error, so a
 *   leader's typo (`threadID`, `promt`) surfaces instead of being silently dropped.
 * - RESULT payload objects are loose (`z.looseObject`): the real tools may add fields in
 *   newer builds; extra fields are kept, missing or mistyped documented fields are errors.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------
// Ids and strings
// ---------------------------------------------------------------------------------------

/** A thread id as returned by create_thread, list_threads, read_thread or fork_thread. */
export const ThreadId = z.string().min(1).describe('Thread id, as returned by create_thread, list_threads or read_thread.');

/** A host id (from list_projects / list_threads); omitted means the local host. */
export const HostId = z.string().min(1).describe('Host the thread lives on (from list_projects or list_threads). Omit for the local host.');

/** A project id from list_projects. */
export const ProjectId = z.string().min(1).describe('Project id from list_projects.');

/** Text sent to a thread as a user message. */
export const Prompt = z.string().min(1).describe('The message to send, as the user of that thread would type it.');

/** A model slug. */
export const ModelName = z.string().min(1).describe('Model for the thread; omit for the default model.');

/** An opaque read/wait cursor handed out by read_thread or wait_threads. */
export const Cursor = z.string().min(1);

// ---------------------------------------------------------------------------------------
// Enumerations
// ---------------------------------------------------------------------------------------

export const THINKING_LEVELS = ['low', 'medium', 'high', 'xhigh', 'max', 'ultra'] as const;
/** Reasoning effort of a thread (`thinking` argument). */
export const Thinking = z.enum(THINKING_LEVELS).describe('Reasoning effort for the thread.');
export type Thinking = z.infer<typeof Thinking>;

export const ACTIVE_FLAGS = ['waitingOnApproval', 'waitingOnUserInput'] as const;
export const ActiveFlag = z.enum(ACTIVE_FLAGS);
export type ActiveFlag = z.infer<typeof ActiveFlag>;

/**
 * Thread status, in the app-server `ThreadStatus` shape:
 * `{type:"notLoaded"} | {type:"idle"} | {type:"systemError"} | {type:"active", activeFlags}`.
 * An active thread is running a turn; its flags say whether it is blocked on the user.
 */
export const ThreadStatus = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('notLoaded') }),
  z.looseObject({ type: z.literal('idle') }),
  z.looseObject({ type: z.literal('systemError') }),
  z.looseObject({ type: z.literal('active'), activeFlags: z.array(ActiveFlag) }),
]);
export type ThreadStatus = z.infer<typeof ThreadStatus>;

export const TURN_STATUSES = ['inProgress', 'completed', 'failed', 'interrupted'] as const;
/** Status of one turn of a thread. */
export const TurnStatus = z.enum(TURN_STATUSES);
export type TurnStatus = z.infer<typeof TurnStatus>;

/** A point in time as whole Unix seconds (what the app-server and the thread tools report). */
export const UnixSeconds = z.number().int().nonnegative();

// ---------------------------------------------------------------------------------------
// The result envelope
// ---------------------------------------------------------------------------------------

export const InputTextItem = z.strictObject({ type: z.literal('inputText'), text: z.string() });
export type InputTextItem = z.infer<typeof InputTextItem>;

/**
 * What a dynamic tool answers (`item/tool/call` response): on success the single text item
 * is `JSON.stringify(payload)`; on failure `success` is false and the text says why.
 */
export const ToolResultEnvelope = z.strictObject({
  contentItems: z.array(InputTextItem).min(1),
  success: z.boolean(),
});
export type ToolResultEnvelope = z.infer<typeof ToolResultEnvelope>;

/** Wrap a result payload in a success envelope (text = `JSON.stringify(payload)`). */
export function okResult(payload: unknown): ToolResultEnvelope {
  const text = JSON.stringify(payload);
  if (text === undefined) {
    throw new TypeError('okResult: payload is not JSON-serialisable');
  }
  return { contentItems: [{ type: 'inputText', text }], success: true };
}

/** A failure envelope whose text is `message` (one line that says why the call failed). */
export function errorResult(message: string): ToolResultEnvelope {
  return { contentItems: [{ type: 'inputText', text: message }], success: false };
}
