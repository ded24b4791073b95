import { journalPathRegex, renderHeader } from '../skill/index.ts';
import type { SkillProfile, TemplateKind } from '../skill/types.ts';
import { composeMessage } from '../skill/compose.ts';
import type { FillValues } from '../skill/form-fill.ts';
import { readForm } from '../skill/form-read.ts';
import { type Forms, RECOGNISE_AT, formsOf, recognise, reportOf } from '../skill/views.ts';
import { formSlots } from '../skill/form.ts';
import type { Agent, CallResult, TurnContext, TurnInput } from '../ports/agent.ts';
import type { LeaderEnv } from '../ports/leader-env.ts';
import type { InputOf, ResultOf, ToolName } from '../contract/registry.ts';
import type { Thinking } from '../contract/common.ts';
import { Journal, journalPath, journalStatus } from './journal.ts';
import { type Inbox, type WorkerSignal, sortInputs } from './messages.ts';
import { type RunState, type WorkerRecord, active, current, newWorker } from './state.ts';
import { planFor, viability } from './plan.ts';
import { resolveMechanically } from './conflicts.ts';
import type { Flaw } from '../core/flaws.ts';

/**
 * The thread-team protocol as deterministic code. It is driven by the skill: settings,
 * intervals, paths and signals come from the profile, and every message to a worker is a
 * template of the skill rendered verbatim. Between turns it remembers nothing: each turn
 * starts by reading the journal, and every change is journaled before the next outward act.
 */
export class ReferenceLeader implements Agent {
  /** Turns this instance has run: a fresh instance is a leader that lost its context. */
  private turns = 0;

  constructor(
    private readonly env: LeaderEnv,
    /** Deliberate defects, for proving that the invariants catch them (never set in real runs). */
    private readonly flaws: ReadonlySet<Flaw> = new Set(),
  ) {}

  async turn(ctx: TurnContext, inputs: TurnInput[]): Promise<void> {
    this.turns++;
    await new LeaderTurn(this.env, this.flaws, ctx, this.turns === 1).run(inputs);
  }
}

const TERMINAL = new Set(['complete', 'aborted', 'declined']);

class LeaderTurn {
  private readonly p: SkillProfile;
  private readonly journal: Journal;
  private st: RunState | null = null;
  private readonly root: string;
  private readonly forms: Forms;

  constructor(
    private readonly env: LeaderEnv,
    private readonly flaws: ReadonlySet<Flaw>,
    private readonly ctx: TurnContext,
    private readonly firstTurn: boolean,
  ) {
    this.p = env.profile;
    this.root = env.repoRoot;
    const key = flaws.has('fixed-journal-path') ? 'leader' : ctx.thread;
    const areas = env.plan.areas;
    this.journal = new Journal(ctx.ws, this.root, this.p, key, {
      scopes: Object.fromEntries(areas.map((a) => [a.role, a.scope])),
      collaborators: Object.fromEntries(areas.filter((a) => a.collaborators.length).map((a) => [a.role, a.collaborators])),
    });
    this.forms = formsOf(this.p.templates);
  }

  private has(f: Flaw): boolean {
    return this.flaws.has(f);
  }

  // ---- the turn ------------------------------------------------------------------------

  async run(inputs: TurnInput[]): Promise<void> {
    const inbox = sortInputs(this.p, inputs);
    if (this.has('no-journal-read') && this.firstTurn && inbox.user.every((u) => u.intent !== 'task')) {
      // The amnesiac: woken with no memory, it does not reread the journal but starts the
      // team over from the task it was given, as if the user had just confirmed.
      this.st = this.freshState('running');
      await this.start('');
      return this.endHeartbeatTurn(inbox);
    }
    this.st = await this.journal.read();
    const st = this.st;
    if (st && TERMINAL.has(st.status) && inbox.heartbeats.length && !this.has('leak-heartbeat')) {
      // A heartbeat of a finished run is an orphan: it would wake this thread forever.
      for (const id of inbox.heartbeats) if (id) await this.heartbeatCall({ mode: 'delete', id });
      this.st = st;
      st.heartbeat = null;
      await this.save(`deleted orphan heartbeat ${inbox.heartbeats.join(', ')}`);
    }
    if (!st || TERMINAL.has(st.status)) {
      const task = inbox.user.find((u) => u.intent === 'task');
      if (task) await this.analyse();
      else if (st && inbox.user.some((u) => u.intent === 'status')) this.ctx.say(this.statusText());
      else if (st && inbox.user.some((u) => u.intent === 'cancel')) this.ctx.say(`Nothing to cancel: the run is already ${st.status}.`);
      return this.endHeartbeatTurn(inbox);
    }
    if (st.status === 'awaiting-confirmation') {
      const answer = inbox.user.find((u) => u.intent === 'confirm' || u.intent === 'decline');
      if (answer?.intent === 'decline') {
        st.status = 'declined';
        st.next = 'nothing: the user declined the team';
        await this.save('user declined the team; nothing was created');
        this.ctx.say('Understood: no team was started and nothing was created.');
        return;
      }
      if (answer) await this.start(answer.text);
      return this.endHeartbeatTurn(inbox);
    }
    // U1: a status question is answered whatever else arrived with it (a cancel included).
    if (inbox.user.some((u) => u.intent === 'status') && !this.has('no-status')) this.ctx.say(this.statusText());
    if (st.status === 'aborting') {
      await this.finishAbort();
      return this.endHeartbeatTurn(inbox);
    }
    if (inbox.user.some((u) => u.intent === 'cancel') && !this.has('no-teardown-on-cancel')) {
      await this.abort('the user cancelled the run');
      return this.endHeartbeatTurn(inbox);
    }
    await this.processSignals(inbox.workers);
    await this.poll(inbox.heartbeats.length > 0 || inbox.workers.length > 0, inbox.heartbeats.length > 0);
    await this.advance();
    this.endHeartbeatTurn(inbox);
  }

  private endHeartbeatTurn(inbox: Inbox): void {
    for (const id of inbox.heartbeats) {
      this.ctx.say(`<heartbeat><automation_id>${id}</automation_id><decision>DONT_NOTIFY</decision><message></message></heartbeat>`);
    }
  }

  private async save(decision?: string): Promise<void> {
    const st = this.st!;
    if (decision) st.decisions.push(`[${this.ctx.nowIso()}] ${decision.replace(/\n/g, ' ')}`);
    st.updatedAt = this.ctx.nowIso();
    if (this.has('skip-journal-before-dispatch') && st.workers.some((w) => w.state === 'registered')) return;
    await this.journal.write(st);
  }

  private async call<N extends ToolName>(tool: N, args: InputOf<N>): Promise<CallResult<ResultOf<N>>> {
    return this.ctx.call(tool, args);
  }

  /**
   * A template of the skill, filled in: the values where the form asks for them, rows where
   * it repeats a line per worker, and for a free-text hole nothing is invented: it says none.
   * A message template without the header line gets it added on top.
   */
  private fill(kind: TemplateKind, values: FillValues, header = true): string {
    // A free-text cell of a worker's row says what the plan says of that worker; elsewhere, none.
    const free = (h: { row?: Readonly<Record<string, string | undefined>> }) => h.row?.scope ?? h.row?.text ?? 'none';
    return composeMessage(this.p, kind, values, { free }, header ? { role: 'leader', id: this.ctx.thread } : null);
  }

  private header(): string {
    return renderHeader(this.p, 'leader', this.ctx.thread);
  }

