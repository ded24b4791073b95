/**
 * The two real hosts of the thread tools, and what the terminal UI's host (namespace
 * `codex_tui`, Codex 0.163's own implementation) demands of a call before it does anything.
 *
 * The desktop app's tools are the rest of this folder. The terminal UI's differ where a skill
 * can notice: `create_thread{prompt, title?, model?}` has no target (the new thread works in
 * the caller's folder) and no thinking level, a prompt is at most 1,000 UTF-8 bytes, there is
 * no automation_update (so no heartbeats), no list_projects or set_thread_pinned, and there is
 * `list_archived_threads`. Its refusals are single sentences, checked here in the order the
 * real tool checks them, and `tuiRefusal` answers with exactly those sentences.
 */

export const HOSTS = ['desktop', 'tui'] as const;
export type HostName = (typeof HOSTS)[number];

/**
 * How a thread's message reaches a thread whose turn is running: held for its next turn
 * (`next-turn`), or steered into the running turn (`steer`: what Codex's `turn/start` does on
 * a running thread, and so what its own thread tools do).
 */
export type Delivery = 'next-turn' | 'steer';

/** The longest prompt the terminal UI's create_thread and send_message_to_thread take, in UTF-8 bytes. */
export const TUI_PROMPT_LIMIT_BYTES = 1_000;
/** The same limit for the prompt once wrapped in the delegation envelope. */
export const TUI_ENVELOPE_LIMIT_BYTES = TUI_PROMPT_LIMIT_BYTES + 256;
/** Errors are cut to this many characters (with an ellipsis) before the model sees them. */
export const TUI_ERROR_CHARS = 248;
export const TUI_PROMPT_TOO_LONG = 'prompt exceeded the maximum context budget';
export const TUI_LIST_LIMIT = 50;
export const TUI_READ_TURN_LIMIT = 10;
export const TUI_OUTPUT_CHARS = 20_000;
export const TUI_WAIT_TARGETS = 8;
export const TUI_WAIT_TIMEOUT_MS = 120_000;

/** Each tool's argument names, in the order the real tool lists them in its errors. */
export const TUI_TOOLS = {
  list_threads: { fields: ['limit', 'cursor'], required: [] },
  list_archived_threads: { fields: ['limit', 'cursor'], required: [] },
  read_thread: { fields: ['threadId', 'cursor', 'turnLimit', 'includeOutputs', 'maxOutputCharsPerItem'], required: ['threadId'] },
  wait_threads: { fields: ['targets', 'timeoutMs'], required: ['targets'] },
  send_message_to_thread: { fields: ['threadId', 'prompt', 'model'], required: ['threadId', 'prompt'] },
  create_thread: { fields: ['prompt', 'title', 'model'], required: ['prompt'] },
  fork_thread: { fields: ['threadId'], required: [] },
  set_thread_title: { fields: ['threadId', 'title'], required: ['title'] },
  set_thread_archived: { fields: ['threadId', 'archived'], required: ['archived'] },
} as const satisfies Record<string, { fields: readonly string[]; required: readonly string[] }>;
export type TuiToolName = keyof typeof TUI_TOOLS;
export const TUI_TOOL_NAMES = Object.keys(TUI_TOOLS) as TuiToolName[];

const WAIT_TARGET_FIELDS = ['threadId', 'afterCursor'] as const;
const STRINGS = new Set(['threadId', 'cursor', 'prompt', 'model', 'title', 'afterCursor']);
const BOOLEANS = new Set(['includeOutputs', 'archived']);
const COUNTS = new Set(['limit', 'turnLimit', 'maxOutputCharsPerItem', 'timeoutMs']);

/** A text's size as the hosts measure a prompt. */
export const utf8Bytes = (s: string): number => new TextEncoder().encode(s).length;
const ticks = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(', ');

/** What serde says of a value that is not of the expected type (the wording the real tool passes on). */
function typeError(value: unknown, expected: string): string {
  const shown =
    value === null
      ? 'null'
      : typeof value === 'string'
        ? `string ${JSON.stringify(value)}`
        : typeof value === 'boolean'
          ? `boolean \`${value}\``
          : typeof value === 'number'
            ? Number.isInteger(value)
              ? `integer \`${value}\``
              : `floating point \`${value}\``
            : Array.isArray(value)
              ? 'sequence'
              : 'map';
  return `Invalid tool arguments: invalid type: ${shown}, expected ${expected}`;
}

