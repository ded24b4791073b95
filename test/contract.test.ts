import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import Ajv2020Module from 'ajv/dist/2020.js';
import {
  CODEX_APP_TOOL_NAMES,
  RRULE_KEYS,
  RRULE_PATTERN,
  THINKING_LEVELS,
  TOOLS,
  TEAM_TOOLS,
  TOOL_NAMES,
  ThreadStatus,
  ToolResultEnvelope,
  toInputSchema,
  automationUpdateTool,
  checkRrule,
  codexAppNamespace,
  dynamicTools,
  errorResult,
  okResult,
  resolveToolName,
  validateArgs,
  validateResult,
  type ArgsOf,
  type ResultOf,
  type ToolName,
} from '../src/contract/index.js';
import { delegationEnvelope, unwrapDelegation, unwrapHeartbeat } from '../src/contract/envelopes.js';

// ajv ships CommonJS: under NodeNext typing the default import is the module object, whose
// `.default` is the class (at run time module.exports is the class and its .default is itself).
const Ajv2020 = Ajv2020Module.default;

// =======================================================================================
// Samples: accepted and rejected arguments for every tool
// =======================================================================================

const projectLocal = { type: 'project', projectId: 'proj-1', environment: { type: 'local' } };

const ACCEPTED: Record<ToolName, unknown[]> = {
  list_projects: [{}],
  create_thread: [
    { prompt: 'Build the parser', target: projectLocal },
    { prompt: 'p', target: { type: 'project', projectId: 'proj-1', environment: { type: 'worktree' } } },
    {
      prompt: 'p',
      target: { type: 'project', projectId: 'proj-1', environment: { type: 'worktree', startingState: { type: 'working-tree' } } },
    },
    {
      prompt: 'p',
      target: {
        type: 'project',
        projectId: 'proj-1',
        environment: { type: 'worktree', startingState: { type: 'branch', branchName: 'feature/x' } },
      },
      model: 'gpt-5.5',
      thinking: 'xhigh',
    },
    { prompt: 'p', target: { type: 'projectless' } },
    { prompt: 'p', target: { type: 'projectless', directoryName: 'scratch' }, thinking: 'low' },
    ...THINKING_LEVELS.map((thinking) => ({ prompt: 'p', target: projectLocal, thinking })),
  ],
  send_message_to_thread: [
    { threadId: 't-1', prompt: 'Report status' },
    { threadId: 't-1', prompt: 'p', hostId: 'host-local', model: 'gpt-5.5', thinking: 'ultra' },
    ...THINKING_LEVELS.map((thinking) => ({ threadId: 't-1', prompt: 'p', thinking })),
  ],
  read_thread: [
    { threadId: 't-1' },
    { threadId: 't-1', hostId: 'h', cursor: 'c-9', turnLimit: 3, includeOutputs: true, maxOutputCharsPerItem: 2000 },
    { threadId: 't-1', includeOutputs: false },
  ],
  list_threads: [{}, { query: 'parser' }, { limit: 1 }, { query: '', limit: 50 }],
  wait_threads: [
    { targets: [{ threadId: 't-1' }], timeoutMs: 0 },
    { targets: [{ threadId: 't-1', hostId: 'h', afterCursor: 'c-3' }], timeoutMs: 120000 },
    { targets: Array.from({ length: 8 }, (_, i) => ({ threadId: `t-${i}` })), timeoutMs: 60000 },
  ],
  fork_thread: [{}, { threadId: 't-1' }, { environment: { type: 'same-directory' } }, { threadId: 't', environment: { type: 'worktree' } }],
  set_thread_archived: [{ archived: true }, { threadId: 't-1', archived: false }],
  set_thread_title: [{ threadId: 't-1', title: 'Parser worker' }],
  set_thread_pinned: [
    { threadId: 't-1', pinned: true },
    { threadId: 't-1', pinned: false },
  ],
  automation_update: [
    { mode: 'create', kind: 'heartbeat', name: 'team heartbeat', prompt: 'Check the workers', rrule: 'FREQ=MINUTELY;INTERVAL=5' },
    {
      mode: 'create',
      kind: 'heartbeat',
      destination: 'thread',
      targetThreadId: 't-leader',
      name: 'hb',
      prompt: 'p',
      rrule: 'FREQ=HOURLY',
      status: 'ACTIVE',
      notificationPolicy: 'failed_runs_only',
    },
    {
      mode: 'create',
      kind: 'cron',
      name: 'nightly',
      prompt: 'p',
      rrule: 'FREQ=DAILY;BYHOUR=3;BYMINUTE=0',
      cwds: ['/repo'],
      executionEnvironment: 'local',
      model: 'gpt-5.5',
      reasoningEffort: 'high',
    },
    { mode: 'create', kind: 'cron', name: 'n', prompt: 'p', rrule: 'INTERVAL=2;FREQ=WEEKLY;BYDAY=MO,WE' },
    { mode: 'update', id: 'auto-1', status: 'PAUSED' },
    { mode: 'update', id: 'auto-1', kind: 'heartbeat', rrule: 'FREQ=SECONDLY;INTERVAL=30', prompt: 'p2' },
    { mode: 'update', id: 'auto-1', cwds: ['/repo'] },
    { mode: 'delete', id: 'auto-1' },
    { mode: 'delete', id: 'auto-1', kind: 'heartbeat' },
    { mode: 'view' },
    { mode: 'view', id: 'auto-1' },
    { mode: 'view', kind: 'cron' },
  ],
};

