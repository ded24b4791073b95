// A stand-in for a real model endpoint in a `live` run: our own agents answer each Codex thread's
// requests from what the requests carry, and nothing else. A thread the person speaks to first
// is a leader (the reference leader, with the split a model would have found in the task); one
// its leader speaks to first, a diligent simulated worker. Nothing is shared with the run under test but HTTP:
// the leader learns the repository from the request's environment context, the turn's inputs
// from the conversation (the person's words, delegation envelopes, heartbeats), and time is
// real (a model does not sleep).

import type { Agent, TurnContext, TurnInput } from '../../src/ports/agent.ts';
import type { TaskPlan } from '../../src/ports/leader-env.ts';
import type { SkillProfile } from '../../src/skill/types.ts';
import type { Brain, ModelRequest } from '../../src/live/model-server.ts';
import { AgentBrain, ReferenceBrain } from '../../src/live/reference-brain.ts';
import { unwrapDelegation, unwrapHeartbeat } from '../../src/contract/envelopes.ts';
import { TOOL_NAMES } from '../../src/contract/registry.ts';
import { SimWorker } from '../../sim/workers/worker.ts';
import { Rng } from '../../sim/random.ts';
import { LEADER_ID, PROJECT_ID } from '../../sim/run.ts';
import { outputText, textOf } from '../../app/import/rollout.ts';

interface Item {
  type?: string;
  role?: string;
  call_id?: string;
  output?: unknown;
  content?: Array<{ text?: string }>;
}

const text = (it: Item) => textOf(it.content);

/** The inputs of the turn a request starts: what came in after the model last spoke. */
export function turnInputs(input: unknown[]): TurnInput[] {
  const items = input as Item[];
  let start = 0;
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i]!;
    if (it.type === 'function_call' || it.type === 'reasoning' || (it.type === 'message' && it.role === 'assistant')) {
      start = i + 1;
      break;
    }
  }
  const out: TurnInput[] = [];
  for (const it of items.slice(start)) {
    if (it.type === 'function_call_output') {
      const t = outputText(it.output);
      const d = unwrapDelegation(t);
      if (d) out.push({ cause: 'delegation', text: t, from: d.source });
    } else if (it.type === 'message' && it.role === 'user') {
      const t = text(it);
      if (unwrapHeartbeat(t)) out.push({ cause: 'heartbeat', text: t });
      // Codex's own context (environment, instructions, the injected skill) is not the person's.
      else if (!/^\s*</.test(t) && !t.startsWith('# AGENTS.md')) out.push({ cause: 'user', text: t });
    }
  }
  return out;
}

/** The working directory Codex tells the model about. */
function cwdOf(input: unknown[]): string | null {
  for (const it of input as Item[]) {
    const m = /<cwd>([^<]+)<\/cwd>/.exec(it.type === 'message' ? text(it) : '');
    if (m) return m[1]!;
  }
  return null;
}

export function standInModel(opts: { profile: SkillProfile; plan: TaskPlan }): Brain {
  const threads = new Map<string, { brain: AgentBrain; self: string; turn: number }>();
  let repoRoot: string | null = null;
  const started = Date.now();
  const rng = new Rng(1);
  const context = (self: string, turn: number): TurnContext => {
    const ctx: TurnContext = {
      thread: self,
      turn: `stand-in-${self}-${turn}`,
      rng: rng.fork(`${self}-${turn}`),
      tools: TOOL_NAMES,
      host: 'desktop',
      now: () => Date.now() - started,
      nowIso: () => new Date().toISOString(),
      // The brain's own context stands in for these two: its tool calls and its workspace (a shell)
      // go through Codex as function calls; nothing here is ever called.
      call: () => Promise.reject(new Error('the stand-in calls tools through Codex')),
      ws: null as never,
      traced: (inner) => inner,
      record: () => {},
      say: () => {},
      sleep: () => Promise.resolve(),
    };
    return ctx;
  };
  return async (req: ModelRequest) => {
    // What tells the threads apart at a real endpoint: Codex's prompt cache key is its thread id.
    const id = String(req.body.prompt_cache_key ?? req.headers['thread-id'] ?? '');
    let t = threads.get(id);
    if (!t) {
      // A leader is first spoken to by the person, a worker by its leader (several runs may share the stand-in).
      if (!turnInputs(req.input).some((i) => i.cause === 'delegation')) {
        repoRoot = cwdOf(req.input);
        if (!repoRoot) throw new Error('stand-in: the first request names no working directory');
        const env = {
          profile: opts.profile,
          plan: opts.plan,
          repoRoot,
          projectId: PROJECT_ID,
          commands: { [opts.plan.verifyCommand]: opts.plan.verifyCommand },
        };
        t = { brain: new ReferenceBrain(env), self: LEADER_ID, turn: 0 };
      } else {
        const worker: Agent = new SimWorker({ profile: opts.profile, behaviourFor: () => ({ kind: 'diligent' }) });
        const brain = new AgentBrain(() => worker, {
          repoRoot: repoRoot!,
          commands: { [opts.plan.verifyCommand]: opts.plan.verifyCommand },
          afterCompaction: 'Rereading my report.',
        });
        t = { brain, self: id, turn: 0 };
      }
      threads.set(id, t);
    }
    // Input that arrives while a call is out (the person's cancel, steered in) can make Codex drop
    // the call: its output never comes, and the turn goes on from the new input.
    if (t.brain.busy && !t.brain.answers(req)) t.brain.reset();
    if (!t.brain.busy) {
      const inputs = turnInputs(req.input);
      t.brain.beginTurn(context(t.self, ++t.turn), inputs);
    }
    return t.brain.brain(req);
  };
}
