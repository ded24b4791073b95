// A local stand-in for the OpenAI Responses API that the real Codex binary talks to
// when its config names a custom model provider: `POST /v1/responses` answered with server-sent events.
// What to answer is decided by a pluggable *brain* (scripted, cassette replay, recording
// proxy: see brains.ts); this module only speaks the wire format and records every request
// so tests can ask what reached the model.
//
// A plain node:http server on loopback, because Codex is a child process. It was msw handlers
// served by @mswjs/http-middleware: that cost three times as much processor time per request
// (3.3 against 1.1 ms for a 464 KB body), and a run through Codex makes about two hundred.

import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One item of a model reply, as Responses-API `response.output_item.done` carries it. */
export type OutputItem =
  | {
      type: 'message';
      role: 'assistant';
      id?: string;
      status?: 'completed';
      content: Array<{ type: 'output_text'; text: string; annotations?: unknown[] }>;
    }
  | {
      type: 'function_call';
      id?: string;
      call_id: string;
      /** The bare tool name (`create_thread`), never `codex_app.create_thread`. */
      name: string;
      /** Set for a tool inside a dynamic-tool namespace (`codex_app`). */
      namespace?: string;
      /** The arguments as a JSON *string*. */
      arguments: string;
    }
  | { type: string; [key: string]: unknown };

/** What a brain is shown of one model request. */
export interface ModelRequest {
  /** 0-based position among all requests this server received. */
  index: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The parsed JSON body, unmodified. */
  body: Record<string, unknown>;
  /** `body.input`: the conversation so far (developer/user messages, earlier calls and outputs). */
  input: unknown[];
  /** `body.tools`: what the model is offered (functions, namespaces, built-ins). */
  tools: unknown[];
  model: string | undefined;
}

/**
 * Thrown by a brain to answer with this HTTP status instead of a reply: how a test makes the
 * server stand in for an endpoint that is rate limited (429) or failing (500).
 */
export class StatusReply extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'StatusReply';
  }
}

/** Decides the reply to one request. A throw fails the request loudly (HTTP 400; a StatusReply its own status). */
export type Brain = (request: ModelRequest) => Promise<OutputItem[]> | OutputItem[];

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  input_tokens_details?: { cached_tokens: number };
  output_tokens_details?: { reasoning_tokens: number };
}

export interface ModelServerOptions {
  brain: Brain;
  /** Usage reported in `response.completed`; default: rough token counts of the JSON. */
  usage?: (request: ModelRequest, output: OutputItem[]) => Usage;
}

export interface ModelServer {
  /** `http://127.0.0.1:PORT/v1`: the provider `base_url` for config.toml. */
  readonly baseUrl: string;
  readonly port: number;
  /** Every `POST /v1/responses`, in arrival order (bodies are kept whole). */
  readonly requests: ModelRequest[];
  /** Replies sent, parallel to `requests` (undefined where the brain threw). */
  readonly replies: Array<OutputItem[] | undefined>;
  /** Brain failures and unexpected requests (other paths), as one line each. */
  readonly errors: string[];
  close(): Promise<void>;
}

/** An assistant message item. */
export function assistantMessage(text: string): OutputItem {
  return { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text }] };
}

let callCounter = 0;

/**
 * A function-call item. For a namespaced dynamic tool give `namespace` and the bare
 * `name`: that is how Codex routes the call to `item/tool/call {namespace, tool}`.
 */
export function functionCall(call: { name: string; namespace?: string; args: unknown; callId?: string }): OutputItem {
  const item: OutputItem = {
    type: 'function_call',
    call_id: call.callId ?? `call_${++callCounter}`,
    name: call.name,
    arguments: JSON.stringify(call.args),
  };
  if (call.namespace !== undefined) item.namespace = call.namespace;
  return item;
}

const inputLengths = new WeakMap<ModelRequest, number>();

/**
 * The length of a request's input as JSON, measured once: the usage figure and the run's token
 * meter both count it, and near the end of a run the input is most of a megabyte.
 */