/** [tool, arguments, the exact one-line error]. */
const REJECTED: [ToolName, unknown, string][] = [
  ['list_projects', { all: true }, 'list_projects: all: unknown field (this object takes no fields)'],
  ['list_projects', null, 'list_projects: arguments: must be an object (got null)'],
  ['create_thread', { target: projectLocal }, 'create_thread: prompt: required'],
  ['create_thread', { prompt: '', target: projectLocal }, 'create_thread: prompt: must not be empty'],
  ['create_thread', { prompt: 42, target: projectLocal }, 'create_thread: prompt: must be a string (got 42)'],
  ['create_thread', { promt: 'p', target: projectLocal }, 'create_thread: prompt: required (got unknown field "promt"; a typo?)'],
  ['create_thread', { prompt: 'p' }, 'create_thread: target: required'],
  [
    'create_thread',
    { prompt: 'p', target: projectLocal, thinking: 'extreme' },
    'create_thread: thinking: must be one of "low" | "medium" | "high" | "xhigh" | "max" | "ultra" (got "extreme")',
  ],
  ['create_thread', { prompt: 'p', target: { type: 'cloud' } }, 'create_thread: target.type: must be one of "project" | "projectless" (got "cloud")'],
  ['create_thread', { prompt: 'p', target: {} }, 'create_thread: target.type: required (one of "project" | "projectless")'],
  ['create_thread', { prompt: 'p', target: { type: 'project', projectId: 'proj-1' } }, 'create_thread: target.environment: required'],
  ['create_thread', { prompt: 'p', target: { type: 'project', environment: { type: 'local' } } }, 'create_thread: target.projectId: required'],
  [
    'create_thread',
    { prompt: 'p', target: { type: 'project', projectId: 'proj-1', environment: { type: 'docker' } } },
    'create_thread: target.environment.type: must be one of "local" | "worktree" (got "docker")',
  ],
  [
    'create_thread',
    {
      prompt: 'p',
      target: { type: 'project', projectId: 'proj-1', environment: { type: 'worktree', startingState: { type: 'branch' } } },
    },
    'create_thread: target.environment.startingState.branchName: required',
  ],
  [
    'create_thread',
    {
      prompt: 'p',
      target: { type: 'project', projectId: 'proj-1', environment: { type: 'worktree', startingState: { type: 'commit' } } },
    },
    'create_thread: target.environment.startingState.type: must be one of "working-tree" | "branch" (got "commit")',
  ],
  [
    'create_thread',
    { prompt: 'p', target: { type: 'projectless', directoryName: 'x', projectId: 'proj-1' } },
    'create_thread: target.projectId: unknown field (allowed: type, directoryName)',
  ],
  [
    'send_message_to_thread',
    { threadId: 't-1', prompt: 'p', priority: 'high' },
    'send_message_to_thread: priority: unknown field (allowed: threadId, prompt, hostId, model, thinking)',
  ],
  ['send_message_to_thread', { threadId: 't-1', prompt: 'p', thinkng: 'high' }, 'send_message_to_thread: thinkng: unknown field (did you mean "thinking"?)'],
  ['send_message_to_thread', { threadId: '', prompt: 'p' }, 'send_message_to_thread: threadId: must not be empty'],
  ['send_message_to_thread', { threadId: 't-1' }, 'send_message_to_thread: prompt: required'],
  ['read_thread', {}, 'read_thread: threadId: required'],
  ['read_thread', { threadId: 't', turnLimit: 0 }, 'read_thread: turnLimit: must be greater than 0 (got 0)'],
  ['read_thread', { threadId: 't', includeOutputs: 'yes' }, 'read_thread: includeOutputs: must be true or false (got "yes")'],
  ['list_threads', { limit: 0 }, 'list_threads: limit: must be greater than 0 (got 0)'],
  ['list_threads', { limit: -5 }, 'list_threads: limit: must be greater than 0 (got -5)'],
  ['list_threads', { limit: 2.5 }, 'list_threads: limit: must be an integer (got 2.5)'],
  ['wait_threads', { targets: [], timeoutMs: 0 }, 'wait_threads: targets: at least 1 target (got 0)'],
  [
    'wait_threads',
    { targets: Array.from({ length: 9 }, (_, i) => ({ threadId: `t-${i}` })), timeoutMs: 0 },
    'wait_threads: targets: at most 8 targets (got 9)',
  ],
  ['wait_threads', { targets: [{ threadId: 't-1' }], timeoutMs: 200000 }, 'wait_threads: timeoutMs: must be at most 120000 (got 200000)'],
  ['wait_threads', { targets: [{ threadId: 't-1' }], timeoutMs: -1 }, 'wait_threads: timeoutMs: must be at least 0 (got -1)'],
  ['wait_threads', { targets: [{ threadId: 't-1' }] }, 'wait_threads: timeoutMs: required'],
  ['wait_threads', { targets: [{ threadId: 't-1' }], timeoutMs: '5000' }, 'wait_threads: timeoutMs: must be a number (got "5000")'],
  [
    'wait_threads',
    { targets: [{ threadId: 't-1' }, { thread: 't-2' }], timeoutMs: 0 },
    'wait_threads: targets.1.threadId: required (got unknown field "thread"; a typo?)',
  ],
  ['wait_threads', { targets: 't-1', timeoutMs: 0 }, 'wait_threads: targets: must be an array (got "t-1")'],
  ['fork_thread', { environment: { type: 'cloud' } }, 'fork_thread: environment.type: must be one of "same-directory" | "worktree" (got "cloud")'],
  ['fork_thread', { threadId: '' }, 'fork_thread: threadId: must not be empty'],
  ['set_thread_archived', { threadId: 't-1' }, 'set_thread_archived: archived: required'],
  ['set_thread_archived', { archived: 'true' }, 'set_thread_archived: archived: must be true or false (got "true")'],
  ['set_thread_title', { threadId: 't-1' }, 'set_thread_title: title: required'],
  ['set_thread_title', { threadId: 't-1', title: '' }, 'set_thread_title: title: must not be empty'],
  ['set_thread_pinned', { threadId: 't-1' }, 'set_thread_pinned: pinned: required'],
  ['set_thread_pinned', { pinned: true }, 'set_thread_pinned: threadId: required'],
  ['automation_update', { mode: 'delete' }, 'automation_update: id: required'],
  ['automation_update', { mode: 'update', status: 'PAUSED' }, 'automation_update: id: required'],
  [
    'automation_update',
    { mode: 'create', kind: 'heartbeat', name: 'hb', prompt: 'p', rrule: 'FREQ=MINUTELY', cwds: ['/repo'] },
    'automation_update: cwds: only allowed when kind is "cron" (this is a heartbeat)',
  ],
  [
    'automation_update',
    { mode: 'update', id: 'a', kind: 'heartbeat', model: 'gpt-5.5' },
    'automation_update: model: only allowed when kind is "cron" (this is a heartbeat)',
  ],
  [
    'automation_update',
    { mode: 'create', kind: 'heartbeat', name: 'hb', prompt: 'p', rrule: 'FREQ=YEARLYISH' },
    'automation_update: rrule: FREQ must be one of SECONDLY, MINUTELY, HOURLY, DAILY, WEEKLY (got "YEARLYISH")',
  ],
  [
    'automation_update',
    { mode: 'create', kind: 'heartbeat', name: 'hb', prompt: 'p', rrule: 'FREQ=MINUTELY;INTERVAL=0' },
    'automation_update: rrule: INTERVAL must be a positive integer (got "0")',
  ],
  [
    'automation_update',
    { mode: 'create', kind: 'heartbeat', name: 'hb', prompt: 'p', rrule: 'every 5 minutes' },
    'automation_update: rrule: part "every 5 minutes" is not KEY=VALUE (expected like FREQ=MINUTELY;INTERVAL=5)',
  ],
  [
    'automation_update',
    { mode: 'create', kind: 'heartbeat', name: 'hb', prompt: 'p', rrule: 'INTERVAL=5' },
    'automation_update: rrule: must include FREQ (e.g. FREQ=MINUTELY;INTERVAL=5)',
  ],
  ['automation_update', { mode: 'create', name: 'hb', prompt: 'p', rrule: 'FREQ=MINUTELY' }, 'automation_update: kind: required (one of "heartbeat" | "cron")'],
  ['automation_update', { mode: 'create', kind: 'heartbeat', prompt: 'p', rrule: 'FREQ=DAILY' }, 'automation_update: name: required'],
  ['automation_update', { mode: 'create', kind: 'heartbeat', name: 'n', prompt: 'p' }, 'automation_update: rrule: required'],
  [
    'automation_update',
    { mode: 'create', kind: 'heartbeat', name: 'n', prompt: 'p', rrule: 'FREQ=DAILY', destination: 'inbox' },
    'automation_update: destination: must be "thread" (got "inbox")',
  ],
  ['automation_update', { mode: 'update', id: 'a', status: 'RUNNING' }, 'automation_update: status: must be one of "ACTIVE" | "PAUSED" (got "RUNNING")'],
  [
    'automation_update',
    { mode: 'update', id: 'a', notificationPolicy: 'always' },
    'automation_update: notificationPolicy: must be "failed_runs_only" (got "always")',
  ],
  ['automation_update', { mode: 'delete', id: 'a', name: 'x' }, 'automation_update: name: unknown field (allowed: mode, id, kind)'],
  ['automation_update', { mode: 'explode' }, 'automation_update: mode: must be one of "create" | "update" | "delete" | "view" (got "explode")'],
  ['automation_update', {}, 'automation_update: mode: required (one of "create" | "update" | "delete" | "view")'],
];

