// The fake checked against the real: one script of thread-tool calls (create, message an idle
// and a busy thread, read, list, wait, title, heartbeat create/refuse/view/pause/delete,
// archive, the refusals) runs against the simulator's World and against the live host over the
// real `codex app-server`, and the answers are compared field by field, ids, times and paths
// normalised. Every difference must be one docs/codex-fidelity.md lists with its reason: a new
// one fails here until it is fixed or listed, and a listed one that no longer shows fails too.
// Skipped, with a printed reason, when the codex binary is not installed.

import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/contract/hosts.ts';
import { validateResult } from '../../src/contract/index.ts';
import { findCodexBinary } from '../../src/live/codex-binary.ts';
import { LiveHost } from '../../src/live/live-host.ts';
import { startOfflineCodex } from '../../src/live/offline-codex.ts';
import type { CallResult, TurnContext, TurnInput } from '../../src/ports/agent.ts';
import { createDiskWorkspace } from '../../src/workspace/disk.ts';
import { holdingBrain } from '../support/live-brains.ts';
import { makeWorld, PROJECT_ID, ScriptedAgent, TINY_REPO } from '../support/scripted-leader.ts';
import { scratchFolder } from '../support/scratch-folder.ts';

const binary = findCodexBinary();
if (!binary) console.log('[live] codex binary not installed (optional dependency @openai/codex): the verified-fake test is skipped');

const scratch = scratchFolder('verified-fake-');

/** What the script needs from a side: its tools, and the moves only a side can make. */
interface Side {
  call(tool: string, args: unknown): Promise<CallResult>;
  /** Until the worker is busy in a turn the script made it hold. */
  holding(worker: string): Promise<void>;
  release(worker: string): void;
  /** Until every thread but the caller is idle with nothing queued. */
  settle(): Promise<void>;
  /** Until the worker's next heartbeat turn has ended. */
  beat(worker: string): Promise<void>;
}

interface Answer {
  step: string;
  result: CallResult;
}

const WORKTREE = { type: 'project', projectId: PROJECT_ID, environment: { type: 'worktree' } };

async function script(side: Side): Promise<Answer[]> {
  const out: Answer[] = [];
  const call = async (step: string, tool: string, args: unknown) => {
    const result = await side.call(tool, args);
    if (result.ok) expect(validateResult(tool, result.payload), `${step}: ${tool}`).toMatchObject({ ok: true });
    out.push({ step, result });
    return result.ok ? (result.payload as Record<string, any>) : null;
  };
  await call('projects', 'list_projects', {});
  const created = await call('create', 'create_thread', { prompt: 'Build the parser.\nReport when done.', target: WORKTREE, thinking: 'high' });
  const w = created!.threadId as string;
  await call('wait for the first turn', 'wait_threads', { targets: [{ threadId: w, afterCursor: 'rev:0' }], timeoutMs: 60_000 });
  await call('read after the first turn', 'read_thread', { threadId: w });
  await call('message an idle thread', 'send_message_to_thread', { threadId: w, prompt: 'HOLD until told' });
  await side.holding(w);
  await call('message a busy thread', 'send_message_to_thread', { threadId: w, prompt: 'one more thing' });
  side.release(w);
  await side.settle();
  await call('read after the busy message', 'read_thread', { threadId: w, turnLimit: 5 });
  await call('read a page', 'read_thread', { threadId: w, turnLimit: 1 });
  await call('list', 'list_threads', {});
  await call('title', 'set_thread_title', { threadId: w, title: 'parser' });
  await call('pin', 'set_thread_pinned', { threadId: w, pinned: true });
  const fork = await call('fork into a worktree', 'fork_thread', { threadId: w, environment: { type: 'worktree' } });
  await call('read the fork', 'read_thread', { threadId: fork!.threadId, turnLimit: 2 });
  await call('list with a pin and a fork', 'list_threads', {});
  await call('unpin', 'set_thread_pinned', { threadId: w, pinned: false });
  await call('archive the fork', 'set_thread_archived', { threadId: fork!.threadId, archived: true });
  const beat = await call('heartbeat', 'automation_update', {
    mode: 'create',
    kind: 'heartbeat',
    name: 'poll',
    prompt: 'Check the workers.',
    rrule: 'FREQ=MINUTELY',
    targetThreadId: w,
  });
  await call('a second active heartbeat', 'automation_update', {
    mode: 'create',
    kind: 'heartbeat',
    name: 'again',
    prompt: 'x',
    rrule: 'FREQ=MINUTELY',
    targetThreadId: w,
  });
  await call('an rrule the scheduler cannot run', 'automation_update', {
    mode: 'create',
    kind: 'heartbeat',
    name: 'odd',
    prompt: 'x',
    rrule: 'FREQ=MONTHLY',
    targetThreadId: w,
    status: 'PAUSED',
  });
  await call('view', 'automation_update', { mode: 'view' });
  await side.beat(w);
  await call('pause', 'automation_update', { mode: 'update', id: beat!.automationId, status: 'PAUSED' });
  await call('read after the heartbeat', 'read_thread', { threadId: w, turnLimit: 1 });
  await call('delete', 'automation_update', { mode: 'delete', id: beat!.automationId });
  await call('delete again', 'automation_update', { mode: 'delete', id: beat!.automationId });
  await call('archive the caller', 'set_thread_archived', { archived: true });
  await call('read an unknown thread', 'read_thread', { threadId: 'nope' });
  await call('message an unknown thread', 'send_message_to_thread', { threadId: 'nope', prompt: 'x' });
  await call('wait on an unknown thread', 'wait_threads', { targets: [{ threadId: 'nope' }], timeoutMs: 1_000 });
  await call('create in an unknown project', 'create_thread', { prompt: 'x', target: { ...WORKTREE, projectId: 'elsewhere' } });
  await call('archive', 'set_thread_archived', { threadId: w, archived: true });
  await call('message an archived thread', 'send_message_to_thread', { threadId: w, prompt: 'x' });
  await call('list after archiving', 'list_threads', {});
  return out;
}

