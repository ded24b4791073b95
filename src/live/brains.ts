// Brains for the mock model server (model-server.ts): what the "model" answers.
//
// - scriptedBrain: a fixed list of replies (or functions of the request), one per request.
// - cassetteBrain: replays recorded exchanges; a request that matches no unused recorded
//   one fails loudly (the turn fails with the mismatch in its error), so a change in what
//   Codex sends the model is noticed instead of silently answered.
// - recordingBrain(forwardingBrain(...)): sends each request to a real Responses endpoint
//   and records request fingerprint -> reply into a cassette.
//
// Cassettes store a *fingerprint* of each request, not the raw body: the raw body holds
// things that change from run to run (scratch paths, dates, item ids, the base prompt of
// the Codex version). The fingerprint keeps what decides the answer: the tools offered and
// the conversation (user text, calls, call outputs), with scratch paths scrubbed.

import * as fsp from 'node:fs/promises';
import type { Brain, ModelRequest, OutputItem } from './model-server.ts';

// --- scripted --------------------------------------------------------------------------

export type ScriptStep = OutputItem[] | ((request: ModelRequest) => OutputItem[] | Promise<OutputItem[]>);

export interface ScriptedBrain extends Brain {
  /** Steps not used yet. */
  remaining(): number;
}

export function scriptedBrain(steps: ScriptStep[]): ScriptedBrain {
  let next = 0;
  const brain = async (request: ModelRequest) => {
    const step = steps[next];
    if (step === undefined) {
      throw new Error(`scripted brain: request ${request.index} is past the end of the script (${steps.length} steps)`);
    }
    next++;
    return typeof step === 'function' ? step(request) : step;
  };
  return Object.assign(brain, { remaining: () => steps.length - next });
}

// --- fingerprints and cassettes --------------------------------------------------------

export type FingerprintItem =
  | { type: 'message'; role: string; text: string }
  | { type: 'function_call'; name: string; namespace?: string; arguments: string; call_id: string }
  | { type: 'function_call_output'; call_id: string; output: string }
  | { type: string };

export interface Fingerprint {
  model: string | undefined;
  /** Tool names offered, namespaced ones as `ns.name`, built-ins by type; sorted. */
  tools: string[];
  /** The conversation since the model last spoke, without developer messages and `<environment_context>`. */
  conversation: FingerprintItem[];
}

export interface Exchange {
  request: Fingerprint;
  response: OutputItem[];
}

export interface Cassette {
  version: 1;
  /** The codex-cli version that made the requests (informational). */
  codexVersion?: string;
  exchanges: Exchange[];
}

/** Replace run-specific strings (scratch root, home) with stable placeholders. */
export type Scrub = Array<[from: string, to: string]>;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((c) => (c && typeof c === 'object' && typeof (c as { text?: unknown }).text === 'string' ? (c as { text: string }).text : '')).join('');
}

function scrubString(s: string, scrub: Scrub): string {
  return scrub.reduce((acc, [from, to]) => (from ? acc.split(from).join(to) : acc), s);
}

/** Lines of Codex's exec_command output that differ on every run (a random chunk id, a timing). */
function scrubVolatile(output: string): string {
  return output.replace(/^Chunk ID: \w+$/m, 'Chunk ID: <id>').replace(/^Wall time: [\d.]+ seconds$/m, 'Wall time: <t>');
}