// =======================================================================================

describe('the tools a team cannot work without', () => {
  // The setup rule (T1), the linter and a skill's default profile all start from this list: a
  // leader must be able to make a worker, message it and read what it did.
  it('are create_thread, send_message_to_thread and read_thread, all of the codex_app namespace', () => {
    expect(TEAM_TOOLS).toEqual(['create_thread', 'send_message_to_thread', 'read_thread']);
    for (const t of TEAM_TOOLS) expect(CODEX_APP_TOOL_NAMES).toContain(t);
  });
});

describe('argument schemas: accepted shapes', () => {
  for (const name of TOOL_NAMES) {
    it(`${name} accepts its documented shapes`, () => {
      expect(ACCEPTED[name].length).toBeGreaterThan(0);
      for (const args of ACCEPTED[name]) {
        const result = validateArgs(name, args);
        if (!result.ok) throw new Error(`${JSON.stringify(args)} was rejected: ${result.error}`);
        expect(result.value).toEqual(args);
      }
    });
  }

  it('the typed value narrows on discriminators', () => {
    const r = validateArgs('create_thread', ACCEPTED.create_thread[3]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const args: ArgsOf<'create_thread'> = r.value;
    if (args.target.type === 'project' && args.target.environment.type === 'worktree') {
      expect(args.target.environment.startingState).toEqual({ type: 'branch', branchName: 'feature/x' });
    } else {
      throw new Error('wrong branch');
    }
    const a = validateArgs('automation_update', { mode: 'delete', id: 'auto-1' });
    expect(a.ok && a.value.mode === 'delete' && a.value.id).toBe('auto-1');
  });
});

describe('argument schemas: rejected shapes, one line naming the field', () => {
  for (const [name, args, expected] of REJECTED) {
    it(`${name} ${JSON.stringify(args).slice(0, 90)}`, () => {
      const result = validateArgs(name, args);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toBe(expected);
      expect(result.error).not.toContain('\n');
    });
  }

  it('unknown tools are errors that list the known ones', () => {
    const r = validateArgs('launch_rocket', {});
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/^launch_rocket: unknown tool \(known: list_projects, /) });
  });

  it('qualified spellings resolve to the registry name', () => {
    expect(resolveToolName('create_thread')).toBe('create_thread');
    expect(resolveToolName('codex_app.create_thread')).toBe('create_thread');
    expect(resolveToolName('mcp__codex_app__wait_threads')).toBe('wait_threads');
    expect(resolveToolName('codex_app__read_thread')).toBe('read_thread');
    expect(resolveToolName('list_threads', 'codex_app')).toBe('list_threads');
    expect(resolveToolName('automation_update')).toBe('automation_update');
    expect(resolveToolName('automation_update', 'codex_app')).toBeUndefined();
    expect(resolveToolName('codex_app.automation_update')).toBeUndefined();
    expect(resolveToolName('create_thread', 'other_ns')).toBeUndefined();
    expect(resolveToolName('nope')).toBeUndefined();
    const r = validateArgs('codex_app.create_thread', {});
    expect(r).toEqual({ ok: false, error: 'create_thread: prompt: required' });
  });

  it('an arbitrary junk value never throws and always yields one line', () => {
    const junk: unknown[] = [undefined, null, 0, 'x', [], [1], { a: { b: [1, { c: 2 }] } }, { targets: [null] }];
    for (const name of TOOL_NAMES) {
      for (const value of junk) {
        const r = validateArgs(name, value);
        if (!r.ok) {
          expect(r.error.startsWith(`${name}: `)).toBe(true);
          expect(r.error).not.toContain('\n');
        }
      }
    }
  });
});

// =======================================================================================
// Results
// =======================================================================================

const idle = { type: 'idle' };
const active = { type: 'active', activeFlags: ['waitingOnApproval'] };

const threadSummary = {
  id: 't-1',
  kind: 'codex',
  projectId: 'proj-1',
  title: 'Parser worker',
  summary: 'Implements the parser',
  status: idle,
  cwd: '/repo/.codex-worktrees/t-1',
  updatedAt: 1_785_859_200,
};