export function inputChars(request: ModelRequest): number {
  let n = inputLengths.get(request);
  if (n === undefined) {
    n = JSON.stringify(request.input).length;
    inputLengths.set(request, n);
  }
  return n;
}

function roughUsage(request: ModelRequest, output: OutputItem[]): Usage {
  const input_tokens = Math.ceil(inputChars(request) / 4);
  const output_tokens = Math.ceil(JSON.stringify(output).length / 4);
  return {
    input_tokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input_tokens + output_tokens,
  };
}

/** The SSE stream of one reply: created, one output_item.done per item, completed. */
export function sseBody(responseId: string, model: string, output: OutputItem[], usage: Usage): string {
  const events: Array<Record<string, unknown>> = [
    { type: 'response.created', response: { id: responseId, object: 'response', model, status: 'in_progress', output: [] } },
  ];
  output.forEach((item, i) => {
    const withId = { id: `${responseId}_item_${i}`, ...item };
    events.push({ type: 'response.output_item.done', output_index: i, item: withId });
  });
  events.push({
    type: 'response.completed',
    response: { id: responseId, object: 'response', model, status: 'completed', output, usage },
  });
  return events.map((e) => `event: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`).join('');
}

/** Start the server on 127.0.0.1, on a free port. */
export async function startModelServer(options: ModelServerOptions): Promise<ModelServer> {
  const requests: ModelRequest[] = [];
  const replies: Array<OutputItem[] | undefined> = [];
  const errors: string[] = [];
  const usageOf = options.usage ?? roughUsage;

  /** The answer to one HTTP request: a status, its headers and its body. */
  const answer = async (req: IncomingMessage, raw: Buffer): Promise<[number, Record<string, string>, string]> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // Anything else Codex asks for (e.g. a model list) is recorded and refused plainly.
    if (req.method !== 'POST' || !url.pathname.endsWith('/v1/responses')) {
      errors.push(`unexpected ${req.method} ${url.pathname}`);
      return jsonReply(404, { error: { message: 'not served by the mock model server' } });
    }
    const index = requests.length;
    // As a fetch Headers object shows them: names in lower case, repeated values joined.
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    const encoding = headers['content-encoding'];
    if (encoding && encoding !== 'identity') {
      // Codex compresses bodies only for some providers; say so rather than misparse.
      const line = `request ${index}: unsupported content-encoding ${encoding}`;
      errors.push(line);
      return jsonReply(415, { error: { message: line } });
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch (err) {
      const line = `request ${index}: body is not JSON (${(err as Error).message})`;
      errors.push(line);
      return jsonReply(400, { error: { message: line } });
    }
    const modelRequest: ModelRequest = {
      index,
      method: req.method,
      path: url.pathname,
      headers,
      body,
      input: Array.isArray(body.input) ? body.input : [],
      tools: Array.isArray(body.tools) ? body.tools : [],
      model: typeof body.model === 'string' ? body.model : undefined,
    };
    requests.push(modelRequest);
    replies.push(undefined);
    let output: OutputItem[];
    try {
      output = await options.brain(modelRequest);
    } catch (err) {
      if (err instanceof StatusReply) return jsonReply(err.status, { error: { message: err.message } }, err.headers);
      const line = `request ${index}: brain failed: ${(err as Error).message}`;
      errors.push(line);
      // A 4xx other than 429 is not retried by Codex: the turn fails with this message.
      return jsonReply(400, { error: { type: 'invalid_request_error', message: line } });
    }
    replies[index] = output;
    const sse = sseBody(`resp_${index + 1}`, modelRequest.model ?? 'mock-model', output, usageOf(modelRequest, output));
    return [200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }, sse];
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      answer(req, Buffer.concat(chunks)).then(
        ([status, headers, text]) => res.writeHead(status, headers).end(text),
        (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err)),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    replies,
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        // Keep-alive sockets from Codex would hold close() open: drop them.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): [number, Record<string, string>, string] {
  return [status, { ...headers, 'content-type': 'application/json' }, JSON.stringify(body)];
}