export function fingerprint(request: ModelRequest, scrub: Scrub = []): Fingerprint {
  const s = (v: string) => scrubString(v, scrub);
  const tools = request.tools
    .flatMap((t) => {
      const tool = t as { type?: string; name?: string; tools?: Array<{ name?: string }> };
      if (tool.type === 'namespace') return (tool.tools ?? []).map((x) => `${tool.name}.${x.name}`);
      return [tool.name ?? String(tool.type)];
    })
    .sort();
  // Only what is new since the model last spoke decides this reply (the rest was answered
  // already and is fingerprinted in earlier exchanges): a cassette stays linear in the run,
  // not quadratic. The first request of a thread keeps its whole conversation.
  const input = request.input as Array<Record<string, unknown>>;
  let from = 0;
  for (let i = input.length - 1; i >= 0; i--) {
    const it = input[i]!;
    if (it.type === 'function_call' || (it.type === 'message' && it.role === 'assistant')) {
      from = i + 1;
      break;
    }
  }
  const conversation: FingerprintItem[] = [];
  for (const raw of input.slice(from)) {
    const item = raw as Record<string, unknown>;
    if (item.type === 'message') {
      const role = String(item.role);
      const text = textOf(item.content);
      if (role === 'developer' || text.startsWith('<environment_context>')) continue;
      conversation.push({ type: 'message', role, text: s(text) });
    } else if (item.type === 'function_call') {
      const fc: FingerprintItem = {
        type: 'function_call',
        name: String(item.name),
        arguments: s(String(item.arguments)),
        call_id: String(item.call_id),
      };
      if (typeof item.namespace === 'string') fc.namespace = item.namespace;
      conversation.push(fc);
    } else if (item.type === 'function_call_output') {
      const output = typeof item.output === 'string' ? item.output : JSON.stringify(item.output);
      conversation.push({ type: 'function_call_output', call_id: String(item.call_id), output: scrubVolatile(s(output)) });
    } else {
      conversation.push({ type: String(item.type) });
    }
  }
  return { model: request.model, tools, conversation };
}

/** Where two fingerprints first differ, as one line; null when equal. */
export function fingerprintDiff(expected: unknown, actual: unknown, at = ''): string | null {
  if (JSON.stringify(expected) === JSON.stringify(actual)) return null;
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object') {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const k of keys) {
      const d = fingerprintDiff((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k], `${at}.${k}`);
      if (d) return d;
    }
  }
  const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v).slice(0, 200));
  return `${at || '(root)'}: expected ${show(expected)}, got ${show(actual)}`;
}

export interface CassetteBrain extends Brain {
  /** Exchanges never replayed (a run that ends with some left did less than recorded). */
  unused(): Exchange[];
}

/**
 * Replay a cassette. Each request is answered by the first unused exchange whose
 * fingerprint equals the request's (so interleaved threads may arrive in any order); none
 * matching throws, naming the closest exchange and where it differs.
 */
export function cassetteBrain(cassette: Cassette, opts: { scrub?: Scrub } = {}): CassetteBrain {
  const used = new Set<number>();
  const brain = (request: ModelRequest) => {
    const actual = fingerprint(request, opts.scrub);
    const key = JSON.stringify(actual);
    const hit = cassette.exchanges.findIndex((e, i) => !used.has(i) && JSON.stringify(e.request) === key);
    if (hit >= 0) {
      used.add(hit);
      return cassette.exchanges[hit]!.response;
    }
    const firstUnused = cassette.exchanges.findIndex((_, i) => !used.has(i));
    const why =
      firstUnused < 0
        ? `all ${cassette.exchanges.length} recorded exchanges are used`
        : `next unused exchange ${firstUnused} differs at ${fingerprintDiff(cassette.exchanges[firstUnused]!.request, actual)}`;
    throw new Error(`cassette: unexpected request ${request.index}: ${why}`);
  };
  return Object.assign(brain, { unused: () => cassette.exchanges.filter((_, i) => !used.has(i)) });
}

// --- recording ------------------------------------------------------------------------

export interface RecordingBrain extends Brain {
  readonly cassette: Cassette;
  save(file: string): Promise<void>;
}

/** Answer with `upstream` and record every exchange. */
export function recordingBrain(upstream: Brain, opts: { scrub?: Scrub; codexVersion?: string } = {}): RecordingBrain {
  const cassette: Cassette = { version: 1, exchanges: [] };
  if (opts.codexVersion) cassette.codexVersion = opts.codexVersion;
  const brain = async (request: ModelRequest) => {
    const response = await upstream(request);
    cassette.exchanges.push({ request: fingerprint(request, opts.scrub), response });
    return response;
  };
  return Object.assign(brain, {
    cassette,
    save: (file: string) => fsp.writeFile(file, `${JSON.stringify(cassette, null, 2)}\n`),
  });
}

