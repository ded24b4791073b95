// A client for `codex app-server` over stdio (JSON-RPC, one message a line): the real Codex
// runtime, driven the way the desktop app drives it, with our `codex_app` tools registered
// as dynamic tools and their calls answered here.
//
// Design notes:
// - The child is spawned asynchronously and everything is event-driven: a blocked event
//   loop would starve both the child's pipes and the in-process mock model server.
// - It runs in its own process group so close() can take down anything it spawned
//   (shell tools, helpers) by group id; a process 'exit' hook does the same if the test
//   process dies first, so no codex outlives us.
// - Every notification is kept in order (`notifications`) and waits scan that log before
//   listening, so a notification that arrives in the same chunk as a response is never lost.
// - Server→client requests go to handlers by method. Dynamic tool calls go to `onToolCall`;
//   approvals follow a fixed policy (default: decline), so a turn never hangs waiting for
//   a human; anything unknown gets a JSON-RPC "method not found" error.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { onTeardown } from '../core/teardown.ts';
import { descendants, killProcesses, type ProcessRef } from '../core/process-tree.ts';
import type {
  ClientInfo,
  DynamicToolCallParams,
  DynamicToolCallResponse,
  InitializeParams,
  InitializeResponse,
  ItemNotification,
  RequestId,
  RpcError,
  RpcNotification,
  RpcRequest,
  ThreadItem,
  ThreadStartParams,
  ThreadStartResponse,
  Turn,
  TurnCompletedNotification,
  TurnStartParams,
  TurnStartResponse,
} from './app-server-protocol.ts';

/** How approval requests are answered: refuse everything (default) or allow everything. */
export type ApprovalAnswer = 'decline' | 'accept';

export type ToolCallHandler = (call: DynamicToolCallParams) => DynamicToolCallResponse | Promise<DynamicToolCallResponse>;
/** A handler of one server request method: its params arrive as JSON, unchecked; the handler narrows them. */
export type ServerRequestHandler = (params: unknown, request: RpcRequest) => unknown | Promise<unknown>;

export interface AppServerOptions {
  /** The native codex executable (findCodexBinary()). */
  binary: string;
  cwd: string;
  /** Full environment of the child (CodexHome.env); process.env is not inherited. */
  env: NodeJS.ProcessEnv;
  /** Extra arguments after `app-server`, e.g. `['-c', 'features.plugins=false']`. */
  args?: string[];
  /** Per-request timeout. Default 60 s. */
  requestTimeoutMs?: number;
  approvals?: ApprovalAnswer;
  onToolCall?: ToolCallHandler;
  clientInfo?: ClientInfo;
}

/** One server→client request and what we answered. */
export interface ServerRequestRecord {
  request: RpcRequest;
  result?: unknown;
  error?: RpcError;
}

export interface TurnResult {
  turn: Turn;
  /** Items completed in this turn, in order (turn.items alone may be abridged). */
  items: ThreadItem[];
  /** Every notification from turn/start until turn/completed. */
  notifications: RpcNotification[];
}

export class AppServerError extends Error {
  constructor(
    message: string,
    readonly rpcError?: RpcError,
  ) {
    super(message);
    this.name = 'AppServerError';
  }
}