const RESULTS_OK: Record<ToolName, unknown[]> = {
  list_projects: [
    [],
    [
      { projectId: 'proj-1', projectKind: 'local', hostId: 'local', path: '/repo' },
      { projectId: 'proj-2', projectKind: 'remote', hostId: 'devbox', path: '/srv/app', label: 'extra fields are kept' },
    ],
  ],
  create_thread: [{ threadId: 't-2' }, { threadId: 't-2', hostId: 'local' }, { pendingWorktreeId: 'wt-1' }, { clientThreadId: 'c-1' }],
  send_message_to_thread: [{ threadId: 't-1' }],
  read_thread: [
    {
      schemaVersion: 1,
      thread: {
        id: 't-1',
        kind: 'codex',
        title: null,
        preview: 'Build the parser',
        status: active,
        cwd: '/repo',
        createdAt: 1_785_859_000,
        updatedAt: 1_785_859_200,
      },
      page: { order: 'newest_first', limit: 2, hasMore: true, nextCursor: 'c-1' },
      turns: [
        {
          id: 'turn-2',
          status: 'inProgress',
          startedAt: 1_785_859_100,
          items: [
            { type: 'userMessage', text: 'Continue' },
            { type: 'commandExecution', command: 'npm test', cwd: '/repo', exitCode: null },
          ],
        },
        {
          id: 'turn-1',
          status: 'completed',
          startedAt: 1_785_859_000,
          items: [
            { type: 'userMessage', text: 'Build the parser' },
            {
              type: 'dynamicToolCall',
              namespace: 'codex_app',
              tool: 'list_projects',
              arguments: {},
              success: true,
              output: '[]',
            },
            { type: 'commandExecution', command: 'git status', cwd: '/repo', exitCode: 0, output: 'clean' },
            {
              type: 'fileChange',
              changes: [
                { path: 'src/parser.ts', kind: 'add' },
                { path: 'README.md', kind: 'update' },
                { path: 'old.ts', kind: 'delete' },
              ],
            },
            { type: 'agentMessage', text: 'Done.' },
          ],
        },
      ],
    },
    {
      schemaVersion: 1,
      thread: {
        id: 't-1',
        kind: 'codex',
        title: 'x',
        preview: '',
        status: { type: 'notLoaded' },
        cwd: '/repo',
        createdAt: 0,
        updatedAt: 0,
      },
      page: { order: 'newest_first', limit: 10, hasMore: false, nextCursor: null },
      turns: [],
    },
  ],
  list_threads: [
    {
      schemaVersion: 4,
      untrustedDataNotice: 'Thread titles and summaries are untrusted data.',
      pinnedThreads: [threadSummary],
      threads: [
        { ...threadSummary, id: 't-2', projectId: null, title: null, summary: null, status: { type: 'systemError' } },
        { ...threadSummary, id: 't-3', status: { type: 'active', activeFlags: [] } },
      ],
      unavailableHosts: [],
      unavailableSources: [],
    },
  ],
  wait_threads: [
    {
      timedOut: false,
      wake: { threadId: 't-1', reason: 'turnCompleted', turnId: 'turn-1' },
      polls: [
        {
          thread: { id: 't-1', status: idle },
          cursor: 'c-2',
          changed: true,
          latestTurn: { id: 'turn-1', status: 'completed', error: null },
          latestAssistantMessage: 'Done.',
          latestToolMarker: null,
        },
        {
          thread: { id: 't-2', status: { type: 'active', activeFlags: ['waitingOnUserInput'] } },
          cursor: null,
          changed: false,
          latestTurn: null,
          latestAssistantMessage: null,
          latestToolMarker: null,
        },
      ],
    },
    { timedOut: true, wake: null, polls: [] },
    { timedOut: false, wake: { threadId: 't-2', reason: 'actionableStatus' }, polls: [] },
    {
      timedOut: false,
      wake: null,
      polls: [],
      errors: [{ threadId: 't-9', message: 'wait_threads cannot wait on the calling thread.' }],
    },
    { timedOut: false, wake: null, polls: [], errors: [{ threadId: 't-9', hostId: 'host-1', message: 'gone' }] },
  ],
  fork_thread: [{ threadId: 't-5' }],
  set_thread_archived: [{ threadId: 't-1', archived: true }],
  set_thread_title: [{ threadId: 't-1', title: 'New' }],
  set_thread_pinned: [{ threadId: 't-1', pinned: false }],
  automation_update: [
    { automationId: 'auto-1', mode: 'create', status: 'ACTIVE' },
    { automationId: 'auto-1', mode: 'update', status: 'PAUSED' },
    { automationId: 'auto-1', mode: 'delete', status: 'DELETED' },
    { automations: [] },
    {
      automations: [
        {
          id: 'auto-1',
          kind: 'heartbeat',
          name: 'hb',
          prompt: 'Check the workers',
          status: 'ACTIVE',
          rrule: 'FREQ=MINUTELY;INTERVAL=5',
          targetThreadId: 't-leader',
          createdAt: 1_785_859_000,
          updatedAt: 1_785_859_000,
        },
      ],
    },
  ],
};

const RESULTS_BAD: [ToolName, unknown, string][] = [
  ['list_projects', { projects: [] }, 'list_projects result: payload: must be an array (got an object)'],
  [
    'list_projects',
    [{ projectId: 'p', projectKind: 'cloud', hostId: 'h', path: '/x' }],
    'list_projects result: 0.projectKind: must be one of "local" | "remote" (got "cloud")',
  ],
  ['create_thread', {}, 'create_thread result: threadId: required'],
  ['fork_thread', {}, 'fork_thread result: threadId: required'],
  ['set_thread_title', { title: 't' }, 'set_thread_title result: threadId: required'],
  ['set_thread_pinned', { threadId: 't' }, 'set_thread_pinned result: pinned: required'],
  ['wait_threads', { timedOut: false, wake: null, polls: [], errors: [] }, 'wait_threads result: wake: must not be null unless timedOut is true'],
  ['wait_threads', { timedOut: true, wake: null, polls: [{ thread: { id: 't' } }] }, 'wait_threads result: polls.0.thread.status: required'],
  ['wait_threads', { timedOut: true, wake: null, polls: [], errors: [{ threadId: 't-9' }] }, 'wait_threads result: errors.0.message: required'],
  [
    'wait_threads',
    {
      timedOut: true,
      wake: null,
      polls: [{ ...(RESULTS_OK.wait_threads[0] as { polls: object[] }).polls[0], latestTurn: { status: 'completed', error: null } }],
    },
    'wait_threads result: polls.0.latestTurn.id: required',
  ],
  ['create_thread', { threadId: 7 }, 'create_thread result: threadId: must be a string (got 7)'],
  ['send_message_to_thread', {}, 'send_message_to_thread result: threadId: required'],
  ['read_thread', { ...(RESULTS_OK.read_thread[1] as object), schemaVersion: 2 }, 'read_thread result: schemaVersion: must be 1 (got 2)'],
  [
    'read_thread',
    {
      ...(RESULTS_OK.read_thread[1] as object),
      page: { order: 'oldest_first', limit: 10, hasMore: false, nextCursor: null },
    },
    'read_thread result: page.order: must be "newest_first" (got "oldest_first")',
  ],
  [
    'read_thread',
    { ...(RESULTS_OK.read_thread[1] as object), page: { order: 'newest_first', limit: 10, hasMore: false } },
    'read_thread result: page.nextCursor: required',
  ],
  [
    'read_thread',
    {
      ...(RESULTS_OK.read_thread[1] as object),
      turns: [{ id: 'turn-1', status: 'done', startedAt: 1, items: [] }],
    },
    'read_thread result: turns.0.status: must be one of "inProgress" | "completed" | "failed" | "interrupted" (got "done")',
  ],
  [
    'read_thread',
    {
      ...(RESULTS_OK.read_thread[1] as object),
      turns: [{ id: 'turn-1', status: 'completed', startedAt: 1, items: [{ type: 'reasoning', text: 'hm' }] }],
    },
    'read_thread result: turns.0.items.0.type: must be one of "userMessage" | "agentMessage" | "dynamicToolCall" | "commandExecution" | "fileChange" (got "reasoning")',
  ],
  [
    'read_thread',
    {
      ...(RESULTS_OK.read_thread[1] as object),
      turns: [{ id: 'turn-1', status: 'completed', startedAt: 1, items: [{ type: 'fileChange', changes: [{ kind: 'add' }] }] }],
    },
    'read_thread result: turns.0.items.0.changes.0.path: required',
  ],
  [
    'read_thread',
    {
      ...(RESULTS_OK.read_thread[1] as object),
      thread: { ...(RESULTS_OK.read_thread[1] as { thread: object }).thread, status: 'idle' },
    },
    'read_thread result: thread.status: must be an object (got "idle")',
  ],
  ['list_threads', { ...(RESULTS_OK.list_threads[0] as object), schemaVersion: 3 }, 'list_threads result: schemaVersion: must be 4 (got 3)'],
  [
    'list_threads',
    { ...(RESULTS_OK.list_threads[0] as object), threads: [{ ...threadSummary, status: { type: 'running' } }] },
    'list_threads result: threads.0.status.type: must be one of "notLoaded" | "idle" | "systemError" | "active" (got "running")',
  ],
  [
    'list_threads',
    { ...(RESULTS_OK.list_threads[0] as object), threads: [{ ...threadSummary, status: { type: 'active' } }] },
    'list_threads result: threads.0.status.activeFlags: required',
  ],
  ['wait_threads', { timedOut: false, wake: null, polls: [] }, 'wait_threads result: wake: must not be null unless timedOut is true'],
  [
    'wait_threads',
    { timedOut: false, wake: { threadId: 't-1', reason: 'bored' }, polls: [] },
    'wait_threads result: wake.reason: must be one of "turnCompleted" | "inactiveStatus" | "actionableStatus" (got "bored")',
  ],
  ['wait_threads', { timedOut: true, polls: [] }, 'wait_threads result: wake: required'],
  ['set_thread_archived', { threadId: 't-1' }, 'set_thread_archived result: archived: required'],
  ['automation_update', { automations: [{ id: 'auto-1', kind: 'heartbeat' }] }, 'automation_update result: automations.0.name: required'],
  [
    'read_thread',
    {
      ...(RESULTS_OK.read_thread[1] as object),
      turns: [{ id: 'turn-1', status: 'completed', startedAt: 1, items: [{ type: 'dynamicToolCall', tool: 'x' }] }],
    },
    'read_thread result: turns.0.items.0.arguments: required',
  ],
  [
    'automation_update',
    { automationId: 'auto-1', mode: 'create', status: 'RUNNING' },
    'automation_update result: status: must be one of "ACTIVE" | "PAUSED" | "DELETED" (got "RUNNING")',
  ],
];

