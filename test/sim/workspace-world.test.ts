// The workspace as the World's threads use it: every operation traced with who did it and
// where (what makes a shared checkout visible), and a real merge conflict between two workers.

import { describe, expect, it } from 'vitest';
import { unwrapDelegation } from '../../src/contract/envelopes.ts';
import { createMemoryWorkspace } from '../../src/workspace/memory.ts';
import type { MergeResult } from '../../src/ports/workspace.ts';
import type { TurnContext } from '../../src/ports/agent.ts';
import {
  LEADER_ID,
  REPO_ROOT,
  ScriptedAgent,
  type TestWorld,
  checkWorldsAfterEach,
  localTarget,
  makeWorld,
  must,
  worktreeTarget,
} from '../support/scripted-leader.ts';

// Whatever a test did, every successful call's payload must satisfy the contract.
const enroll = checkWorldsAfterEach();
describe('worktree exclusivity in the trace', () => {
  it('two local-environment threads share the repository root, and the ws events show both actors in it', async () => {
    let t!: TestWorld;
    const writeNotes = async (ctx: TurnContext) => {
      const me = t.world.thread(ctx.thread)!;
      await ctx.ws.writeFile(me.cwd, `notes/${ctx.thread}.md`, 'working here\n');
      await ctx.ws.status(me.cwd);
    };
    const ids: string[] = [];
    t = await makeWorld({
      workers: [new ScriptedAgent([writeNotes]), new ScriptedAgent([writeNotes])],
      leader: [
        async (ctx) => {
          ids.push((await must(ctx, 'create_thread', { prompt: 'first', target: localTarget() })).threadId);
          ids.push((await must(ctx, 'create_thread', { prompt: 'second', target: localTarget() })).threadId);
        },
      ],
    });
    enroll(t);
    await t.start();
    expect(t.events('thread.created').map((e) => e.cwd)).toEqual([REPO_ROOT, REPO_ROOT]);
    const writes = t.events('ws').filter((e) => e.op === 'writeFile' && e.dir === REPO_ROOT);
    expect(new Set(writes.map((e) => e.actor))).toEqual(new Set(ids));
    expect(writes.map((e) => e.paths)).toEqual(ids.map((id) => [`notes/${id}.md`]));
    // Each one's status read saw the other's file too: one checkout, two threads.
    const reads = t.events('ws').filter((e) => e.op === 'status' && e.dir === REPO_ROOT);
    expect(reads.map((e) => e.actor)).toEqual(ids);
    expect(reads[1]!.paths).toEqual(ids.map((id) => `notes/${id}.md`).sort());
  });

  it('a worker writing into another worker’s worktree shows as its own actor in that directory', async () => {
    let t!: TestWorld;
    const ids: string[] = [];
    const intruder = new ScriptedAgent([
      async (ctx) => {
        const victim = t.world.thread(ids[1]!)!;
        await ctx.ws.writeFile(victim.cwd, 'src/a.ts', 'export const a = 666;\n');
      },
    ]);
    t = await makeWorld({
      workers: [intruder, new ScriptedAgent()],
      leader: [
        async (ctx) => {
          ids.push((await must(ctx, 'create_thread', { prompt: 'A', target: worktreeTarget() })).threadId);
          ids.push((await must(ctx, 'create_thread', { prompt: 'B', target: worktreeTarget() })).threadId);
        },
      ],
    });
    enroll(t);
    await t.start();
    const [a, b] = ids.map((id) => t.world.thread(id)!);
    expect(a!.cwd).not.toBe(b!.cwd);
    const stray = t.events('ws').filter((e) => e.op === 'writeFile');
    expect(stray).toEqual([expect.objectContaining({ actor: a!.id, dir: b!.cwd, paths: ['src/a.ts'], ok: true })]);
    expect(await t.ws.status(b!.cwd)).toEqual([{ path: 'src/a.ts', kind: 'modified' }]);
    expect(await t.ws.status(a!.cwd)).toEqual([]);
  });
});

