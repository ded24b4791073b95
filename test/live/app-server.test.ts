// The real Codex runtime, offline: `codex app-server` (npm @openai/codex, optional
// dependency) talks to a scripted local model server. Checks that our codex_app dynamic
// tools and the thread-team skill reach the model as the desktop app would hand them, and
// that a namespaced tool call round-trips through `item/tool/call`.
// Skipped, with a printed reason, when the codex binary is not installed.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CODEX_APP_NAMESPACE, CODEX_APP_TOOL_NAMES, dynamicTools, validateArgs } from '../../src/contract/index.ts';
import type { DynamicToolCallParams } from '../../src/live/app-server-protocol.ts';
import { cassetteBrain, recordingBrain, scriptedBrain, type Scrub } from '../../src/live/brains.ts';
import { CODEX_BINARY_ENV, findCodexBinary } from '../../src/live/codex-binary.ts';
import { assistantMessage, functionCall, type ModelRequest } from '../../src/live/model-server.ts';
import { startOfflineCodex, type OfflineCodex } from '../../src/live/offline-codex.ts';

const binary = findCodexBinary();
if (!binary) {
  console.log(
    `[live] skipping app-server tests: no codex binary (the optional dependency @openai/codex has no binary installed for ${process.platform}-${process.arch}, or ${CODEX_BINARY_ENV} names a missing file)`,
  );
}

const SKILL_DIR = path.resolve(import.meta.dirname, '../../skill');
const SKILL_MD = readFileSync(path.join(SKILL_DIR, 'SKILL.md'), 'utf8');
const CALL_ID = 'call_create_1';
const CREATE_ARGS = {
  prompt: 'Implement the parser in src/parser.ts; report in .thread-team/report.md.',
  target: { type: 'project', projectId: 'proj_main', environment: { type: 'worktree', startingState: { type: 'working-tree' } } },
  thinking: 'high',
};
const TOOL_ANSWER = JSON.stringify({ threadId: 'thr_worker_1', hostId: 'local' });
const PROMPT = 'Use $thread-team to split this task across worker threads.';

type InputItem = { type?: string; role?: string; content?: Array<{ text?: string }>; call_id?: string; output?: unknown };
const textOf = (item: InputItem) => (item.content ?? []).map((c) => c.text ?? '').join('');
const inputOf = (r: ModelRequest) => r.input as InputItem[];

/** The script of the round trip: call create_thread, then answer once its output is in. */
function roundTripScript() {
  return scriptedBrain([
    [functionCall({ name: 'create_thread', namespace: CODEX_APP_NAMESPACE, args: CREATE_ARGS, callId: CALL_ID })],
    (request) => {
      const output = inputOf(request).find((i) => i.type === 'function_call_output' && i.call_id === CALL_ID);
      return [assistantMessage(output ? `Created.\n::created-thread{threadId="thr_worker_1"}` : 'no tool output seen')];
    },
  ]);
}