describe('result payload schemas', () => {
  for (const name of TOOL_NAMES) {
    it(`${name} accepts realistic payloads`, () => {
      for (const payload of RESULTS_OK[name]) {
        const r = validateResult(name, payload);
        if (!r.ok) throw new Error(`${JSON.stringify(payload).slice(0, 200)} was rejected: ${r.error}`);
        expect(r.value).toEqual(payload);
      }
    });
  }

  for (const [name, payload, expected] of RESULTS_BAD) {
    it(`${name} rejects ${expected.slice(expected.indexOf(': ') + 2)}`, () => {
      const r = validateResult(name, payload);
      expect(r).toEqual({ ok: false, error: expected });
    });
  }

  it('typed results', () => {
    const r = validateResult('wait_threads', RESULTS_OK.wait_threads[0]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const value: ResultOf<'wait_threads'> = r.value;
    expect(value.wake?.reason).toBe('turnCompleted');
    expect(value.polls[0]?.thread.status.type).toBe('idle');
  });
});

// =======================================================================================
// Envelope
// =======================================================================================

describe('result envelope', () => {
  it('okResult round-trips every realistic payload', () => {
    for (const name of TOOL_NAMES) {
      for (const payload of RESULTS_OK[name]) {
        const envelope = okResult(payload);
        const parsed = ToolResultEnvelope.parse(envelope);
        expect(parsed.success).toBe(true);
        expect(parsed.contentItems).toHaveLength(1);
        expect(parsed.contentItems[0]!.type).toBe('inputText');
        expect(JSON.parse(parsed.contentItems[0]!.text)).toEqual(payload);
        expect(validateResult(name, JSON.parse(parsed.contentItems[0]!.text)).ok).toBe(true);
      }
    }
  });

  it('errorResult carries the message verbatim with success false', () => {
    const envelope = errorResult('set_thread_archived: refusing to archive the calling thread');
    expect(ToolResultEnvelope.parse(envelope)).toEqual({
      contentItems: [{ type: 'inputText', text: 'set_thread_archived: refusing to archive the calling thread' }],
      success: false,
    });
    const invalid = validateArgs('wait_threads', { targets: [] });
    if (invalid.ok) throw new Error('expected failure');
    expect(errorResult(invalid.error).contentItems[0]!.text).toBe(invalid.error);
  });

  it('okResult refuses a payload JSON cannot encode', () => {
    expect(() => okResult(undefined)).toThrow(/not JSON-serialisable/);
  });

  it('the envelope schema rejects malformed envelopes', () => {
    const bad: unknown[] = [
      {},
      { contentItems: [], success: true },
      { contentItems: [{ type: 'text', text: 'x' }], success: true },
      { contentItems: [{ type: 'inputText', text: 'x' }] },
      { contentItems: [{ type: 'inputText', text: 'x' }], success: 'yes' },
      { contentItems: [{ type: 'inputText', text: 'x' }], success: true, extra: 1 },
    ];
    for (const value of bad) expect(ToolResultEnvelope.safeParse(value).success).toBe(false);
  });
});

// =======================================================================================
// JSON Schema export
// =======================================================================================

function newAjv() {
  return new Ajv2020({ strict: true, allErrors: true, strictRequired: false });
}

describe('dynamic tools (JSON Schema)', () => {
  // What the model is given is pinned, every description and constraint: a change to it shows
  // in review as a change to this file (update it with `npx vitest run test/contract.test.ts -u`).
  it('is exactly the stored tool list', async () => {
    await expect(`${JSON.stringify(dynamicTools(), null, 2)}\n`).toMatchFileSnapshot('./fixtures/dynamic-tools.json');
  });

  it('holds no field set to undefined (JSON would hide it; a validator given the object would not)', () => {
    const stored = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'dynamic-tools.json'), 'utf8'));
    expect(dynamicTools()).toStrictEqual(stored);
  });

  it('the namespace holds exactly the ten codex_app tools, names unique', () => {
    const ns = codexAppNamespace();
    expect(ns.type).toBe('namespace');
    expect(ns.name).toBe('codex_app');
    expect(ns.description.length).toBeGreaterThan(20);
    const names = ns.tools.map((t) => t.name);
    expect(names).toEqual([
      'list_projects',
      'create_thread',
      'send_message_to_thread',
      'read_thread',
      'list_threads',
      'wait_threads',
      'fork_thread',
      'set_thread_archived',
      'set_thread_title',
      'set_thread_pinned',
    ]);
    expect(new Set(names).size).toBe(10);
    expect(CODEX_APP_TOOL_NAMES).toEqual(names);
    for (const t of ns.tools) {
      expect(t.type).toBe('function');
      expect(t.description).toBe(TOOLS[t.name as ToolName].description);
    }
  });

  it('dynamicTools() is the namespace plus the top-level automation_update, deterministically', () => {
    const tools = dynamicTools();
    expect(tools).toHaveLength(2);
    expect(tools[0]).toEqual(codexAppNamespace());
    expect(tools[1]).toEqual(automationUpdateTool());
    expect(automationUpdateTool()).toMatchObject({ type: 'function', name: 'automation_update' });
    expect(JSON.stringify(dynamicTools())).toBe(JSON.stringify(tools));
  });

  const allFunctions = () => [...codexAppNamespace().tools, automationUpdateTool()];

  it('every inputSchema is a self-contained object schema in the shape Codex keeps', () => {
    for (const t of allFunctions()) {
      const text = JSON.stringify(t.inputSchema);
      expect(t.inputSchema.type, t.name).toBe('object');
      expect(t.inputSchema.additionalProperties, t.name).toBe(false);
      expect(text, t.name).not.toContain('$ref');
      expect(text, t.name).not.toContain('$schema');
      expect(text, t.name).not.toContain('"oneOf"');
      expect(t.inputSchema.anyOf, t.name).toBeUndefined();
    }
  });

  it('every inputSchema compiles with Ajv 2020 in strict mode', () => {
    const ajv = newAjv();
    for (const t of allFunctions()) {
      expect(() => ajv.compile(t.inputSchema), t.name).not.toThrow();
    }
  });

  it('Ajv agrees with zod on every accepted and rejected sample', () => {
    const ajv = newAjv();
    const byName = new Map(allFunctions().map((t) => [t.name, ajv.compile(t.inputSchema)]));
    const samples: [ToolName, unknown][] = [
      ...TOOL_NAMES.flatMap((name) => ACCEPTED[name].map((a): [ToolName, unknown] => [name, a])),
      ...REJECTED.map(([name, args]): [ToolName, unknown] => [name, args]),
      ['wait_threads', { targets: [{ threadId: 't-1' }], timeoutMs: 1.5 }],
      ['automation_update', { mode: 'create', kind: 'cron', name: 'n', prompt: 'p', rrule: 'FREQ=DAILY', cwds: [] }],
      ['automation_update', { mode: 'view', status: 'ACTIVE' }],
      ['automation_update', { mode: 'update', id: 'a', rrule: 'FREQ=DAILY;FREQ=HOURLY' }],
      ['create_thread', { prompt: 'p', target: { type: 'projectless', directoryName: '' } }],
    ];
    let rejected = 0;
    for (const [name, args] of samples) {
      const validate = byName.get(name)!;
      const zodOk = validateArgs(name, args).ok;
      const ajvOk = validate(args) as boolean;
      if (!zodOk) rejected++;
      expect({ name, args, ajvOk }).toEqual({ name, args, ajvOk: zodOk });
    }
    expect(rejected).toBeGreaterThan(50);
  });

  it('create_thread.target is an object-typed anyOf (survives Codex dropping anyOf)', () => {
    const ct = codexAppNamespace().tools.find((t) => t.name === 'create_thread')!;
    const target = (ct.inputSchema.properties as Record<string, Record<string, unknown>>).target!;
    expect(target.type).toBe('object');
    expect(Array.isArray(target.anyOf)).toBe(true);
    expect(typeof target.description).toBe('string');
  });

  it('automation_update is one flat object whose fields say when they are required', () => {
    const schema = automationUpdateTool().inputSchema;
    const props = schema.properties as Record<string, { enum?: unknown[]; description?: string }>;
    expect(Object.keys(props)[0]).toBe('mode');
    expect(props.mode!.enum).toEqual(['create', 'update', 'delete', 'view']);
    expect(schema.required).toEqual(['mode']);
    expect(props.id!.description).toMatch(/update and delete/);
    expect(props.rrule!.description).toMatch(/FREQ=MINUTELY;INTERVAL=5/);
  });

  it('each tool description is short and non-empty', () => {
    for (const name of TOOL_NAMES) {
      expect(TOOLS[name].description.length, name).toBeGreaterThan(20);
      expect(TOOLS[name].description.length, name).toBeLessThan(700);
    }
  });
});

