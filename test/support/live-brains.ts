// Model brains for live tests with several Codex threads on one app-server: each request is
// told apart by the thread it comes from (Codex's `thread-id` header), so a test can hold one
// thread busy while others go on, and ask what each thread's model was shown.

import { assistantMessage, type Brain, type ModelRequest } from '../../src/live/model-server.ts';

type Input = { type?: string; content?: unknown; output?: unknown };

/** The texts a request's input items carry (messages and tool outputs), in order. */
export function inputTexts(req: ModelRequest): string[] {
  return (req.input as Input[]).map((i) => {
    if (typeof i.output === 'string') return i.output;
    return Array.isArray(i.content) ? i.content.map((c: { text?: string }) => c.text ?? '').join('') : '';
  });
}

/** The turn trigger Codex stated for a request (`automation_heartbeat_scheduled` for a heartbeat). */
export function turnTrigger(req: ModelRequest): string | undefined {
  return (JSON.parse(req.headers['x-codex-turn-metadata'] ?? '{}') as { turn_trigger?: string }).turn_trigger;
}

/**
 * Answers every request with a short message, except that a request whose newest input says
 * HOLD is held until `release(thread)`: the thread stays busy in a running turn meanwhile.
 */
export function holdingBrain() {
  const byThread = new Map<string, ModelRequest[]>();
  const held = new Map<string, () => void>();
  const watchers = new Set<() => void>();
  const changed = () => {
    for (const w of [...watchers]) w();
  };
  const until = (cond: () => boolean, what: string, ms = 60_000) =>
    new Promise<void>((resolve, reject) => {
      if (cond()) return resolve();
      const timer = setTimeout(() => {
        watchers.delete(w);
        reject(new Error(`brain: no ${what} within ${ms} ms`));
      }, ms);
      const w = () => {
        if (!cond()) return;
        clearTimeout(timer);
        watchers.delete(w);
        resolve();
      };
      watchers.add(w);
    });
  const brain: Brain = async (req) => {
    const thread = req.headers['thread-id'] ?? '?';
    byThread.set(thread, [...(byThread.get(thread) ?? []), req]);
    const last = inputTexts(req).at(-1) ?? '';
    if (last.includes('HOLD')) {
      await new Promise<void>((resolve) => {
        held.set(thread, resolve);
        changed();
      });
    }
    changed();
    return [assistantMessage(`done: ${last.replace(/\s+/g, ' ').slice(-60)}`)];
  };
  return {
    brain,
    requestsOf: (thread: string) => byThread.get(thread) ?? [],
    /** Resolves once a request of `thread` is being held. */
    holding: (thread: string) => until(() => held.has(thread), `held request of ${thread}`),
    release(thread: string) {
      held.get(thread)?.();
      held.delete(thread);
    },
    /** Resolves once `thread` has made `n` requests. */
    requestCount: (thread: string, n: number) => until(() => (byThread.get(thread)?.length ?? 0) >= n, `${n} requests of ${thread}`),
  };
}
