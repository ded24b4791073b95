import { readFile, writeFile, rename, rm, stat } from 'node:fs/promises';
import { onTeardown } from '../core/teardown.ts';
import { z } from 'zod';
import type { TraceEvent } from './events.ts';
import { canonicalJson } from './trace.ts';

// Loose on payloads (tool arguments and results are checked by the contract when they are
// made), strict on what the checkers rely on: kind, index, time and the ids they join on.
const base = { i: z.number().int().nonnegative(), t: z.number().nonnegative() };
const id = z.string().min(1);
const eventSchema = z.discriminatedUnion('kind', [
  z.object({
    ...base,
    kind: z.literal('run.start'),
    scenario: z.string(),
    seed: z.number(),
    leaderDriver: z.string(),
    leader: id,
    repo: z.string(),
    profile: z.object({
      skill: z.string(),
      header: z.string(),
      journalPath: z.string(),
      workerReportPath: z.string(),
      workerNotesPath: z.string(),
      heartbeatMinutes: z.number(),
      stallPasses: z.number(),
      startupWindowMinutes: z.number(),
      messageLimit: z.number(),
      completionSignal: z.string(),
      /** Older traces did not record it: the protocol's word. */
      blockedSignal: z.string().default('BLOCKED'),
      defaultModel: z.string(),
      defaultThinking: z.string(),
      templates: z.object({ registration: z.string(), dispatch: z.string(), report: z.string(), state: z.string(), final: z.string() }),
    }),
    tools: z.array(z.string()),
    task: z
      .object({
        shape: z.enum(['independent', 'core-refactor']),
        areas: z.array(z.object({ role: z.string(), owns: z.array(z.string()) })),
        shared: z.array(z.string()),
      })
      .nullable(),
    faultsPlanned: z.array(z.string()),
    host: z.literal('tui').optional(),
  }),
  z.object({ ...base, kind: z.literal('run.end'), outcome: z.string(), reason: z.string() }),
  z.object({
    ...base,
    kind: z.literal('user.input'),
    thread: id,
    text: z.string(),
    intent: z.enum(['task', 'confirm', 'decline', 'status', 'cancel', 'other']),
  }),
  z.object({
    ...base,
    kind: z.literal('turn.start'),
    thread: id,
    turn: id,
    causes: z.array(z.enum(['user', 'delegation', 'heartbeat'])),
    inputs: z.array(z.string()),
  }),
  z.object({
    ...base,
    kind: z.literal('turn.steer'),
    thread: id,
    turn: id,
    causes: z.array(z.enum(['user', 'delegation', 'heartbeat'])),
    inputs: z.array(z.string()),
  }),
  z.object({
    ...base,
    kind: z.literal('turn.end'),
    thread: id,
    turn: id,
    status: z.enum(['completed', 'failed', 'interrupted']),
    error: z.string().optional(),
  }),
  z.object({ ...base, kind: z.literal('assistant.message'), thread: id, turn: id, text: z.string() }),
  z.object({
    ...base,
    kind: z.literal('tool.call'),
    thread: id,
    turn: id,
    tool: z.string(),
    args: z.unknown(),
    ok: z.boolean(),
    result: z.unknown(),
  }),
  z.object({ ...base, kind: z.literal('message.sent'), msg: id, from: id, to: id, text: z.string() }),
  z.object({ ...base, kind: z.literal('message.delivered'), msg: id, to: id, turn: id }),
  z.object({
    ...base,
    kind: z.literal('thread.created'),
    thread: id,
    by: id,
    cwd: z.string(),
    model: z.string().nullable(),
    thinking: z.string().nullable(),
    worktree: z.object({ branch: z.string(), base: z.string() }).nullable(),
  }),
  z.object({ ...base, kind: z.literal('thread.status'), thread: id, status: z.string() }),
  z.object({ ...base, kind: z.literal('thread.archived'), thread: id, archived: z.boolean() }),
  z.object({
    ...base,
    kind: z.literal('automation'),
    op: z.enum(['create', 'update', 'delete', 'fire']),
    id,
    thread: id,
    status: z.enum(['ACTIVE', 'PAUSED', 'DELETED']),
    rrule: z.string(),
  }),
  z.object({
    ...base,
    kind: z.literal('ws'),
    op: z.string(),
    actor: id,
    dir: z.string(),
    paths: z.array(z.string()).optional(),
    ref: z.string().optional(),
    sha: z.string().nullable().optional(),
    ok: z.boolean(),
    detail: z.string().optional(),
    content: z.string().optional(),
  }),
  z.object({ ...base, kind: z.literal('fault'), fault: z.string(), detail: z.string(), target: z.string().optional() }),
  z.object({ ...base, kind: z.literal('note'), text: z.string() }),
]);