// =======================================================================================
// RRULE
// =======================================================================================

describe('rrule', () => {
  const good = [
    'FREQ=MINUTELY',
    'FREQ=MINUTELY;INTERVAL=2',
    'FREQ=SECONDLY;INTERVAL=30',
    'FREQ=HOURLY;INTERVAL=12',
    'FREQ=DAILY;BYHOUR=9;BYMINUTE=30',
    'FREQ=WEEKLY;BYDAY=MO,TU,FR',
    'INTERVAL=3;FREQ=DAILY',
    'FREQ=DAILY;COUNT=10',
    'FREQ=DAILY;UNTIL=20260101T000000Z',
    'FREQ=WEEKLY;WKST=MO;BYMONTH=1',
    'FREQ=WEEKLY;BYMONTH=1;BYMONTHDAY=2',
  ];
  const bad = [
    '',
    'FREQ=YEARLYISH',
    'FREQ=YEARLY',
    'FREQ=MONTHLY',
    'freq=daily',
    'FREQ=DAILY;',
    ';FREQ=DAILY',
    'FREQ=DAILY;INTERVAL=0',
    'FREQ=DAILY;INTERVAL=-1',
    'FREQ=DAILY;INTERVAL=1.5',
    'FREQ=DAILY;INTERVAL=01',
    'FREQ=DAILY;INTERVAL=',
    'FREQ=DAILY;INTERVAL=2;INTERVAL=3',
    'FREQ=DAILY;FREQ=HOURLY',
    'FREQ=DAILY;BYMONTH=1;BYMONTH=2',
    'INTERVAL=5',
    'FREQ=DAILY;INTERVALL=2',
    'RRULE:FREQ=DAILY',
    'FREQ=DAILY INTERVAL=2',
    'FREQ=DAILY;BYDAY=MO TU',
    'FREQ=DAILY=2',
  ];
  const re = new RegExp(RRULE_PATTERN, 'u');

  it('accepts rules that look like RRULEs', () => {
    for (const rule of good) {
      expect(checkRrule(rule), rule).toBeNull();
      expect(re.test(rule), rule).toBe(true);
    }
  });

  it('rejects the rest, and the JSON Schema pattern agrees with the checker', () => {
    for (const rule of bad) {
      expect(checkRrule(rule), rule).not.toBeNull();
      expect(re.test(rule), rule).toBe(false);
    }
  });
});

describe('rrule: what is wrong, in one sentence', () => {
  const e = 'expected like FREQ=MINUTELY;INTERVAL=5';
  it.each([
    ['', `must not be empty (${e})`],
    ['FREQ=DAILY;', `part "" is not KEY=VALUE (${e})`],
    ['FREQ=DAILY;INTERVALL=2', `unknown rule part "INTERVALL" (known: ${RRULE_KEYS.join(', ')})`],
    ['FREQ=DAILY;FREQ=HOURLY', 'FREQ is given twice'],
    ['FREQ=YEARLY', 'FREQ must be one of SECONDLY, MINUTELY, HOURLY, DAILY, WEEKLY (got "YEARLY")'],
    ['FREQ=DAILY;INTERVAL=0', 'INTERVAL must be a positive integer (got "0")'],
    ['INTERVAL=5', 'must include FREQ (e.g. FREQ=MINUTELY;INTERVAL=5)'],
  ])('%j', (rule, sentence) => {
    expect(checkRrule(rule)).toBe(sentence);
    const args = { mode: 'create', kind: 'heartbeat', name: 'n', prompt: 'p', rrule: rule };
    expect(validateArgs('automation_update', args)).toEqual({ ok: false, error: `automation_update: rrule: ${sentence}` });
  });
});

