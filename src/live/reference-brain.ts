import { assistantMessage, functionCall, type Brain, type ModelRequest, type OutputItem } from './model-server.ts';
import { execCommandCall, parseExecOutput } from './exec-command.ts';
import { createShellWorkspace } from '../workspace/shell.ts';
import { ReferenceLeader } from '../leader/reference.ts';
import type { LeaderEnv } from '../ports/leader-env.ts';
import type { Flaw } from '../core/flaws.ts';
import type { Agent, CallResult, TurnContext, TurnInput } from '../ports/agent.ts';

// A model made of one of our agents: the agent decides what the real Codex runtime does. It runs
// as a coroutine across model requests: each thread tool it calls becomes a `function_call` of
// the codex_app namespace, each workspace step a shell command that Codex executes with its own
// exec_command tool; the `function_call_output` of the next request resumes it. Codex therefore
// really loads the skill, exposes the tools, runs the commands and carries the turns. The
// reference leader drives a leader thread this way (ReferenceBrain), a simulated worker's
// behaviour a worker thread (`run --workers codex`).

interface Pending {
  callId: string;
  resolve(output: string): void;
  reject(error: Error): void;
}

export interface AgentBrainOptions {
  /** The main checkout: the shell workspace's root. */
  repoRoot: string;
  /** Logical command -> shell command, for the workspace's `run`. */
  commands: Record<string, string>;
  /** What the model says after Codex compacted its context (the turn in progress is lost). */
  afterCompaction: string;
}

export class AgentBrain {
  private outbox: OutputItem[] = [];
  private pending: Pending | null = null;
  private flush: ((items: OutputItem[]) => void) | null = null;
  private running: Promise<void> | null = null;
  private turnInputs: { ctx: TurnContext; inputs: TurnInput[] } | null = null;
  /** The turn being run, kept to start it again after a compaction. */
  private current: { ctx: TurnContext; inputs: TurnInput[] } | null = null;
  /** Bumped when a leader turn is abandoned: its late completions are ignored. */
  private generation = 0;
  /**
   * What a turn cut short by a compaction still said after the step it was waiting on, when it
   * took no further step: its conclusion (the final report after the last journal write, say).
   * A model's own summary at a compaction carries what it was about to say; ours is a fixed
   * sentence, so the words are handed to the turn that goes on after it.
   */
  private carried: { generation: number; says: string[]; stepped: boolean } | null = null;
  private seq = 0;
  /** A defect of the reference leader itself, surfaced by the driver after the turn. */
  error: unknown = null;

  /** `agent` is asked for the agent of each turn: a fresh one, or the same one every time. */
  constructor(
    private readonly agent: () => Agent,
    private readonly opts: AgentBrainOptions,
  ) {}

  /**
   * After a failed Codex turn the leader's turn in progress is abandoned, as a crashed leader's
   * would be: the next turn starts afresh from the journal.
   */
  reset(): void {
    this.abandon();
    this.current = null;
    this.error = null;
  }

  /**
   * Resolves once no abandoned turn of this brain is still running. An abandoned turn stops at
   * its next step (each step of an abandoned turn throws); one that is asleep in the World stops
   * when it wakes. The World turn that drove it must not end before: the World counts the sleep
   * as that turn's own (see sim/scheduler.ts), and would count its end twice.
   */
  settled(): Promise<void> {
    return Promise.all(this.abandoned).then(() => undefined);
  }

  private abandoned: Promise<void>[] = [];

  /**
   * Drop the turn in progress. The step it is waiting on fails (a Codex turn that failed will
   * never answer it), unless `seeThrough`: the caller has its answer and hands it over itself.
   */
  private abandon(seeThrough = false): void {
    this.generation++;
    if (!seeThrough) this.pending?.reject(new TurnAbandoned());
    this.pending = null;
    if (this.running) {
      const done = this.running.then(() => {
        this.abandoned = this.abandoned.filter((p) => p !== done);
      });
      this.abandoned.push(done);
    }
    this.running = null;
    this.flush = null;
    this.outbox = [];
  }

  /** Whether a turn is under way (waiting on a call's output, or still deciding). */
  get busy(): boolean {
    return this.pending !== null || this.running !== null;
  }

