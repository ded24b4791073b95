import { z } from 'zod';
import { BUG_LINE, type WorkerKit, contributionLine } from './kit.ts';

// The catalogue of scripted worker behaviours. Each reacts to the leader's messages through
// the tools and the workspace, as a real worker thread would; the misbehaving ones fail in
// exactly one way, so a scenario names the failure it wants to meet.

export const BEHAVIOURS = [
  'diligent',
  'slow',
  'never-starts',
  'stalls-mid-task',
  'silent-drop',
  'false-complete',
  'conflict-maker',
  'scope-creep',
  'wrong-directory',
  'payload-paster',
  'peer-waiter',
  'long-command',
  'ignores-stop',
  'bad-header',
  'buggy',
] as const;
export type BehaviourName = (typeof BEHAVIOURS)[number];

export const behaviourSpecSchema = z
  .object({
    kind: z.enum(BEHAVIOURS),
    /** Minutes of work before the task is done. */
    workMinutes: z.number().positive().max(600).optional(),
    /** Minutes before the first visible response to the dispatch. */
    startMinutes: z.number().nonnegative().max(120).optional(),
    /** slow: how many times longer than diligent. */
    factor: z.number().min(1).max(20).optional(),
    /** conflict-maker, scope-creep: the file outside the worker's ownership it edits. */
    file: z.string().min(1).optional(),
    /** peer-waiter: the role it waits on. */
    peer: z.string().min(1).optional(),
    /** long-command: how long the command runs. */
    commandMinutes: z.number().positive().max(600).optional(),
    /** stalls-mid-task, silent-drop: minutes of work before going quiet. */
    afterMinutes: z.number().nonnegative().max(600).optional(),
  })
  .strict();
export type BehaviourSpec = z.infer<typeof behaviourSpecSchema>;

export type LeaderRequest = 'status' | 'rework' | 'stop' | 'unblock' | 'other';

export interface Behaviour {
  onDispatch(k: WorkerKit): Promise<void>;
  /** A message from the leader that is not a template: what it asks decides the hook. */
  onRequest(k: WorkerKit, kind: LeaderRequest, text: string): Promise<void>;
}

const FOREVER = 7 * 24 * 60 * 60_000;

/** The honest worker; the others override one part of it. */
class Diligent implements Behaviour {
  protected done = false;
  protected reworks = 0;
  /** Files outside its ownership this worker touched (what a rework takes back). */
  protected strays: string[] = [];
  constructor(readonly spec: BehaviourSpec) {}

  protected get minutes(): number {
    return this.spec.workMinutes ?? 12;
  }

  async start(k: WorkerKit): Promise<void> {
    await k.ctx.sleep((this.spec.startMinutes ?? 0.5) * 60_000);
    k.ctx.say(`Starting ${k.a.role}: ${k.a.scope.split('\n')[0]}`);
    await k.note(`started; dispatch read; base ${k.a.base.slice(0, 12)}`);
  }

  async onDispatch(k: WorkerKit): Promise<void> {
    await this.start(k);
    await k.work(this.minutes, 'implementing');
    await this.edit(k);
    await k.finish(`Implemented ${k.a.scope.split('\n')[0]}.`);
    this.done = true;
  }

  protected async edit(k: WorkerKit): Promise<void> {
    await k.editOwned();
  }

  async onRequest(k: WorkerKit, kind: LeaderRequest, text: string): Promise<void> {
    if (kind === 'status') {
      await k.sendLeader(this.done ? `STATUS done; report at ${k.a.reportPath}` : `STATUS working; notes at ${k.a.notesPath}`);
    } else if (kind === 'rework') {
      this.reworks++;
      await k.work(Math.max(2, Math.round(this.minutes / 3)), 'rework');
      await this.rework(k, text);
      await k.finish(`Rework ${this.reworks}: addressed the leader's review.`);
    } else if (kind === 'stop') {
      await k.note('stop requested: committing work in progress');
      await k.ctx.ws.commitAll(k.dir(), `${k.a.role}: work in progress (stopped)`);
      k.ctx.say('Stopped; work in progress committed.');
    }
  }

