// Every thread tool through the World: payloads checked by the contract, and the refusals the
// real tools make.

import { describe, expect, it } from 'vitest';
import { TOOL_NAMES } from '../../src/contract/index.ts';
import { unwrapDelegation } from '../../src/contract/envelopes.ts';
import type { TurnContext } from '../../src/ports/agent.ts';
import {
  LEADER_ID,
  PROJECT_ID,
  REPO_ROOT,
  ScriptedAgent,
  type MakeWorldOptions,
  type TestWorld,
  errorOf,
  checkWorldsAfterEach,
  localTarget,
  makeWorld,
  must,
  payloadOf,
  worktreeTarget,
} from '../support/scripted-leader.ts';

// Whatever a test did, every successful call's payload must satisfy the contract.
const enroll = checkWorldsAfterEach();
async function mk(opts: MakeWorldOptions = {}): Promise<TestWorld> {
  const t = await makeWorld(opts);
  enroll(t);
  return t;
}

/** Call a tool as the leader, outside any turn (only for tools that never block). */
const callAsLeader = (t: TestWorld, tool: string, args: unknown) => t.world.callTool(LEADER_ID, 'turn-test', tool, args);

describe('list_projects and unknown tools', () => {
  it('list_projects answers the one local project at the repository root', async () => {
    const t = await mk();
    const projects = payloadOf('list_projects', await callAsLeader(t, 'list_projects', {}));
    expect(projects).toEqual([{ projectId: PROJECT_ID, projectKind: 'local', hostId: 'local', path: REPO_ROOT }]);
  });

  it('an unknown tool is refused as unknown', async () => {
    const t = await mk();
    expect(errorOf(await callAsLeader(t, 'delete_everything', {}))).toBe('unknown tool: delete_everything');
  });

  it('a tool missing from this build answers unknown tool, and the turn context does not list it', async () => {
    let seenTools: readonly string[] = [];
    let answer = '';
    const t = await mk({
      tools: TOOL_NAMES.filter((n) => n !== 'fork_thread'),
      leader: [
        async (ctx) => {
          seenTools = ctx.tools;
          const r = await ctx.call('fork_thread', {});
          answer = r.ok ? 'ok' : r.error;
        },
      ],
    });
    await t.start();
    expect(answer).toBe('unknown tool: fork_thread');
    expect(seenTools).not.toContain('fork_thread');
    expect(seenTools).toContain('create_thread');
    expect(t.world.threads.size).toBe(1);
    const call = t.events('tool.call').find((e) => e.tool === 'fork_thread')!;
    expect(call).toMatchObject({ ok: false, result: 'unknown tool: fork_thread', thread: LEADER_ID });
  });

  it('arguments are validated: one line that names the field', async () => {
    const t = await mk();
    const nine = Array.from({ length: 9 }, () => ({ threadId: LEADER_ID }));
    const tooMany = errorOf(await callAsLeader(t, 'wait_threads', { targets: nine, timeoutMs: 0 }));
    expect(tooMany).toBe('wait_threads: targets: at most 8 targets (got 9)');
    const tooLong = errorOf(await callAsLeader(t, 'wait_threads', { targets: [{ threadId: LEADER_ID }], timeoutMs: 200_000 }));
    expect(tooLong).toBe('wait_threads: timeoutMs: must be at most 120000 (got 200000)');
    const typo = errorOf(await callAsLeader(t, 'send_message_to_thread', { threadID: LEADER_ID, prompt: 'x' }));
    expect(typo).toMatch(/^send_message_to_thread: threadId: required/);
    for (const e of [tooMany, tooLong, typo]) expect(e).not.toContain('\n');
    // Nothing was done for refused calls.
    expect(t.events('message.sent')).toEqual([]);
  });
});

