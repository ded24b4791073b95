// AgentBrain, the coroutine that makes one of our agents the model of a Codex thread, driven
// here by a stand-in for Codex (no binary): each request answers the call the brain made last.

import { describe, expect, it } from 'vitest';
import { AgentBrain } from '../../src/live/reference-brain.ts';
import type { ModelRequest, OutputItem } from '../../src/live/model-server.ts';
import type { Agent, CallResult, TurnContext } from '../../src/ports/agent.ts';
import type { Workspace } from '../../src/ports/workspace.ts';

type Item = { type: string; call_id?: string; name?: string; arguments?: string; output?: string };

/** A request whose input is the history so far. */
const request = (index: number, input: Item[]): ModelRequest => ({
  index,
  method: 'POST',
  path: '/v1/responses',
  headers: {},
  body: {},
  input,
  tools: [],
  model: 'm',
});

function context(): TurnContext {
  return {
    thread: 't',
    turn: 'u',
    tools: [],
    host: 'desktop',
    now: () => 0,
    nowIso: () => '2026-01-01T00:00:00.000Z',
    traced: (inner: Workspace) => inner,
    record: () => undefined,
    say: () => undefined,
    sleep: async () => undefined,
  } as unknown as TurnContext;
}

describe('AgentBrain', () => {
  it('answers two calls an agent makes at once one after the other, each with its own output', async () => {
    const got: CallResult[] = [];
    const agent: Agent = {
      async turn(ctx) {
        got.push(...(await Promise.all([ctx.call('list_projects', {}), ctx.call('list_threads', {})])));
        ctx.say('both read');
      },
    };
    const brain = new AgentBrain(() => agent, { repoRoot: '/repo', commands: {}, afterCompaction: '' });
    brain.beginTurn(context(), [{ cause: 'user', text: 'go' }]);
    // The stand-in for Codex: run each call the model asks for and send the history back.
    const history: Item[] = [{ type: 'message' }];
    const calls: string[] = [];
    for (let i = 0; i < 5; i++) {
      const reply = (await brain.brain(request(i, history))) as (OutputItem & Item)[];
      history.push(...reply);
      const call = reply.find((x) => x.type === 'function_call');
      if (!call) break;
      calls.push(call.name!);
      history.push({ type: 'function_call_output', call_id: call.call_id, output: JSON.stringify({ answer: call.name }) });
    }
    expect(calls).toEqual(['list_projects', 'list_threads']);
    expect(got).toEqual([
      { ok: true, payload: { answer: 'list_projects' } },
      { ok: true, payload: { answer: 'list_threads' } },
    ]);
    expect(brain.error).toBeNull();
    expect(history.at(-1)).toMatchObject({ type: 'message', content: [{ text: 'both read' }] });
  });
});