  /** Fix what review found: out-of-scope edits and planted defects are taken back. */
  protected async rework(k: WorkerKit, text: string): Promise<void> {
    const line = contributionLine(k.a.role, k.a.scope);
    for (const f of [...k.a.notOwned, ...this.strays]) if (text.includes(f)) await k.removeLine(f, line);
    for (const f of k.a.owned) await k.removeLine(f, BUG_LINE);
    const tree = await Promise.all(k.a.owned.map(async (f) => (await k.ctx.ws.readFile(k.dir(), f)) ?? ''));
    if (tree.some((content) => !content.includes(line))) await k.editOwned();
  }
}

class Slow extends Diligent {
  protected override get minutes(): number {
    return (this.spec.workMinutes ?? 12) * (this.spec.factor ?? 4);
  }
}

/** The dispatch arrives and the thread never shows anything for it. */
class NeverStarts extends Diligent {
  override async onDispatch(k: WorkerKit): Promise<void> {
    await k.ctx.sleep(FOREVER);
  }
  override async onRequest(): Promise<void> {}
}

/** Starts, shows progress, then hangs inside its turn: active and silent. */
class StallsMidTask extends Diligent {
  override async onDispatch(k: WorkerKit): Promise<void> {
    await this.start(k);
    await k.work(this.spec.afterMinutes ?? 4, 'implementing');
    await k.ctx.sleep(FOREVER);
  }
  override async onRequest(): Promise<void> {
    await Promise.resolve();
  }
}

/** Starts and works a little, then ends its turn and never answers anything again. */
class SilentDrop extends Diligent {
  override async onDispatch(k: WorkerKit): Promise<void> {
    await this.start(k);
    await k.work(this.spec.afterMinutes ?? 4, 'implementing');
  }
  override async onRequest(): Promise<void> {}
}

/** Says COMPLETE without committing anything; honest once it is sent back. */
class FalseComplete extends Diligent {
  override async onDispatch(k: WorkerKit): Promise<void> {
    await this.start(k);
    await k.work(Math.max(1, Math.round(this.minutes / 4)), 'implementing');
    const sha = await k.ctx.ws.resolve(k.a.branch);
    await k.writeReport(sha, 'Implemented everything.', ['all green']);
    k.ctx.say('Done.');
    await k.complete(sha);
  }
}

/** Also edits a file another worker owns, at the same place: a real merge conflict. */
class ConflictMaker extends Diligent {
  protected override async edit(k: WorkerKit): Promise<void> {
    await k.editOwned();
    const target = this.spec.file ?? k.a.notOwned[0];
    if (target) {
      this.strays.push(target);
      await k.appendLine(target, contributionLine(k.a.role, k.a.scope));
    }
  }
}

/** Edits a file outside its scope that nobody else touches; review must catch it. */
class ScopeCreep extends ConflictMaker {}

/** Does its edits in the leader's checkout instead of its own worktree. */
class WrongDirectory extends Diligent {
  private strayed = false;
  protected override async edit(k: WorkerKit): Promise<void> {
    if (!this.strayed) {
      this.strayed = true;
      await k.editOwned(k.ctx.ws.root);
    } else {
      await k.editOwned();
    }
  }
}

/** Pastes its whole report into the completion message. */
class PayloadPaster extends Diligent {
  override async onDispatch(k: WorkerKit): Promise<void> {
    await this.start(k);
    await k.work(this.minutes, 'implementing');
    await k.editOwned();
    const sha = await k.commitAndReport(`Implemented ${k.a.scope.split('\n')[0]}.`);
    const report = (await k.ctx.ws.readFile(k.dir(), k.a.reportPath)) ?? '';
    const padding = `\n\nFull diff follows:\n${'+'.repeat(k.profile.messageLimit.value)}`;
    await k.sendLeader(`${k.profile.completionSignal.value} ${k.a.reportPath} ${sha}\n\n${report}${padding}`);
    this.done = true;
  }
}