describe('envelopes: what arrives in a thread, unwrapped', () => {
  const wrap = (source: string, text: string) => `<codex_delegation><source_thread_id>${source}</source_thread_id><input>${text}</input></codex_delegation>`;

  it('a delegation: its source and its text, whitespace around the envelope ignored', () => {
    expect(unwrapDelegation(wrap('t1', 'do\nthis'))).toEqual({ source: 't1', text: 'do\nthis' });
    expect(unwrapDelegation(`  \n${wrap('t1', 'x')}\n`)).toEqual({ source: 't1', text: 'x' });
    expect(unwrapDelegation(wrap('', ''))).toEqual({ source: '', text: '' });
  });

  it("Codex's own form: four lines, & < > escaped in the id and the text, read back to the original", () => {
    const text = 'a <b> & c\n  indented\n&lt; stays as written';
    const env = delegationEnvelope('t<1>', text);
    expect(env).toBe(
      '<codex_delegation>\n  <source_thread_id>t&lt;1&gt;</source_thread_id>\n  <input>a &lt;b&gt; &amp; c\n  indented\n&amp;lt; stays as written</input>\n</codex_delegation>',
    );
    expect(unwrapDelegation(env)).toEqual({ source: 't<1>', text });
    // Other spacing between the tags reads the same.
    expect(unwrapDelegation('<codex_delegation>\n<source_thread_id>t1</source_thread_id>\n<input>x &amp; y</input>\n</codex_delegation>')).toEqual({
      source: 't1',
      text: 'x & y',
    });
  });

  it('text before or after the envelope makes it plain text', () => {
    expect(unwrapDelegation(`note ${wrap('t1', 'x')}`)).toBeNull();
    expect(unwrapDelegation(`${wrap('t1', 'x')} and more`)).toBeNull();
    expect(unwrapDelegation(`${wrap('t1', 'x')}\nmore`)).toBeNull();
    expect(unwrapDelegation('plain text')).toBeNull();
  });

  const beat = (sep: string, instructions: string) =>
    `<heartbeat>${sep}<automation_id>a-1</automation_id>${sep}<current_time_iso>2026-01-05T09:00:00.000Z</current_time_iso>` +
    `${sep}<instructions>${instructions}</instructions>${sep}</heartbeat>`;

  it('a heartbeat, laid out on lines or packed: id, time and instructions', () => {
    const want = { automationId: 'a-1', nowIso: '2026-01-05T09:00:00.000Z', instructions: 'Check the team' };
    expect(unwrapHeartbeat(beat('\n  ', '\nCheck the team\n  '))).toEqual(want);
    expect(unwrapHeartbeat(beat('', 'Check the team'))).toEqual(want);
    expect(unwrapHeartbeat(beat('', '\nCheck the team'))).toEqual(want);
    expect(unwrapHeartbeat(beat('', 'Check the team\n'))).toEqual(want);
    expect(unwrapHeartbeat(beat('', 'line one\n\nline two'))).toEqual({ ...want, instructions: 'line one\n\nline two' });
  });

  it('text before or after a heartbeat makes it plain text', () => {
    expect(unwrapHeartbeat(`note ${beat('', 'x')}`)).toBeNull();
    expect(unwrapHeartbeat(`${beat('', 'x')} more`)).toBeNull();
    expect(unwrapHeartbeat(beat('', 'x').replace('<current_time_iso>', '<time>'))).toBeNull();
  });
});

describe('resolveToolName: namespaces', () => {
  it('a qualified name with the codex_app namespace resolves; with another it does not', () => {
    expect(resolveToolName('codex_app.create_thread', 'codex_app')).toBe('create_thread');
    expect(resolveToolName('codex_app.create_thread', 'other_ns')).toBeUndefined();
    expect(resolveToolName('xcodex_app.create_thread')).toBeUndefined();
    expect(resolveToolName('codex_app.create_thread\nmore')).toBeUndefined();
  });

  it('an unknown tool is one line for arguments and results alike', () => {
    const line = `nope: unknown tool (known: ${TOOL_NAMES.join(', ')})`;
    expect(validateArgs('nope', {})).toEqual({ ok: false, error: line });
    expect(validateResult('nope', {})).toEqual({ ok: false, error: line });
  });
});

describe('ThreadStatus: the app-server shape', () => {
  it('accepts each status, and the flags of an active one', () => {
    for (const type of ['notLoaded', 'idle', 'systemError']) expect(ThreadStatus.parse({ type })).toEqual({ type });
    expect(ThreadStatus.parse({ type: 'active', activeFlags: ['waitingOnUserInput'] })).toEqual({ type: 'active', activeFlags: ['waitingOnUserInput'] });
  });

  it('rejects an unknown status, an active one without flags, and a status without a type', () => {
    expect(ThreadStatus.safeParse({ type: 'sleeping' }).success).toBe(false);
    expect(ThreadStatus.safeParse({ type: 'active' }).success).toBe(false);
    expect(ThreadStatus.safeParse({}).success).toBe(false);
    expect(ThreadStatus.safeParse('idle').success).toBe(false);
  });
});

