// The live host of the thread tools over the real `codex app-server`, offline: real threads,
// real worktrees, messages and heartbeats delivered as Codex's hosts deliver them, every answer
// checked against the contract, and a teardown that leaves nothing.
// Skipped, with a printed reason, when the codex binary is not installed.

import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { delegationEnvelope, unwrapHeartbeat } from '../../src/contract/envelopes.ts';
import type { Delivery } from '../../src/contract/hosts.ts';
import { findCodexBinary } from '../../src/live/codex-binary.ts';
import { LiveHost } from '../../src/live/live-host.ts';
import { startOfflineCodex, type OfflineCodex } from '../../src/live/offline-codex.ts';
import { createDiskWorkspace } from '../../src/workspace/disk.ts';
import { errorOf, payloadOf, TINY_REPO } from '../support/scripted-leader.ts';
import { holdingBrain, inputTexts, turnTrigger } from '../support/live-brains.ts';
import { scratchFolder } from '../support/scratch-folder.ts';

const binary = findCodexBinary();
if (!binary) console.log('[live] codex binary not installed (optional dependency @openai/codex): the live host tests are skipped');

const scratch = scratchFolder('live-host-');

const WORKTREE = { type: 'project', projectId: 'proj-live', environment: { type: 'worktree' } } as const;

async function start(delivery: Delivery) {
  const dir = await mkdtemp(join(scratch(), 'run-'));
  const ws = createDiskWorkspace({ root: join(dir, 'repo') });
  await ws.init(TINY_REPO, 'main');
  const brain = holdingBrain();
  const codex: OfflineCodex = await startOfflineCodex({ binary: binary!, brain: brain.brain, cwd: ws.root });
  const host = new LiveHost({ app: codex.app, ws, projectId: 'proj-live', worktreeRoot: join(dir, 'worktrees'), delivery });
  const leader = await host.startThread(ws.root, 'leader');
  return { ws, brain, codex, host, leader, dir };
}

