// The mock Responses-API server and its brains, over real loopback HTTP, without Codex.

import { afterAll, describe, expect, it } from 'vitest';
import { cassetteBrain, forwardingBrain, parseSseOutput, recordingBrain, scriptedBrain } from '../../src/live/brains.ts';
import { assistantMessage, functionCall, sseBody, startModelServer, StatusReply, type ModelServer } from '../../src/live/model-server.ts';

const servers: ModelServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});
async function serve(brain: Parameters<typeof startModelServer>[0]['brain']) {
  const s = await startModelServer({ brain });
  servers.push(s);
  return s;
}

/** A request body shaped like Codex's. */
function body(userText: string, extra: unknown[] = []) {
  return {
    model: 'mock-model',
    stream: true,
    input: [
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'base prompt' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: '<environment_context>\n  <cwd>/tmp/x</cwd>' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: userText }] },
      ...extra,
    ],
    tools: [
      { type: 'namespace', name: 'codex_app', description: 'd', tools: [{ type: 'function', name: 'create_thread' }] },
      { type: 'function', name: 'automation_update' },
    ],
  };
}

const post = (s: ModelServer, b: unknown) =>
  fetch(`${s.baseUrl}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });

describe('model server', () => {
  it('streams created, one output_item.done per item, completed with usage', async () => {
    const call = functionCall({ name: 'create_thread', namespace: 'codex_app', args: { prompt: 'p' }, callId: 'c1' });
    const s = await serve(scriptedBrain([[assistantMessage('hi'), call]]));
    const res = await post(s, body('go'));
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    const types = [...text.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
    expect(types).toEqual(['response.created', 'response.output_item.done', 'response.output_item.done', 'response.completed']);
    const completed = JSON.parse(text.trim().split('\n').at(-1)!.slice('data: '.length));
    expect(completed.response.usage).toMatchObject({ input_tokens: expect.any(Number), output_tokens: expect.any(Number) });
    expect(parseSseOutput(text)).toEqual([
      expect.objectContaining({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hi' }] }),
      expect.objectContaining({ type: 'function_call', call_id: 'c1', name: 'create_thread', namespace: 'codex_app', arguments: '{"prompt":"p"}' }),
    ]);
    expect(s.requests[0]!.tools).toHaveLength(2);
    expect(s.requests[0]!.body.stream).toBe(true);
  });

  it('answers 400 with the reason when the brain fails, 404 for other paths, and records both', async () => {
    const s = await serve(scriptedBrain([]));
    const res = await post(s, body('go'));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('past the end of the script');
    expect((await fetch(`${s.baseUrl}/models`)).status).toBe(404);
    expect(s.errors).toEqual([expect.stringContaining('past the end of the script'), 'unexpected GET /v1/models']);
  });

  it('refuses a compressed body (415) and one that is not JSON (400), answers a StatusReply with its status and headers, and records what it refused', async () => {
    const s = await serve(async (req) => {
      throw new StatusReply(429, `slow down ${req.index}`, { 'retry-after': '7' });
    });
    const gz = await fetch(`${s.baseUrl}/responses`, { method: 'POST', headers: { 'content-encoding': 'gzip' }, body: 'x' });
    expect([gz.status, gz.headers.get('content-type')]).toEqual([415, 'application/json']);
    expect(await gz.json()).toEqual({ error: { message: 'request 0: unsupported content-encoding gzip' } });
    const bad = await fetch(`${s.baseUrl}/responses`, { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/^request 0: body is not JSON \(/);
    const limited = await post(s, body('go'));
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7']);
    expect(await limited.json()).toEqual({ error: { message: 'slow down 0' } });
    // Only the JSON request reached the brain; a StatusReply is an answer, not an error.
    expect(s.requests.map((r) => r.index)).toEqual([0]);
    expect(s.requests[0]!.headers['content-type']).toBe('application/json');
    expect(s.errors).toEqual(['request 0: unsupported content-encoding gzip', expect.stringMatching(/^request 0: body is not JSON/)]);
  });

  it('sseBody and parseSseOutput agree', () => {
    const items = [assistantMessage('a'), functionCall({ name: 'x', args: {}, callId: 'k' })];
    expect(parseSseOutput(sseBody('r', 'm', items, { input_tokens: 1, output_tokens: 1, total_tokens: 2 }))).toEqual(
      items.map((item, i) => ({ id: `r_item_${i}`, ...item })),
    );
  });
});

describe('brains', () => {
  it('forwards through a 429 (its Retry-After heeded) and a 500 with backoff; what keeps failing is thrown with its status; a 400 is not retried', async () => {
    const statuses = [new StatusReply(429, 'slow down', { 'retry-after': '0' }), new StatusReply(500, 'oops')];
    const flaky = await serve(() => {
      const next = statuses.shift();
      if (next) throw next;
      return [assistantMessage('at last')];
    });
    const request = { index: 0, method: 'POST', path: '/v1/responses', headers: {}, body: body('go'), input: [], tools: [], model: 'm' };
    expect(await forwardingBrain({ baseUrl: flaky.baseUrl, apiKey: 'k', backoffMs: 1 })(request)).toEqual([expect.objectContaining({ type: 'message' })]);
    expect(flaky.requests).toHaveLength(3);

    const down = await serve(() => {
      throw new StatusReply(500, 'down for good');
    });
    await expect(forwardingBrain({ baseUrl: down.baseUrl, apiKey: 'k', backoffMs: 1, retries: 2 })(request)).rejects.toThrow(
      /^upstream answered 500 \(after 3 tries\): .*down for good/,
    );
    expect(down.requests).toHaveLength(3);

    const refusing = await serve(() => {
      throw new StatusReply(400, 'bad request');
    });
    await expect(forwardingBrain({ baseUrl: refusing.baseUrl, apiKey: 'k', backoffMs: 1 })(request)).rejects.toThrow(/^upstream answered 400: /);
    expect(refusing.requests).toHaveLength(1);
  });

  it('records through a forwarding brain, then replays the cassette and refuses strangers', async () => {
    const upstream = await serve(
      scriptedBrain([[functionCall({ name: 'create_thread', namespace: 'codex_app', args: {}, callId: 'c1' })], [assistantMessage('done')]]),
    );
    const recorder = recordingBrain(forwardingBrain({ baseUrl: upstream.baseUrl, apiKey: 'k' }), { scrub: [['/tmp/x', '$ROOT']] });
    const front = await serve(recorder);
    await (await post(front, body('go'))).text();
    const output = { type: 'function_call_output', call_id: 'c1', output: '{"threadId":"t1"}' };
    await (
      await post(front, body('go', [{ type: 'function_call', name: 'create_thread', namespace: 'codex_app', arguments: '{}', call_id: 'c1' }, output]))
    ).text();
    // The second fingerprint holds only what is new since the model spoke: the call's output.
    expect(recorder.cassette.exchanges.map((e) => e.request.conversation.length)).toEqual([1, 1]);
    expect(recorder.cassette.exchanges[1]!.request.conversation[0]).toMatchObject({ type: 'function_call_output', call_id: 'c1' });
    expect(recorder.cassette.exchanges[0]!.request.tools).toEqual(['automation_update', 'codex_app.create_thread']);
    expect(upstream.requests[0]!.headers.authorization).toBe('Bearer k');

    const replayer = cassetteBrain(recorder.cassette);
    const replay = await serve(replayer);
    // Out of order is fine: matching is by fingerprint.
    const second = parseSseOutput(
      await (
        await post(replay, body('go', [{ type: 'function_call', name: 'create_thread', namespace: 'codex_app', arguments: '{}', call_id: 'c1' }, output]))
      ).text(),
    );
    expect(second).toEqual([expect.objectContaining({ type: 'message' })]);
    const first = parseSseOutput(await (await post(replay, body('go'))).text());
    expect(first).toEqual([expect.objectContaining({ type: 'function_call', call_id: 'c1' })]);
    expect(replayer.unused()).toEqual([]);

    const stranger = await post(replay, body('something else'));
    expect(stranger.status).toBe(400);
    expect(await stranger.text()).toContain('all 2 recorded exchanges are used');
  });

  it('names where an unexpected request differs from the next recorded one', async () => {
    const recorder = recordingBrain(scriptedBrain([[assistantMessage('a')]]));
    const rec = await serve(recorder);
    await (await post(rec, body('go'))).text();
    const replay = await serve(cassetteBrain(recorder.cassette));
    const res = await post(replay, body('stop'));
    expect(await res.text()).toContain('differs at .conversation.0.text: expected \\"go\\", got \\"stop\\"');
  });
});