describe.skipIf(!binary)('codex app-server, offline, as a thread-team leader', () => {
  const running: OfflineCodex[] = [];
  afterAll(async () => {
    await Promise.all(running.map((r) => r.close()));
  });

  async function start(brain: Parameters<typeof startOfflineCodex>[0]['brain']) {
    const calls: DynamicToolCallParams[] = [];
    const codex = await startOfflineCodex({
      binary: binary!,
      brain,
      skills: { 'thread-team': SKILL_DIR },
      requestTimeoutMs: 30_000,
      onToolCall: (call) => {
        calls.push(call);
        return { contentItems: [{ type: 'inputText', text: TOOL_ANSWER }], success: true };
      },
    });
    running.push(codex);
    const { thread } = await codex.app.threadStart({
      cwd: codex.home.workDir,
      sandbox: 'read-only',
      approvalPolicy: 'never',
      dynamicTools: dynamicTools(),
    });
    return { codex, calls, threadId: thread.id };
  }

  it('round-trips a codex_app.create_thread call and shows the model our tools and the skill', async () => {
    const { codex, calls, threadId } = await start(roundTripScript());
    const t0 = performance.now();
    const result = await codex.app.runTurn(threadId, PROMPT, { timeoutMs: 60_000 });
    console.log(`[live] codex app-server start ${codex.startMs.toFixed(0)} ms, one turn (2 model steps) ${(performance.now() - t0).toFixed(0)} ms`);

    expect(result.turn.status, JSON.stringify(result.turn.error)).toBe('completed');
    expect(codex.model.errors).toEqual([]);

    // The tool call reached us as item/tool/call with the namespace split off.
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ threadId, turnId: result.turn.id, callId: CALL_ID, namespace: CODEX_APP_NAMESPACE, tool: 'create_thread' });
    expect(calls[0]!.arguments).toEqual(CREATE_ARGS);
    expect(validateArgs('create_thread', calls[0]!.arguments).ok).toBe(true);

    // ...and shows in the turn as a completed dynamicToolCall item.
    const toolItem = result.items.find((i) => i.type === 'dynamicToolCall');
    expect(toolItem).toMatchObject({ namespace: CODEX_APP_NAMESPACE, tool: 'create_thread', status: 'completed', success: true });
    expect(result.items.find((i) => i.type === 'agentMessage')).toMatchObject({ text: expect.stringContaining('::created-thread') });

    // Our answer reached the model's next request as function_call_output (text as a string).
    const [first, second] = codex.model.requests;
    expect(codex.model.requests).toHaveLength(2);
    const echoed = inputOf(second!).filter((i) => i.type === 'function_call' || i.type === 'function_call_output');
    expect(echoed).toEqual([
      expect.objectContaining({ type: 'function_call', call_id: CALL_ID, name: 'create_thread', namespace: CODEX_APP_NAMESPACE }),
      expect.objectContaining({ type: 'function_call_output', call_id: CALL_ID, output: TOOL_ANSWER }),
    ]);

    // The first request offers the whole codex_app namespace and automation_update.
    const tools = first!.tools as Array<{ type: string; name?: string; tools?: Array<{ name: string; parameters?: { required?: string[] } }> }>;
    const ns = tools.find((t) => t.type === 'namespace' && t.name === CODEX_APP_NAMESPACE);
    expect(ns?.tools?.map((t) => t.name).sort()).toEqual([...CODEX_APP_TOOL_NAMES].sort());
    expect(ns?.tools?.find((t) => t.name === 'create_thread')?.parameters?.required).toEqual(['prompt', 'target']);
    expect(tools.some((t) => t.type === 'function' && t.name === 'automation_update')).toBe(true);

    // The skill: listed up front, and injected whole because the prompt said $thread-team.
    const firstInput = inputOf(first!);
    expect(firstInput.some((i) => i.role === 'developer' && textOf(i).includes('<skills_instructions>') && textOf(i).includes('thread-team'))).toBe(true);
    const injected = firstInput.find((i) => i.role === 'user' && textOf(i).startsWith('<skill>'));
    expect(injected, 'no <skill> message in the first model request').toBeDefined();
    expect(textOf(injected!)).toContain('<name>thread-team</name>');
    expect(textOf(injected!)).toContain(SKILL_MD.trim());
    expect(firstInput.some((i) => i.role === 'user' && textOf(i) === PROMPT)).toBe(true);

    // Nothing asked for approval.
    expect(codex.app.serverRequests.map((r) => r.request.method)).toEqual(['item/tool/call']);

    // Codex took the one trust root of its scratch home (see codex-home.ts) at both requests,
    // without a word: it neither found the file unusable nor fell back to the system's roots.
    const roots = readFileSync(codex.home.env.SSL_CERT_FILE!, 'utf8');
    expect(roots.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(1);
    expect(codex.app.stderr()).not.toMatch(/custom_ca|CA bundle|root certificates/i);
  }, 120_000);

  it('fails the turn loudly when the model server gets a request its brain cannot answer', async () => {
    const { codex, threadId } = await start(scriptedBrain([]));
    const result = await codex.app.runTurn(threadId, 'hello', { timeoutMs: 60_000 });
    expect(result.turn.status).toBe('failed');
    expect(result.turn.error?.message).toContain('past the end of the script');
    expect(codex.model.errors).toEqual([expect.stringContaining('past the end of the script')]);
  }, 120_000);

  it('replays a recorded run from its cassette in a fresh CODEX_HOME', async () => {
    // Record: a scripted brain behind the recorder. Scrub lists are read at call time, so
    // each home's scratch root can be added once the home exists.
    const recordScrub: Scrub = [];
    const recorder = recordingBrain(roundTripScript(), { scrub: recordScrub, codexVersion: '0.163.0' });
    const recording = await start(recorder);
    recordScrub.push([recording.codex.home.root, '$ROOT']);
    expect((await recording.codex.app.runTurn(recording.threadId, PROMPT, { timeoutMs: 60_000 })).turn.status).toBe('completed');
    expect(recorder.cassette.exchanges).toHaveLength(2);

    // Replay in another home (other paths, other ids): same answers, nothing left over.
    const replayScrub: Scrub = [];
    const replayer = cassetteBrain(JSON.parse(JSON.stringify(recorder.cassette)), { scrub: replayScrub });
    const replay = await start(replayer);
    replayScrub.push([replay.codex.home.root, '$ROOT']);
    const result = await replay.codex.app.runTurn(replay.threadId, PROMPT, { timeoutMs: 60_000 });
    expect(result.turn.status, JSON.stringify(result.turn.error)).toBe('completed');
    expect(replay.calls.map((c) => c.tool)).toEqual(['create_thread']);
    expect(replayer.unused()).toEqual([]);

    // A different prompt is not in the cassette: the replay refuses it.
    const other = await replay.codex.app.runTurn(replay.threadId, 'something else', { timeoutMs: 60_000 });
    expect(other.turn.status).toBe('failed');
    expect(other.turn.error?.message).toContain('cassette: unexpected request');
  }, 180_000);
});
