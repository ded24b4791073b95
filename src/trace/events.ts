// The trace: everything that happened in a run, in order. Simulated and live runs write the
// same format, so the same invariants check both. Every event carries its index `i` and the
// virtual (or, live, wall) time `t` in milliseconds since the run started.

export type TurnCause = 'user' | 'delegation' | 'heartbeat';

/** What the run header records of the skill, so a trace can be checked without the skill. */
export interface TraceProfile {
  skill: string;
  header: string;
  journalPath: string;
  workerReportPath: string;
  workerNotesPath: string;
  heartbeatMinutes: number;
  stallPasses: number;
  startupWindowMinutes: number;
  messageLimit: number;
  completionSignal: string;
  blockedSignal: string;
  defaultModel: string;
  defaultThinking: string;
  /** The fenced text of each of the five templates, so checkers can un-render messages. */
  templates: Record<'registration' | 'dispatch' | 'report' | 'state' | 'final', string>;
}

/** The task split the leader was given (simulated runs), for the checks that need it (T2). */
export interface TraceTask {
  shape: 'independent' | 'core-refactor';
  areas: { role: string; owns: string[] }[];
  shared: string[];
}

export type TraceBody =
  | {
      kind: 'run.start';
      scenario: string;
      seed: number;
      leaderDriver: string;
      leader: string;
      repo: string;
      profile: TraceProfile;
      /** The thread tools this build offered the leader. */
      tools: string[];
      task: TraceTask | null;
      /** Fault kinds the scenario planned (coverage compares them with the faults that fired). */
      faultsPlanned: string[];
      /** Set when the thread tools were the terminal UI's (absent: the desktop app's). */
      host?: 'tui';
    }
  | { kind: 'run.end'; outcome: string; reason: string }
  | { kind: 'user.input'; thread: string; text: string; intent: 'task' | 'confirm' | 'decline' | 'status' | 'cancel' | 'other' }
  | { kind: 'turn.start'; thread: string; turn: string; causes: TurnCause[]; inputs: string[] }
  /**
   * Input steered into a running turn (world.delivery: steer), handed to the thread's agent: from
   * here on it acts on it. Its messages were delivered (message.delivered) when they arrived.
   */
  | { kind: 'turn.steer'; thread: string; turn: string; causes: TurnCause[]; inputs: string[] }
  | { kind: 'turn.end'; thread: string; turn: string; status: 'completed' | 'failed' | 'interrupted'; error?: string }
  | { kind: 'assistant.message'; thread: string; turn: string; text: string }
  | {
      kind: 'tool.call';
      thread: string;
      turn: string;
      tool: string;
      args: unknown;
      ok: boolean;
      /** The decoded payload on success, the error text otherwise. */
      result: unknown;
    }
  | { kind: 'message.sent'; msg: string; from: string; to: string; text: string }
  | { kind: 'message.delivered'; msg: string; to: string; turn: string }
  | {
      kind: 'thread.created';
      thread: string;
      by: string;
      cwd: string;
      model: string | null;
      thinking: string | null;
      worktree: { branch: string; base: string } | null;
    }
  | { kind: 'thread.status'; thread: string; status: string }
  | { kind: 'thread.archived'; thread: string; archived: boolean }
  | {
      kind: 'automation';
      op: 'create' | 'update' | 'delete' | 'fire';
      id: string;
      thread: string;
      status: 'ACTIVE' | 'PAUSED' | 'DELETED';
      rrule: string;
    }
  | {
      kind: 'ws';
      op: string;
      actor: string;
      dir: string;
      /** Paths (relative to `dir`) the operation wrote or read, where it has them. */
      paths?: string[];
      ref?: string;
      sha?: string | null;
      ok: boolean;
      detail?: string;
      /** The text written, for journal writes (the checkers read the journal back). */
      content?: string;
    }
  | { kind: 'fault'; fault: string; detail: string; target?: string }
  | { kind: 'note'; text: string };

export type TraceEvent = TraceBody & { i: number; t: number };
export type TraceKind = TraceBody['kind'];
export type EventOf<K extends TraceKind> = Extract<TraceEvent, { kind: K }>;
