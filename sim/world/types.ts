import type { Workspace } from '../workspace/port.ts';
import type { Rng } from '../random.ts';
import type { TurnCause } from '../../src/trace/events.ts';

export type ThreadStatus = 'notLoaded' | 'idle' | 'active' | 'systemError';

export type Item =
  | { type: 'userMessage'; text: string }
  | { type: 'agentMessage'; text: string }
  | { type: 'dynamicToolCall'; namespace?: string; tool: string; arguments: unknown; success: boolean; output: string }
  | { type: 'commandExecution'; command: string; cwd: string; exitCode: number; output: string }
  | { type: 'fileChange'; changes: { path: string; kind: 'add' | 'update' | 'delete' }[] };

export interface SimTurn {
  id: string;
  status: 'inProgress' | 'completed' | 'failed' | 'interrupted';
  startedAt: number;
  items: Item[];
}

export interface TurnInput {
  cause: TurnCause;
  /** The text as the thread's model sees it (envelopes included). */
  text: string;
  /** For delegations: the sending thread. */
  from?: string;
  msg?: string;
  automation?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: a payload's shape is its tool's result schema (src/contract), which callers read
export type CallResult = { ok: true; payload: any } | { ok: false; error: string };

/** What an agent (leader or worker) can do during one of its turns. */
export interface TurnContext {
  readonly thread: string;
  readonly turn: string;
  readonly rng: Rng;
  /** Names of the tools this build offers the thread (a leader checks them first: T1). */
  readonly tools: readonly string[];
  /** Virtual milliseconds since the run started. */
  now(): number;
  nowIso(): string;
  /** A thread tool or automation_update, validated by the contract. */
  call(tool: string, args: unknown): Promise<CallResult>;
  /** The workspace, every operation recorded as done by this thread. */
  ws: Workspace;
  /** Another way into the same files (a live leader's shell), recorded as this thread's too. */
  traced(inner: Workspace): Workspace;
  /** Record a workspace act this thread was seen to do (a live leader's shell command and its effects). */
  record(act: { op: string; dir: string; paths?: string[]; ref?: string; sha?: string | null; detail?: string; content?: string }): void;
  /** An assistant message in this turn (the reply the user or the caller sees). */
  say(text: string): void;
  /** Spend virtual time inside the turn (thinking, a long command). */
  sleep(ms: number): Promise<void>;
}

export interface Agent {
  turn(ctx: TurnContext, inputs: TurnInput[]): Promise<void>;
}

export interface SimThread {
  id: string;
  title: string;
  preview: string;
  cwd: string;
  projectId: string | null;
  createdAt: number;
  updatedAt: number;
  status: ThreadStatus;
  archived: boolean;
  pinned: boolean;
  model: string | null;
  thinking: string | null;
  createdBy: string | null;
  turns: SimTurn[];
  inbox: TurnInput[];
  /** Bumped on every observable change; wait_threads cursors compare against it. */
  version: number;
  agent: Agent | null;
  /** A turn start is already queued. */
  startQueued: boolean;
  worktree: { dir: string; branch: string; base: string } | null;
}

export interface Automation {
  id: string;
  kind: 'heartbeat' | 'cron';
  name: string;
  prompt: string;
  rrule: string;
  intervalMs: number;
  status: 'ACTIVE' | 'PAUSED';
  thread: string;
  createdAt: number;
  updatedAt: number;
  /** Next occurrence due (virtual ms). */
  due: number;
}

export type { Workspace };
