import type { Agent, TurnContext, TurnInput } from '../ports/agent.ts';
import type { DynamicToolCallParams, DynamicToolCallResponse } from './app-server-protocol.ts';
import type { OfflineCodex } from './offline-codex.ts';
import { dynamicTools } from '../contract/index.ts';
import { turnStartFor } from './delivery.ts';
import type { AgentBrain } from './reference-brain.ts';
import type { CommandWatcher } from './shell-observer.ts';
import type { ModelRequest } from './model-server.ts';

/**
 * A World thread (the leader, or a worker with `--workers codex`) as a real Codex runtime: each
 * World turn of the thread becomes a turn of a `codex app-server` thread, its inputs delivered as
 * the real hosts deliver them (src/live/delivery.ts): the user's words as text, each thread's
 * message as a tool output carrying the `<codex_delegation>` envelope, a `<heartbeat>` as a turn
 * with the heartbeat trigger. Codex's calls to the codex_app tools and automation_update are
 * answered by the World; what Codex says is recorded as the thread's. Input the World steers
 * into a running turn is handed over when the agent is called again in that turn, and so
 * reaches Codex as a turn of its own.
 */
export class CodexThreadAgent implements Agent {
  private ctx: TurnContext | null = null;
  private thread: string | null = null;
  turns = 0;

  constructor(
    private readonly codex: OfflineCodex,
    private readonly cwd: string,
    private readonly brain: AgentBrain | null,
    private readonly opts: {
      /** Before each turn (a budget's check; it may throw to stop the run). */
      beforeTurn?: () => void;
      turnTimeoutMs?: number;
      observer?: CommandWatcher;
      onThread?: (codexThreadId: string) => void;
    } = {},
  ) {}

  /** Called with each model request: a model we do not drive has its shell watched (see ShellObserver). */
  async observe(req: ModelRequest): Promise<void> {
    if (this.brain || !this.opts.observer || !this.ctx) return;
    await this.opts.observer.observeRequest(this.ctx, req, this.cwd);
  }

  /** Tool calls the World is still answering. */
  private readonly inflight = new Set<Promise<unknown>>();

  /** The app-server's item/tool/call handler. */
  readonly onToolCall = async (call: DynamicToolCallParams): Promise<DynamicToolCallResponse> => {
    const ctx = this.ctx;
    if (!ctx) return { contentItems: [{ type: 'inputText', text: 'no leader turn is running' }], success: false };
    const answer = ctx.call(call.tool, call.arguments);
    this.inflight.add(answer);
    try {
      const r = await answer;
      return { contentItems: [{ type: 'inputText', text: r.ok ? JSON.stringify(r.payload) : r.error }], success: r.ok };
    } finally {
      this.inflight.delete(answer);
    }
  };

  async turn(ctx: TurnContext, inputs: TurnInput[]): Promise<void> {
    if (this.thread === null) {
      this.thread = (
        await this.codex.app.threadStart({ cwd: this.cwd, sandbox: 'danger-full-access', approvalPolicy: 'never', dynamicTools: dynamicTools() })
      ).thread.id;
      this.opts.onThread?.(this.thread);
    }
    this.ctx = ctx;
    this.turns++;
    this.opts.beforeTurn?.();
    this.brain?.beginTurn(ctx, inputs);
    try {
      // One turn/start per input, as the hosts deliver them: the first starts the Codex turn and
      // the rest are steered into it (see AppServer.runTurns).
      const result = await this.codex.app.runTurns(
        this.thread,
        inputs.map((i) => turnStartFor(i)),
        { timeoutMs: this.opts.turnTimeoutMs ?? 300_000 },
      );
      for (const item of result.items) {
        if (item.type === 'agentMessage' && typeof (item as { text?: unknown }).text === 'string') ctx.say((item as { text: string }).text);
      }
      const failure =
        this.brain?.error ?? (result.turn.status !== 'completed' ? new Error(`codex turn ${result.turn.status}: ${JSON.stringify(result.turn.error)}`) : null);
      if (failure) throw failure;
    } catch (e) {
      // The turn is over: what the brain's agent was doing in it is abandoned, and the World turn
      // ends only once that has stopped (AgentBrain.settled).
      if (this.brain) {
        this.brain.reset();
        await this.brain.settled();
      }
      throw e;
    } finally {
      // A Codex turn that ends with a call still being answered (Codex stopped, or the turn was
      // cut short) ends its World turn only once the World has answered: the call runs inside
      // that turn's time, and the World would otherwise count the turn's end before the call's.
      while (this.inflight.size) await Promise.allSettled([...this.inflight]);
      this.ctx = null;
    }
  }
}
