/**
 * The `codex_app` thread tools the desktop app gives a thread (create, message, read, wait,
 * fork, archive, title, pin, list): argument and result-payload schemas.
 *
 * Argument objects are STRICT, nested ones included: an unknown key is rejected so that a
 * leader's typo surfaces as an error instead of being ignored. Result payloads are loose
 * (see common.ts).
 */
import { z } from 'zod';
import { Cursor, HostId, ModelName, ProjectId, Prompt, ThreadId, ThreadStatus, Thinking, TurnStatus, UnixSeconds } from './common.js';

/** Largest `timeoutMs` wait_threads accepts. */
export const MAX_WAIT_TIMEOUT_MS = 120_000;
/** Most targets one wait_threads call may watch. */
export const MAX_WAIT_TARGETS = 8;

// =======================================================================================
// Arguments
// =======================================================================================

// ---- list_projects --------------------------------------------------------------------

export const ListProjectsArgs = z.strictObject({});

// ---- create_thread --------------------------------------------------------------------

/** Where a new worktree starts from: the project's current working tree, or a branch. */
export const WorktreeStartingState = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('working-tree') }),
    z.strictObject({
      type: z.literal('branch'),
      branchName: z.string().min(1).describe('Existing branch the worktree checks out.'),
    }),
  ])
  .describe('What the new worktree starts from: {type:"working-tree"} or {type:"branch", branchName}.');

/** Run in the project directory itself, or in a new git worktree of it. */
export const ProjectEnvironment = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('local') }),
    z.strictObject({ type: z.literal('worktree'), startingState: WorktreeStartingState.optional() }),
  ])
  .describe('{type:"local"} runs in the project directory; {type:"worktree", startingState?} in a new git worktree.');

export const ProjectTarget = z.strictObject({
  type: z.literal('project'),
  projectId: ProjectId,
  environment: ProjectEnvironment,
});

export const ProjectlessTarget = z.strictObject({
  type: z.literal('projectless'),
  directoryName: z.string().min(1).optional().describe('Name of the scratch directory to create.'),
});

export const CreateThreadTarget = z
  .discriminatedUnion('type', [ProjectTarget, ProjectlessTarget])
  .describe('Where the thread runs: {type:"project", projectId, environment} or {type:"projectless", directoryName?}.');
export type CreateThreadTarget = z.infer<typeof CreateThreadTarget>;

export const CreateThreadArgs = z.strictObject({
  prompt: Prompt.describe('First message of the new thread.'),
  target: CreateThreadTarget,
  model: ModelName.optional(),
  thinking: Thinking.optional(),
});

// ---- send_message_to_thread -----------------------------------------------------------

export const SendMessageToThreadArgs = z.strictObject({
  threadId: ThreadId,
  prompt: Prompt,
  hostId: HostId.optional(),
  model: ModelName.optional(),
  thinking: Thinking.optional(),
});

// ---- read_thread ----------------------------------------------------------------------

export const ReadThreadArgs = z.strictObject({
  threadId: ThreadId,
  hostId: HostId.optional(),
  cursor: Cursor.optional().describe('page.nextCursor of a previous read_thread, to read older turns.'),
  turnLimit: z.number().int().positive().optional().describe('Most turns to return (newest first).'),
  includeOutputs: z.boolean().optional().describe('Include command and tool outputs in the items (off by default).'),
  maxOutputCharsPerItem: z.number().int().positive().optional().describe('Cut each included output to this many characters.'),
});

// ---- list_threads ---------------------------------------------------------------------

export const ListThreadsArgs = z.strictObject({
  query: z.string().optional().describe('Only threads whose title or summary matches this text.'),
  limit: z.number().int().positive().optional().describe('Most threads to return.'),
});

// ---- wait_threads ---------------------------------------------------------------------

export const WaitTarget = z.strictObject({
  threadId: ThreadId,
  hostId: HostId.optional(),
  afterCursor: Cursor.optional().describe('cursor from an earlier poll of this thread: wake only on news after it.'),
});

