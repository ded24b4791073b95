import type { SkillProfile } from '../../src/skill/types.ts';
import { parseHeader } from '../../src/skill/index.ts';
import { type Forms, assignmentOf, formsOf, recognise } from '../../src/skill/views.ts';
import type { Agent, TurnContext, TurnInput } from '../../src/ports/agent.ts';
import type { Assignment } from './assignment.ts';
import { type Behaviour, type BehaviourSpec, type LeaderRequest, makeBehaviour } from './behaviours.ts';
import { unwrapDelegation } from '../../src/contract/envelopes.ts';
import { WorkerKit } from './kit.ts';

export interface WorkerEnv {
  profile: SkillProfile;
  /** The behaviour for a role, decided when the dispatch names it (replacements get their own). */
  behaviourFor(role: string): BehaviourSpec;
  /** Tells the world which role this thread took (for faults aimed at a role). */
  onRole?(role: string): void;
}

/** Classifies a leader's free-form message (rework, status request, stop, unblock). */
export function classifyRequest(text: string): LeaderRequest {
  if (/\b(stop|cancel(l?ed)?|abort(ed)?)\b/i.test(text)) return 'stop';
  if (/\b(rework|fix|revise|redo|send back)\b/i.test(text)) return 'rework';
  if (/\b(unblock(ed)?|peer .* (done|complete)|you can continue|go ahead)\b/i.test(text)) return 'unblock';
  if (/\bstatus\b/i.test(text)) return 'status';
  return 'other';
}

/**
 * A simulated worker thread. It learns who it is from the registration and what to do from
 * the dispatch, both read by un-rendering the skill's templates; then its behaviour acts.
 */
export class SimWorker implements Agent {
  private reg: Partial<Assignment> = {};
  private a: Assignment | null = null;
  private behaviour: Behaviour | null = null;
  private readonly forms: Forms;

  constructor(private readonly env: WorkerEnv) {
    this.forms = formsOf(env.profile.templates);
  }

  get assignment(): Assignment | null {
    return this.a;
  }

  async turn(ctx: TurnContext, inputs: TurnInput[]): Promise<void> {
    for (const input of inputs) {
      const d = input.cause === 'delegation' ? unwrapDelegation(input.text) : null;
      if (!d) continue;
      await this.handle(ctx, d.source, d.text);
    }
  }

  private async handle(ctx: TurnContext, source: string, text: string): Promise<void> {
    const { profile } = this.env;
    const header = parseHeader(profile, text);
    // A message whose header does not match where it came from is not acted on.
    if (header && header.threadId !== source) {
      ctx.say(`Ignoring a message whose header (${header.threadId}) does not match its sender (${source}).`);
      return;
    }
    const seen = recognise(this.forms, text, ['registration', 'dispatch']);
    if (seen?.kind === 'registration') {
      this.reg = { ...assignmentOf(seen.reading) };
      this.reg.leader ??= source;
      this.reg.self ??= ctx.thread;
      if (this.reg.role) this.env.onRole?.(this.reg.role);
      return;
    }
    if (seen?.kind === 'dispatch') {
      if (this.a) {
        // A second dispatch is a rework of the same task, scoped by the leader.
        await this.behaviour?.onRequest(this.kit(ctx), 'rework', text);
        return;
      }
      const d = assignmentOf(seen.reading);
      this.a = {
        role: d.role ?? this.reg.role ?? 'worker',
        self: d.self ?? this.reg.self ?? ctx.thread,
        leader: d.leader ?? this.reg.leader ?? source,
        branch: d.branch ?? this.reg.branch ?? '',
        dir: d.dir ?? this.reg.dir ?? '',
        base: d.base ?? '',
        integration: d.integration ?? this.reg.integration ?? '',
        scope: d.scope ?? '',
        owned: d.owned ?? [],
        notOwned: d.notOwned ?? [],
        verification: d.verification ?? [],
        roster: d.roster ?? [],
        collaborators: d.collaborators ?? [],
        reportPath: d.reportPath ?? profile.workerReportPath.value,
        notesPath: d.notesPath ?? profile.workerNotesPath.value,
      };
      this.env.onRole?.(this.a.role);
      this.behaviour = makeBehaviour(this.env.behaviourFor(this.a.role));
      await this.behaviour.onDispatch(this.kit(ctx));
      return;
    }
    if (!this.a || !this.behaviour) {
      // Before its dispatch a worker does nothing (its registration says so).
      if (!this.reg.role) ctx.say('Waiting for registration and dispatch.');
      return;
    }
    if (source !== this.a.leader) return;
    await this.behaviour.onRequest(this.kit(ctx), classifyRequest(text), text);
  }

  private kit(ctx: TurnContext): WorkerKit {
    return new WorkerKit(ctx, this.a!, this.env.profile);
  }
}