const STDERR_KEEP = 64 * 1024;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what starts a terminal colour code
const ANSI = /\x1b\[[0-9;]*m/g;

interface Pending {
  method: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class AppServer {
  readonly notifications: RpcNotification[] = [];
  readonly serverRequests: ServerRequestRecord[] = [];
  /** Resolves when the child has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<RequestId, Pending>();
  private readonly listeners = new Set<(n: RpcNotification) => void>();
  private readonly handlers = new Map<string, ServerRequestHandler>();
  private readonly timeoutMs: number;
  private nextId = 1;
  private stdoutBuffer = '';
  private stderrText = '';
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private readonly killOnExit = () => this.killGroup('SIGKILL');
  private readonly forgetTeardown: () => void;

  private constructor(private readonly options: AppServerOptions) {
    this.timeoutMs = options.requestTimeoutMs ?? 60_000;
    this.installDefaultHandlers(options.approvals ?? 'decline');
    this.child = spawn(options.binary, ['app-server', ...(options.args ?? [])], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    process.once('exit', this.killOnExit);
    // An interrupt stops it before anything it works in is removed (teardown runs newest first):
    // even while it is still starting, it must not write into a home being deleted.
    this.forgetTeardown = onTeardown(`codex app-server (pid ${this.child.pid})`, async () => {
      await this.close(500);
    });
    // 'exit' can come before the last stderr chunk is read: wait (briefly: a grandchild may
    // hold the pipe open) for stderr to end, so error messages carry the child's last words.
    const stderrEnded = new Promise<void>((resolve) => this.child.stderr.once('close', () => resolve()));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', async (code, signal) => {
        await Promise.race([stderrEnded, new Promise((r) => setTimeout(r, 200))]);
        this.exitInfo = { code, signal };
        process.removeListener('exit', this.killOnExit);
        const why = `app-server exited (code ${code}, signal ${signal})`;
        for (const [id, p] of this.pending) {
          clearTimeout(p.timer);
          p.reject(new AppServerError(`${why} before answering ${p.method} (id ${id})${this.stderrTail()}`));
        }
        this.pending.clear();
        resolve({ code, signal });
      });
    });
    this.child.once('error', (err) => {
      this.stderrText += `\nspawn error: ${err.message}`;
    });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.onStdout(chunk));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => {
      this.stderrText = (this.stderrText + chunk).slice(-STDERR_KEEP);
    });
    // A write after the child died must not crash the test process.
    this.child.stdin.on('error', () => {});
  }

  /** Spawn `codex app-server` and run the initialize handshake. */
  static async start(options: AppServerOptions): Promise<AppServer> {
    const server = new AppServer(options);
    try {
      await server.initialize();
    } catch (err) {
      await server.close();
      throw err;
    }
    return server;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Codex's stderr so far (its tracing logs), without colour codes. */
  stderr(): string {
    return this.stderrText.replace(ANSI, '');
  }

  // --- requests and notifications ------------------------------------------------------

  request<T = unknown>(method: string, params?: unknown, opts: { timeoutMs?: number } = {}): Promise<T> {
    if (this.exitInfo) {
      return Promise.reject(new AppServerError(`app-server has exited; cannot send ${method}${this.stderrTail()}`));
    }
    const id = this.nextId++;
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new AppServerError(`app-server: no answer to ${method} (id ${id}) within ${timeoutMs} ms${this.stderrTail()}`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
      this.send({ id, method, params });
    });
  }

  notify(method: string, params?: unknown): void {
    this.send(params === undefined ? { method } : { method, params });
  }

  /** Subscribe to notifications as they arrive; returns the unsubscribe function. */
  onNotification(listener: (n: RpcNotification) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Answer server→client requests of `method` (replaces the default). */
  handleRequest(method: string, handler: ServerRequestHandler): void {
    this.handlers.set(method, handler);
  }

  /** Answer `item/tool/call` (the model called a dynamic tool). */
  onToolCall(handler: ToolCallHandler): void {
    this.handleRequest('item/tool/call', (params) => handler(params as DynamicToolCallParams));
  }

  /**
   * The first notification at or after log position `from` (default: the start) that
   * matches; waits for one if none has arrived yet.
   */
  waitForNotification(match: (n: RpcNotification) => boolean, opts: { timeoutMs?: number; from?: number; what?: string } = {}): Promise<RpcNotification> {
    const found = this.notifications.slice(opts.from ?? 0).find(match);
    if (found) return Promise.resolve(found);
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const what = opts.what ?? 'a matching notification';
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
      };
      const timer = setTimeout(() => {
        done();
        reject(new AppServerError(`app-server: no ${what} within ${timeoutMs} ms${this.stderrTail()}`));
      }, timeoutMs);
      const unsubscribe = this.onNotification((n) => {
        if (match(n)) {
          done();
          resolve(n);
        }
      });
      void this.exited.then(() => {
        done();
        reject(new AppServerError(`app-server exited while waiting for ${what}${this.stderrTail()}`));
      });
    });
  }

  // --- typed protocol calls -------------------------------------------------------------

  async initialize(): Promise<InitializeResponse> {
    const params: InitializeParams = {
      clientInfo: this.options.clientInfo ?? { name: 'thread_team_sim', title: 'thread-team-sim', version: '0.1.0' },
      // Dynamic tools are experimental: without this thread/start refuses them.
      capabilities: { experimentalApi: true },
    };
    const result = await this.request<InitializeResponse>('initialize', params);
    this.notify('initialized');
    return result;
  }

  threadStart(params: ThreadStartParams): Promise<ThreadStartResponse> {
    return this.request<ThreadStartResponse>('thread/start', params);
  }

  turnStart(params: TurnStartParams): Promise<TurnStartResponse> {
    return this.request<TurnStartResponse>('turn/start', params);
  }

  /** Start a turn with one text input and wait for its `turn/completed`. */
  async runTurn(threadId: string, text: string, opts: { timeoutMs?: number } = {}): Promise<TurnResult> {
    return this.runTurns(threadId, [{ input: [{ type: 'text', text, text_elements: [] }] }], opts);
  }

  /**
   * Send several `turn/start`s back to back, as a host does when inputs reach a thread together:
   * the first starts a turn and the others are steered into it while it runs (a `turn/start` on
   * a running thread answers the running turn's id), or start turns of their own if it has
   * already ended. Waits for every turn so started; the result's `turn` is the last one, its
   * items and notifications those of all of them.
   */
  async runTurns(threadId: string, starts: Omit<TurnStartParams, 'threadId'>[], opts: { timeoutMs?: number } = {}): Promise<TurnResult> {
    if (starts.length === 0) throw new AppServerError('runTurns: no input to start a turn with');
    const from = this.notifications.length;
    // Sent without waiting in between: requests reach the server in this order.
    const answers = await Promise.all(starts.map((s) => this.turnStart({ threadId, ...s })));
    const ids = [...new Set(answers.map((a) => a.turn.id))];
    const completed: RpcNotification[] = [];
    for (const id of ids) {
      completed.push(
        await this.waitForNotification((n) => n.method === 'turn/completed' && (n.params as TurnCompletedNotification).turn.id === id, {
          from,
          timeoutMs: opts.timeoutMs ?? 5 * this.timeoutMs,
          what: `turn/completed for turn ${id}`,
        }),
      );
    }
    const end = Math.max(...completed.map((c) => this.notifications.indexOf(c))) + 1;
    const notifications = this.notifications.slice(from, end);
    const items = notifications
      .filter((n) => n.method === 'item/completed' && ids.includes((n.params as ItemNotification).turnId))
      .map((n) => (n.params as ItemNotification).item);
    const turns = completed.map((c) => (c.params as TurnCompletedNotification).turn);
    // A turn that did not complete is the one to report.
    const turn = turns.find((t) => t.status !== 'completed') ?? turns.at(-1)!;
    return { turn, items, notifications };
  }

  // --- shutdown ---------------------------------------------------------------------------

  /**
   * Stop the child: close stdin (the server exits on EOF), then SIGTERM, then SIGKILL, to
   * the whole process group; then every process it had started, wherever its group. Safe to
   * call twice.
   */
  async close(graceMs = 2_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const exitedWithin = (ms: number) => Promise.race([this.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
    // Looked for while the server runs, at each step: once it is gone, so are its commands'
    // parent links.
    const started = new Map<number, ProcessRef>();
    const look = async () => {
      if (this.exitInfo || this.child.pid === undefined) return;
      for (const p of await descendants(this.child.pid)) started.set(p.pid, p);
    };
    if (!this.exitInfo) {
      await look();
      this.child.stdin.end();
      if (!(await exitedWithin(graceMs))) {
        await look();
        this.killGroup('SIGTERM');
        if (!(await exitedWithin(graceMs))) {
          await look();
          this.killGroup('SIGKILL');
        }
      }
    }
    const info = await this.exited;
    // Helpers it started may outlive it in its group, and the shell commands it ran in
    // terminals of their own (new sessions) outside it.
    this.killGroup('SIGKILL');
    await killProcesses([...started.values()]);
    this.forgetTeardown();
    return info;
  }

  // --- internals --------------------------------------------------------------------------

  private killGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: already gone.
    }
  }

  private stderrTail(): string {
    const tail = this.stderr().trim().split('\n').slice(-15).join('\n');
    return tail ? `\n--- codex stderr (tail) ---\n${tail}` : '';
  }

  private send(message: object): void {
    if (!this.child.stdin.writable) return;
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  private onStdout(chunk: string): void {
    this.stdoutBuffer += chunk;
    let newline: number;
    while ((newline = this.stdoutBuffer.indexOf('\n')) >= 0) {
      const line = this.stdoutBuffer.slice(0, newline).trim();
      this.stdoutBuffer = this.stdoutBuffer.slice(newline + 1);
      if (line) this.onLine(line);
    }
  }

  private onLine(line: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line) as Record<string, unknown>;
    } catch {
      this.stderrText = `${this.stderrText}\n[stdout, not JSON] ${line}`.slice(-STDERR_KEEP);
      return;
    }
    const hasId = message.id !== undefined && message.id !== null;
    if (typeof message.method === 'string') {
      if (hasId) void this.onServerRequest(message as unknown as RpcRequest);
      else this.onServerNotification(message as unknown as RpcNotification);
      return;
    }
    if (!hasId) return;
    const pending = this.pending.get(message.id as RequestId);
    if (!pending) return; // answer to a request that already timed out
    this.pending.delete(message.id as RequestId);
    clearTimeout(pending.timer);
    if (message.error) {
      const error = message.error as RpcError;
      pending.reject(new AppServerError(`app-server: ${pending.method} failed: ${error.code} ${error.message}`, error));
    } else {
      pending.resolve(message.result);
    }
  }

  private onServerNotification(notification: RpcNotification): void {
    this.notifications.push(notification);
    for (const listener of [...this.listeners]) listener(notification);
  }

  private async onServerRequest(request: RpcRequest): Promise<void> {
    const record: ServerRequestRecord = { request };
    this.serverRequests.push(record);
    const handler = this.handlers.get(request.method);
    if (!handler) {
      record.error = { code: -32601, message: `client does not handle ${request.method}` };
    } else {
      try {
        record.result = await handler(request.params, request);
      } catch (err) {
        record.error = { code: -32603, message: `client handler for ${request.method} failed: ${(err as Error).message}` };
      }
    }
    this.send(record.error ? { id: request.id, error: record.error } : { id: request.id, result: record.result ?? null });
  }

  private installDefaultHandlers(approvals: ApprovalAnswer): void {
    const accept = approvals === 'accept';
    // The server's own request types (app-server-protocol.ts) say what its params hold.
    this.handlers.set('item/tool/call', (raw) => {
      const params = raw as DynamicToolCallParams;
      if (this.options.onToolCall) return this.options.onToolCall(params);
      const name = params.namespace ? `${params.namespace}.${params.tool}` : params.tool;
      return { contentItems: [{ type: 'inputText', text: `no handler for tool ${name}` }], success: false };
    });
    // v2 approvals.
    const decision = () => ({ decision: accept ? 'accept' : 'decline' });
    this.handlers.set('item/commandExecution/requestApproval', decision);
    this.handlers.set('item/fileChange/requestApproval', decision);
    this.handlers.set('item/permissions/requestApproval', (raw) => {
      const requested = (raw as { permissions?: Record<string, unknown> } | null)?.permissions ?? {};
      const granted: Record<string, unknown> = {};
      if (accept) for (const [k, v] of Object.entries(requested)) if (v !== null) granted[k] = v;
      return { permissions: granted, scope: 'turn' };
    });
    // v1 approvals (older servers).
    const review = () => ({ decision: accept ? 'approved' : { denied: { rejection: 'declined by the test harness' } } });
    this.handlers.set('applyPatchApproval', review);
    this.handlers.set('execCommandApproval', review);
    // No human to ask.
    this.handlers.set('item/tool/requestUserInput', () => ({ answers: {} }));
    this.handlers.set('mcpServer/elicitation/request', () => ({ action: 'decline', content: null, _meta: null }));
    this.handlers.set('currentTime/read', () => ({ currentTimeAt: Math.floor(Date.now() / 1000) }));
  }
}