  /** A call whose failure would cost the run (a task, a wake-up, a live thread left behind): a transient outage is tried three times. */
  private async callRetried<N extends ToolName>(tool: N, args: InputOf<N>): Promise<CallResult<ResultOf<N>>> {
    let r = await this.call(tool, args);
    for (let attempt = 1; attempt < 3 && !r.ok; attempt++) r = await this.call(tool, args);
    return r;
  }

  private async send(to: string, body: string, opts: { retried?: boolean } = {}): Promise<boolean> {
    const text = this.has('no-header') ? body : `${this.header()}\n${body}`;
    const args = { threadId: to, prompt: text };
    return (await (opts.retried ? this.callRetried('send_message_to_thread', args) : this.call('send_message_to_thread', args))).ok;
  }

  // ---- phase 1: analysis and split -------------------------------------------------------

  private async analyse(): Promise<void> {
    const missing = this.p.requiredTools.value.filter((t) => !this.ctx.tools.includes(t));
    if (missing.length > 0 && !this.has('ignore-missing-tools')) {
      this.ctx.say(
        `I cannot run a thread team here: the required thread tool${missing.length > 1 ? 's are' : ' is'} missing: ${missing.join(', ')}. ` +
          'I will not stand in with spawn_agent or other sub-agents.',
      );
      return;
    }
    const foreign = await this.foreignRuns();
    const plan = this.env.plan;
    const verdict = viability(plan);
    if (!verdict.team && !this.has('ignore-viability')) {
      this.ctx.say(
        `Direct execution recommended: ${verdict.reason}. A team would cost more in setup, polling and merging than it saves, so I created nothing and will do this in this thread.` +
          (foreign.length ? `\n${foreignNote(foreign)}` : ''),
      );
      return;
    }
    if (!this.has('no-exclude')) await this.ctx.ws.addExclude(this.root, '.thread-team/');
    this.st = this.freshState('awaiting-confirmation');
    this.st.integration = (await this.ctx.ws.currentBranch(this.root)) ?? 'main';
    await this.save(`team viable: ${verdict.reason}`);
    if (this.has('create-before-consent')) {
      await this.start('');
      return;
    }
    const lines = plan.areas.map((a) => `- ${a.role}: ${a.scope} (owns ${a.owns.join(', ')})`);
    this.ctx.say(
      [
        `Proposed thread team for: ${this.st.task}`,
        ...lines,
        `Worker settings: model ${this.st.model}, thinking ${this.st.thinking}; one branch and one exclusive git worktree per worker.`,
        ...(foreign.length ? [foreignNote(foreign)] : []),
        'Shall I create these workers with these settings?',
      ].join('\n'),
    );
  }

  private freshState(status: RunState['status']): RunState {
    const plan = this.env.plan;
    return {
      leader: this.ctx.thread,
      status,
      phase: this.p.phases.value[0]!,
      updatedAt: '',
      task: plan.prompt.split('\n')[0]!,
      model: this.p.defaultModel.value,
      thinking: this.p.defaultThinking.value,
      integration: 'main',
      keepWorktrees: plan.keepWorktrees,
      workers: [],
      heartbeat: null,
      merges: [],
      decisions: [],
      next: 'wait for the user to confirm the split and the worker settings',
      reason: '',
    };
  }

  /** Unfinished runs of other leaders in `.thread-team/`: reported, never touched (J5). */
  private async foreignRuns(): Promise<{ leader: string; status: string }[]> {
    const files = await this.ctx.ws.listFiles(this.root);
    const own = journalPath(this.p, this.ctx.thread);
    const pattern = journalPathRegex(this.p.journalPath.value);
    const out: { leader: string; status: string }[] = [];
    for (const f of files) {
      const m = pattern.exec(f);
      if (!m || f === own) continue;
      const text = await this.ctx.ws.readFile(this.root, f);
      let status = 'unreadable';
      try {
        status = text === null ? 'unreadable' : journalStatus(this.p, text).status || 'unreadable';
      } catch {
        status = 'unreadable';
      }
      if (!TERMINAL.has(status)) out.push({ leader: m[1]!, status });
      if (this.has('clean-foreign-runs')) await this.ctx.ws.removeFile(this.root, f);
    }
    return this.has('clean-foreign-runs') ? [] : out;
  }

  // ---- phases 2 and 3: workers, registration, dispatch -------------------------------------

  private async start(answer: string): Promise<void> {
    const st = this.st!;
    const model = /\bmodel\s+([\w.:-]+)/i.exec(answer)?.[1];
    // The tools take the level in lower case; a user may write `High`.
    const thinking = /\bthinking\s+(low|medium|high|xhigh|max|ultra)\b/i.exec(answer)?.[1]?.toLowerCase();
    if (model) st.model = model;
    if (thinking) st.thinking = thinking;
    if (/keep the worktrees/i.test(answer)) st.keepWorktrees = true;
    st.status = 'running';
    st.phase = this.p.phases.value[1]!;
    st.next = 'create the workers';
    await this.save(`user confirmed: model ${st.model}, thinking ${st.thinking}`);
    for (const area of this.env.plan.areas) {
      const w = newWorker(area.role, 1);
      st.workers.push(w);
      await this.createWorker(w);
    }
    await this.dispatchAll();
  }

  private workerIntro(w: WorkerRecord): string {
    return `${this.header()}\nThread-team worker ${w.role}: wait for your registration and dispatch; do nothing else.`;
  }

  private async createWorker(w: WorkerRecord): Promise<void> {
    const st = this.st!;
    const args: InputOf<'create_thread'> = {
      prompt: this.workerIntro(w),
      target: {
        type: 'project',
        projectId: this.env.projectId,
        environment: this.has('shared-worktree') ? { type: 'local' } : { type: 'worktree', startingState: { type: 'branch', branchName: st.integration } },
      },
    };
    if (!this.has('omit-settings')) {
      args.model = st.model;
      // As the user or the journal gave it: the contract refuses a level it does not know.
      args.thinking = st.thinking as Thinking;
    }
    // A transient outage must not cost a task: retried, and only then the task is excluded.
    const r = await this.callRetried('create_thread', args);
    if (!r.ok) {
      await this.exclude(w, `create_thread failed three times: ${r.error}`);
      return;
    }
    // One of three answers (src/contract/threads.ts): a thread, or a worktree still being made.
    const made = r.payload;
    const pending = typeof made.pendingWorktreeId === 'string' ? made.pendingWorktreeId : typeof made.clientThreadId === 'string' ? made.clientThreadId : null;
    if (pending) {
      w.state = 'pending';
      w.pending = pending;
      await this.save(`${w.role}: worktree being prepared (${w.pending}); will not create a second thread for it`);
      return;
    }
    w.thread = typeof made.threadId === 'string' ? made.threadId : '';
    w.state = 'created';
    await this.save(`${w.role} #${w.n}: thread ${w.thread} created`);
    await this.adopt(w);
  }

  /** The thread exists: learn its worktree (retried on the next pass if list_threads fails), journal it, register it. */
  private async adopt(w: WorkerRecord): Promise<void> {
    const found = await this.findThread(w.thread, null);
    if (!found) {
      if (w.state === 'pending') return;
      w.state = 'created';
      await this.save(`${w.role}: could not see thread ${w.thread} yet; will look again on the next pass`);
      return;
    }
    w.dir = found.cwd;
    w.branch = (await this.ctx.ws.currentBranch(w.dir)) ?? '';
    w.base = await this.ctx.ws.resolve(w.branch || 'HEAD');
    w.state = 'created';
    await this.save(`${w.role} #${w.n}: thread ${w.thread}, branch ${w.branch}, worktree ${w.dir}, base ${w.base.slice(0, 12)}`);
    await this.register(w);
  }