/** Blocks on a named peer and waits; finishes once the leader says the peer is done. */
class PeerWaiter extends Diligent {
  override async onDispatch(k: WorkerKit): Promise<void> {
    await this.start(k);
    await k.work(Math.max(1, Math.round(this.minutes / 3)), 'implementing');
    const peer = this.spec.peer ?? k.a.collaborators[0] ?? 'a peer';
    await k.note(`waiting on ${peer}`);
    await k.blocked(`waiting on peer ${peer}`);
  }
  override async onRequest(k: WorkerKit, kind: LeaderRequest, text: string): Promise<void> {
    if (kind === 'unblock' && !this.done) {
      await k.work(Math.max(1, Math.round((this.minutes * 2) / 3)), 'implementing');
      await k.editOwned();
      await k.finish(`Implemented ${k.a.scope.split('\n')[0]} after the peer finished.`);
      this.done = true;
      return;
    }
    if (kind === 'status' && !this.done) {
      await k.blocked(`waiting on peer ${this.spec.peer ?? k.a.collaborators[0] ?? 'a peer'}`);
      return;
    }
    await super.onRequest(k, kind, text);
  }
}

/** Announces a long command, then is silent inside it for a long time. */
class LongCommand extends Diligent {
  override async onDispatch(k: WorkerKit): Promise<void> {
    await this.start(k);
    await k.work(Math.max(1, Math.round(this.minutes / 3)), 'implementing');
    const minutes = this.spec.commandMinutes ?? 20;
    await k.note(`running the full test suite (about ${minutes} min)`);
    await k.sendLeader(`STATUS running a long command: the full test suite, about ${minutes} min`);
    await k.ctx.sleep(minutes * 60_000);
    await k.editOwned();
    await k.finish(`Implemented ${k.a.scope.split('\n')[0]}; full suite run.`);
    this.done = true;
  }
}

/** Keeps going when told to stop. */
class IgnoresStop extends Diligent {
  override async onRequest(k: WorkerKit, kind: LeaderRequest, text: string): Promise<void> {
    if (kind === 'stop') {
      k.ctx.say('Continuing anyway.');
      await k.work(this.minutes, 'still implementing');
      return;
    }
    await super.onRequest(k, kind, text);
  }
}

/** Signs its messages with a header that does not match the roster. */
class BadHeader extends Diligent {
  override async onDispatch(k: WorkerKit): Promise<void> {
    await this.start(k);
    await k.work(this.minutes, 'implementing');
    await k.editOwned();
    const sha = await k.commitAndReport(`Implemented ${k.a.scope.split('\n')[0]}.`);
    await k.ctx.call('send_message_to_thread', {
      threadId: k.a.leader,
      prompt: `From: ${k.a.role}\n${k.profile.completionSignal.value} ${k.a.reportPath} ${sha}`,
    });
    this.done = true;
  }
}

/** Leaves a defect that fails verification; fixes it when sent back. */
class Buggy extends Diligent {
  private planted = false;
  protected override async edit(k: WorkerKit): Promise<void> {
    await k.editOwned();
    if (!this.planted && k.a.owned[0]) {
      this.planted = true;
      await k.appendLine(k.a.owned[0], BUG_LINE);
    }
  }
}

const MAKERS: Record<BehaviourName, new (spec: BehaviourSpec) => Behaviour> = {
  diligent: Diligent,
  slow: Slow,
  'never-starts': NeverStarts,
  'stalls-mid-task': StallsMidTask,
  'silent-drop': SilentDrop,
  'false-complete': FalseComplete,
  'conflict-maker': ConflictMaker,
  'scope-creep': ScopeCreep,
  'wrong-directory': WrongDirectory,
  'payload-paster': PayloadPaster,
  'peer-waiter': PeerWaiter,
  'long-command': LongCommand,
  'ignores-stop': IgnoresStop,
  'bad-header': BadHeader,
  buggy: Buggy,
};

export function makeBehaviour(spec: BehaviourSpec): Behaviour {
  return new MAKERS[spec.kind](spec);
}
