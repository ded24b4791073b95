import type { Agent, TurnInput } from '../../src/ports/agent.ts';

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