  private async register(w: WorkerRecord): Promise<void> {
    if (w.dir === this.root || this.st!.workers.some((o) => o !== w && o.dir === w.dir && o.state !== 'replaced')) {
      if (!this.has('shared-worktree')) {
        await this.exclude(w, 'no exclusive worktree could be had, so it is not run as a team member');
        return;
      }
    }
    const text = this.fill('registration', {
      ...this.identity(w),
      roster: this.roster(),
    });
    if (!this.has('dispatch-before-registration')) {
      const r = await this.call('send_message_to_thread', { threadId: w.thread, prompt: text });
      if (!r.ok) {
        await this.save(`${w.role}: registration failed (${r.error}); will retry on the next pass`);
        return;
      }
    }
    w.state = 'registered';
    await this.save(`${w.role}: registration sent`);
  }

  /** A thread by id, or (for a pending worktree) the new thread whose title names the role. */
  private async findThread(id: string, role: string | null): Promise<{ id: string; cwd: string } | null> {
    const r = await this.call('list_threads', { limit: 100 });
    if (!r.ok) return null;
    const all = [...r.payload.pinnedThreads, ...r.payload.threads] as { id: string; cwd: string; title: string | null }[];
    const known = new Set(this.st!.workers.map((w) => w.thread));
    const hit = id ? all.find((t) => t.id === id) : all.find((t) => !known.has(t.id) && (t.title ?? '').startsWith(`Thread-team worker ${role}:`));
    return hit ? { id: hit.id, cwd: hit.cwd } : null;
  }

  /** Who a message to worker `w` is about: the worker, its branch and directory, and the leader. */
  private identity(w: WorkerRecord): FillValues {
    return {
      'leader-thread-id': this.ctx.thread,
      // A header-shaped line in a message to a worker shows the worker how to sign: its own role and id.
      'thread-id': w.thread,
      role: w.role,
      'worker-thread-id': w.thread,
      branch: w.branch,
      'working-directory': w.dir,
      'base-commit': w.base,
      'integration-branch': this.st!.integration,
      'repo-path': this.root,
      'notes-path': this.p.workerNotesPath.value,
      'report-path': this.p.workerReportPath.value,
    };
  }

  /** The roster: the leader, then each current worker with a thread. */
  private roster(): FillValues[string] {
    const st = this.st!;
    const leader = {
      text: `leader | ${this.ctx.thread}`,
      role: 'leader',
      'thread-id': this.ctx.thread,
      'worker-thread-id': this.ctx.thread,
      branch: st.integration,
      scope: 'planning, decisions, polling, serial integration, final review',
    };
    const scope = (role: string) => this.env.plan.areas.find((a) => a.role === role)?.scope ?? role;
    return [
      leader,
      ...current(st)
        .filter((w) => w.thread)
        .map((w) => ({
          text: `${w.role} | ${w.thread}`,
          role: w.role,
          'thread-id': w.thread,
          'worker-thread-id': w.thread,
          branch: w.branch,
          scope: scope(w.role),
        })),
    ];
  }

  private rosterText(): string {
    return (this.roster() as { text: string }[]).map((r) => `- ${r.text}`).join('\n');
  }

  private async dispatchAll(): Promise<void> {
    const st = this.st!;
    const pending = st.workers.some((w) => w.state === 'pending');
    if (!pending) {
      for (const w of current(st)) {
        if (w.state !== 'registered') continue;
        st.phase = this.p.phases.value[2]!;
        await this.dispatch(w);
      }
    }
    // The heartbeat also wakes the leader to pick up threads whose worktree is still pending.
    if ((pending || active(st).length > 0) && !st.heartbeat) await this.startPolling();
  }

  private dispatchText(w: WorkerRecord, scopeOverride?: string): string {
    const area = this.env.plan.areas.find((a) => a.role === w.role)!;
    const others = this.env.plan.areas.filter((a) => a.role !== w.role);
    const reportFormat = this.p.templates.report.text;
    const list = (xs: string[]) => xs.map((x) => `- ${x}`).join('\n');
    const shared = this.env.plan.shared;
    return this.fill('dispatch', {
      ...this.identity(w),
      scope: scopeOverride ?? area.scope,
      plan: planFor(area, this.p),
      'owned-files': list([...area.owns, ...shared]),
      'not-owned-files': list(others.flatMap((a) => a.owns)) || '- everything outside the files you own',
      ownership: list([
        ...this.env.plan.areas.map((a) => `${a.role}: ${a.owns.join(', ')}`),
        ...(shared.length ? [`shared (any worker may append, nobody owns): ${shared.join(', ')}`] : []),
      ]),
      dependencies: area.collaborators.length ? list(area.collaborators.map((c) => `${w.role} works with ${c}`)) : 'none: the areas are independent',
      'acceptance-criteria': list(area.acceptance.length ? area.acceptance : [`${area.scope} is done in the files you own`]),
      'verification-commands': list([this.env.plan.verifyCommand]),
      invariants: list(area.invariants.length ? area.invariants : ['existing behaviour and public interfaces stay as they are']),
      'report-format': reportFormat,
      roster: this.roster(),
      collaborators: area.collaborators.length ? list(area.collaborators) : 'none: all coordination goes through the leader',
    });
  }

  private async dispatch(w: WorkerRecord): Promise<void> {
    let text = this.dispatchText(w);
    if (this.has('unfilled-dispatch')) text = text.replace(`Base commit: ${w.base}`, 'Base commit: <base-commit>');
    const ok = await this.call('send_message_to_thread', { threadId: w.thread, prompt: text });
    if (!ok.ok) {
      await this.save(`${w.role}: dispatch failed (${ok.error}); will retry on the next pass`);
      return;
    }
    w.state = 'dispatched';
    w.dispatchedAt = this.ctx.now();
    w.quietSince = this.ctx.now();
    w.silent = 0;
    w.asked = false;
    w.seen = '';
    await this.save(`${w.role}: dispatched`);
    if (w.n > 1) await this.announceReplacement(w);
  }

  /** S1: the team learns the replacement's thread id (every header is checked against the roster). */
  private async announceReplacement(fresh: WorkerRecord): Promise<void> {
    const old = this.st!.workers.filter((o) => o.role === fresh.role && o.state === 'replaced').at(-1);
    for (const o of active(this.st!)) {
      if (o === fresh || !['dispatched', 'started', 'reported', 'rework'].includes(o.state)) continue;
      await this.send(
        o.thread,
        `ROSTER UPDATE: ${fresh.role} is now thread ${fresh.thread}${old ? ` (replacing ${old.thread})` : ''}. Check headers against:\n${this.rosterText()}`,
      );
      await this.save(`${o.role}: told that ${fresh.role} is now ${fresh.thread}`);
    }
  }

  // ---- phase 4: polling and decisions -----------------------------------------------------

  private async startPolling(): Promise<void> {
    const st = this.st!;
    st.phase = this.p.phases.value[3]!;
    if (!this.ctx.tools.includes('automation_update')) {
      st.next = 'no heartbeat tool: poll with wait_threads snapshots between turns';
      await this.save('no automation_update in this build: falling back to wait_threads with a timeout');
      return;
    }
    const create: InputOf<'automation_update'> = {
      mode: 'create',
      kind: 'heartbeat',
      destination: 'thread',
      name: 'thread-team poll',
      prompt: 'Poll the thread team: read the journal, process worker messages first, then the startup gate and stalls; end the turn.',
      rrule: this.p.heartbeat.value.rrule,
      status: 'ACTIVE',
    };
    // Without a heartbeat nothing may ever wake this thread again: a transient failure is retried.
    const r = await this.callRetried('automation_update', create);
    if (r.ok) {
      // A create answers with a receipt (a view would list the automations instead).
      const receipt = r.payload;
      st.heartbeat = { id: typeof receipt.automationId === 'string' ? receipt.automationId : '', status: 'ACTIVE' };
      st.next = 'wait for heartbeats and worker messages';
      await this.save(`heartbeat ${st.heartbeat.id} every ${this.p.heartbeat.value.minutes} min`);
      if (this.has('two-heartbeats')) {
        await this.call('automation_update', {
          mode: 'create',
          kind: 'heartbeat',
          destination: 'thread',
          name: 'extra',
          prompt: 'poll',
          rrule: this.p.heartbeat.value.rrule,
          status: 'ACTIVE',
        });
      }
    } else {
      await this.save(`heartbeat could not be created (${r.error}); will retry`);
    }
  }

