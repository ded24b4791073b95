// One turn of the reference leader: what it knows (the skill's profile, the plan, the run state
// read from the journal) and its outward acts, each journaled. The phases (team.ts, signals.ts,
// polling.ts, merging.ts, ending.ts) are functions over a Turn.

import type { Thinking } from '../contract/common.ts';
import { TUI_LIST_LIMIT } from '../contract/hosts.ts';
import type { InputOf, ResultOf, ToolName } from '../contract/registry.ts';
import type { CallResult, TurnContext } from '../ports/agent.ts';
import type { LeaderEnv, TaskArea } from '../ports/leader-env.ts';
import type { Workspace } from '../ports/workspace.ts';
import { composeMessage } from '../skill/compose.ts';
import type { FillValues } from '../skill/form-fill.ts';
import { renderHeader } from '../skill/index.ts';
import type { SkillProfile, TemplateKind } from '../skill/types.ts';
import { type Forms, formsOf } from '../skill/views.ts';
import type { Defects, Step } from './defects.ts';
import { Journal } from './journal.ts';
import { CALL_ATTEMPTS, THREAD_LIST_LIMIT } from './policy.ts';
import { type RunState, type WorkerRecord, current } from './state.ts';
import { workerTitlePrefix } from './texts.ts';

export class Turn {
  readonly p: SkillProfile;
  readonly root: string;
  readonly journal: Journal;
  readonly forms: Forms;
  /** The tool port, as the defects (if any) alter it. */
  readonly ctx: TurnContext;
  /** The run state; null until the journal is read or a run begins. */
  st: RunState | null = null;

  constructor(
    readonly env: LeaderEnv,
    private readonly defects: Defects,
    ctx: TurnContext,
    /** The first turn of this leader instance: a fresh instance is a leader that lost its context. */
    readonly firstTurn: boolean,
  ) {
    this.p = env.profile;
    this.root = env.repoRoot;
    this.ctx = defects.port(ctx);
    const areas = env.plan.areas;
    this.journal = new Journal(ctx.ws, this.root, this.p, defects.journalKey(ctx.thread), {
      scopes: Object.fromEntries(areas.map((a) => [a.role, a.scope])),
      collaborators: Object.fromEntries(areas.filter((a) => a.collaborators.length).map((a) => [a.role, a.collaborators])),
    });
    this.forms = formsOf(this.p.templates);
  }

  /** The run state, once a run exists (every phase after the router runs with one). */
  get run(): RunState {
    return this.st!;
  }

  get ws(): Workspace {
    return this.ctx.ws;
  }

  does(step: Step): boolean {
    return this.defects.does(step);
  }

  area(role: string): TaskArea {
    return this.env.plan.areas.find((a) => a.role === role)!;
  }

  /** Journal the state (with a decision line, if any): every change is saved before the next outward act. */
  async save(decision?: string): Promise<void> {
    const st = this.run;
    if (decision) st.decisions.push(`[${this.ctx.nowIso()}] ${decision.replace(/\n/g, ' ')}`);
    st.updatedAt = this.ctx.nowIso();
    if (!this.does('journal-each-step') && st.workers.some((w) => w.state === 'registered')) return;
    await this.journal.write(st);
  }

  /** An act and its journal line in one: `line` records what the result changed and says it. */
  async act<T>(effect: Promise<T>, line: (result: T) => string | undefined): Promise<T> {
    const result = await effect;
    await this.save(line(result));
    return result;
  }

  call<N extends ToolName>(tool: N, args: InputOf<N>): Promise<CallResult<ResultOf<N>>> {
    return this.ctx.call(tool, args);
  }

  /** A call whose failure would cost the run (a task, a wake-up, a live thread left behind): a transient outage is tried again. */
  callRetried<N extends ToolName>(tool: N, args: InputOf<N>): Promise<CallResult<ResultOf<N>>>;
  /** A tool in another host's shape (the terminal UI's create_thread), answered as that host answers. */
  callRetried(tool: string, args: unknown): Promise<CallResult>;
  async callRetried(tool: string, args: unknown): Promise<CallResult> {
    let r = await this.ctx.call(tool, args);
    for (let attempt = 1; attempt < CALL_ATTEMPTS && !r.ok; attempt++) r = await this.ctx.call(tool, args);
    return r;
  }