describe('create_thread', () => {
  it('a worktree target creates a real linked worktree on its own branch, with model and thinking recorded', async () => {
    let created = '';
    const worker = new ScriptedAgent([
      async (ctx) => {
        const me = ctxThread(t, ctx);
        await ctx.ws.writeFile(me.cwd, 'src/new.ts', 'export const n = 3;\n');
        await ctx.ws.commitAll(me.cwd, 'worker: add new.ts');
      },
    ]);
    const t = await mk({
      workers: [worker],
      leader: [
        async (ctx) => {
          const r = await must(ctx, 'create_thread', { prompt: 'Build the parser\nin src/', target: worktreeTarget(), model: 'gpt-5.1', thinking: 'high' });
          created = r.threadId;
        },
      ],
    });
    const mainBefore = await t.ws.resolve('main');
    await t.start();
    const th = t.world.thread(created)!;
    expect(th).toBeDefined();
    expect(th.model).toBe('gpt-5.1');
    expect(th.thinking).toBe('high');
    expect(th.title).toBe('Build the parser');
    expect(th.cwd).toMatch(/^\/worktrees\/[0-9a-f]{8}\/repo$/);
    expect(th.worktree).toEqual({ dir: th.cwd, branch: expect.stringMatching(/^codex\//), base: mainBefore });
    // The workspace shows the linked worktree on that branch.
    const wts = await t.ws.worktrees();
    expect(wts.map((w) => w.dir)).toEqual([REPO_ROOT, th.cwd]);
    expect(wts[1]!.branch).toBe(th.worktree!.branch);
    expect(await t.ws.branches()).toContain(th.worktree!.branch);
    // The worker's commit moved its branch only.
    expect(await t.ws.resolve('main')).toBe(mainBefore);
    expect(await t.ws.resolve(th.worktree!.branch)).not.toBe(mainBefore);
    expect(await t.ws.readFile(REPO_ROOT, 'src/new.ts')).toBeNull();
    expect(await t.ws.readFile(th.cwd, 'src/new.ts')).toBe('export const n = 3;\n');
    const ev = t.events('thread.created').find((e) => e.thread === created)!;
    expect(ev).toMatchObject({ by: LEADER_ID, cwd: th.cwd, model: 'gpt-5.1', thinking: 'high', worktree: { branch: th.worktree!.branch, base: mainBefore } });
  });

  it('the worker receives its prompt wrapped in the delegation envelope', async () => {
    const worker = new ScriptedAgent();
    const t = await mk({
      workers: [worker],
      leader: [async (ctx) => void (await must(ctx, 'create_thread', { prompt: 'Do <the> thing', target: localTarget() }))],
    });
    await t.start();
    expect(worker.turns).toHaveLength(1);
    const [input] = worker.turns[0]!.inputs;
    expect(input).toMatchObject({ cause: 'delegation', from: LEADER_ID });
    // Codex's envelope to the byte: on four lines, with & < > escaped in the text.
    expect(input!.text).toBe(
      `<codex_delegation>\n  <source_thread_id>${LEADER_ID}</source_thread_id>\n  <input>Do &lt;the&gt; thing</input>\n</codex_delegation>`,
    );
    expect(unwrapDelegation(input!.text)).toEqual({ source: LEADER_ID, text: 'Do <the> thing' });
  });

  it('a worktree starting from a branch starts at that branch', async () => {
    let created = '';
    const t = await mk({
      leader: [
        async (ctx) =>
          void (created = (await must(ctx, 'create_thread', { prompt: 'p', target: worktreeTarget({ type: 'branch', branchName: 'old' }) })).threadId),
      ],
    });
    const first = await t.ws.resolve('main');
    await t.ws.writeFile(REPO_ROOT, 'README.md', '# moved on\n');
    await t.ws.commitAll(REPO_ROOT, 'main moves');
    await t.ws.setBranch('old', first);
    await t.start();
    const th = t.world.thread(created)!;
    expect(th.worktree!.base).toBe(first);
    expect(await t.ws.readFile(th.cwd, 'README.md')).toBe('# tiny\n');
  });

  it('a local target runs in the repository root; a projectless one in its own directory', async () => {
    const ids: string[] = [];
    const t = await mk({
      leader: [
        async (ctx) => {
          ids.push((await must(ctx, 'create_thread', { prompt: 'local one', target: localTarget() })).threadId);
          ids.push((await must(ctx, 'create_thread', { prompt: 'scratch one', target: { type: 'projectless', directoryName: 'scratch' } })).threadId);
          ids.push((await must(ctx, 'create_thread', { prompt: 'scratch two', target: { type: 'projectless' } })).threadId);
          const r = await ctx.call('create_thread', { prompt: 'x', target: { type: 'project', projectId: 'nope', environment: { type: 'local' } } });
          expect(r).toEqual({ ok: false, error: 'project not found: nope' });
        },
      ],
    });
    await t.start();
    const [local, named, unnamed] = ids.map((id) => t.world.thread(id)!);
    expect(local!.cwd).toBe(REPO_ROOT);
    expect(local!.worktree).toBeNull();
    expect(local!.projectId).toBe(PROJECT_ID);
    expect(named!.cwd).toBe('/projectless/scratch');
    expect(named!.projectId).toBeNull();
    expect(unnamed!.cwd).toMatch(/^\/projectless\/[0-9a-f]{8}$/);
    expect(await t.ws.worktrees()).toHaveLength(1);
    const listed = payloadOf('list_threads', await callAsLeader(t, 'list_threads', { query: 'scratch one' }));
    expect(listed.threads).toEqual([expect.objectContaining({ id: named!.id, projectId: null, cwd: '/projectless/scratch' })]);
  });

  it('with a pending worktree it answers pendingWorktreeId; the thread shows in list_threads later', async () => {
    let pending: any = null;
    let before: string[] = [];
    let after: string[] = [];
    const t = await mk({
      pendingWorktreeMs: 60_000,
      leader: [
        async (ctx) => {
          pending = await must(ctx, 'create_thread', { prompt: 'Slow worktree worker', target: worktreeTarget() });
          const l1 = await must(ctx, 'list_threads', {});
          before = l1.threads.map((x: { id: string }) => x.id);
          await ctx.sleep(90_000);
          const l2 = await must(ctx, 'list_threads', { query: 'slow worktree' });
          after = l2.threads.map((x: { id: string }) => x.id);
        },
      ],
    });
    await t.start();
    expect(Object.keys(pending)).toEqual(['pendingWorktreeId']);
    expect(before).toEqual([LEADER_ID]);
    expect(after).toHaveLength(1);
    const th = t.world.thread(after[0]!)!;
    expect(th.worktree).not.toBeNull();
    const created = t.events('thread.created')[0]!;
    // Asked at t=1s (one model step), ready 60 s later.
    expect(created.t).toBe(61_000);
    const add = t.events('ws').find((e) => e.op === 'worktreeAdd')!;
    expect(add).toMatchObject({ t: 61_000, dir: th.cwd, actor: `codex-app:${LEADER_ID}` });
  });
});

describe('send_message_to_thread and set_thread_archived', () => {
  it('refuses an unknown thread and an archived one; delivers to a live one', async () => {
    const worker = new ScriptedAgent();
    const t = await mk({ workers: [worker] });
    const w = t.world.addThread({ cwd: REPO_ROOT, title: 'w', agent: worker });
    const gone = t.world.addThread({ cwd: REPO_ROOT, title: 'gone', agent: new ScriptedAgent() });
    expect(errorOf(await callAsLeader(t, 'send_message_to_thread', { threadId: 'no-such-thread', prompt: 'hi' }))).toBe('thread not found: no-such-thread');
    expect(payloadOf('set_thread_archived', await callAsLeader(t, 'set_thread_archived', { threadId: gone.id, archived: true }))).toEqual({
      threadId: gone.id,
      archived: true,
    });
    expect(errorOf(await callAsLeader(t, 'send_message_to_thread', { threadId: gone.id, prompt: 'hi' }))).toBe(`thread is archived: ${gone.id}`);
    expect(payloadOf('send_message_to_thread', await callAsLeader(t, 'send_message_to_thread', { threadId: w.id, prompt: 'hello' }))).toEqual({
      threadId: w.id,
    });
    await t.run(60_000);
    expect(worker.turns.map((x) => x.inputs.map((i) => unwrapDelegation(i.text)?.text))).toEqual([['hello']]);
    expect(t.events('message.sent').map((e) => e.to)).toEqual([w.id]);
    // Unarchived, it takes messages again.
    payloadOf('set_thread_archived', await callAsLeader(t, 'set_thread_archived', { threadId: gone.id, archived: false }));
    payloadOf('send_message_to_thread', await callAsLeader(t, 'send_message_to_thread', { threadId: gone.id, prompt: 'back' }));
  });

  it('refuses to archive the calling thread, with or without its id', async () => {
    const t = await mk();
    expect(errorOf(await callAsLeader(t, 'set_thread_archived', { archived: true }))).toBe('cannot archive the calling thread');
    expect(errorOf(await callAsLeader(t, 'set_thread_archived', { threadId: LEADER_ID, archived: true }))).toBe('cannot archive the calling thread');
    expect(t.leader.archived).toBe(false);
    expect(errorOf(await callAsLeader(t, 'set_thread_archived', { threadId: 'nope', archived: true }))).toBe('thread not found: nope');
    expect(t.events('thread.archived')).toEqual([]);
  });
});

describe('read_thread', () => {
  /** A thread with five turns, each saying something and making one tool call. */
  async function fiveTurns() {
    const agent = new ScriptedAgent([], async (ctx) => {
      ctx.say(`turn at ${ctx.now()}`);
      await ctx.call('list_projects', {});
    });
    const t = await mk();
    const th = t.world.addThread({ cwd: REPO_ROOT, title: 'busy', agent });
    for (let k = 0; k < 5; k++) t.world.sched.at(k * 10_000, 'input', () => t.world.userSays(th.id, `input ${k}`, 'other'));
    await t.run(3_600_000);
    expect(th.turns).toHaveLength(5);
    return { t, th };
  }

  it('pages newest first with nextCursor and hasMore until the oldest turn', async () => {
    const { t, th } = await fiveTurns();
    const read = async (args: object) => payloadOf('read_thread', await callAsLeader(t, 'read_thread', { threadId: th.id, turnLimit: 2, ...args }));
    const p1 = await read({});
    expect(p1.page).toEqual({ order: 'newest_first', limit: 2, hasMore: true, nextCursor: expect.any(String) });
    const p2 = await read({ cursor: p1.page.nextCursor });
    expect(p2.page.hasMore).toBe(true);
    const p3 = await read({ cursor: p2.page.nextCursor });
    expect(p3.page).toMatchObject({ hasMore: false, nextCursor: null });
    const ids = [...p1.turns, ...p2.turns, ...p3.turns].map((x: { id: string }) => x.id);
    expect(ids).toEqual(th.turns.map((x) => x.id).reverse());
    expect(p1.turns[0].items[0]).toEqual({ type: 'userMessage', text: 'input 4' });
    expect(p3.turns[0].items[0]).toEqual({ type: 'userMessage', text: 'input 0' });
    expect(p1.thread).toMatchObject({ id: th.id, kind: 'codex', title: 'busy', status: { type: 'idle' }, cwd: REPO_ROOT, preview: 'input 0' });
    // All at once when the limit allows.
    const all = await read({ turnLimit: 10 });
    expect(all.turns).toHaveLength(5);
    expect(all.page).toMatchObject({ hasMore: false, nextCursor: null });
    expect(errorOf(await callAsLeader(t, 'read_thread', { threadId: th.id, cursor: 'page:99' }))).toBe('invalid cursor: page:99');
    expect(errorOf(await callAsLeader(t, 'read_thread', { threadId: 'nope' }))).toBe('thread not found: nope');
  });

  it('includeOutputs controls the output fields and maxOutputCharsPerItem cuts them', async () => {
    const { t, th } = await fiveTurns();
    const toolItem = (p: any) => p.turns[0].items.find((i: { type: string }) => i.type === 'dynamicToolCall');
    const without = payloadOf('read_thread', await callAsLeader(t, 'read_thread', { threadId: th.id, turnLimit: 1 }));
    expect(toolItem(without)).toMatchObject({ tool: 'list_projects', namespace: 'codex_app', success: true });
    expect('output' in toolItem(without)).toBe(false);
    const full = JSON.stringify([{ projectId: PROJECT_ID, projectKind: 'local', hostId: 'local', path: REPO_ROOT }]);
    const withOut = payloadOf('read_thread', await callAsLeader(t, 'read_thread', { threadId: th.id, turnLimit: 1, includeOutputs: true }));
    expect(toolItem(withOut).output).toBe(full);
    const cut = payloadOf(
      'read_thread',
      await callAsLeader(t, 'read_thread', { threadId: th.id, turnLimit: 1, includeOutputs: true, maxOutputCharsPerItem: 10 }),
    );
    expect(toolItem(cut).output).toBe(full.slice(0, 10));
    expect(cut.turns[0].items.find((i: { type: string }) => i.type === 'agentMessage').text).toMatch(/^turn at /);
  });
});

describe('list_threads, titles and pins', () => {
  it('filters by query, limits, lists pinned apart and leaves archived out', async () => {
    const t = await mk();
    const mkT = (title: string) => t.world.addThread({ cwd: REPO_ROOT, title, agent: null });
    const api = mkT('API worker');
    const ui = mkT('UI worker');
    const db = mkT('db worker');
    expect(payloadOf('set_thread_title', await callAsLeader(t, 'set_thread_title', { threadId: db.id, title: 'Database worker' }))).toEqual({
      threadId: db.id,
      title: 'Database worker',
    });
    expect(payloadOf('set_thread_pinned', await callAsLeader(t, 'set_thread_pinned', { threadId: ui.id, pinned: true }))).toEqual({
      threadId: ui.id,
      pinned: true,
    });
    payloadOf('set_thread_archived', await callAsLeader(t, 'set_thread_archived', { threadId: api.id, archived: true }));

    const all = payloadOf('list_threads', await callAsLeader(t, 'list_threads', {}));
    expect(all.schemaVersion).toBe(4);
    expect(all.pinnedThreads.map((x: { id: string }) => x.id)).toEqual([ui.id]);
    expect(new Set(all.threads.map((x: { id: string }) => x.id))).toEqual(new Set([LEADER_ID, db.id]));
    const q = payloadOf('list_threads', await callAsLeader(t, 'list_threads', { query: 'WORKER' }));
    expect([...q.pinnedThreads, ...q.threads].map((x: { title: string }) => x.title).sort()).toEqual(['Database worker', 'UI worker']);
    const qd = payloadOf('list_threads', await callAsLeader(t, 'list_threads', { query: 'database' }));
    expect(qd.threads).toEqual([expect.objectContaining({ id: db.id, kind: 'codex', title: 'Database worker', status: { type: 'idle' } })]);
    const limited = payloadOf('list_threads', await callAsLeader(t, 'list_threads', { limit: 1 }));
    expect(limited.pinnedThreads.length + limited.threads.length).toBe(1);
    // Unpinned, the thread moves back among the others.
    payloadOf('set_thread_pinned', await callAsLeader(t, 'set_thread_pinned', { threadId: ui.id, pinned: false }));
    const again = payloadOf('list_threads', await callAsLeader(t, 'list_threads', {}));
    expect(again.pinnedThreads).toEqual([]);
    expect(again.threads.map((x: { id: string }) => x.id)).toContain(ui.id);
    expect(errorOf(await callAsLeader(t, 'set_thread_title', { threadId: 'nope', title: 'x' }))).toBe('thread not found: nope');
    expect(errorOf(await callAsLeader(t, 'set_thread_pinned', { threadId: 'nope', pinned: true }))).toBe('thread not found: nope');
  });
});

describe('fork_thread', () => {
  it('same-directory shares the cwd and copies finished turns; worktree gets a new linked worktree', async () => {
    const forks: Record<string, string> = {};
    const t = await mk({
      leader: [
        async (ctx) => void ctx.say('first'),
        async (ctx) => {
          forks.same = (await must(ctx, 'fork_thread', { environment: { type: 'same-directory' } })).threadId;
          forks.wt = (await must(ctx, 'fork_thread', { threadId: LEADER_ID, environment: { type: 'worktree' } })).threadId;
          expect(await ctx.call('fork_thread', { threadId: 'nope' })).toEqual({ ok: false, error: 'thread not found: nope' });
        },
      ],
    });
    await t.start('one');
    t.world.userSays(LEADER_ID, 'two', 'other');
    await t.run(3_600_000);
    const same = t.world.thread(forks.same!)!;
    const wt = t.world.thread(forks.wt!)!;
    expect(same.cwd).toBe(REPO_ROOT);
    expect(same.worktree).toBeNull();
    // Only the finished first turn is copied, not the turn that forked.
    expect(same.turns.map((x) => x.id)).toEqual([t.leader.turns[0]!.id]);
    expect(wt.cwd).toMatch(/^\/worktrees\/[0-9a-f]{8}\/repo$/);
    expect(wt.cwd).not.toBe(REPO_ROOT);
    expect((await t.ws.worktrees()).map((w) => w.dir)).toEqual([REPO_ROOT, wt.cwd]);
    expect(await t.ws.currentBranch(wt.cwd)).toBe(wt.worktree!.branch);
    expect(t.events('thread.created').map((e) => [e.thread, e.cwd])).toEqual([
      [same.id, REPO_ROOT],
      [wt.id, wt.cwd],
    ]);
  });
});

describe('fork_thread of a projectless thread', () => {
  it('stays projectless, in the same directory', async () => {
    const t = await mk();
    const src = t.world.addThread({ cwd: '/projectless/notes', title: 'notes', projectId: null, agent: null });
    const r = payloadOf('fork_thread', await callAsLeader(t, 'fork_thread', { threadId: src.id, environment: { type: 'same-directory' } }));
    const fork = t.world.thread(r.threadId)!;
    expect(fork).toMatchObject({ cwd: '/projectless/notes', projectId: null, title: 'notes', worktree: null });
  });
});

/** The SimThread behind a context (scripted agents use it to find their own directory). */
function ctxThread(t: TestWorld, ctx: TurnContext) {
  return t.world.thread(ctx.thread)!;
}