  /** Archive a worker's thread, retried a few times: a live thread left behind keeps working. */
  private archive(thread: string): Promise<CallResult> {
    return this.callRetried('set_thread_archived', { threadId: thread, archived: true });
  }

  /** A heartbeat change, retried a few times: a transient outage must not leave it running. */
  private async heartbeatCall(args: InputOf<'automation_update'>): Promise<boolean> {
    return (await this.callRetried('automation_update', args)).ok;
  }

  private async setHeartbeat(status: 'ACTIVE' | 'PAUSED'): Promise<boolean> {
    const hb = this.st!.heartbeat!;
    if (!(await this.heartbeatCall({ mode: 'update', id: hb.id, status }))) return false;
    hb.status = status;
    return true;
  }

  private async deleteHeartbeat(): Promise<boolean> {
    const st = this.st!;
    const ok = await this.heartbeatCall({ mode: 'delete', id: st.heartbeat!.id });
    if (ok) st.heartbeat = null;
    await this.save(ok ? 'heartbeat deleted' : 'heartbeat could not be deleted after three attempts');
    return ok;
  }

  private byThread(id: string): WorkerRecord | undefined {
    return this.st!.workers.find((w) => w.thread === id);
  }

  private async processSignals(signals: WorkerSignal[]): Promise<void> {
    const seen = new Set<string>();
    const verified = new Set<string>();
    for (const s of signals) {
      const w = this.byThread(s.source);
      if (!w || w.state === 'replaced') continue;
      // A message delivered twice is one message.
      const key = `${s.source}\n${s.text}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if ((!s.header || s.header.threadId !== w.thread) && !verified.has(s.source)) {
        verified.add(s.source);
        // An unverifiable message: read the sender's thread before acting on it (M6 allows it).
        await this.call('read_thread', { threadId: s.source, turnLimit: 1 });
        await this.save(`${w.role}: message without a matching header; verified the sender by reading its thread`);
      }
      if (s.kind === 'complete') await this.onComplete(w, s.sha ?? '', s.reportPath ?? this.p.workerReportPath.value);
      else if (s.kind === 'blocked') await this.onBlocked(w, s.text);
      else if (s.kind === 'status') {
        const long = /about (\d+) min/i.exec(s.text);
        // An answer is not progress: only an announced long command excuses further silence.
        if (long) {
          w.longUntil = this.ctx.now() + Number(long[1]) * 60_000;
          w.silent = 0;
        }
        w.asked = false;
        if (w.state === 'dispatched') this.started(w);
        await this.save(`${w.role}: status: ${s.text}`);
        if (/^done\b/i.test(s.text) && w.state === 'started') await this.readReport(w);
      }
    }
  }

  /** Waiting on a roster peer is excused until that peer is done; any other blocker gets an answer now. */
  private async onBlocked(w: WorkerRecord, reason: string): Promise<void> {
    const named = /waiting on (?:peer )?([a-z][a-z0-9-]*)/i.exec(reason)?.[1];
    const peer = named && current(this.st!).some((p) => p.role === named && p.role !== w.role) ? named : '';
    w.waitingOn = peer;
    w.silent = 0;
    await this.save(`${w.role}: blocked: ${reason}`);
    const cycle = peer ? this.waitCycle(w) : null;
    if (cycle) {
      // Two workers waiting on each other wait forever: the one that closed the circle goes on.
      await this.send(
        w.thread,
        `UNBLOCKED: ${peer} is itself waiting on you (${cycle.join(' -> ')}); do not wait: continue from your dispatch and note the assumption under open issues.`,
      );
      w.waitingOn = '';
      await this.save(`${w.role}: broke the wait cycle ${cycle.join(' -> ')}`);
      return;
    }
    if (peer) {
      await this.unblockWaiters();
      return;
    }
    await this.send(
      w.thread,
      `UNBLOCKED: ${named ? `there is no peer ${named} in the roster` : 'no peer is involved'}; continue with your dispatch as written and report what you could not do under open issues.`,
    );
    await this.save(`${w.role}: told to continue past its blocker`);
  }

  /** The roles around a circle of waits that starts at `w`, or null. */
  private waitCycle(w: WorkerRecord): string[] | null {
    const byRole = new Map(current(this.st!).map((x) => [x.role, x]));
    const path = [w.role];
    let at = w.waitingOn;
    while (at && path.length <= byRole.size) {
      if (at === w.role) return [...path, at];
      path.push(at);
      at = byRole.get(at)?.waitingOn ?? '';
    }
    return null;
  }

  private started(w: WorkerRecord): void {
    w.state = 'started';
    w.startedAt ||= this.ctx.now();
  }

  private async onComplete(w: WorkerRecord, sha: string, report: string): Promise<void> {
    if (!['dispatched', 'started', 'rework'].includes(w.state)) return;
    w.startedAt ||= this.ctx.now();
    w.state = 'reported';
    w.sha = sha;
    w.report = report;
    w.waitingOn = '';
    await this.save(`${w.role}: COMPLETE at ${sha.slice(0, 12) || '(no sha)'}`);
    if (this.has('paste-reports')) {
      const text = (await this.ctx.ws.readFile(w.dir, report)) ?? '';
      for (const o of active(this.st!)) {
        if (o === w) continue;
        await this.send(o.thread, `FYI, ${w.role}'s report:\n${text}\nIts dispatch was:\n${this.dispatchText(w)}`);
        await this.save(`${o.role}: sent ${w.role}'s report`);
      }
    }
    await this.unblockWaiters();
  }

  /** A worker's completion signal never arrived: its report, if it names the branch tip, tells. */
  private async readReport(w: WorkerRecord): Promise<boolean> {
    let text: string | null = null;
    let tip = '';
    try {
      text = await this.ctx.ws.readFile(w.dir, this.p.workerReportPath.value);
      tip = await this.ctx.ws.resolve(w.branch);
    } catch {
      return false;
    }
    const sha = text ? reportOf(readForm(this.forms.report, text)).commit : undefined;
    if (!sha || sha !== tip || tip === w.base) return false;
    await this.save(`${w.role}: no completion signal arrived, but its report names the branch tip ${tip.slice(0, 12)}`);
    await this.onComplete(w, sha, this.p.workerReportPath.value);
    return true;
  }

  private async unblockWaiters(): Promise<void> {
    const st = this.st!;
    for (const w of active(st)) {
      if (!w.waitingOn) continue;
      const peer = current(st).find((p) => p.role === w.waitingOn);
      if (peer && ['reported', 'merged'].includes(peer.state)) {
        await this.send(w.thread, `UNBLOCKED: peer ${peer.role} is complete at ${peer.sha}; you can continue.`);
        w.waitingOn = '';
        w.silent = 0;
        await this.save(`${w.role}: told that ${peer.role} is done`);
      } else if (!peer || ['excluded', 'stopped'].includes(peer.state)) {
        // The peer will never deliver: waiting on it would wait forever.
        const gone = w.waitingOn;
        await this.send(
          w.thread,
          `UNBLOCKED: peer ${gone} will not deliver (${peer?.why || 'dropped from the team'}); continue without it and list what is missing under open issues.`,
        );
        w.waitingOn = '';
        w.silent = 0;
        await this.save(`${w.role}: told that ${gone} will not deliver`);
      }
    }
  }

  /** `pass`: this wake is a heartbeat pass (only those count towards a stall, S3). */
  private async poll(woken: boolean, pass: boolean): Promise<void> {
    const st = this.st!;
    if (st.status !== 'running' || !woken) return;
    if (!st.heartbeat && this.ctx.tools.includes('automation_update') && active(st).length > 0) await this.startPolling();
    await this.resolvePending();
    // A registration or dispatch that failed (a tool outage) is sent again on the next pass.
    for (const w of current(st)) if (w.state === 'created') await (w.dir ? this.register(w) : this.adopt(w));
    for (const w of current(st)) if (w.state === 'registered' && !st.workers.some((o) => o.state === 'pending')) await this.dispatch(w);
    const live = active(st).filter((w) => ['dispatched', 'started', 'rework'].includes(w.state));
    if (live.length === 0) return;
    // One snapshot of every live worker's status (wait_threads with timeout 0), in batches of 8.
    const statuses = new Map<string, string>();
    for (let i = 0; i < live.length; i += 8) {
      const batch = live.slice(i, i + 8);
      const r = await this.call('wait_threads', { targets: batch.map((w) => ({ threadId: w.thread })), timeoutMs: 0 });
      if (r.ok) for (const p of r.payload.polls) statuses.set(p.thread.id, p.thread.status.type);
      if (this.has('busy-wait'))
        for (let k = 0; k < 4; k++) await this.call('wait_threads', { targets: batch.map((w) => ({ threadId: w.thread })), timeoutMs: 0 });
    }
    if (this.has('read-sweep')) for (const w of live) await this.call('read_thread', { threadId: w.thread, turnLimit: 1 });
    const dead = new Set(live.filter((w) => ['systemError', 'notLoaded'].includes(statuses.get(w.thread) ?? '')));
    for (const w of dead) await this.replace(w, `its thread fell into ${statuses.get(w.thread)}`);
    // Startup gate in two steps: first see who has started, then judge the silent ones (S1).
    const silent: WorkerRecord[] = [];
    for (const w of live) if (!dead.has(w) && w.state === 'dispatched' && (await this.startupGate(w)) === 'silent') silent.push(w);
    // "While others started": anyone this run saw start, a worker since replaced included (the platform works).
    const anyStarted = st.workers.some((w) => w.startedAt > 0);
    const window = this.p.startupWindowMinutes.value * 60_000;
    for (const w of silent) {
      // With nobody started the cause may be the platform, so give it longer; but not forever (L1).
      const waited = this.ctx.now() - w.dispatchedAt;
      if ((waited > 2 * window || (waited > window && anyStarted) || this.has('replace-progressing')) && !this.has('no-startup-replace')) {
        // Time passed since the look (other replacements): look at its files again before acting (S2).
        const sig = await this.progressSignature(w);
        if (!this.has('replace-progressing') && showsWork(w, sig)) {
          this.started(w);
          w.seen = sig;
          w.quietSince = this.ctx.now();
          await this.save(`${w.role}: started (seen in its files just before replacing it)`);
          continue;
        }
        await this.replace(w, `no response ${this.p.startupWindowMinutes.value} min after dispatch`);
      }
    }
    for (const w of live) if (!dead.has(w) && ['started', 'rework'].includes(w.state)) await this.stallCheck(w, pass || !st.heartbeat);
  }

  private async resolvePending(): Promise<void> {
    const st = this.st!;
    const pending = st.workers.filter((w) => w.state === 'pending');
    for (const w of pending) {
      const found = await this.findThread('', w.role);
      if (!found) continue;
      w.thread = found.id;
      w.pending = '';
      await this.adopt(w);
    }
    if (pending.length && !st.workers.some((w) => w.state === 'pending')) await this.dispatchAll();
  }

  /** Startup gate: a dispatched worker must show a response; read its thread to see (S1). */
  /** Whether a dispatched worker shows a response yet: read its thread (the startup gate, M6). A failed read tells nothing. */
  private async startupGate(w: WorkerRecord): Promise<'started' | 'silent' | 'unknown'> {
    // Files first: notes written or the branch moved mean it started, and cost no transcript.
    const sig = await this.progressSignature(w);
    if (!showsWork(w, sig)) {
      const r = await this.callRetried('read_thread', { threadId: w.thread, turnLimit: 10 });
      if (!r.ok) return 'unknown';
      if (
        !respondedToDispatch(r.payload.turns, r.payload.page.hasMore, (text) => recognise(this.forms, text, ['registration', 'dispatch'])?.kind === 'dispatch')
      )
        return 'silent';
    }
    this.started(w);
    w.seen = (await this.progressSignature(w)) ?? '';
    w.quietSince = this.ctx.now();
    await this.save(`${w.role}: started`);
    return 'started';
  }

  /** What the leader can see of a worker's progress without reading its transcript; null when its worktree is gone. */
  private async progressSignature(w: WorkerRecord): Promise<string | null> {
    let notes: string;
    try {
      notes = (await this.ctx.ws.readFile(w.dir, this.p.workerNotesPath.value)) ?? '';
    } catch {
      return null;
    }
    let tip = '';
    try {
      tip = await this.ctx.ws.resolve(w.branch);
    } catch {
      tip = 'missing';
    }
    return `${notes.length}:${tip.slice(0, 12)}`;
  }

  /** S3: silent for the stall passes → a status request; silent a pass later → replace. */
  private async stallCheck(w: WorkerRecord, pass: boolean): Promise<void> {
    const sig = await this.progressSignature(w);
    if (sig === null) {
      await this.replace(w, `its worktree ${w.dir} is gone`);
      return;
    }
    const excused = w.waitingOn !== '' || w.longUntil > this.ctx.now();
    if (sig !== w.seen && !this.has('replace-progressing')) {
      w.seen = sig;
      w.silent = 0;
      w.quietSince = this.ctx.now();
      w.asked = false;
      w.nudges = 0;
      await this.save();
      return;
    }
    if ((excused && !this.has('replace-progressing')) || !pass) return;
    w.silent++;
    // About N passes: N passes counted, and N intervals of time (a clock jump bunches passes).
    const n = this.p.stallPasses.value;
    const quiet = Math.min(w.silent, Math.floor((this.ctx.now() - w.quietSince) / (this.p.heartbeat.value.minutes * 60_000)));
    if (quiet < n && !this.has('replace-progressing')) {
      await this.save();
      return;
    }
    // A worker that looks silent may be done with its signal lost: its report file tells.
    if (await this.readReport(w)) return;
    if (this.has('replace-without-asking')) {
      await this.replace(w, `silent for ${w.silent} heartbeat passes`);
    } else if (w.nudges >= 2) {
      // S3's ladder for a worker that answers but does nothing: re-dispatch once, then replace.
      const why = `answered ${w.nudges} status requests but showed no progress in ${w.silent} heartbeat passes`;
      if (w.reworks === 0) {
        await this.rework(w, [`${why}; here is your task again`]);
        w.nudges = 0;
        await this.save();
      } else await this.replace(w, why);
    } else if (!w.asked) {
      const sent = await this.send(w.thread, `STATUS REQUEST: no progress seen for ${w.silent} heartbeat passes. Reply with one status line.`);
      w.asked = sent;
      w.askedAt = this.ctx.now();
      if (sent) w.nudges++;
      await this.save(
        sent
          ? `${w.role}: silent for ${w.silent} passes; asked for status`
          : `${w.role}: silent for ${w.silent} passes; the status request failed, will ask again`,
      );
    } else if ((quiet >= n + 1 && this.ctx.now() - w.askedAt >= this.p.heartbeat.value.minutes * 60_000) || this.has('replace-progressing')) {
      await this.replace(w, `silent for ${w.silent} heartbeat passes and no answer to a status request`);
    } else {
      await this.save();
    }
  }

  /** L2: the task is given up, with the reason the final report will give; whoever waited on it goes on. */
  private async exclude(w: WorkerRecord, why: string): Promise<void> {
    w.state = 'excluded';
    w.why = why;
    await this.save(`${w.role}: excluded: ${why}`);
    await this.unblockWaiters();
  }

  /** S1/S3: archive the worker and give its task to a fresh thread, branch and worktree. */
  private async replace(w: WorkerRecord, why: string): Promise<void> {
    const st = this.st!;
    if (w.n >= 3) {
      // Three workers in a row failed this task: stop replacing, archive, report it as not integrated.
      await this.archive(w.thread);
      await this.exclude(w, `${why}; gave up after ${w.n} workers`);
      return;
    }
    // Archive first: a role never has two live workers (J4). If it fails, try again next pass.
    const archived = await this.archive(w.thread);
    if (!archived.ok) {
      await this.save(`${w.role} #${w.n}: should be replaced (${why}) but archiving failed: ${archived.error}; will retry`);
      return;
    }
    w.state = 'replaced';
    w.why = why;
    await this.save(`${w.role} #${w.n}: archived ${w.thread}; replacing it: ${why}`);
    const fresh = newWorker(w.role, w.n + 1);
    st.workers.push(fresh);
    await this.createWorker(fresh);
    if (fresh.state === 'registered') await this.dispatch(fresh);
  }

  // ---- phase 5: review and serial merge ---------------------------------------------------

  private async advance(): Promise<void> {
    const st = this.st!;
    if (st.status !== 'running') return;
    if (st.workers.some((w) => w.state === 'pending')) return;
    const cur = current(st);
    const ready = cur.filter((w) => w.state === 'reported');
    const outstanding = cur.filter(unsettled);
    if (ready.length === 0 || outstanding.length > 0) {
      if (ready.length === 0 && outstanding.length === 0) await this.finish();
      return;
    }
    st.phase = this.p.phases.value[4]!;
    if (st.heartbeat?.status === 'ACTIVE' && !this.has('no-pause-before-merge')) {
      // H4: no merge while the heartbeat is active; if it cannot be paused, merge next pass.
      if (!(await this.setHeartbeat('PAUSED'))) return;
      await this.save('heartbeat paused for the merges');
    }
    await this.cleanCheckout();
    for (const w of ready) await this.review(w);
    if (this.has('merge-two-at-once') && ready.some((w) => w.state === 'merged')) await this.ctx.ws.run(this.root, this.env.plan.verifyCommand);
    const again = current(st).filter(unsettled);
    if (again.length > 0) {
      st.phase = this.p.phases.value[3]!;
      if (st.heartbeat?.status === 'PAUSED') {
        const resumed = await this.setHeartbeat('ACTIVE');
        await this.save(resumed ? 'heartbeat resumed while rework is outstanding' : "heartbeat could not be resumed; workers' messages will still wake me");
      }
      return;
    }
    await this.finish();
  }

  /** Stray changes in the leader's checkout (a worker in the wrong directory) are thrown out. */
  private async cleanCheckout(): Promise<void> {
    const dirty = await this.ctx.ws.status(this.root);
    if (dirty.length === 0) return;
    await this.ctx.ws.discardChanges(this.root);
    await this.save(`leader checkout had changes nobody there made (${dirty.map((d) => d.path).join(', ')}); discarded them`);
  }

  private async review(w: WorkerRecord): Promise<void> {
    const area = this.env.plan.areas.find((a) => a.role === w.role)!;
    const problems: string[] = [];
    let reportText = '';
    try {
      if (!this.has('merge-without-report')) reportText = (await this.ctx.ws.readFile(w.dir, w.report || this.p.workerReportPath.value)) ?? '';
    } catch {
      // The worktree is gone with the report in it: the task is redone by a fresh worker.
      if (w.state !== 'excluded') {
        w.state = 'started';
        await this.replace(w, `its worktree ${w.dir} vanished before its report could be reviewed`);
      }
      return;
    }
    const reading = reportText ? readForm(this.forms.report, reportText) : null;
    const report = reading && reading.score >= RECOGNISE_AT ? reportOf(reading) : null;
    if (!this.has('merge-without-report') && !report) problems.push(`no readable report at ${w.report}`);
    let tip = '';
    try {
      tip = await this.ctx.ws.resolve(w.branch);
    } catch {
      problems.push(`branch ${w.branch} is gone`);
    }
    if (tip && w.sha && tip !== w.sha) problems.push(`branch tip ${tip.slice(0, 12)} is not the reported commit ${w.sha.slice(0, 12)}`);
    if (tip && tip === w.base) problems.push('no commit on the branch beyond the base commit');
    if (tip && tip !== w.base) {
      const changed = await this.ctx.ws.changedFiles(w.base, tip);
      const mayTouch = [...area.owns, ...this.env.plan.shared];
      const outside = changed.filter((c) => !mayTouch.includes(c.path)).map((c) => c.path);
      if (outside.length) problems.push(`changes outside the files you own: ${outside.join(', ')}`);
      if (changed.some((c) => c.path.startsWith('.thread-team/'))) problems.push('.thread-team/ was committed');
    }
    if (report?.failed) problems.push('your verification failed');
    if (problems.length && this.has('fix-directly')) {
      for (const f of area.owns) {
        const text = await this.ctx.ws.readFile(w.dir, f);
        if (text !== null)
          await this.ctx.ws.writeFile(
            w.dir,
            f,
            text
              .split('\n')
              .filter((l) => !l.includes('BUG'))
              .join('\n'),
          );
      }
      w.sha = (await this.ctx.ws.commitAll(w.dir, `${w.role}: fixed by the leader`)) ?? w.sha;
      await this.save(`${w.role}: fixed the review findings myself`);
      problems.length = 0;
    }
    if (problems.length && !this.has('merge-without-review')) {
      await this.rework(w, problems);
      return;
    }
    await this.merge(w);
  }

  /**
   * R3: rework goes back to the owner as a scoped dispatch (the dispatch template again).
   * After two rounds that did not fix it, the task is excluded with the reason instead (L2).
   */
  private async rework(w: WorkerRecord, problems: string[]): Promise<void> {
    if (w.reworks >= 2) {
      await this.exclude(w, `still not mergeable after ${w.reworks} reworks: ${problems.join('; ')}`);
      return;
    }
    const area = this.env.plan.areas.find((a) => a.role === w.role)!;
    const scope = [
      `Rework of: ${area.scope}`,
      'Fix only this on your branch, verify, update your report and signal completion again:',
      ...problems.map((p) => `- ${p}`),
    ].join('\n');
    await this.call('send_message_to_thread', { threadId: w.thread, prompt: this.dispatchText(w, scope) });
    w.state = 'rework';
    w.reworks++;
    w.silent = 0;
    w.asked = false;
    await this.save(`${w.role}: sent back for rework: ${problems.join('; ')}`);
  }

  private async merge(w: WorkerRecord): Promise<void> {
    const st = this.st!;
    const before = await this.ctx.ws.resolve(st.integration);
    const r = await this.ctx.ws.merge(this.root, w.branch, `Merge ${w.branch} (${w.role})`);
    if (r.kind === 'conflict') {
      await this.save(`${w.role}: merge conflict in ${r.paths.join(', ')}`);
      const resolved = await resolveMechanically(this.ctx.ws, this.root, r.paths);
      if (!resolved) {
        await this.ctx.ws.abortMerge(this.root);
        await this.save(`${w.role}: the conflict is not mechanical; merge aborted`);
        await this.rework(w, [`your branch conflicts with ${st.integration} in ${r.paths.join(', ')}; keep to the files you own`]);
        return;
      }
      await this.ctx.ws.commitMerge(this.root, `Merge ${w.branch} (${w.role}); resolved ${r.paths.join(', ')}`);
      await this.save(`${w.role}: resolved the mechanical conflict by keeping both sides`);
    }
    const merged = await this.ctx.ws.resolve(st.integration);
    const tests =
      this.has('merge-without-tests') || this.has('merge-two-at-once')
        ? { exitCode: 0, output: 'skipped' }
        : await this.ctx.ws.run(this.root, this.env.plan.verifyCommand);
    if (tests.exitCode !== 0) {
      await this.save(`${w.role}: tests failed after the merge; resetting the integration branch to ${before.slice(0, 12)}`);
      await this.ctx.ws.setBranch(st.integration, before);
      await this.save(`${w.role}: integration branch reset; discarding the merged files`);
      await this.ctx.ws.discardChanges(this.root);
      await this.save(`${w.role}: tests failed after the merge; integration branch reset to ${before.slice(0, 12)}`);
      await this.rework(w, [`${this.env.plan.verifyCommand} fails once your branch is merged: ${tests.output.split('\n').slice(1, 3).join('; ')}`]);
      return;
    }
    w.state = 'merged';
    st.merges.push({ role: w.role, branch: w.branch, sha: merged, tests: `${this.env.plan.verifyCommand} passed` });
    await this.save(`${w.role}: merged ${w.branch} at ${merged.slice(0, 12)}; tests pass`);
  }

  // ---- phase 6: final review and cleanup ----------------------------------------------------

  private async finish(): Promise<void> {
    const st = this.st!;
    st.phase = this.p.phases.value[5]!;
    // R4: review the merged whole against where the run started, then verify it.
    const first = st.workers.find((w) => w.base)?.base;
    const review = first && !this.has('no-final-review') ? await this.ctx.ws.changedFiles(first, st.integration) : [];
    const stray = review.filter((c) => !this.env.plan.areas.some((a) => a.owns.includes(c.path)) && !this.env.plan.shared.includes(c.path));
    const whole = this.has('no-final-review') ? { exitCode: 0 } : await this.ctx.ws.run(this.root, this.env.plan.verifyCommand);
    await this.save(
      `final review of the merged whole: ${review.length} files changed${stray.length ? ` (outside every area: ${stray.map((c) => c.path).join(', ')})` : ''}; ${this.env.plan.verifyCommand} exit ${whole.exitCode}`,
    );
    const cleanup = await this.teardown(false);
    if (!cleanup) return;
    st.status = 'complete';
    st.next = 'nothing: the run is complete';
    await this.save('run complete');
    this.ctx.say(await this.finalReport('complete', `Final verification: ${this.env.plan.verifyCommand} exit ${whole.exitCode}.`, cleanup));
  }

  /** Threads whose worktree was still being prepared (or never seen) may exist by now: find them, to clean them up. */
  private async findUnseenThreads(): Promise<void> {
    for (const w of this.st!.workers.filter((x) => x.state === 'pending' || (x.thread && !x.dir))) {
      const found = await this.findThread(w.thread, w.role);
      if (!found) continue;
      w.thread = found.id;
      w.dir = found.cwd;
      w.state = 'stopped';
      w.why = 'its worktree became ready only during the teardown';
      await this.save(`${w.role}: thread ${w.thread} found at ${w.dir}; tearing it down`);
    }
  }

  /**
   * Archive every worker, then delete the heartbeat, then remove the worktrees. Resumable: a
   * worker that cannot be archived keeps the heartbeat alive and the teardown is retried on
   * the next pass (null), since a live worker's directory is its own and cannot be removed.
   */
  private async teardown(aborting: boolean): Promise<string[] | null> {
    const st = this.st!;
    await this.findUnseenThreads();
    let live = 0;
    for (const w of st.workers) {
      if (!w.thread || w.cleaned || w.state === 'replaced') continue;
      const r = await this.archive(w.thread);
      if (r.ok) w.cleaned = 'archived';
      else live++;
      await this.save(r.ok ? `${w.role}: thread ${w.thread} archived` : `${w.role}: archiving ${w.thread} failed: ${r.error}`);
    }
    if (live && st.heartbeat) {
      // The heartbeat is what brings the leader back to retry: a paused one must run again.
      if (st.heartbeat.status === 'PAUSED') await this.setHeartbeat('ACTIVE');
      st.next = `archive the ${live} worker(s) that refused, then finish the teardown`;
      await this.save(`${live} worker(s) could not be archived; the teardown resumes on the next pass`);
      return null;
    }
    if (st.heartbeat && !this.has('leak-heartbeat') && !(await this.deleteHeartbeat())) {
      // Still there, so it will wake the leader again: the teardown resumes then (H1).
      if (st.heartbeat.status === 'PAUSED') await this.setHeartbeat('ACTIVE');
      st.next = 'delete the heartbeat, then finish the teardown';
      await this.save('the heartbeat could not be deleted yet; the teardown resumes on its next pass');
      return null;
    }
    if (!st.keepWorktrees && !this.has('keep-worktrees')) {
      for (const w of st.workers) {
        if (!w.dir || w.dir === this.root || w.cleaned === 'removed') continue;
        if (w.thread && w.state !== 'replaced' && w.cleaned !== 'archived') {
          // Still live (the archive failed with no heartbeat to retry): its directory is its own.
          w.cleaned = 'kept';
          continue;
        }
        if (aborting && ['dispatched', 'started', 'rework', 'stopped'].includes(w.state)) {
          // Work in progress the worker could not commit is committed for it, never thrown away.
          const sha = await this.ctx.ws.commitAll(w.dir, `${w.role}: work in progress saved by the leader on cancel`).catch(() => null);
          if (sha) await this.save(`${w.role}: uncommitted work saved on ${w.branch} at ${sha.slice(0, 12)}`);
        }
        try {
          await this.ctx.ws.worktreeRemove(w.dir, { force: true });
          w.cleaned = 'removed';
          await this.save(`${w.role}: worktree ${w.dir} removed`);
        } catch (e) {
          await this.save(`${w.role}: worktree ${w.dir} could not be removed: ${(e as Error).message}`);
        }
      }
    }
    return this.cleanupNotes();
  }

  /** What the teardown did, for the final report, from the journaled state. */
  private cleanupNotes(): string[] {
    const st = this.st!;
    const notes: string[] = [];
    notes.push(st.heartbeat ? `heartbeat ${st.heartbeat.id} could NOT be deleted: delete it by hand` : 'heartbeat deleted');
    for (const w of st.workers) {
      if (!w.thread) continue;
      if (w.cleaned === 'removed') notes.push(`${w.role} thread ${w.thread} archived; worktree ${w.dir} removed`);
      else if (w.cleaned === 'archived')
        notes.push(`${w.role} thread ${w.thread} archived${st.keepWorktrees ? `; worktree ${w.dir} kept, as the user asked` : ''}`);
      else if (w.cleaned === 'kept') notes.push(`${w.role} thread ${w.thread} could NOT be archived: archive it by hand; its worktree ${w.dir} was left alone`);
    }
    return notes;
  }

  private async finalReport(outcome: 'complete' | 'aborted', verification: string, cleanup: string[]): Promise<string> {
    const st = this.st!;
    const cur = current(st);
    const head = await this.ctx.ws.resolve(st.integration).catch(() => 'unknown');
    const mergedBy = new Map(st.merges.map((m) => [m.role, m]));
    const why = (w: WorkerRecord) => `${w.why || w.state}${w.sha ? ` (branch ${w.branch} at ${w.sha.slice(0, 12)})` : w.branch ? ` (branch ${w.branch})` : ''}`;
    const excluded = cur.filter((w) => w.state !== 'merged').map((w) => `${w.role}: ${why(w)}`);
    const list = (xs: string[], none: string) => (xs.length ? xs : [none]).map((x) => `- ${x}`).join('\n');
    const complete = outcome === 'complete';
    const text = this.fill(
      'final',
      {
        outcome: complete ? 'complete' : `aborted: ${st.reason}`,
        summary: `${st.merges.length} of ${cur.length} tasks merged for: ${st.task}`,
        merges: st.merges.map((m) => ({
          text: `${m.role}: ${m.branch} -> ${m.sha.slice(0, 12)} (${m.tests})`,
          role: m.role,
          branch: m.branch,
          'merge-result': `merged at ${m.sha.slice(0, 12)}`,
          'verification-results': m.tests,
        })),
        excluded: list(excluded, 'none'),
        'verification-results': verification,
        cleanup: list(cleanup, 'nothing to clean up'),
        'follow-ups': list(excluded.length ? ['integrate or redo the tasks listed as not integrated'] : [], 'none'),
        'open-issues': excluded.length ? `not integrated: ${excluded.join('; ')}` : 'none',
        fixes: 'none',
        'journal-path': this.journal.path,
        'leader-thread-id': this.ctx.thread,
        'integration-branch': st.integration,
        'commit-sha': head,
        roster: cur.map((w) => {
          const m = mergedBy.get(w.role);
          return {
            text: `${w.role}: ${m ? 'integrated' : `excluded: ${why(w)}`}`,
            role: w.role,
            'thread-id': w.thread || '-',
            branch: w.branch || '-',
            scope: this.env.plan.areas.find((a) => a.role === w.role)?.scope ?? w.role,
            outcome: m ? `merged at ${m.sha.slice(0, 12)}` : `excluded: ${why(w)}`,
            summary: m ? `merged at ${m.sha.slice(0, 12)}` : `excluded: ${why(w)}`,
            'verification-results': m ? m.tests : '-',
            status: m ? 'integrated' : 'excluded',
          };
        }),
      },
      false,
    );
    // A final template that has no outcome field still says how the run ended.
    return complete || formSlots(this.forms.final).has('outcome') ? text : `Thread-team run aborted: ${st.reason}.\n\n${text}`;
  }

  // ---- cancel and status ------------------------------------------------------------------

  private async abort(reason: string): Promise<void> {
    const st = this.st!;
    st.reason = reason;
    st.status = 'aborting';
    st.next = 'stop the workers and tear the team down';
    const live = active(st);
    for (const w of live) {
      const told = await this.send(w.thread, 'STOP: the run is cancelled. Commit coherent work in progress to your branch now, say so, and stop.', {
        retried: true,
      });
      await this.save(told ? `${w.role}: told to stop` : `${w.role}: the stop message failed three times; archiving stops it`);
    }
    if (live.length > 0) {
      // One bounded wait for the workers to commit, not a polling loop.
      await this.call('wait_threads', { targets: live.slice(0, 8).map((w) => ({ threadId: w.thread })), timeoutMs: 60_000 });
    }
    for (const w of live) {
      w.state = 'stopped';
      w.why = w.why || 'stopped by cancel';
    }
    await this.finishAbort();
  }

  /**
   * The teardown after a cancel. A worktree still being prepared cannot be removed before it
   * exists: while one is pending, the heartbeat is kept and the teardown finishes on a later pass.
   */
  private async finishAbort(): Promise<void> {
    const st = this.st!;
    await this.findUnseenThreads();
    const pending = st.workers.filter((x) => x.state === 'pending');
    if (pending.length && st.heartbeat) {
      st.next = `wait for ${pending.length} worktree(s) still being prepared, then finish the teardown`;
      await this.save(`teardown waits for ${pending.map((w) => w.role).join(', ')}: worktree still being prepared`);
      return;
    }
    const cleanup = await this.teardown(true);
    if (!cleanup) return;
    for (const w of pending) cleanup.push(`${w.role}: a worktree was still being prepared (${w.pending}); remove it when it appears`);
    const unmerged: string[] = [];
    for (const w of current(st)) {
      if (w.state === 'merged' || !w.branch) continue;
      try {
        const tip = await this.ctx.ws.resolve(w.branch);
        if (tip !== w.base) unmerged.push(`${w.branch} (${w.role}) at ${tip.slice(0, 12)}`);
      } catch {
        // the branch is gone: nothing to report
      }
    }
    st.status = 'aborted';
    st.next = 'nothing: the run was aborted';
    await this.save(`run aborted: ${st.reason}`);
    this.ctx.say(
      await this.finalReport('aborted', unmerged.length ? `Unmerged branches with commits: ${unmerged.join(', ')}` : 'No unmerged commits.', cleanup),
    );
  }

  private statusText(): string {
    const st = this.st!;
    const cur = current(st);
    const lines = [
      `Thread team status (${st.status}, phase: ${st.phase})`,
      'Roster:',
      ...cur.map((w) => `- ${w.role} | ${w.thread || w.pending || '-'} | ${w.state}${w.waitingOn ? ` (waiting on ${w.waitingOn})` : ''}`),
      `Blockers: ${
        cur
          .filter((w) => w.waitingOn || w.asked)
          .map((w) => `${w.role}: ${w.waitingOn ? `waiting on ${w.waitingOn}` : 'silent, status requested'}`)
          .join('; ') || 'none'
      }`,
      `Merges: ${st.merges.length} of ${cur.length} (${st.merges.map((m) => m.role).join(', ') || 'none yet'})`,
      `Next action: ${st.next}`,
    ];
    return lines.join('\n');
  }
}