  /** Whether `req` carries the output of the call the turn waits on (a request that does not was sent without it: the turn was cut short). */
  answers(req: ModelRequest): boolean {
    return this.pending !== null && findOutput(req.input, this.pending.callId) !== null;
  }

  /** Called by the Codex driver before it starts a turn with these inputs. */
  beginTurn(ctx: TurnContext, inputs: TurnInput[]): void {
    this.turnInputs = { ctx, inputs };
  }

  readonly brain: Brain = (req) => this.onRequest(req);

  private async onRequest(req: ModelRequest): Promise<OutputItem[]> {
    if (isCompaction(req)) {
      // Codex compacts the thread's context: the leader's turn in progress is lost with it. It
      // is started again from the journal once Codex resumes (J4), repeating nothing done.
      // The command or call it was waiting on did run (its output is in the history): the
      // abandoned turn sees it through, so what it did is in the trace (a journal write, say),
      // and stops at its next step.
      const p = this.pending;
      const out = p ? findOutput(req.input, p.callId) : null;
      const cut = this.generation;
      this.abandon(out !== null);
      if (p && out !== null) {
        this.carried = { generation: cut, says: [], stepped: false };
        p.resolve(out);
      }
      this.turnInputs = this.current;
      return [assistantMessage(this.opts.afterCompaction)];
    }
    if (this.pending) {
      const out = findOutput(req.input, this.pending.callId);
      if (out === null) throw new Error(`agent brain: request ${req.index} lacks the output of call ${this.pending.callId}`);
      const p = this.pending;
      this.pending = null;
      const next = this.next();
      p.resolve(out);
      return next;
    }
    // Inputs after the first of a World turn are steered into the Codex turn (or start one of
    // their own if it ended): the agent took them all at the turn's start.
    if (!this.running && !this.turnInputs && this.current && endsWithDeliveredInput(req)) return [assistantMessage('Handled with the rest of this turn.')];
    if (this.running || !this.turnInputs) throw new Error(`agent brain: unexpected request ${req.index} (no turn waiting for a model)`);
    const { ctx, inputs } = this.turnInputs;
    this.current = this.turnInputs;
    this.turnInputs = null;
    const next = this.next();
    const generation = ++this.generation;
    this.running = this.agent()
      .turn(this.proxy(ctx, generation), inputs)
      .catch((e: unknown) => {
        if (generation !== this.generation) return;
        this.error = e;
        this.outbox.push(assistantMessage(`The agent failed: ${e instanceof Error ? e.message : String(e)}`));
      })
      .finally(async () => {
        if (generation !== this.generation) return; // an abandoned turn (compaction, failure)
        const carried = this.carried;
        if (carried) {
          await Promise.all(this.abandoned);
          this.carried = null;
          if (generation !== this.generation) return;
          if (!carried.stepped) for (const text of carried.says) this.outbox.push(assistantMessage(text));
        }
        this.running = null;
        // A model reply ends a turn only with a message: give one if the leader said nothing last.
        if (!this.outbox.some((i) => i.type === 'message')) this.outbox.push(assistantMessage('Turn done.'));
        this.emit();
      });
    return next;
  }

  private next(): Promise<OutputItem[]> {
    return new Promise((resolve) => (this.flush = resolve));
  }

  private emit(): void {
    const f = this.flush;
    this.flush = null;
    const items = this.outbox;
    this.outbox = [];
    f?.(items);
  }

  /** The ask in flight: a model makes one call at a time, so asks made together go one by one. */
  private asking: Promise<unknown> = Promise.resolve();

  /**
   * Ask Codex to do something and wait for the next request, which carries its output. An agent
   * may ask twice at once (two workspace reads together); the second waits for the first's
   * answer. A turn that was abandoned asks nothing more: its step throws, and so it ends.
   */
  private ask(item: (callId: string) => OutputItem, generation: number): Promise<string> {
    const answer = this.asking.then(() => {
      if (generation !== this.generation) {
        if (this.carried?.generation === generation) this.carried.stepped = true;
        throw new TurnAbandoned();
      }
      const callId = `call_ref_${++this.seq}`;
      this.outbox.push(item(callId));
      const output = new Promise<string>((resolve, reject) => (this.pending = { callId, resolve, reject }));
      this.emit();
      return output;
    });
    this.asking = answer.catch(() => undefined);
    return answer;
  }

