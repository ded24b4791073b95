// The terminal UI's thread tools (host tui): every refusal is the sentence Codex 0.163's own
// implementation answers with, checked in its order; a call it takes is answered as the
// desktop's would be, with the terminal UI's defaults; create_thread has no target.

import { describe, expect, it } from 'vitest';
import { delegationEnvelope } from '../../src/contract/envelopes.ts';
import { TUI_PROMPT_LIMIT_BYTES, TUI_TOOL_NAMES, tuiRefusal, utf8Bytes } from '../../src/contract/hosts.ts';
import { REPO_ROOT, ScriptedAgent, checkWorldsAfterEach, makeWorld, must } from '../support/scripted-leader.ts';

const ME = '11111111-1111-7111-8111-111111111111';
const OTHER = '22222222-2222-7222-8222-222222222222';
const refuse = (tool: string, args: unknown) => tuiRefusal(ME, tool, args, (p) => delegationEnvelope(ME, p));

// Plain test names: Stryker's vitest runner picks tests by name as a pattern, which JSON in a
// name would break (the rows would silently not run under mutation testing).
const REFUSALS: [tool: string, args: unknown, says: string][] = [
  [
    'create_thread',
    { prompt: 'x', target: { type: 'projectless' } },
    'Invalid tool arguments: unknown field `target`, expected one of `prompt`, `title`, `model`',
  ],
  ['create_thread', { prompt: 'x', thinking: 'high' }, 'Invalid tool arguments: unknown field `thinking`, expected one of `prompt`, `title`, `model`'],
  ['create_thread', {}, 'Invalid tool arguments: missing field `prompt`'],
  ['create_thread', { prompt: 5 }, 'Invalid tool arguments: invalid type: integer `5`, expected a string'],
  ['create_thread', { prompt: '  \n' }, 'prompt must not be empty'],
  ['create_thread', { prompt: 'x'.repeat(TUI_PROMPT_LIMIT_BYTES + 1) }, 'prompt exceeded the maximum context budget'],
  ['create_thread', { prompt: 'é'.repeat(501) }, 'prompt exceeded the maximum context budget'],
  ['create_thread', { prompt: 'x', title: ' ' }, 'title must not be empty'],
  ['send_message_to_thread', { threadId: OTHER, prompt: '' }, 'prompt must not be empty'],
  ['send_message_to_thread', { threadId: OTHER, prompt: 'x', model: '' }, 'model must not be empty'],
  [
    'send_message_to_thread',
    { threadId: OTHER, prompt: 'x', hostId: 'local' },
    'Invalid tool arguments: unknown field `hostId`, expected one of `threadId`, `prompt`, `model`',
  ],
  ['send_message_to_thread', { prompt: 'x' }, 'Invalid tool arguments: missing field `threadId`'],
  ['set_thread_archived', { archived: true }, 'cannot archive the calling task'],
  ['set_thread_archived', { threadId: ME, archived: true }, 'cannot archive the calling task'],
  ['set_thread_archived', { threadId: OTHER, archived: 'yes' }, 'Invalid tool arguments: invalid type: string "yes", expected a boolean'],
  ['set_thread_title', { title: '   ' }, 'title must not be empty'],
  ['wait_threads', { targets: [{ threadId: ME }] }, 'wait_threads cannot wait on the calling task'],
  ['wait_threads', { targets: [{ threadId: OTHER }, { threadId: OTHER }] }, 'wait_threads received duplicate target tasks'],
  ['wait_threads', { targets: [] }, 'targets must contain between 1 and 8 tasks'],
  ['wait_threads', { targets: Array.from({ length: 9 }, (_, i) => ({ threadId: `t${i}` })) }, 'targets must contain between 1 and 8 tasks'],
  ['wait_threads', { targets: [{ threadId: OTHER }], timeoutMs: 120_001 }, 'timeoutMs must not exceed 120000'],
  [
    'wait_threads',
    { targets: [{ threadId: OTHER, hostId: 'h' }] },
    'Invalid tool arguments: unknown field `hostId`, expected one of `threadId`, `afterCursor`',
  ],
  ['wait_threads', { targets: {} }, 'Invalid tool arguments: invalid type: map, expected a sequence'],
  ['wait_threads', { targets: [{ threadId: OTHER }], timeoutMs: -1 }, 'Invalid tool arguments: invalid type: integer `-1`, expected u64'],
  ['list_threads', { limit: 51 }, 'limit must be between 1 and 50'],
  ['list_threads', { limit: 0 }, 'limit must be between 1 and 50'],
  ['list_threads', { cursor: 'c' }, 'list_threads does not accept a cursor'],
  ['list_threads', { query: 'api' }, 'Invalid tool arguments: unknown field `query`, expected one of `limit`, `cursor`'],
  ['list_archived_threads', { limit: 1.5 }, 'Invalid tool arguments: invalid type: floating point `1.5`, expected u32'],
  ['read_thread', { threadId: OTHER, turnLimit: 11 }, 'turnLimit must be between 1 and 10'],
  ['read_thread', { threadId: OTHER, maxOutputCharsPerItem: 20_001 }, 'maxOutputCharsPerItem must not exceed 20000'],
  ['read_thread', { threadId: OTHER, includeOutputs: 1 }, 'Invalid tool arguments: invalid type: integer `1`, expected a boolean'],
  ['read_thread', null, 'Invalid tool arguments: invalid type: null, expected a map'],
  ['read_thread', [OTHER], 'Invalid tool arguments: invalid type: sequence, expected a map'],
  ['read_thread', 'x', 'Invalid tool arguments: invalid type: string "x", expected a map'],
  ['read_thread', 7, 'Invalid tool arguments: invalid type: integer `7`, expected a map'],
  ['set_thread_pinned', { threadId: OTHER, pinned: true }, 'Unsupported TUI dynamic tool: set_thread_pinned'],
  ['automation_update', { mode: 'view' }, 'Unsupported TUI dynamic tool: automation_update'],
  ['list_archived_threads', { cursor: 5 }, 'Invalid tool arguments: invalid type: integer `5`, expected a string'],
  ['send_message_to_thread', { threadId: 1, prompt: 'x' }, 'Invalid tool arguments: invalid type: integer `1`, expected a string'],
  ['create_thread', { prompt: 'x', model: 5 }, 'Invalid tool arguments: invalid type: integer `5`, expected a string'],
  ['create_thread', { prompt: 'x', title: false }, 'Invalid tool arguments: invalid type: boolean `false`, expected a string'],
  ['wait_threads', { targets: [{ threadId: OTHER, afterCursor: 7 }] }, 'Invalid tool arguments: invalid type: integer `7`, expected a string'],
  ['wait_threads', { targets: [{ afterCursor: 'c' }] }, 'Invalid tool arguments: missing field `threadId`'],
  ['wait_threads', { targets: [{ threadId: null }] }, 'Invalid tool arguments: invalid type: null, expected a string'],
  ['read_thread', { threadId: OTHER, turnLimit: 'a' }, 'Invalid tool arguments: invalid type: string "a", expected u32'],
  ['read_thread', { threadId: OTHER, maxOutputCharsPerItem: true }, 'Invalid tool arguments: invalid type: boolean `true`, expected u32'],
  ['read_thread', { threadId: OTHER, turnLimit: 0 }, 'turnLimit must be between 1 and 10'],
  ['list_archived_threads', { limit: 0 }, 'limit must be between 1 and 50'],
  ['list_archived_threads', { limit: 51 }, 'limit must be between 1 and 50'],
  ['set_thread_title', { title: 5 }, 'Invalid tool arguments: invalid type: integer `5`, expected a string'],
];

