// Reading one Codex rollout file (`rollout-…-<threadId>.jsonl`): the thread's turns and, in each,
// what came in and what the thread did, in order, with the file's own timestamps. Real files are
// read forgivingly: line types and fields we do not know are skipped, a last line cut short (a
// run still writing) is dropped with a warning, and a line that is not JSON elsewhere is named.

import { ACT_RECORDS } from '../../src/workspace/shell-acts.ts';

/** What came into a turn or happened in it, in the file's order. */
export type RolloutItem =
  | { kind: 'user'; t: number; text: string }
  /** A heartbeat's `<heartbeat>` text, delivered as the turn's input. */
  | { kind: 'heartbeat'; t: number; text: string }
  /** Another thread's message: a tool output with no call of this thread's behind it. */
  | { kind: 'delivered'; t: number; text: string; via: string | null }
  | { kind: 'assistant'; t: number; text: string }
  | {
      kind: 'call';
      t: number;
      /** When its output came (null: none yet). */
      done: number | null;
      callId: string;
      name: string;
      namespace: string | null;
      args: unknown;
      output: string | null;
      /** What Codex recorded of the call's success (dynamic tools), null when it did not say. */
      success: boolean | null;
    }
  | { kind: 'compacted'; t: number };

export interface RolloutTurn {
  id: string;
  /** `turn_attribution.turn_trigger` (a heartbeat's is `automation_heartbeat_scheduled`). */
  trigger: string | null;
  start: number;
  end: number | null;
  status: 'completed' | 'interrupted' | 'open';
  items: RolloutItem[];
}

export interface RolloutThread {
  id: string;
  file: string;
  cwd: string | null;
  cliVersion: string | null;
  /** Who drove Codex (`session_meta.originator`): the desktop app, the terminal UI, or our harness. */
  originator: string | null;
  /** The thread's git state when it started (a worktree thread's branch and base commit). */
  git: { branch: string | null; commit: string | null } | null;
  startedAt: number;
  /** Names of the dynamic tools the thread was given (namespaced ones by their own name). */
  tools: string[];
  /** Skills Codex added to the conversation (`<skill>` messages): name and SKILL.md path. */
  skills: { name: string; path: string }[];
  turns: RolloutTurn[];
  warnings: string[];
}

/** A rollout that cannot be read at all (one line says where and why). */
export class RolloutError extends Error {
  override name = 'RolloutError';
}

/** Codex's own context in a user-role message: not the person's words. */
const CONTEXT = /^\s*<(environment_context|user_instructions|skill|skills_instructions|permissions|turn_aborted|user_shell_command)\b/;
const HEARTBEAT = /^\s*<heartbeat>/;

interface Line {
  timestamp?: string;
  type?: string;
  payload?: Record<string, unknown>;
}

/** The text of a Responses API message's content parts (a request's input items and a rollout's alike). */
export const textOf = (content: unknown): string =>
  Array.isArray(content)
    ? content.map((c) => (c && typeof c === 'object' && typeof (c as { text?: unknown }).text === 'string' ? (c as { text: string }).text : '')).join('')
    : '';

/** A function_call_output's output as text (a string, or content parts). */
export const outputText = (o: unknown): string => (typeof o === 'string' ? o : Array.isArray(o) ? textOf(o) : JSON.stringify(o ?? ''));