  private proxy(ctx: TurnContext, generation: number): TurnContext {
    const shell = createShellWorkspace({
      root: this.opts.repoRoot,
      exec: async (cmd, cwd) => parseExecOutput(await this.ask((id) => execCommandCall(cmd, cwd, id), generation)),
      commands: this.opts.commands,
      clock: () => Math.floor(Date.parse(ctx.nowIso()) / 1000),
    });
    return {
      thread: ctx.thread,
      turn: ctx.turn,
      rng: ctx.rng,
      tools: ctx.tools,
      host: ctx.host,
      now: () => ctx.now(),
      nowIso: () => ctx.nowIso(),
      // The model's call is answered by the World's, whose payloads are the contract's.
      call: (async (tool: string, args: unknown): Promise<CallResult> => {
        const text = await this.ask(
          (id) => functionCall({ name: tool, ...(tool === 'automation_update' ? {} : { namespace: 'codex_app' }), args, callId: id }),
          generation,
        );
        // Our tool answers are JSON payloads on success and plain sentences on failure.
        try {
          return { ok: true, payload: JSON.parse(text) };
        } catch {
          return { ok: false, error: text };
        }
      }) as TurnContext['call'],
      ws: ctx.traced(shell),
      traced: (inner) => ctx.traced(inner),
      record: (act) => {
        if (generation === this.generation) ctx.record(act);
      },
      say: (text) => {
        if (generation === this.generation) this.outbox.push(assistantMessage(text));
        else if (this.carried?.generation === generation) this.carried.says.push(text);
      },
      sleep: (ms) => {
        if (generation === this.generation) return ctx.sleep(ms);
        if (this.carried?.generation === generation) this.carried.stepped = true;
        return Promise.reject(new TurnAbandoned());
      },
    };
  }
}

/** What each step of an abandoned turn throws, so that it ends. */
class TurnAbandoned extends Error {
  override name = 'TurnAbandoned';
}

/** The reference leader as the model of a leader thread: a fresh leader each turn, as after a restart, reading the journal. */
export class ReferenceBrain extends AgentBrain {
  /** `flaws`: deliberate defects of the reference leader (a broken leader run through Codex). */
  constructor(env: LeaderEnv, flaws: ReadonlySet<Flaw> = new Set()) {
    super(() => new ReferenceLeader(env, flaws), {
      repoRoot: env.repoRoot,
      commands: env.commands,
      afterCompaction: `Thread-team leader: all run state is in the journal ${env.profile.journalPath.value}; reread it before acting.`,
    });
  }
}

/** Codex's context-checkpoint compaction asks the model for a hand-off summary. */
function isCompaction(req: ModelRequest): boolean {
  const last = req.input.at(-1) as { type?: string; role?: string; content?: Array<{ text?: string }> } | undefined;
  return last?.type === 'message' && last.role === 'user' && (last.content ?? []).some((c) => (c.text ?? '').includes('CONTEXT CHECKPOINT COMPACTION'));
}

/** The request's last input is one a host delivered (a message's tool output without a call id, or user text). */
function endsWithDeliveredInput(req: ModelRequest): boolean {
  const last = req.input.at(-1) as { type?: string; role?: string; call_id?: unknown } | undefined;
  if (last?.type === 'function_call_output') return !last.call_id;
  return last?.type === 'message' && last.role === 'user';
}

/** The output text of `function_call_output` `callId` in a request's input, or null. */
function findOutput(input: unknown[], callId: string): string | null {
  for (let i = input.length - 1; i >= 0; i--) {
    const it = input[i] as { type?: string; call_id?: string; output?: unknown };
    if (it?.type === 'function_call_output' && it.call_id === callId) {
      if (typeof it.output === 'string') return it.output;
      if (Array.isArray(it.output)) return it.output.map((c: { text?: string }) => c.text ?? '').join('');
      return JSON.stringify(it.output);
    }
  }
  return null;
}