describe('what the terminal UI refuses, word for word', () => {
  for (const [i, [tool, args, says]] of REFUSALS.entries()) {
    it(`${tool} refusal ${i + 1}`, () => {
      expect(refuse(tool, args), JSON.stringify(args)).toBe(says);
    });
  }

  it('takes what the real tool takes', () => {
    for (const [tool, args] of [
      ['create_thread', { prompt: 'x'.repeat(TUI_PROMPT_LIMIT_BYTES), title: 'api', model: 'gpt-5.4' }],
      ['create_thread', { prompt: 'x', title: null }],
      ['send_message_to_thread', { threadId: OTHER, prompt: 'x' }],
      ['set_thread_archived', { threadId: OTHER, archived: true }],
      ['set_thread_archived', { archived: false }],
      ['set_thread_title', { title: 'me' }],
      ['wait_threads', { targets: [{ threadId: OTHER, afterCursor: 'c' }], timeoutMs: 0 }],
      ['list_threads', {}],
      ['list_archived_threads', { limit: 50, cursor: 'c' }],
      ['read_thread', { threadId: OTHER, turnLimit: 10, includeOutputs: true, maxOutputCharsPerItem: 0 }],
      ['fork_thread', {}],
      ['list_threads', { limit: 1 }],
      ['list_threads', { limit: 50, cursor: null }],
      ['list_archived_threads', { limit: 1 }],
      ['read_thread', { threadId: OTHER, turnLimit: 1, maxOutputCharsPerItem: 20_000 }],
      ['wait_threads', { targets: Array.from({ length: 8 }, (_, i) => ({ threadId: `t${i}` })), timeoutMs: 120_000 }],
    ] as const)
      expect(refuse(tool, args), `${tool} ${JSON.stringify(args)}`).toBeNull();
    expect(TUI_TOOL_NAMES).toEqual([
      'list_threads',
      'list_archived_threads',
      'read_thread',
      'wait_threads',
      'send_message_to_thread',
      'create_thread',
      'fork_thread',
      'set_thread_title',
      'set_thread_archived',
    ]);
  });

  it('measures prompts in UTF-8 bytes, and checks the delivered envelope too', () => {
    expect(utf8Bytes('é')).toBe(2);
    expect(refuse('create_thread', { prompt: 'é'.repeat(500) })).toBeNull();
    // Every < becomes &lt; in the envelope, which may be 256 bytes longer than a prompt may be:
    // 250 of them fit once wrapped (1,000 + 131 bytes of envelope), 300 (1,200 + 131) do not.
    expect(refuse('send_message_to_thread', { threadId: OTHER, prompt: '<'.repeat(250) })).toBeNull();
    expect(refuse('send_message_to_thread', { threadId: OTHER, prompt: '<'.repeat(300) })).toBe('prompt exceeded the maximum context budget');
  });

  it('cuts a long refusal to 248 characters, as the model is shown it', () => {
    const said = refuse(`x${'y'.repeat(300)}`, {})!;
    expect([...said]).toHaveLength(248);
    expect(said.endsWith('…')).toBe(true);
    // One of exactly 248 is shown whole.
    const whole = `x${'y'.repeat(248 - 'Unsupported TUI dynamic tool: x'.length)}`;
    expect(refuse(whole, {})).toBe(`Unsupported TUI dynamic tool: ${whole}`);
  });

  it('checks the wrapped prompt against 1,256 bytes exactly', () => {
    // A short prompt whose escaping (& is 5 bytes once wrapped) brings the envelope to 1,256 exactly.
    const wrapped = (p: string) => utf8Bytes(delegationEnvelope(ME, p));
    const fits = '&'.repeat(200) + 'x'.repeat(1_256 - wrapped('&'.repeat(200)));
    expect(wrapped(fits)).toBe(1_256);
    expect(utf8Bytes(fits)).toBeLessThanOrEqual(1_000);
    for (const tool of ['create_thread', 'send_message_to_thread']) {
      const args = (p: string) => (tool === 'create_thread' ? { prompt: p } : { threadId: OTHER, prompt: p });
      expect(refuse(tool, args(fits)), tool).toBeNull();
      expect(refuse(tool, args(`${fits}x`)), tool).toBe('prompt exceeded the maximum context budget');
    }
  });
});