/** Notes written or the branch moved since the base: a worker's files show it started. */
function showsWork(w: WorkerRecord, sig: string | null): sig is string {
  return sig !== null && sig !== `0:${w.base.slice(0, 12)}`;
}

/** A task still in a worker's hands (or on its way to one): the run cannot finish yet. */
function unsettled(w: WorkerRecord): boolean {
  return ['pending', 'created', 'registered', 'dispatched', 'started', 'rework'].includes(w.state);
}

function respondedToDispatch(turns: { items: { type: string; text?: string }[] }[], older: boolean, dispatch: (text: string) => boolean): boolean {
  // Newest first: anything the worker did in or after the turn that received the dispatch.
  let after = false;
  for (const turn of turns) {
    const i = turn.items.findIndex((it) => it.type === 'userMessage' && dispatch(it.text ?? ''));
    const from = i >= 0 ? i + 1 : 0;
    if (turn.items.slice(from).some((it) => it.type !== 'userMessage')) after = true;
    if (i >= 0) return after;
  }
  // Not on the page: older than it (the newer turns show whether the worker acts), or not
  // delivered yet when the page is the whole history.
  return older && after;
}

function foreignNote(runs: { leader: string; status: string }[]): string {
  return `Unfinished runs of other leaders found (left untouched): ${runs.map((r) => `${r.leader} (${r.status})`).join(', ')}.`;
}
