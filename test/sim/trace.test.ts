// The trace format: JSONL round trip, errors that name the line, a stable hash.

import { runReference } from '../support/run.ts';
import { describe, expect, it } from 'vitest';
import { TraceFormatError, canonicalJson, parseJsonl, toJsonl, traceHash, type TraceEvent } from '../../src/trace/index.ts';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../../sim/scenario/load.ts';
import { ScriptedAgent, localTarget, makeWorld, must } from '../support/scripted-leader.ts';

/** A small but varied trace from a real world: tool calls, messages, turns, ws, automations. */
async function sampleTrace(): Promise<TraceEvent[]> {
  const worker = new ScriptedAgent([
    async (ctx) => {
      await ctx.ws.writeFile('/repo', 'notes.md', 'hi\n');
      ctx.say('noted');
    },
  ]);
  const t = await makeWorld({
    workers: [worker],
    leader: [
      async (ctx) => {
        await must(ctx, 'create_thread', { prompt: 'take notes', target: localTarget(), thinking: 'low' });
        const hb = await must(ctx, 'automation_update', { mode: 'create', kind: 'heartbeat', name: 'hb', prompt: 'check', rrule: 'FREQ=MINUTELY;INTERVAL=1' });
        await ctx.call('read_thread', { threadId: 'nope' });
        await ctx.sleep(100_000);
        await must(ctx, 'automation_update', { mode: 'delete', id: hb.automationId });
      },
    ],
  });
  await t.start();
  t.world.trace.emit({ kind: 'note', text: 'line one\nline "two" \u2028 ünïcode' });
  return t.world.trace.events;
}

describe('trace JSONL', () => {
  it('round-trips every event exactly', async () => {
    const events = await sampleTrace();
    const kinds = new Set(events.map((e) => e.kind));
    for (const k of [
      'turn.start',
      'turn.end',
      'tool.call',
      'message.sent',
      'message.delivered',
      'thread.created',
      'thread.status',
      'automation',
      'ws',
      'assistant.message',
      'user.input',
      'note',
    ]) {
      expect(kinds, k).toContain(k);
    }
    const text = toJsonl(events);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(events.length + 1);
    const back = parseJsonl(text, 'sample.jsonl');
    expect(back).toEqual(JSON.parse(JSON.stringify(events)));
    expect(toJsonl(back)).toBe(text);
    expect(traceHash(back)).toBe(traceHash(events));
  });

  it('round-trips a whole scenario run (run header, profile, journal contents)', async () => {
    const scenario = await loadScenario(fileURLToPath(new URL('../../scenarios/happy-three.yaml', import.meta.url)));
    const r = await runReference(scenario);
    expect(r.events[0]!.kind).toBe('run.start');
    expect(r.events.at(-1)!.kind).toBe('run.end');
    const back = parseJsonl(toJsonl(r.events), 'happy-three.jsonl');
    expect(back).toEqual(JSON.parse(JSON.stringify(r.events)));
    expect(traceHash(back)).toBe(r.hash);
  });

  it('skips blank lines but still counts them for line numbers', async () => {
    const events = (await sampleTrace()).slice(0, 3);
    const lines = toJsonl(events).trimEnd().split('\n');
    const spaced = `${lines[0]}\n\n${lines[1]}\n   \n${lines[2]}\n`;
    expect(parseJsonl(spaced)).toHaveLength(3);
    const broken = `${lines[0]}\n\n${lines[1]}\n   \n{"i": 2,\n`;
    expect(() => parseJsonl(broken, 'spaced.jsonl')).toThrow(/^spaced\.jsonl:5: not valid JSON/);
  });

  it('names the line of bad JSON, of a bad event and of a wrong index', async () => {
    const events = (await sampleTrace()).slice(0, 4);
    const lines = toJsonl(events).trimEnd().split('\n');
    const withLine = (n: number, line: string) => lines.map((l, i) => (i === n - 1 ? line : l)).join('\n');

    const badJson = withLine(3, '{"i": 2, "t": 0, "kind": ');
    expect(() => parseJsonl(badJson, 'x.jsonl')).toThrow(TraceFormatError);
    expect(() => parseJsonl(badJson, 'x.jsonl')).toThrow(/^x\.jsonl:3: not valid JSON \(/);

    const ev2 = JSON.parse(lines[1]!) as Record<string, unknown>;
    const missing = { ...ev2 };
    const field = ev2.kind === 'user.input' || ev2.kind === 'turn.start' ? 'thread' : 'kind';
    delete missing[field];
    const badEvent = withLine(2, JSON.stringify(missing));
    expect(() => parseJsonl(badEvent, 'x.jsonl')).toThrow(new RegExp(`^x\\.jsonl:2: ${field}: `));

    const unknownKind = withLine(2, JSON.stringify({ ...ev2, kind: 'telepathy' }));
    expect(() => parseJsonl(unknownKind, 'x.jsonl')).toThrow(/^x\.jsonl:2: kind: /);

    const wrongIndex = withLine(2, JSON.stringify({ ...ev2, i: 5 }));
    expect(() => parseJsonl(wrongIndex, 'x.jsonl')).toThrow('x.jsonl:2: i: expected event index 1, got 5');

    const oneLine = () => {
      try {
        parseJsonl(badEvent, 'x.jsonl');
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    };
    expect(oneLine()).not.toContain('\n');
    expect(() => parseJsonl('\n\n', 'empty.jsonl')).toThrow('empty.jsonl: empty trace');
  });
});

describe('traceHash', () => {
  const a: TraceEvent[] = [
    { kind: 'note', text: 'x', i: 0, t: 0 },
    { kind: 'thread.status', thread: 'th', status: 'idle', i: 1, t: 5 },
    {
      kind: 'tool.call',
      thread: 'th',
      turn: 'tu',
      tool: 'list_threads',
      args: { query: 'q', limit: 2 },
      ok: true,
      result: { b: [1, { y: 2, x: 1 }], a: null },
      i: 2,
      t: 9,
    },
  ];

  it('is stable and independent of key order, nested keys included', () => {
    const reordered: TraceEvent[] = [
      { t: 0, i: 0, text: 'x', kind: 'note' },
      { status: 'idle', t: 5, kind: 'thread.status', i: 1, thread: 'th' },
      {
        result: { a: null, b: [1, { x: 1, y: 2 }] },
        args: { limit: 2, query: 'q' },
        ok: true,
        i: 2,
        t: 9,
        tool: 'list_threads',
        turn: 'tu',
        thread: 'th',
        kind: 'tool.call',
      },
    ];
    expect(traceHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(traceHash(a)).toBe(traceHash(structuredClone(a)));
    expect(traceHash(reordered)).toBe(traceHash(a));
    expect(canonicalJson(reordered[2])).toBe(canonicalJson(a[2]));
  });

  it('changes with any value, with array order and with event order', () => {
    const h = traceHash(a);
    const tweak = structuredClone(a);
    (tweak[2] as { result: { b: unknown[] } }).result.b = [{ y: 2, x: 1 }, 1];
    expect(traceHash(tweak)).not.toBe(h);
    const later = structuredClone(a);
    later[1]!.t = 6;
    expect(traceHash(later)).not.toBe(h);
    expect(traceHash([a[1]!, a[0]!, a[2]!])).not.toBe(h);
    expect(traceHash(a.slice(0, 2))).not.toBe(h);
  });

  it('is the same for two identical scripted runs', async () => {
    const h1 = traceHash(await sampleTrace());
    const h2 = traceHash(await sampleTrace());
    expect(h2).toBe(h1);
  });
});