  header(): string {
    return renderHeader(this.p, 'leader', this.ctx.thread);
  }

  /** A message in the leader's own words, under the header. */
  async send(to: string, body: string, opts: { retried?: boolean } = {}): Promise<boolean> {
    const args = { threadId: to, prompt: `${this.header()}\n${body}` };
    return (await (opts.retried ? this.callRetried('send_message_to_thread', args) : this.call('send_message_to_thread', args))).ok;
  }

  /**
   * A template of the skill, filled in: the values where the form asks for them, rows where
   * it repeats a line per worker, and for a free-text hole nothing is invented: it says none.
   * A message template without the header line gets it added on top.
   */
  fill(kind: TemplateKind, values: FillValues, header = true): string {
    // A free-text cell of a worker's row says what the plan says of that worker; elsewhere, none.
    const free = (h: { row?: Readonly<Record<string, string | undefined>> }) => h.row?.scope ?? h.row?.text ?? 'none';
    return composeMessage(this.p, kind, values, { free }, header ? { role: 'leader', id: this.ctx.thread } : null);
  }

  settings(): { model: string; thinking: Thinking } {
    // As the user or the journal gave it: the contract refuses a level it does not know.
    return { model: this.run.model, thinking: this.run.thinking as Thinking };
  }

  byThread(id: string): WorkerRecord | undefined {
    return this.run.workers.find((w) => w.thread === id);
  }

  started(w: WorkerRecord): void {
    w.state = 'started';
    w.startedAt ||= this.ctx.now();
  }

  /** A thread by id, or (for a pending worktree) the new thread whose title names the role. */
  async findThread(id: string, role: string | null): Promise<{ id: string; cwd: string } | null> {
    // The terminal UI's list_threads takes at most 50.
    const r = await this.call('list_threads', { limit: this.ctx.host === 'tui' ? TUI_LIST_LIMIT : THREAD_LIST_LIMIT });
    if (!r.ok) return null;
    const all = [...r.payload.pinnedThreads, ...r.payload.threads] as { id: string; cwd: string; title: string | null }[];
    const known = new Set(this.run.workers.map((w) => w.thread));
    const hit = id ? all.find((t) => t.id === id) : all.find((t) => !known.has(t.id) && (t.title ?? '').startsWith(workerTitlePrefix(role ?? '')));
    return hit ? { id: hit.id, cwd: hit.cwd } : null;
  }

  /** Archive a worker's thread, retried: a live thread left behind keeps working. */
  archive(thread: string): Promise<CallResult> {
    return this.callRetried('set_thread_archived', { threadId: thread, archived: true });
  }

  /** A heartbeat change, retried: a transient outage must not leave it running. */
  async heartbeatCall(args: InputOf<'automation_update'>): Promise<boolean> {
    return (await this.callRetried('automation_update', args)).ok;
  }

  async setHeartbeat(status: 'ACTIVE' | 'PAUSED'): Promise<boolean> {
    const hb = this.run.heartbeat!;
    if (!(await this.heartbeatCall({ mode: 'update', id: hb.id, status }))) return false;
    hb.status = status;
    return true;
  }

  /** What the leader can see of a worker's progress without reading its transcript; null when its worktree is gone. */
  async progressSignature(w: WorkerRecord): Promise<string | null> {
    let notes: string;
    try {
      notes = (await this.ws.readFile(w.dir, this.p.workerNotesPath.value)) ?? '';
    } catch {
      return null;
    }
    let tip = '';
    try {
      tip = await this.ws.resolve(w.branch);
    } catch {
      tip = 'missing';
    }
    return `${notes.length}:${tip.slice(0, 12)}`;
  }

  /** The roles of the current workers. */
  roles(): string[] {
    return current(this.run).map((w) => w.role);
  }
}
