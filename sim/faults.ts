import type { Fault } from './scenario/schema.ts';
import type { FaultHooks, World } from './world/world.ts';
import type { Agent } from '../src/ports/agent.ts';
import type { SimThread } from './world/types.ts';
import { paraphrase } from '../src/skill/paraphrase.ts';
import { type Forms, recognise } from '../src/skill/views.ts';

/** What a paraphrase needs to know of the skill: its forms, and which files are the journal and reports. */
export interface ParaphraseContext {
  forms: Forms;
  isJournal(path: string): boolean;
  reportPath: string;
}

// The scenario's faults, applied at the moments they name. Each one that actually strikes is
// written to the trace as a `fault` event: coverage is read from there, so a green run that
// exercised nothing shows it.

type MessageFault = Extract<Fault, { kind: 'drop-message' | 'delay-message' | 'duplicate-message' | 'reorder-messages' }>;

/** How long a reordered message is held back: long enough for the next one to overtake it. */
const HOLD_MS = 3 * 60_000;

export class FaultPlan implements FaultHooks {
  private readonly left: number[];
  private leaderTurns = 0;

  constructor(
    private readonly faults: Fault[],
    private readonly leaderId: () => string,
    /** A fresh leader with no memory but its journal. */
    private readonly freshLeader: () => Agent,
    private readonly skill: ParaphraseContext | null = null,
  ) {
    this.left = faults.map((f) => (f.kind === 'paraphrase' ? (f.count ?? Infinity) : 'count' in f ? f.count : 1));
  }

  private roleOf(w: World, thread: string): string | undefined {
    return thread === this.leaderId() ? 'leader' : w.roles.get(thread);
  }

  /** The live thread that currently plays `role`. */
  private threadOf(w: World, role: string): SimThread | undefined {
    const candidates = [...w.roles.entries()].filter(([, r]) => r === role).map(([id]) => w.thread(id)!);
    return candidates.filter((t) => !t.archived).at(-1);
  }

  onMessage(w: World, msg: { id: string; from: string; to: string; text: string }) {
    const now = w.now();
    let copies = 1;
    let delayMs = 0;
    let text: string | undefined;
    this.faults.forEach((f, i) => {
      if (f.kind === 'paraphrase') {
        if (f.on === 'files' || this.left[i]! <= 0 || !this.skill) return;
        if (f.from && this.roleOf(w, msg.from) !== f.from) return;
        if (f.to && this.roleOf(w, msg.to) !== f.to) return;
        if (f.after !== undefined && now < f.after) return;
        if (f.before !== undefined && now >= f.before) return;
        this.left[i]!--;
        const seen = recognise(this.skill.forms, msg.text, ['registration', 'dispatch']);
        const r = paraphrase(text ?? msg.text, seen ? this.skill.forms[seen.kind] : null, this.rand(w));
        text = r.text;
        w.trace.emit({ kind: 'fault', fault: 'paraphrase', detail: `message ${msg.id}: ${r.applied.join(', ')}`, target: msg.to });
        return;
      }
      if (!isMessageFault(f) || this.left[i]! <= 0) return;
      if (f.from && this.roleOf(w, msg.from) !== f.from) return;
      if (f.to && this.roleOf(w, msg.to) !== f.to) return;
      if (f.after !== undefined && now < f.after) return;
      if (f.before !== undefined && now >= f.before) return;
      this.left[i]!--;
      if (f.kind === 'drop-message') copies = 0;
      else if (f.kind === 'duplicate-message') copies = Math.max(copies, 2);
      else if (f.kind === 'delay-message') delayMs += f.by;
      else delayMs += HOLD_MS;
      w.trace.emit({ kind: 'fault', fault: f.kind, detail: `message ${msg.id}`, target: msg.to });
    });
    return { copies, delayMs, ...(text !== undefined ? { text } : {}) };
  }

  private paraphraseRng: (() => number) | null = null;
  /** One seeded stream for every rewrite of the run. */
  private rand(w: World): () => number {
    if (!this.paraphraseRng) {
      const rng = w.rng.fork('paraphrase');
      this.paraphraseRng = () => rng.float();
    }
    return this.paraphraseRng;
  }