describe('a world answering as the terminal UI', () => {
  const enroll = checkWorldsAfterEach();

  it("create_thread makes a thread in the caller's folder with the caller's model and no worktree; refusals reach the caller", async () => {
    let made: string | undefined;
    let refused: unknown;
    const leader = new ScriptedAgent([
      async (ctx) => {
        made = (await must(ctx, 'create_thread', { prompt: 'hello', title: ' api ' } as never)).threadId;
        refused = await ctx.call('create_thread', { prompt: 'x'.repeat(1_001) });
        await must(ctx, 'wait_threads', { targets: [{ threadId: made! }] } as never);
      },
    ]);
    const t = await makeWorld({ leader, host: 'tui' });
    enroll(t);
    await t.start();
    const w = t.world.thread(made!)!;
    expect(w).toMatchObject({ cwd: REPO_ROOT, title: 'api', thinking: null, worktree: null });
    expect(refused).toEqual({ ok: false, error: 'prompt exceeded the maximum context budget' });
    expect(t.events('thread.created')).toEqual([expect.objectContaining({ thread: made, cwd: REPO_ROOT, worktree: null, thinking: null })]);
    expect(t.events('ws').filter((e) => e.op === 'worktreeAdd')).toEqual([]);
    // Delivered as the first message of create_thread; the calls recorded in the codex_tui namespace.
    const tools = t.leader.turns.flatMap((x) => x.items).filter((i) => i.type === 'dynamicToolCall');
    expect(new Set(tools.map((i) => (i as { namespace?: string }).namespace))).toEqual(new Set(['codex_tui']));
    const calls = t.events('tool.call');
    expect(calls.map((c) => [c.tool, c.ok])).toEqual([
      ['create_thread', true],
      ['create_thread', false],
      ['wait_threads', true],
    ]);
  });

  it('offers no heartbeats: automation_update is an unsupported tool', async () => {
    let r: unknown;
    const leader = new ScriptedAgent([
      async (ctx) => {
        r = await ctx.call('automation_update', { mode: 'view' });
      },
    ]);
    const t = await makeWorld({ leader, host: 'tui' });
    enroll(t);
    await t.start();
    expect(r).toEqual({ ok: false, error: 'Unsupported TUI dynamic tool: automation_update' });
  });
});