describe('toInputSchema: any zod schema, in the shape Codex keeps', () => {
  const a = z.strictObject({ k: z.literal('a'), x: z.string() });
  const b = z.strictObject({ k: z.literal('b'), y: z.number() });
  const A = { type: 'object', properties: { k: { type: 'string', const: 'a' }, x: { type: 'string' } }, required: ['k', 'x'], additionalProperties: false };
  const B = { type: 'object', properties: { k: { type: 'string', const: 'b' }, y: { type: 'number' } }, required: ['k', 'y'], additionalProperties: false };
  const root = (properties: object) => ({ type: 'object', properties, required: Object.keys(properties) });

  it.each<[label: string, schema: z.ZodType, want: object]>([
    [
      'a discriminated union under a key: anyOf, typed object',
      z.object({ u: z.discriminatedUnion('k', [a, b]) }),
      root({ u: { anyOf: [A, B], type: 'object' } }),
    ],
    ['in array items', z.object({ l: z.array(z.discriminatedUnion('k', [a, b])) }), root({ l: { type: 'array', items: { anyOf: [A, B], type: 'object' } } })],
    [
      'in record values',
      z.object({ r: z.record(z.string(), z.discriminatedUnion('k', [a, b])) }),
      root({ r: { type: 'object', propertyNames: { type: 'string' }, additionalProperties: { anyOf: [A, B], type: 'object' } } }),
    ],
    [
      'in tuple items',
      z.object({ t: z.tuple([z.string(), z.discriminatedUnion('k', [a, b])]) }),
      root({ t: { type: 'array', prefixItems: [{ type: 'string' }, { anyOf: [A, B], type: 'object' }], items: false, minItems: 2, maxItems: 2 } }),
    ],
    ['a nested union is flattened', z.object({ u: z.union([z.union([a, b]), z.string()]) }), root({ u: { anyOf: [A, B, { type: 'string' }] } })],
    [
      'a nested union that carries a description stays nested',
      z.object({ u: z.union([z.union([a, b]).describe('either'), z.string()]) }),
      root({ u: { anyOf: [{ anyOf: [A, B], description: 'either', type: 'object' }, { type: 'string' }] } }),
    ],
    [
      'a nullable union: no object type beside it',
      z.object({ u: z.discriminatedUnion('k', [a, b]).nullable() }),
      root({ u: { anyOf: [A, B, { type: 'null' }] } }),
    ],
    [
      'a property named like a keyword is only a name',
      z.object({ anyOf: z.string(), oneOf: z.number() }),
      root({ anyOf: { type: 'string' }, oneOf: { type: 'number' } }),
    ],
  ])('%s', (_label, schema, want) => {
    expect(toInputSchema(schema)).toStrictEqual(want);
  });

  const branchOf = (mode: string) => ({ properties: { mode: { const: mode } }, required: ['mode'] });

  it('a root union becomes one object: merged fields, shared requirements, per-branch rules', () => {
    const schema = z
      .discriminatedUnion('mode', [
        z.strictObject({ mode: z.literal('a').describe('A mode.'), x: z.string().describe('x as text'), s: z.string(), u: z.union([z.string(), z.number()]) }),
        z.strictObject({ mode: z.literal('b'), x: z.number(), s: z.string(), y: z.string().optional(), u: z.boolean() }),
        z.strictObject({ mode: z.literal('c').describe('C mode.'), x: z.boolean(), s: z.string().describe('same s') }),
        z.strictObject({ mode: z.literal('d'), x: z.number() }),
      ])
      .describe('Root.');
    // zod writes a union of primitives as a list of types.
    const u = { type: ['string', 'number'] };
    expect(toInputSchema(schema)).toStrictEqual({
      description: 'Root.',
      type: 'object',
      properties: {
        mode: { description: 'A mode. C mode.', type: 'string', enum: ['a', 'b', 'c', 'd'] },
        x: { description: 'x as text', anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
        s: { type: 'string' },
        u: { anyOf: [u, { type: 'boolean' }] },
        y: { type: 'string' },
      },
      required: ['mode', 'x'],
      additionalProperties: false,
      allOf: [
        { anyOf: ['a', 'b', 'c', 'd'].map(branchOf) },
        {
          if: branchOf('a'),
          then: {
            required: ['mode', 'x', 's', 'u'],
            propertyNames: { enum: ['mode', 'x', 's', 'u'] },
            properties: { x: { type: 'string', description: 'x as text' }, u },
          },
        },
        {
          if: branchOf('b'),
          then: {
            required: ['mode', 'x', 's', 'u'],
            propertyNames: { enum: ['mode', 'x', 's', 'y', 'u'] },
            properties: { x: { type: 'number' }, u: { type: 'boolean' } },
          },
        },
        { if: branchOf('c'), then: { required: ['mode', 'x', 's'], propertyNames: { enum: ['mode', 'x', 's'] }, properties: { x: { type: 'boolean' } } } },
        { if: branchOf('d'), then: { required: ['mode', 'x'], propertyNames: { enum: ['mode', 'x'] }, properties: { x: { type: 'number' } } } },
      ],
    });
  });

  it('a root union without descriptions, and a field typed alike in every branch', () => {
    const schema = z.discriminatedUnion('mode', [
      z.strictObject({ mode: z.literal('a'), o: z.object({ p: z.string() }).optional() }),
      z.strictObject({ mode: z.literal('b'), n: z.number().optional(), o: z.object({ p: z.string() }).optional() }),
    ]);
    const o = { type: 'object', properties: { p: { type: 'string' } }, required: ['p'] };
    expect(toInputSchema(schema)).toStrictEqual({
      type: 'object',
      properties: { mode: { type: 'string', enum: ['a', 'b'] }, o, n: { type: 'number' } },
      required: ['mode'],
      additionalProperties: false,
      allOf: [
        { anyOf: [branchOf('a'), branchOf('b')] },
        { if: branchOf('a'), then: { required: ['mode'], propertyNames: { enum: ['mode', 'o'] } } },
        { if: branchOf('b'), then: { required: ['mode'], propertyNames: { enum: ['mode', 'n', 'o'] } } },
      ],
    });
  });

  it.each<[label: string, schema: z.ZodType, want: object]>([
    [
      'a record at the root stays as it is',
      z.record(z.string(), z.string()),
      { type: 'object', propertyNames: { type: 'string' }, additionalProperties: { type: 'string' } },
    ],
    [
      'a root union that is not all objects stays a union',
      z.union([z.strictObject({ a: z.string() }), z.string()]),
      { anyOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false }, { type: 'string' }] },
    ],
    [
      'a null default is a value, not a schema',
      z.object({ n: z.string().nullable().default(null) }),
      { type: 'object', properties: { n: { default: null, type: ['string', 'null'] } } },
    ],
    ['a root union of nothing', z.union([]), { anyOf: [], type: 'object' }],
  ])('%s', (_label, schema, want) => {
    expect(toInputSchema(schema)).toStrictEqual(want);
  });

  it('a root union with an untagged branch stays an object-typed anyOf (an empty if would bind every call)', () => {
    const schema = z.union([z.strictObject({ mode: z.literal('a'), x: z.string() }), z.strictObject({ y: z.string().optional() })]);
    const json = toInputSchema(schema);
    expect(json).toStrictEqual({
      anyOf: [
        { type: 'object', properties: { mode: { type: 'string', const: 'a' }, x: { type: 'string' } }, required: ['mode', 'x'], additionalProperties: false },
        { type: 'object', properties: { y: { type: 'string' } }, additionalProperties: false },
      ],
      type: 'object',
    });
    const validate = new Ajv2020({ strict: false }).compile(json);
    for (const ok of [{ mode: 'a', x: '1' }, { y: 'z' }, {}]) expect(validate(ok), JSON.stringify(ok)).toBe(true);
    for (const bad of [{ mode: 'a' }, { mode: 'a', y: 'z' }]) expect(validate(bad), JSON.stringify(bad)).toBe(false);
  });

  it('branches tagged by different fields: each tag an enum of its own, each rule under its own tag', () => {
    const json = toInputSchema(z.union([z.strictObject({ mode: z.literal('a') }), z.strictObject({ kind: z.literal('k').describe('K.') })]));
    expect(json).toStrictEqual({
      type: 'object',
      properties: { mode: { type: 'string', enum: ['a'] }, kind: { description: 'K.', type: 'string', enum: ['k'] } },
      required: [],
      additionalProperties: false,
      allOf: [
        {
          anyOf: [
            { properties: { mode: { const: 'a' } }, required: ['mode'] },
            { properties: { kind: { const: 'k' } }, required: ['kind'] },
          ],
        },
        { if: { properties: { mode: { const: 'a' } }, required: ['mode'] }, then: { required: ['mode'], propertyNames: { enum: ['mode'] } } },
        { if: { properties: { kind: { const: 'k' } }, required: ['kind'] }, then: { required: ['kind'], propertyNames: { enum: ['kind'] } } },
      ],
    });
    const validate = new Ajv2020({ strict: false }).compile(json);
    for (const ok of [{ mode: 'a' }, { kind: 'k' }]) expect(validate(ok), JSON.stringify(ok)).toBe(true);
    for (const bad of [{}, { mode: 'a', kind: 'k' }, { mode: 'b' }]) expect(validate(bad), JSON.stringify(bad)).toBe(false);
  });

  it('a field that is a typed union in one branch is kept whole beside the others', () => {
    const schema = z.discriminatedUnion('mode', [
      z.strictObject({ mode: z.literal('a'), v: z.discriminatedUnion('k', [a, b]) }),
      z.strictObject({ mode: z.literal('b'), v: z.string() }),
    ]);
    expect((toInputSchema(schema).properties as Record<string, unknown>).v).toStrictEqual({
      anyOf: [{ anyOf: [A, B], type: 'object' }, { type: 'string' }],
    });
  });
});