describe.skipIf(!binary)('the live host of the thread tools (real codex app-server, offline)', () => {
  for (const delivery of ['steer', 'next-turn'] as const) {
    it(`creates real threads in real worktrees, delivers messages (${delivery}) and heartbeats as Codex does, and tears down to zero`, {
      timeout: 120_000,
    }, async () => {
      const { ws, brain, codex, host, leader } = await start(delivery);
      try {
        const created = payloadOf(
          'create_thread',
          await host.call(leader, 'create_thread', { prompt: 'Build the parser.\nReport when done.', target: WORKTREE, thinking: 'high' }),
        );
        const worker = created.threadId as string;
        // A real worktree on its own branch, and a real thread whose model requests say so.
        const wt = (await ws.worktrees()).find((w) => w.branch?.startsWith('codex/'));
        expect(wt && existsSync(wt.dir)).toBe(true);
        // From the thread's creation (rev:0): its first turn may end before the wait starts.
        const first = await payloadOf(
          'wait_threads',
          await host.call(leader, 'wait_threads', { targets: [{ threadId: worker, afterCursor: 'rev:0' }], timeoutMs: 60_000 }),
        );
        expect(first.wake).toMatchObject({ threadId: worker, reason: 'turnCompleted' });
        const req = brain.requestsOf(worker)[0]!;
        expect(req.headers['x-codex-turn-metadata']).toContain('"reasoning_effort":"high"');
        expect(JSON.stringify(req.body)).toContain(wt!.dir);
        // The prompt arrived as Codex's thread tools deliver it: a tool output with the envelope, no call id.
        const delivered = (req.input as { type?: string; call_id?: unknown; output?: unknown }[]).filter(
          (i) => i.type === 'function_call_output' && !i.call_id,
        );
        expect(delivered.map((i) => i.output)).toEqual([delegationEnvelope(leader, 'Build the parser.\nReport when done.')]);

        // A message to a busy thread: steered into its running turn, or queued for the next one.
        payloadOf('send_message_to_thread', await host.call(leader, 'send_message_to_thread', { threadId: worker, prompt: 'HOLD until told' }));
        await brain.holding(worker);
        expect(host.busy(worker)).toBe(true);
        payloadOf('send_message_to_thread', await host.call(leader, 'send_message_to_thread', { threadId: worker, prompt: 'one more thing' }));
        brain.release(worker);
        expect(await host.settled()).toBe(true);
        const read = payloadOf('read_thread', await host.call(leader, 'read_thread', { threadId: worker, turnLimit: 5 }));
        const turns = [...read.turns].reverse() as { items: { type: string; text?: string }[] }[];
        const userTexts = turns.map((t) => t.items.filter((i) => i.type === 'userMessage').map((i) => i.text));
        if (delivery === 'steer') {
          expect(turns).toHaveLength(2);
          expect(userTexts[1]).toEqual([delegationEnvelope(leader, 'HOLD until told'), delegationEnvelope(leader, 'one more thing')]);
        } else {
          expect(turns).toHaveLength(3);
          expect(userTexts.slice(1)).toEqual([[delegationEnvelope(leader, 'HOLD until told')], [delegationEnvelope(leader, 'one more thing')]]);
        }

        // Heartbeats: the host's scheduler starts them on the idle thread with Codex's trigger and
        // envelope; the clock jumps to them when every thread is idle, so a minute takes no minute.
        const made = payloadOf(
          'automation_update',
          await host.call(leader, 'automation_update', {
            mode: 'create',
            kind: 'heartbeat',
            name: 'poll',
            prompt: 'Check the workers.',
            rrule: 'FREQ=MINUTELY;INTERVAL=1',
            targetThreadId: worker,
          }),
        );
        expect(
          errorOf(
            await host.call(leader, 'automation_update', {
              mode: 'create',
              kind: 'heartbeat',
              name: 'again',
              prompt: 'x',
              rrule: 'FREQ=MINUTELY',
              targetThreadId: worker,
            }),
          ),
        ).toContain('already has an active heartbeat');
        const before = brain.requestsOf(worker).length;
        const woke = payloadOf(
          'wait_threads',
          await host.call(leader, 'wait_threads', { targets: [{ threadId: worker, afterCursor: `rev:${Number.MAX_SAFE_INTEGER}` }], timeoutMs: 1 }),
        );
        expect(woke.timedOut).toBe(true);
        await brain.requestCount(worker, before + 1);
        const beat = brain.requestsOf(worker)[before]!;
        expect(turnTrigger(beat)).toBe('automation_heartbeat_scheduled');
        expect(unwrapHeartbeat(inputTexts(beat).at(-1)!)).toMatchObject({ automationId: made.automationId, instructions: 'Check the workers.' });
        payloadOf('automation_update', await host.call(leader, 'automation_update', { mode: 'update', id: made.automationId, status: 'PAUSED' }));
        payloadOf('automation_update', await host.call(leader, 'automation_update', { mode: 'delete', id: made.automationId }));

        // The refusals the tools make.
        expect(errorOf(await host.call(leader, 'set_thread_archived', { archived: true }))).toBe('cannot archive the calling thread');
        expect(errorOf(await host.call(leader, 'read_thread', { threadId: 'nope' }))).toBe('thread not found: nope');
        const listed = payloadOf('list_threads', await host.call(leader, 'list_threads', {}));
        expect(listed.threads.map((t: { id: string }) => t.id).sort()).toEqual([leader, worker].sort());
        payloadOf('set_thread_title', await host.call(leader, 'set_thread_title', { threadId: worker, title: 'parser' }));
        payloadOf('set_thread_archived', await host.call(leader, 'set_thread_archived', { threadId: worker, archived: true }));
        expect(errorOf(await host.call(leader, 'send_message_to_thread', { threadId: worker, prompt: 'x' }))).toBe(`thread is archived: ${worker}`);
      } finally {
        const leaks = await host.close();
        await codex.close();
        expect(leaks).toEqual({ threadsNotArchived: [], automationsNotDeleted: [], worktreesLeft: [] });
        expect((await ws.worktrees()).filter((w) => w.branch?.startsWith('codex/'))).toEqual([]);
      }
    });
  }
});