export const WaitThreadsArgs = z.strictObject({
  targets: z.array(WaitTarget).min(1).max(MAX_WAIT_TARGETS).describe(`Threads to watch, 1 to ${MAX_WAIT_TARGETS}.`),
  timeoutMs: z.number().int().min(0).max(MAX_WAIT_TIMEOUT_MS).describe(`How long to wait, 0 to ${MAX_WAIT_TIMEOUT_MS} ms; 0 returns a snapshot at once.`),
});

// ---- fork_thread ----------------------------------------------------------------------

export const ForkThreadArgs = z.strictObject({
  threadId: ThreadId.optional().describe('Thread to fork; omit for the calling thread.'),
  environment: z
    .strictObject({ type: z.enum(['same-directory', 'worktree']) })
    .optional()
    .describe('{type:"same-directory"} or {type:"worktree"} (a new git worktree).'),
});

// ---- set_thread_archived / title / pinned ---------------------------------------------

export const SetThreadArchivedArgs = z.strictObject({
  threadId: ThreadId.optional().describe('Thread to (un)archive; omit for the calling thread.'),
  archived: z.boolean().describe('true to archive, false to unarchive.'),
});

export const SetThreadTitleArgs = z.strictObject({
  threadId: ThreadId,
  title: z.string().min(1).describe('New title of the thread.'),
});

export const SetThreadPinnedArgs = z.strictObject({
  threadId: ThreadId,
  pinned: z.boolean().describe('true to pin, false to unpin.'),
});

// =======================================================================================
// Result payloads
// =======================================================================================

// ---- list_projects: a JSON array of projects ------------------------------------------

export const Project = z.looseObject({
  projectId: z.string().min(1),
  projectKind: z.enum(['local', 'remote']),
  hostId: z.string().min(1),
  path: z.string().min(1),
});
export type Project = z.infer<typeof Project>;

export const ListProjectsResult = z.array(Project);

// ---- create_thread --------------------------------------------------------------------

/**
 * `{threadId, hostId?}` once the thread exists; `{pendingWorktreeId}` while its worktree is
 * still being prepared (newer builds answer `{clientThreadId}` instead).
 */
export const CreateThreadResult = z.union([
  z.looseObject({ threadId: z.string().min(1), hostId: z.string().min(1).optional() }),
  z.looseObject({ pendingWorktreeId: z.string().min(1) }),
  z.looseObject({ clientThreadId: z.string().min(1) }),
]);

// ---- send_message_to_thread / fork_thread ---------------------------------------------

export const SendMessageToThreadResult = z.looseObject({ threadId: z.string().min(1) });
export const ForkThreadResult = z.looseObject({ threadId: z.string().min(1) });

// ---- list_threads (schemaVersion 4) ---------------------------------------------------

export const ThreadKind = z.literal('codex');

/** One thread in list_threads. `projectId` is null for a projectless thread. */
export const ThreadSummary = z.looseObject({
  id: z.string().min(1),
  kind: ThreadKind,
  projectId: z.string().min(1).nullable(),
  title: z.string().nullable(),
  summary: z.string().nullable(),
  status: ThreadStatus,
  cwd: z.string(),
  updatedAt: UnixSeconds,
});
export type ThreadSummary = z.infer<typeof ThreadSummary>;

export const ListThreadsResult = z.looseObject({
  schemaVersion: z.literal(4),
  untrustedDataNotice: z.string(),
  pinnedThreads: z.array(ThreadSummary),
  threads: z.array(ThreadSummary),
  /** Hosts or sources that could not be listed; their entry shape is not documented. */
  unavailableHosts: z.array(z.unknown()),
  unavailableSources: z.array(z.unknown()),
});

// ---- read_thread (schemaVersion 1) ----------------------------------------------------

/**
 * Items of a turn, discriminated on `type`. The `output` fields are present only when the
 * call set `includeOutputs` (cut to `maxOutputCharsPerItem` when that is set).
 */