/** What a worker says to an input, on both sides: the live brain's words (test/support/live-brains.ts). */
const reply = (last: string) => `done: ${last.replace(/\s+/g, ' ').slice(-60)}`;

async function simAnswers(delivery: Delivery): Promise<{ answers: Answer[]; leader: string; root: string; worktrees: string }> {
  let answers: Answer[] = [];
  const worker = () =>
    new ScriptedAgent([], async (ctx: TurnContext, inputs: TurnInput[]) => {
      const last = inputs.at(-1)?.text ?? '';
      if (last.includes('HOLD')) await ctx.sleep(30_000);
      ctx.say(reply(last));
    });
  const t = await makeWorld({
    delivery,
    workers: () => worker(),
    leader: [
      async (ctx) => {
        const turnsOf = (id: string) => t.world.thread(id)?.turns.length ?? 0;
        answers = await script({
          call: (tool, args) => ctx.call(tool, args),
          holding: async (w) => {
            while (!t.world.busy(w)) await ctx.sleep(500);
          },
          release: () => undefined,
          settle: async () => {
            while ([...t.world.threads.values()].some((x) => x.id !== ctx.thread && (t.world.busy(x.id) || x.inbox.length > 0))) await ctx.sleep(1_000);
          },
          beat: async (w) => {
            const before = turnsOf(w);
            while (turnsOf(w) === before || t.world.busy(w)) await ctx.sleep(1_000);
          },
        });
      },
    ],
  });
  await t.start('go', 3_600_000);
  return { answers, leader: t.leader.id, root: t.root, worktrees: '/worktrees' };
}

async function liveAnswers(delivery: Delivery): Promise<{ answers: Answer[]; leader: string; root: string; worktrees: string }> {
  const dir = await mkdtemp(join(scratch(), 'run-'));
  const ws = createDiskWorkspace({ root: join(dir, 'repo') });
  await ws.init(TINY_REPO, 'main');
  const brain = holdingBrain();
  const codex = await startOfflineCodex({ binary: binary!, brain: brain.brain, cwd: ws.root });
  const host = new LiveHost({ app: codex.app, ws, projectId: PROJECT_ID, worktreeRoot: join(dir, 'worktrees'), delivery });
  try {
    const leader = await host.startThread(ws.root, 'leader');
    const answers = await script({
      call: (tool, args) => host.call(leader, tool, args),
      holding: (w) => brain.holding(w),
      release: (w) => brain.release(w),
      settle: async () => {
        expect(await host.settled()).toBe(true);
      },
      beat: async (w) => {
        await brain.requestCount(w, brain.requestsOf(w).length + 1);
        expect(await host.settled()).toBe(true);
      },
    });
    return { answers, leader, root: ws.root, worktrees: join(dir, 'worktrees') };
  } finally {
    const leaks = await host.close();
    await codex.close();
    expect(leaks).toEqual({ threadsNotArchived: [], automationsNotDeleted: [], worktreesLeft: [] });
  }
}

/**
 * The answers as `step · path = value` lines, with what differs by nature normalised: thread
 * and turn ids by order of appearance, timestamps, cursor revisions, the repository and
 * worktree folders; the caller's own entry in a list is left out (withoutCaller).
 */
