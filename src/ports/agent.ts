// The port between an agent (a leader or a worker) and the world it runs in: what a turn
// brings in, and what the agent may do during it. The simulator's World and live mode both
// implement it; the reference leader and the simulated workers are written against it only.

import type { HostName } from '../contract/hosts.ts';
import type { InputOf, ResultOf, ToolName } from '../contract/registry.ts';
import type { TurnCause } from '../trace/events.ts';
import type { Workspace } from './workspace.ts';

/** The seeded chance an agent may draw on (the simulator's PRNG; never Math.random). */
export interface Chance {
  float(): number;
  int(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  fork(label: string): Chance;
  uuid(): string;
}

export interface TurnInput {
  cause: TurnCause;
  /** The text as the thread's model sees it (envelopes included). */
  text: string;
  /** For delegations: the sending thread. */
  from?: string;
  msg?: string;
  /** For delegations: the tool whose call sent it (a new thread's first message comes from create_thread). */
  via?: 'create_thread' | 'send_message_to_thread';
  automation?: string;
}

export type CallResult<P = unknown> = { ok: true; payload: P } | { ok: false; error: string };

/** What an agent (leader or worker) can do during one of its turns. */
export interface TurnContext {
  readonly thread: string;
  readonly turn: string;
  readonly rng: Chance;
  /** Names of the tools this build offers the thread (a leader checks them first: T1). */
  readonly tools: readonly string[];
  /** Whose implementation of the thread tools answers (their argument shapes differ: src/contract/hosts.ts). */
  readonly host: HostName;
  /** Virtual milliseconds since the run started. */
  now(): number;
  nowIso(): string;
  /** A thread tool or automation_update, validated by the contract. */
  call<N extends ToolName>(tool: N, args: InputOf<N>): Promise<CallResult<ResultOf<N>>>;
  /** Any other name (a tool a build lacks, a sub-agent tool): answered, if at all, with an error. */
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
  /**
   * Run with `inputs`. Called again within the same turn (same `ctx.turn`) with input steered
   * into the turn while it ran, when the world steers messages to busy threads.
   */
  turn(ctx: TurnContext, inputs: TurnInput[]): Promise<void>;
}