  /** The journal and the worker reports, as a model would write them in its own way. */
  onWrite(w: World, write: { actor: string; dir: string; path: string; content: string }): string {
    const skill = this.skill;
    if (!skill) return write.content;
    const kind = skill.isJournal(write.path) ? 'state' : write.path === skill.reportPath ? 'report' : null;
    if (!kind) return write.content;
    let content = write.content;
    this.faults.forEach((f, i) => {
      if (f.kind !== 'paraphrase' || f.on === 'messages' || this.left[i]! <= 0) return;
      if (f.from && this.roleOf(w, write.actor) !== f.from) return;
      if (f.after !== undefined && w.now() < f.after) return;
      if (f.before !== undefined && w.now() >= f.before) return;
      this.left[i]!--;
      const r = paraphrase(content, skill.forms[kind], this.rand(w));
      content = r.text;
      w.trace.emit({ kind: 'fault', fault: 'paraphrase', detail: `${write.path}: ${r.applied.join(', ')}`, target: write.actor });
    });
    return content;
  }

  onToolCall(w: World, call: { thread: string; tool: string }): string | null {
    const now = w.now();
    for (let i = 0; i < this.faults.length; i++) {
      const f = this.faults[i]!;
      if (f.kind !== 'tool-failure' || this.left[i]! <= 0 || f.tool !== call.tool) continue;
      if (f.after !== undefined && now < f.after) continue;
      this.left[i]!--;
      w.trace.emit({ kind: 'fault', fault: 'tool-failure', detail: call.tool, target: call.thread });
      return `${call.tool} failed: the service is temporarily unavailable`;
    }
    return null;
  }

  /** Called before each leader turn: the context-loss faults strike here. */
  beforeLeaderTurn(w: World, leader: SimThread): void {
    this.leaderTurns++;
    this.faults.forEach((f, i) => {
      if (f.kind !== 'context-loss' || this.left[i]! <= 0) return;
      const due = f.turn !== undefined ? this.leaderTurns === f.turn : w.now() >= f.at!;
      if (!due) return;
      this.left[i]!--;
      w.replaceAgent(leader.id, this.freshLeader());
      w.trace.emit({ kind: 'fault', fault: 'context-loss', detail: `before leader turn ${this.leaderTurns}`, target: leader.id });
    });
  }

  /** Queue the faults that strike at a time of their own. */
  schedule(w: World): void {
    for (const f of this.faults) {
      if (f.kind === 'system-error') {
        w.sched.at(f.at, 'fault system-error', () => {
          const t = this.threadOf(w, f.target);
          if (!t) return;
          w.trace.emit({ kind: 'fault', fault: f.kind, detail: `thread of ${f.target}`, target: t.id });
          w.setStatus(t, 'systemError');
        });
      } else if (f.kind === 'remove-worktree') {
        w.sched.at(f.at, 'fault remove-worktree', async () => {
          const t = this.threadOf(w, f.target);
          if (!t?.worktree) return;
          w.trace.emit({ kind: 'fault', fault: f.kind, detail: t.worktree.dir, target: t.id });
          await w.ws.worktreeRemove(t.worktree.dir, { force: true }).catch(() => undefined);
        });
      } else if (f.kind === 'move-branch') {
        w.sched.at(f.at, 'fault move-branch', async () => {
          const t = this.threadOf(w, f.target);
          if (!t?.worktree) return;
          w.trace.emit({ kind: 'fault', fault: f.kind, detail: `${t.worktree.branch} -> ${t.worktree.base}`, target: t.id });
          await w.ws.setBranch(t.worktree.branch, t.worktree.base).catch(() => undefined);
        });
      } else if (f.kind === 'clock-jump') {
        w.sched.at(f.at, 'fault clock-jump', () => {
          w.trace.emit({ kind: 'fault', fault: f.kind, detail: `+${f.by} ms` });
          w.sched.jump(f.by);
        });
      }
    }
  }
}

function isMessageFault(f: Fault): f is MessageFault {
  return f.kind === 'drop-message' || f.kind === 'delay-message' || f.kind === 'duplicate-message' || f.kind === 'reorder-messages';
}