export const UserMessageItem = z.looseObject({ type: z.literal('userMessage'), text: z.string() });
export const AgentMessageItem = z.looseObject({ type: z.literal('agentMessage'), text: z.string() });
export const DynamicToolCallItem = z.looseObject({
  type: z.literal('dynamicToolCall'),
  namespace: z.string().nullable().optional(),
  tool: z.string().min(1),
  arguments: z.json(),
  /** Absent while the call is still running. */
  success: z.boolean().nullable().optional(),
  /** Only with includeOutputs. */
  output: z.string().optional(),
});
export const CommandExecutionItem = z.looseObject({
  type: z.literal('commandExecution'),
  command: z.string(),
  cwd: z.string(),
  /** null while the command is still running. */
  exitCode: z.number().int().nullable(),
  /** Only with includeOutputs. */
  output: z.string().optional(),
});
export const FileChangeItem = z.looseObject({
  type: z.literal('fileChange'),
  changes: z.array(z.looseObject({ path: z.string().min(1), kind: z.enum(['add', 'delete', 'update']) })),
});

export const ThreadItem = z.discriminatedUnion('type', [UserMessageItem, AgentMessageItem, DynamicToolCallItem, CommandExecutionItem, FileChangeItem]);
export type ThreadItem = z.infer<typeof ThreadItem>;

export const Turn = z.looseObject({
  id: z.string().min(1),
  status: TurnStatus,
  startedAt: UnixSeconds,
  /** In the order they happened. */
  items: z.array(ThreadItem),
});
export type Turn = z.infer<typeof Turn>;

export const ThreadDetail = z.looseObject({
  id: z.string().min(1),
  kind: ThreadKind,
  title: z.string().nullable(),
  preview: z.string(),
  status: ThreadStatus,
  cwd: z.string(),
  createdAt: UnixSeconds,
  updatedAt: UnixSeconds,
});

export const ReadThreadPage = z.looseObject({
  order: z.literal('newest_first'),
  limit: z.number().int().positive(),
  hasMore: z.boolean(),
  /** Pass as `cursor` to read the next (older) page; null when there is none. */
  nextCursor: z.string().min(1).nullable(),
});

/** `turns` are newest first, as `page.order` says. */
export const ReadThreadResult = z.looseObject({
  schemaVersion: z.literal(1),
  thread: ThreadDetail,
  page: ReadThreadPage,
  turns: z.array(Turn),
});

// ---- wait_threads ---------------------------------------------------------------------

export const WAKE_REASONS = ['turnCompleted', 'inactiveStatus', 'actionableStatus'] as const;

export const Wake = z.looseObject({
  threadId: z.string().min(1),
  reason: z.enum(WAKE_REASONS),
  turnId: z.string().min(1).optional(),
});

export const WaitPoll = z.looseObject({
  thread: z.looseObject({ id: z.string().min(1), status: ThreadStatus }),
  /** Pass back as `afterCursor` to wait for news after this poll; null for a thread with no turns. */
  cursor: z.string().min(1).nullable(),
  /** Whether anything happened after the target's `afterCursor`. */
  changed: z.boolean(),
  latestTurn: z.looseObject({ id: z.string().min(1), status: TurnStatus, error: z.string().nullable() }).nullable(),
  latestAssistantMessage: z.string().nullable(),
  latestToolMarker: z.string().nullable(),
});

export const WaitError = z.looseObject({
  threadId: z.string().min(1),
  hostId: z.string().min(1).optional(),
  message: z.string().min(1),
});

/**
 * `wake` says which thread woke the wait and why; it is null only when the wait timed out
 * (or when every target failed, listed in `errors`).
 */
export const WaitThreadsResult = z
  .looseObject({
    timedOut: z.boolean(),
    wake: Wake.nullable(),
    polls: z.array(WaitPoll),
    errors: z.array(WaitError).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.wake === null && !value.timedOut && !(value.errors && value.errors.length > 0)) {
      ctx.addIssue({
        // Stryker disable next-line StringLiteral: the error line is the issue's message whatever its code
        code: 'custom',
        path: ['wake'],
        message: 'must not be null unless timedOut is true',
      });
    }
  });

// ---- set_thread_archived / title / pinned ---------------------------------------------

export const SetThreadArchivedResult = z.looseObject({ threadId: z.string().min(1), archived: z.boolean() });
export const SetThreadTitleResult = z.looseObject({ threadId: z.string().min(1), title: z.string() });
export const SetThreadPinnedResult = z.looseObject({ threadId: z.string().min(1), pinned: z.boolean() });