export async function loadCassette(file: string): Promise<Cassette> {
  const parsed = JSON.parse(await fsp.readFile(file, 'utf8')) as Cassette;
  if (parsed.version !== 1 || !Array.isArray(parsed.exchanges)) throw new Error(`${file}: not a version-1 cassette`);
  return parsed;
}

/** Statuses worth another try: rate limited, or the endpoint's own failure. */
const RETRIED = new Set([429, 500, 502, 503, 504]);

export interface ForwardingOptions {
  baseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
  /** Tries after the first, for a retried status or a connection that failed. Default 3. */
  retries?: number;
  /** First wait between tries, doubled each time (a Retry-After header wins, up to 30 s). Default 500 ms. */
  backoffMs?: number;
  /** Told the tokens a reply used, when the endpoint says (its `response.completed` usage). */
  onUsage?: (totalTokens: number) => void;
  /** The endpoint's model for every request (Codex here asks for its offline placeholder). */
  model?: string;
}

/**
 * Forward each request body (with `model` when given) to a real Responses endpoint (`baseUrl` like
 * `https://host/v1`) and collect the `response.output_item.done` items of its SSE reply. A 429,
 * a 5xx or a failed connection is tried again with backoff; what still fails is thrown with the
 * endpoint's own words, so it is reported as the endpoint's error, not the leader's.
 */
export function forwardingBrain(opts: ForwardingOptions): Brain {
  const doFetch = opts.fetch ?? fetch;
  const retries = opts.retries ?? 3;
  const backoff = opts.backoffMs ?? 500;
  return async (request) => {
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await doFetch(`${opts.baseUrl.replace(/\/$/, '')}/responses`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${opts.apiKey}` },
          body: JSON.stringify(opts.model ? { ...(request.body as object), model: opts.model } : request.body),
        });
      } catch (e) {
        if (attempt >= retries) throw e;
        await delay(backoff * 2 ** attempt);
        continue;
      }
      const text = await res.text();
      if (res.ok) {
        const items = parseSseOutput(text);
        const used = sseUsage(text);
        if (used !== null) opts.onUsage?.(used);
        return items;
      }
      if (!RETRIED.has(res.status) || attempt >= retries) {
        throw new Error(`upstream answered ${res.status}${attempt ? ` (after ${attempt + 1} tries)` : ''}: ${text.slice(0, 300)}`);
      }
      const after = Number(res.headers.get('retry-after'));
      await delay(Number.isFinite(after) && after >= 0 && res.headers.has('retry-after') ? Math.min(after * 1000, 30_000) : backoff * 2 ** attempt);
    }
  };
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The total tokens a Responses SSE stream's `response.completed` reports, or null when it reports none. */
export function sseUsage(sse: string): number | null {
  const m = /"type":"response\.completed"[\s\S]*?"total_tokens":(\d+)/.exec(sse);
  return m ? Number(m[1]) : null;
}

/** The output items of a Responses SSE stream; throws on `response.failed` / `error`. */
export function parseSseOutput(sse: string): OutputItem[] {
  const items: OutputItem[] = [];
  for (const block of sse.split(/\r?\n\r?\n/)) {
    const data = block
      .split(/\r?\n/)
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trimStart())
      .join('\n');
    if (!data || data === '[DONE]') continue;
    const event = JSON.parse(data) as { type?: string; item?: OutputItem; response?: { error?: unknown } };
    if (event.type === 'response.output_item.done' && event.item) items.push(event.item);
    if (event.type === 'response.failed' || event.type === 'error') {
      throw new Error(`upstream stream failed: ${JSON.stringify(event).slice(0, 300)}`);
    }
  }
  return items;
}