function normalise(run: { answers: Answer[]; leader: string; root: string; worktrees: string }): Map<string, string> {
  const ids = new Map<string, string>([[run.leader, 'LEADER']]);
  const turns = new Map<string, string>();
  const idOf = (s: string) => {
    if (!ids.has(s)) ids.set(s, `T${ids.size}`);
    return ids.get(s)!;
  };
  const turnOf = (s: string) => {
    if (!turns.has(s)) turns.set(s, `U${turns.size + 1}`);
    return turns.get(s)!;
  };
  const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  const repoName = run.root.split('/').at(-1)!;
  const text = (s: string) =>
    s
      .replaceAll(run.leader, 'LEADER')
      .replaceAll(`${run.worktrees}/`, '<worktrees>/')
      .replace(new RegExp(`<worktrees>/[0-9a-f]{8}/${repoName}`, 'g'), '<worktrees>/<short>/<repo>')
      .replace(new RegExp(`^${run.root}(?=/|$)`), '<repo>')
      .replace(/^rev:\d+$/, 'rev:*')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<iso>')
      .replace(UUID, (m) => idOf(m));
  const lines = new Map<string, string>();
  const walk = (step: string, path: string, v: unknown, key: string) => {
    if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(step, path ? `${path}.${k}` : k, x, k);
      return;
    }
    // A turn id is numbered as a turn before anything else reads it (text() would number it as a thread).
    const turnId =
      typeof v === 'string' && (key === 'turnId' || path.endsWith('latestTurn.id') || (key === 'id' && path.includes('turns.') && !path.includes('items')));
    let value = turnId ? turnOf(v as string) : typeof v === 'string' ? text(v) : JSON.stringify(v);
    if (['createdAt', 'updatedAt', 'startedAt'].includes(key)) value = '<t>';
    lines.set(`${step} · ${path}`, value);
  };
  for (const a of run.answers) walk(a.step, a.result.ok ? 'payload' : 'error', a.result.ok ? withoutCaller(a.result.payload, run.leader) : a.result.error, '');
  return lines;
}

/**
 * A list_threads answer without the calling thread: its state is the script's doing (the
 * World's leader is inside a turn when it calls and each call updates it; the live script
 * calls from outside any turn), not the host's.
 */
function withoutCaller(payload: unknown, caller: string): unknown {
  const p = payload as { threads?: { id: string }[] };
  if (!p || typeof p !== 'object' || !Array.isArray(p.threads)) return payload;
  return { ...p, threads: p.threads.filter((t) => t.id !== caller) };
}

/** Field-by-field differences, as `step · path: sim=… live=…`. */
function differences(sim: Map<string, string>, live: Map<string, string>): string[] {
  const out: string[] = [];
  for (const k of new Set([...sim.keys(), ...live.keys()])) {
    const a = sim.get(k);
    const b = live.get(k);
    if (a !== b) out.push(`${k}: sim=${a ?? '(absent)'} live=${b ?? '(absent)'}`);
  }
  return out;
}

describe.skipIf(!binary)('the fake checked against the real (World vs live host over codex app-server)', () => {
  const seen: string[] = [];
  for (const delivery of ['steer', 'next-turn'] as const) {
    it(`answers the same script the same way (${delivery}), but for the differences docs/codex-fidelity.md lists`, { timeout: 180_000 }, async () => {
      const sim = normalise(await simAnswers(delivery));
      const live = normalise(await liveAnswers(delivery));
      const diffs = differences(sim, live);
      console.log(`[verified fake, ${delivery}] ${sim.size} fields compared, ${diffs.length} differ${diffs.length ? `:\n${diffs.join('\n')}` : ''}`);
      expect(sim.size).toBeGreaterThan(100);
      const listed = await listedDifferences();
      expect(diffs.filter((d) => !listed.some((l) => l.test(d)))).toEqual([]);
      seen.push(...diffs);
      // The comparison sees a change of one field (it is not comparing a map with itself).
      const [key, value] = [...live].find(([k]) => k.includes('read after the busy message') && k.endsWith('.text'))!;
      expect(differences(sim, new Map([...live, [key, `${value}!`]]))).toEqual([`${key}: sim=${value} live=${value}!`]);
    });
  }
  it('every difference docs/codex-fidelity.md lists still shows', async () => {
    const stale = (await listedDifferences()).filter((l) => !seen.some((d) => l.test(d)));
    expect(stale.map(String)).toEqual([]);
  });
});

/** The differences docs/codex-fidelity.md lists: each row's first cell is a pattern over the difference lines. */
async function listedDifferences(): Promise<RegExp[]> {
  const doc = await readFile(join(import.meta.dirname, '../../docs/codex-fidelity.md'), 'utf8');
  const section = doc.split(/^## /m).find((s) => s.startsWith('Simulator and live host'));
  if (!section) throw new Error('docs/codex-fidelity.md has no section "Simulator and live host"');
  return [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => new RegExp(m[1]!));
}