function parseArgs(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw ?? {};
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Tool names of session_meta.dynamic_tools: functions by name, a namespace by each of its tools. */
function toolNames(dynamic: unknown): string[] {
  if (!Array.isArray(dynamic)) return [];
  return dynamic.flatMap((d: { type?: string; name?: string; tools?: { name?: string }[] }) =>
    d?.type === 'namespace' && Array.isArray(d.tools)
      ? d.tools.flatMap((x) => (typeof x?.name === 'string' ? [x.name] : []))
      : typeof d?.name === 'string'
        ? [d.name]
        : [],
  );
}

/**
 * What the import reads of a command's output, which can be megabytes: the exit line, the
 * shell workspace's record lines (src/workspace/shell-acts.ts), and git's own words on how a
 * merge went. At most a few hundred lines.
 */
export function commandEvidence(out: string): string {
  const exit = /Process exited with code -?\d+/.exec(out)?.[0] ?? '';
  const kept = out.split('\n').filter((l) => l.length <= 4000 && EVIDENCE.test(l));
  return [exit, ...kept.slice(0, 200)].join('\n');
}
const EVIDENCE = new RegExp(`^(@@TT@@ (${ACT_RECORDS.join('|')})\\b|CONFLICT|Automatic merge failed|Merge made by|Fast-forward|Already up.to.date)`);

/** One rollout file read line by line (a large file is streamed through `push`, never held whole). */
export class RolloutReader {
  private readonly thread: RolloutThread;
  private turn: RolloutTurn | null = null;
  private readonly calls = new Map<string, Extract<RolloutItem, { kind: 'call' }>>();
  /** The line before the current one: only at the end is it known to be the last. */
  private held: { text: string; no: number } | null = null;
  private count = 0;

  constructor(private readonly file: string) {
    this.thread = { id: '', file, cwd: null, cliVersion: null, originator: null, git: null, startedAt: 0, tools: [], skills: [], turns: [], warnings: [] };
  }

  push(line: string): void {
    this.count++;
    if (!line.trim()) return;
    if (this.held) this.take(this.held.text, this.held.no, false);
    this.held = { text: line, no: this.count };
  }

  end(): RolloutThread {
    if (this.held) this.take(this.held.text, this.held.no, true);
    this.held = null;
    const thread = this.thread;
    if (!thread.id) {
      const m = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/.exec(this.file);
      if (!m) throw new RolloutError(`${this.file}: no session_meta line and no thread id in the file name: not a Codex rollout`);
      thread.id = m[1]!;
      thread.warnings.push(`${this.file}: no session_meta line: the thread id is taken from the file name`);
    }
    if (!thread.startedAt) thread.startedAt = thread.turns[0]?.start ?? 0;
    return thread;
  }

  /** Items before the first task_started (a file cut at the front) go to a turn of their own. */
  private current(t: number): RolloutTurn {
    if (!this.turn) {
      this.turn = { id: `before-${this.thread.turns.length}`, trigger: null, start: t, end: null, status: 'open', items: [] };
      this.thread.turns.push(this.turn);
    }
    return this.turn;
  }

  private take(rawLine: string, no: number, last: boolean): void {
    const { thread, file, calls } = this;
    let line: Line;
    try {
      line = JSON.parse(rawLine) as Line;
    } catch {
      thread.warnings.push(
        last ? `${file}:${no}: the last line is cut short (a run still in progress?): left out` : `${file}:${no}: not a JSON line: left out`,
      );
      return;
    }
    const p = line.payload ?? {};
    const t = Date.parse(line.timestamp ?? '');
    if (!Number.isFinite(t)) return;
    switch (line.type) {
      case 'session_meta': {
        thread.id = String(p.id ?? p.session_id ?? '');
        thread.cwd = typeof p.cwd === 'string' ? p.cwd : null;
        thread.cliVersion = typeof p.cli_version === 'string' ? p.cli_version : null;
        thread.originator = typeof p.originator === 'string' ? p.originator : null;
        thread.startedAt = Date.parse(String(p.timestamp ?? line.timestamp));
        const git = p.git as { branch?: unknown; commit_hash?: unknown } | undefined;
        if (git)
          thread.git = { branch: typeof git.branch === 'string' ? git.branch : null, commit: typeof git.commit_hash === 'string' ? git.commit_hash : null };
        thread.tools = toolNames(p.dynamic_tools);
        return;
      }
      case 'compacted':
        this.current(t).items.push({ kind: 'compacted', t });
        return;
      case 'event_msg':
        if (p.type === 'task_started') {
          const attribution = p.turn_attribution as { turn_trigger?: unknown } | undefined;
          this.turn = {
            id: String(p.turn_id ?? `turn-${thread.turns.length}`),
            trigger: typeof attribution?.turn_trigger === 'string' ? attribution.turn_trigger : null,
            start: t,
            end: null,
            status: 'open',
            items: [],
          };
          thread.turns.push(this.turn);
        } else if (p.type === 'task_complete' || p.type === 'turn_aborted') {
          const done = this.current(t);
          done.end = t;
          done.status = p.type === 'task_complete' ? 'completed' : 'interrupted';
          this.turn = null;
        } else if (p.type === 'item_completed') {
          const item = p.item as { type?: string; id?: string; success?: unknown } | undefined;
          const call = item?.type === 'DynamicToolCall' && item.id ? calls.get(item.id) : undefined;
          if (call && typeof item?.success === 'boolean') call.success = item.success;
        }
        return;
      case 'response_item': {
        if (p.type === 'message') {
          const text = textOf(p.content);
          if (p.role === 'assistant') this.current(t).items.push({ kind: 'assistant', t, text });
          else if (p.role === 'user') {
            const skill = /^\s*<skill>\s*<name>([^<]*)<\/name>\s*<path>([^<]*)<\/path>/.exec(text);
            if (skill) thread.skills.push({ name: skill[1]!, path: skill[2]! });
            if (HEARTBEAT.test(text)) this.current(t).items.push({ kind: 'heartbeat', t, text });
            else if (!CONTEXT.test(text)) this.current(t).items.push({ kind: 'user', t, text });
          }
        } else if (p.type === 'function_call' || p.type === 'custom_tool_call') {
          const callId = String(p.call_id ?? '');
          const call = {
            kind: 'call' as const,
            t,
            done: null,
            callId,
            name: String(p.name ?? ''),
            namespace: typeof p.namespace === 'string' ? p.namespace : null,
            // A custom tool (apply_patch) takes free text, kept as {input}.
            args: p.type === 'custom_tool_call' ? { input: typeof p.input === 'string' ? p.input : '' } : parseArgs(p.arguments),
            output: null,
            success: null,
          };
          calls.set(callId, call);
          this.current(t).items.push(call);
        } else if (p.type === 'function_call_output' || p.type === 'custom_tool_call_output') {
          const call = typeof p.call_id === 'string' ? calls.get(p.call_id) : undefined;
          if (call) {
            const out = outputText(p.output);
            call.output = call.name === 'exec_command' ? commandEvidence(out) : out;
            call.done = t;
          } else this.current(t).items.push({ kind: 'delivered', t, text: outputText(p.output), via: typeof p.name === 'string' ? p.name : null });
        }
        return;
      }
      default:
        return;
    }
  }
}

export function parseRollout(text: string, file: string): RolloutThread {
  const reader = new RolloutReader(file);
  for (const line of text.split('\n')) reader.push(line);
  return reader.end();
}