/** Deserialising an object with unknown fields refused, as the real tool's argument structs do. */
function shapeError(args: unknown, fields: readonly string[], required: readonly string[]): string | null {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return typeError(args, 'a map');
  const o = args as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!fields.includes(k)) return `Invalid tool arguments: unknown field \`${k}\`, expected one of ${ticks(fields)}`;
  for (const k of fields) {
    const v = o[k];
    // An absent optional field and a null one read the same.
    if (v === undefined || (v === null && !required.includes(k))) continue;
    if (STRINGS.has(k) && typeof v !== 'string') return typeError(v, 'a string');
    if (BOOLEANS.has(k) && typeof v !== 'boolean') return typeError(v, 'a boolean');
    if (COUNTS.has(k) && !(Number.isInteger(v) && (v as number) >= 0)) return typeError(v, k === 'timeoutMs' ? 'u64' : 'u32');
    if (k === 'targets') {
      if (!Array.isArray(v)) return typeError(v, 'a sequence');
      for (const t of v) {
        const bad = shapeError(t, WAIT_TARGET_FIELDS, ['threadId']);
        if (bad) return bad;
      }
    }
  }
  // A required field given as null was refused above for its type, as serde refuses it.
  for (const k of required) if (o[k] === undefined) return `Invalid tool arguments: missing field \`${k}\``;
  return null;
}

/** The prompt itself, then wrapped as it will be delivered, as the real tool checks both. */
function promptError(prompt: string, envelope: (prompt: string) => string): string | null {
  if (prompt.trim() === '') return 'prompt must not be empty';
  if (utf8Bytes(prompt) > TUI_PROMPT_LIMIT_BYTES || utf8Bytes(envelope(prompt)) > TUI_ENVELOPE_LIMIT_BYTES) return TUI_PROMPT_TOO_LONG;
  return null;
}

/**
 * The sentence the terminal UI's tool `tool` refuses this call with, or null when it takes it.
 * `caller` is the calling thread; `envelope` wraps a prompt as it will be delivered (its size
 * is checked too).
 */
export function tuiRefusal(caller: string, tool: string, args: unknown, envelope: (prompt: string) => string): string | null {
  if (!(tool in TUI_TOOLS)) return cut(`Unsupported TUI dynamic tool: ${tool}`);
  const spec = TUI_TOOLS[tool as TuiToolName];
  const shape = shapeError(args, spec.fields, spec.required);
  if (shape) return cut(shape);
  const a = args as Record<string, unknown>;
  return cut(rulesOf(caller, tool as TuiToolName, a, envelope) ?? '') || null;
}

function rulesOf(caller: string, tool: TuiToolName, a: Record<string, unknown>, envelope: (prompt: string) => string): string | null {
  switch (tool) {
    case 'list_threads':
    case 'list_archived_threads': {
      const limit = (a.limit as number | undefined) ?? 10;
      if (limit < 1 || limit > TUI_LIST_LIMIT) return `limit must be between 1 and ${TUI_LIST_LIMIT}`;
      if (tool === 'list_threads' && a.cursor != null) return 'list_threads does not accept a cursor';
      return null;
    }
    case 'read_thread': {
      const turns = (a.turnLimit as number | undefined) ?? 1;
      if (turns < 1 || turns > TUI_READ_TURN_LIMIT) return `turnLimit must be between 1 and ${TUI_READ_TURN_LIMIT}`;
      if (((a.maxOutputCharsPerItem as number | undefined) ?? 2_000) > TUI_OUTPUT_CHARS) return `maxOutputCharsPerItem must not exceed ${TUI_OUTPUT_CHARS}`;
      return null;
    }
    case 'create_thread': {
      const bad = promptError(a.prompt as string, envelope);
      if (bad) return bad;
      if (typeof a.title === 'string' && a.title.trim() === '') return 'title must not be empty';
      return null;
    }
    case 'send_message_to_thread': {
      if (a.model === '') return 'model must not be empty';
      return promptError(a.prompt as string, envelope);
    }
    case 'set_thread_title':
      return (a.title as string).trim() === '' ? 'title must not be empty' : null;
    case 'set_thread_archived':
      return a.archived === true && ((a.threadId as string | undefined) ?? caller) === caller ? 'cannot archive the calling task' : null;
    case 'wait_threads': {
      const targets = a.targets as { threadId: string }[];
      if (targets.length === 0 || targets.length > TUI_WAIT_TARGETS) return `targets must contain between 1 and ${TUI_WAIT_TARGETS} tasks`;
      if (((a.timeoutMs as number | undefined) ?? TUI_WAIT_TIMEOUT_MS) > TUI_WAIT_TIMEOUT_MS) return `timeoutMs must not exceed ${TUI_WAIT_TIMEOUT_MS}`;
      const seen = new Set<string>();
      for (const t of targets) {
        if (t.threadId === caller) return 'wait_threads cannot wait on the calling task';
        if (seen.has(t.threadId)) return 'wait_threads received duplicate target tasks';
        seen.add(t.threadId);
      }
      return null;
    }
    // Stryker disable next-line ConditionalExpression,StringLiteral: without this case the switch runs off its end and answers undefined, read as "takes it" all the same
    case 'fork_thread':
      return null;
  }
}

function cut(text: string): string {
  const chars = [...text];
  return chars.length <= TUI_ERROR_CHARS ? text : `${chars.slice(0, TUI_ERROR_CHARS - 1).join('')}…`;
}