export class TraceFormatError extends Error {
  override name = 'TraceFormatError';
}

export function toJsonl(events: readonly TraceEvent[]): string {
  return events.map((e) => canonicalJson(e)).join('\n') + (events.length ? '\n' : '');
}

/** Parse a JSONL trace; the first bad line is reported as `FILE:LINE: what is wrong`. */
export function parseJsonl(text: string, file = 'trace'): TraceEvent[] {
  const events: TraceEvent[] = [];
  const sent = new Set<string>();
  const started = new Set<string>();
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      throw new TraceFormatError(`${file}:${n + 1}: not valid JSON (${(e as Error).message})`);
    }
    const r = eventSchema.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      const where = issue.path.length ? issue.path.join('.') : 'event';
      throw new TraceFormatError(`${file}:${n + 1}: ${where}: ${issue.message}`);
    }
    const e = r.data as TraceEvent;
    const at = `${file}:${n + 1}`;
    if (e.i !== events.length) throw new TraceFormatError(`${at}: i: expected event index ${events.length}, got ${e.i}`);
    // A history that cannot have happened is refused, not judged: time only runs forward, a
    // message arrives only once it was sent, a turn ends only once it started.
    if (events.length > 0 && e.kind === 'run.start') throw new TraceFormatError(`${at}: kind: a second run.start (one run per trace)`);
    const prev = events.at(-1);
    if (prev && e.t < prev.t) throw new TraceFormatError(`${at}: t: time runs backwards (${e.t} after ${prev.t})`);
    if (e.kind === 'message.sent') sent.add(e.msg);
    if (e.kind === 'message.delivered' && !sent.has(e.msg)) throw new TraceFormatError(`${at}: msg: message ${idOf(e.msg)} is delivered but was never sent`);
    if (e.kind === 'turn.start') started.add(e.turn);
    if (e.kind === 'turn.end' && !started.has(e.turn)) throw new TraceFormatError(`${at}: turn: turn ${idOf(e.turn)} ends but never started`);
    if (e.kind === 'turn.steer' && !started.has(e.turn))
      throw new TraceFormatError(`${at}: turn: input is steered into turn ${idOf(e.turn)}, which never started`);
    events.push(e);
  }
  if (events.length === 0) throw new TraceFormatError(`${file}: empty trace`);
  return events;
}

/** An id from the file as an error names it: a broken or hostile trace's may be any length, and an error is one line. */
function idOf(id: string): string {
  return id.length > 80 ? `${id.slice(0, 80)}…` : id;
}

/** Far beyond any run's trace (a long live run writes a few MB), and below V8's string limit. */
const MAX_TRACE_BYTES = 256 * 1024 * 1024;

/** `shown` is the name errors use (the path as the user gave it). */
export async function readTrace(path: string, shown = path): Promise<TraceEvent[]> {
  const st = await stat(path);
  if (st.isDirectory()) throw new TraceFormatError(`${shown}: a folder, not a trace file`);
  if (!st.isFile()) throw new TraceFormatError(`${shown}: not a plain file`);
  if (st.size > MAX_TRACE_BYTES) throw new TraceFormatError(`${shown}: ${Math.round(st.size / 1024 / 1024)} MB is too large for a trace (at most 256 MB)`);
  return parseJsonl(await readFile(path, 'utf8'), shown);
}

/** Written to a temporary file first, so an interrupted write never leaves half a trace. */
export async function writeTrace(path: string, events: readonly TraceEvent[]): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const forget = onTeardown(`half-written trace ${tmp}`, () => rm(tmp, { force: true }));
  try {
    await writeFile(tmp, toJsonl(events));
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
    forget();
  }
}
