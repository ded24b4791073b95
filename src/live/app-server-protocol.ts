// The few app-server protocol shapes the live harness uses, hand-copied (and trimmed) from
// `codex app-server generate-ts --experimental --out DIR` of codex-cli 0.163.0. Fields we
// do not read are left out or typed loosely; regenerate into a scratch dir to check a field.
//
// Wire format: one JSON object per line, JSON-RPC 2.0 without the `jsonrpc` member (the
// server neither sends nor needs it). Server→client requests use their own id sequence
// (starting at 0), independent of ours.

import type { DynamicTool } from '../contract/index.ts';

export type RequestId = string | number;

export interface RpcRequest {
  id: RequestId;
  method: string;
  params?: unknown;
}
export interface RpcNotification {
  method: string;
  params?: unknown;
}
export interface RpcError {
  code: number;
  message: string;
  data?: unknown;
}

// --- client → server -------------------------------------------------------------------

export interface ClientInfo {
  name: string;
  title: string | null;
  version: string;
}

export interface InitializeParams {
  clientInfo: ClientInfo;
  capabilities: { experimentalApi: boolean; optOutNotificationMethods?: string[] | null } | null;
}
export interface InitializeResponse {
  userAgent: string;
  codexHome: string;
  platformFamily: string;
  platformOs: string;
}

export type SandboxMode = 'read-only' | 'workspace-write' | 'danger-full-access';
export type AskForApproval = 'untrusted' | 'on-request' | 'never';

export interface ThreadStartParams {
  cwd?: string | null;
  sandbox?: SandboxMode | null;
  approvalPolicy?: AskForApproval | null;
  /** Experimental: needs `experimentalApi:true` at initialize. */
  dynamicTools?: DynamicTool[] | null;
  model?: string | null;
  baseInstructions?: string | null;
  developerInstructions?: string | null;
  ephemeral?: boolean | null;
  config?: Record<string, unknown> | null;
}

export interface Thread {
  id: string;
  cwd: string;
  path: string | null;
  status: ThreadStatus;
  turns: Turn[];
  [key: string]: unknown;
}
export interface ThreadStartResponse {
  thread: Thread;
  model: string;
  modelProvider: string;
  cwd: string;
  approvalPolicy: unknown;
  sandbox: unknown;
  [key: string]: unknown;
}

export interface TextElement {
  byteRange: { start: number; end: number };
  placeholder?: string | null;
}
export type UserInput =
  | { type: 'text'; text: string; text_elements: TextElement[] }
  | { type: 'skill'; name: string; path: string }
  | { type: 'localImage'; path: string };

/** A tool's output delivered as a turn's input (how Codex hands one thread's message to another). */
export interface TurnToolOutput {
  name: string;
  namespace: string | null;
  output: string;
  /** Keep the output in the thread's model history after the turn; the thread tools send false. */
  retain?: boolean;
}
export interface TurnStartParams {
  threadId: string;
  input: UserInput[];
  /** Why the turn starts (`automation_heartbeat_scheduled` for a heartbeat); ignored when the input is steered into a running turn. */
  turnTrigger?: string | null;
  toolOutput?: TurnToolOutput | null;
  cwd?: string | null;
  approvalPolicy?: AskForApproval | null;
  model?: string | null;
}
export interface TurnStartResponse {
  turn: Turn;
}

export type ThreadStatus =
  | { type: 'notLoaded' }
  | { type: 'idle' }
  | { type: 'systemError' }
  | { type: 'active'; activeFlags: Array<'waitingOnApproval' | 'waitingOnUserInput'> };

export type TurnStatus = 'completed' | 'interrupted' | 'failed' | 'inProgress';
export interface TurnError {
  message: string;
  codexErrorInfo: unknown;
  additionalDetails: string | null;
}
export interface Turn {
  id: string;
  items: ThreadItem[];
  status: TurnStatus;
  error: TurnError | null;
  startedAt: number | null;
  completedAt: number | null;
  durationMs: number | null;
  [key: string]: unknown;
}

export type DynamicToolCallOutputContentItem = { type: 'inputText'; text: string } | { type: 'inputImage'; imageUrl: string };

/** The items of a turn the harness looks at; every other `type` passes through untyped. */
export type ThreadItem =
  | { type: 'userMessage'; id: string; content: UserInput[] }
  | { type: 'agentMessage'; id: string; text: string }
  | {
      type: 'dynamicToolCall';
      id: string;
      namespace: string | null;
      tool: string;
      arguments: unknown;
      status: 'inProgress' | 'completed' | 'failed';
      contentItems: DynamicToolCallOutputContentItem[] | null;
      success: boolean | null;
      durationMs: number | null;
    }
  | { type: 'commandExecution'; id: string; command: string; status: string; aggregatedOutput: string | null; exitCode: number | null }
  | { type: string; id: string; [key: string]: unknown };

// --- server → client requests ----------------------------------------------------------

/** `item/tool/call`: the model called one of our dynamic tools. */
export interface DynamicToolCallParams {
  threadId: string;
  turnId: string;
  /** The model's `call_id`; also the id of the `dynamicToolCall` item. */
  callId: string;
  /** `codex_app` for a namespaced tool; null for a top-level one (automation_update). */
  namespace: string | null;
  tool: string;
  /** Already parsed from the model's JSON string. */
  arguments: unknown;
}
export interface DynamicToolCallResponse {
  contentItems: DynamicToolCallOutputContentItem[];
  success: boolean;
}

// --- notifications ---------------------------------------------------------------------

export interface TurnCompletedNotification {
  threadId: string;
  turn: Turn;
}
export interface ItemNotification {
  threadId: string;
  turnId: string;
  item: ThreadItem;
}