describe('a real merge conflict', () => {
  it('two workers append to one file on two branches; the leader merges both and meets the conflict', async () => {
    let t!: TestWorld;
    const appendAndReport = (line: string) => async (ctx: TurnContext) => {
      const me = t.world.thread(ctx.thread)!;
      const prev = (await ctx.ws.readFile(me.cwd, 'shared/log.txt')) ?? '';
      await ctx.ws.writeFile(me.cwd, 'shared/log.txt', `${prev}${line}\n`);
      await ctx.ws.commitAll(me.cwd, `log: ${line}`);
      await must(ctx, 'send_message_to_thread', { threadId: LEADER_ID, prompt: `done ${me.worktree!.branch}` });
    };
    const branches: string[] = [];
    const results: MergeResult[] = [];
    const leader = new ScriptedAgent(
      [
        async (ctx) => {
          await must(ctx, 'create_thread', { prompt: 'log from A', target: worktreeTarget() });
          await must(ctx, 'create_thread', { prompt: 'log from B', target: worktreeTarget() });
        },
      ],
      // Later turns: collect the workers' reports, merge once both are in.
      async (ctx, inputs) => {
        for (const i of inputs) {
          const d = unwrapDelegation(i.text);
          if (d?.text.startsWith('done ')) branches.push(d.text.slice(5));
        }
        if (branches.length < 2 || results.length > 0) return;
        for (const b of branches) results.push(await ctx.ws.merge(REPO_ROOT, b, `merge ${b}`));
      },
    );
    t = await makeWorld({ leader, workers: [new ScriptedAgent([appendAndReport('from A')]), new ScriptedAgent([appendAndReport('from B')])] });
    enroll(t);
    await t.start();
    expect(branches).toHaveLength(2);
    expect(results[0]).toEqual({ kind: 'fast-forward', sha: await t.ws.resolve(branches[0]!) });
    expect(results[1]).toEqual({ kind: 'conflict', paths: ['shared/log.txt'] });
    const merged = (await t.ws.readFile(REPO_ROOT, 'shared/log.txt'))!;
    expect(merged).toMatch(/^start\n<<<<<<< [^\n]*\nfrom A\n=======\nfrom B\n>>>>>>> [^\n]*\n$/);
    expect(await t.ws.mergeInProgress(REPO_ROOT)).toBe(true);
    const mergeEvents = t.events('ws').filter((e) => e.op === 'merge');
    expect(mergeEvents.map((e) => [e.actor, e.dir, e.ref, e.detail])).toEqual([
      [LEADER_ID, REPO_ROOT, branches[0], 'fast-forward'],
      [LEADER_ID, REPO_ROOT, branches[1], 'conflict'],
    ]);
    expect(mergeEvents[1]!.paths).toEqual(['shared/log.txt']);
    // The workers' commits are theirs: each commit event is by the worker, in its own worktree.
    const commits = t.events('ws').filter((e) => e.op === 'commitAll');
    expect(commits.map((e) => [e.actor, e.dir])).toEqual(t.events('thread.created').map((c) => [c.thread, c.cwd]));
  });
});

describe('the memory workspace under the wall clock', () => {
  it('sees a same-size edit made in the same millisecond as the checkout (no racy-git misses)', async () => {
    // When the workspace was memfs and isomorphic-git, most of these were missed: memfs stamped
    // ms, and isomorphic-git trusted the matching stat of the index entry, so the answer depended
    // on the wall clock. Kept: any stat cache brought back must not bring that back.
    let missed = 0;
    for (let k = 0; k < 40; k++) {
      const ws = createMemoryWorkspace({ now: () => 1_700_000_000 });
      await ws.init({ 'a.txt': 'one\n' }, 'main');
      await ws.worktreeAdd('/wt/x', 'x', 'main');
      await ws.writeFile('/wt/x', 'a.txt', 'two\n');
      if ((await ws.status('/wt/x')).length !== 1) missed++;
      if ((await ws.commitAll('/wt/x', 'edit')) === null) missed++;
      await ws.writeFile('/wt/x', 'a.txt', 'six\n');
      await ws.discardChanges('/wt/x');
      if ((await ws.readFile('/wt/x', 'a.txt')) !== 'two\n') missed++;
      await ws.writeFile('/repo', 'a.txt', 'ten\n');
      if ((await ws.status('/repo')).length !== 1) missed++;
    }
    expect(missed).toBe(0);
  });
});
