import { parseHeader } from '../skill/header.ts';
import { journalPathRegex } from '../skill/paths.ts';
import { readableLines, readForm, type FormReading } from '../skill/form-read.ts';
import { type Assignment, type FinalView, type Forms, type StateView, assignmentOf, finalOf, formsOf, recognise, signalOf, stateOf } from '../skill/views.ts';
import { unwrapDelegation } from '../contract/envelopes.ts';
import type { EventOf, TraceEvent } from '../trace/events.ts';

// What the checkers need to know of a run, derived once from the trace alone: who the
// workers are and which role each plays, what every message was, where the journal is, and
// when things happened. Nothing here reads the skill directory: the run.start event carries
// the skill's facts and templates.

export interface WorkerInfo {
  thread: string;
  role: string | null;
  cwd: string;
  createdAt: number;
  /** Index of the thread.created event. */
  created: number;
  archivedAt: number | null;
  archived: number | null;
  model: string | null;
  thinking: string | null;
  worktree: { branch: string; base: string } | null;
  /** Leader messages to this worker, in order, with what they were. */
  registrations: number[];
  dispatches: number[];
  /** What the first dispatch told it. */
  dispatch: Partial<Assignment> | null;
  /** First sign of life after the first dispatch reached it: its own message, a write in its worktree, or a signal to the leader. */
  respondedAt: number | null;
  /** Observable progress: this worker's workspace writes and commits, and its delivered completion or blocked signals. */
  activity: number[];
  /** The thread fell into systemError, or its worktree was removed by a fault. */
  incapacitatedAt: number | null;
  /**
   * The host put the thread in its caller's folder (the terminal UI's create_thread has no
   * target) and the leader has not yet told it a folder of its own: `cwd` is then where the
   * host placed it, not a choice of the leader's.
   */
  placedByHost: boolean;
}

export interface MessageInfo {
  ev: EventOf<'message.sent'>;
  kind: 'registration' | 'dispatch' | 'intro' | 'other';
  /** A registration's or dispatch's reading, and what it tells the worker. */
  reading: FormReading | null;
  assignment: Partial<Assignment> | null;
}

export class TraceModel {
  readonly start: EventOf<'run.start'>;
  readonly end: EventOf<'run.end'> | null;
  readonly leader: string;
  readonly root: string;
  readonly forms: Forms;
  readonly workers = new Map<string, WorkerInfo>();
  readonly messages: MessageInfo[] = [];
  readonly journalPath: string;
  readonly journalRe: RegExp;
  /** The leader's final report: the last assistant message that is the final template filled in. */
  readonly finalReport: ({ ev: EventOf<'assistant.message'> } & FinalView) | null = null;
  readonly heartbeatMs: number;

  constructor(readonly events: readonly TraceEvent[]) {
    const start = events[0];
    if (start?.kind !== 'run.start') throw new Error('a trace starts with a run.start event');
    this.start = start;
    const last = events.at(-1)!;
    this.end = last.kind === 'run.end' ? last : null;
    this.leader = start.leader;
    this.root = start.repo;
    const p = start.profile;
    this.heartbeatMs = p.heartbeatMinutes * 60_000;
    const t = (kind: keyof typeof p.templates) => ({ file: kind, line: 1, text: p.templates[kind] });
    this.forms = formsOf({ registration: t('registration'), dispatch: t('dispatch'), report: t('report'), state: t('state'), final: t('final') });
    this.journalPath = p.journalPath.replace(/<[^>]+>/, this.leader);
    this.journalRe = journalPathRegex(p.journalPath);
    this.index();
    for (const e of events) {
      if (e.kind !== 'assistant.message' || e.thread !== this.leader) continue;
      const seen = recognise(this.forms, e.text, ['final']);
      if (seen) this.finalReport = { ev: e, ...finalOf(seen.reading, e.text) };
    }
  }

  private index(): void {
    for (const e of this.events) {
      if (e.kind === 'thread.created' && e.by === this.leader) {
        this.workers.set(e.thread, {
          thread: e.thread,
          role: null,
          cwd: e.cwd,
          createdAt: e.t,
          created: e.i,
          archivedAt: null,
          archived: null,
          model: e.model,
          thinking: e.thinking,
          worktree: e.worktree,
          registrations: [],
          dispatches: [],
          dispatch: null,
          respondedAt: null,
          activity: [],
          incapacitatedAt: null,
          placedByHost: this.start.host === 'tui' && e.worktree === null,
        });
      } else if (e.kind === 'message.delivered') {
        if (!this.deliveredAt.has(e.msg)) {
          this.deliveredAt.set(e.msg, e.i);
          // Progress is what shows in files, and the signals that end or block work, from the
          // moment they reach the leader; a status line that only claims to be working is not.
          const sent = this.sent.get(e.msg);
          const from = sent && e.to === this.leader ? this.workers.get(sent.from) : undefined;
          if (from && this.isSignal(sent!.text)) this.noteActivity(from, e);
        }
      } else if (e.kind === 'thread.archived' && e.archived) {
        const w = this.workers.get(e.thread);
        if (w && w.archived === null) {
          w.archived = e.i;
          w.archivedAt = e.t;
        }
      } else if (e.kind === 'message.sent') {
        const info = this.classifyMessage(e);
        // create_thread's prompt: the message that follows the thread's creation at once.
        const prev = this.events[e.i - 1];
        // Stryker disable next-line OptionalChaining: the trace starts with run.start, so a message always has an event before it
        if (info.kind === 'other' && prev?.kind === 'thread.created' && prev.thread === e.to) info.kind = 'intro';
        this.messages.push(info);
        const to = this.workers.get(e.to);
        if (e.from === this.leader && to) {
          // Told its own folder: from now on that is where it works.
          if (to.placedByHost && info.assignment?.dir) {
            to.cwd = info.assignment.dir;
            to.placedByHost = false;
          }
          if (info.kind === 'registration') {
            to.registrations.push(e.i);
            // Stryker disable next-line OptionalChaining: a registration or a dispatch always comes with its assignment (classifyMessage reads both at once)
            to.role ??= info.assignment?.role ?? null;
          } else if (info.kind === 'dispatch') {
            to.dispatches.push(e.i);
            to.dispatch ??= info.assignment;
            // Stryker disable next-line OptionalChaining: a registration or a dispatch always comes with its assignment (classifyMessage reads both at once)
            to.role ??= info.assignment?.role ?? null;
          }
        }
        this.sent.set(e.msg, e);
      } else if (e.kind === 'ws' && e.ok) {
        const w = this.workers.get(e.actor);
        if (w && isWrite(e.op)) this.noteActivity(w, e);
      } else if (e.kind === 'assistant.message') {
        // Said in its own thread: a response to the dispatch (the startup gate reads it), not progress.
        const w = this.workers.get(e.thread);
        if (w) this.noteResponse(w, e);
      } else if (e.kind === 'thread.status' && e.status === 'systemError') {
        const w = this.workers.get(e.thread);
        if (w) w.incapacitatedAt ??= e.t;
      } else if (e.kind === 'fault' && e.fault === 'remove-worktree' && e.target) {
        const w = this.workers.get(e.target);
        if (w) w.incapacitatedAt ??= e.t;
      }
    }
  }

  private noteActivity(w: WorkerInfo, e: TraceEvent): void {
    w.activity.push(e.i);
    this.noteResponse(w, e);
  }

  /** A response counts once the first dispatch has reached the worker (not merely been sent). */
  private noteResponse(w: WorkerInfo, e: TraceEvent): void {
    if (w.respondedAt !== null || w.dispatches.length === 0) return;
    const d = this.events[w.dispatches[0]!] as Extract<TraceEvent, { kind: 'message.sent' }>;
    // Events are read in order: a delivery already recorded came before this event.
    if (this.deliveredAt.has(d.msg)) w.respondedAt = e.t;
  }

  private readonly sent = new Map<string, EventOf<'message.sent'>>();

  /** Event index at which each message reached its thread. */
  readonly deliveredAt = new Map<string, number>();

  /** A completion or blocked signal, in the skill's words or (completion) by its shape. */
  isSignal(text: string): boolean {
    const kind = this.signalKind(text);
    return kind === 'complete' || kind === 'blocked';
  }

  /** What a worker's message signals, read after its header line. */
  signalKind(text: string): ReturnType<typeof signalOf>['kind'] {
    const p = this.start.profile;
    return signalOf(this.bodyOf(text), { complete: p.completionSignal, blocked: p.blockedSignal }, p.workerReportPath).kind;
  }

  /** A message's words after the header line that names its sender (the whole text without one). */
  bodyOf(text: string): string {
    const lines = readableLines(text);
    // Stryker disable next-line MethodExpression: readableLines strips trailing whitespace, so a blank line is '' already
    const first = lines.findIndex((l) => l.trim() !== '');
    return this.header(text) ? lines.slice(first + 1).join('\n') : lines.join('\n');
  }

  private classifyMessage(e: EventOf<'message.sent'>): MessageInfo {
    const seen = recognise(this.forms, e.text, ['registration', 'dispatch']);
    if (!seen) return { ev: e, kind: 'other', reading: null, assignment: null };
    return { ev: e, kind: seen.kind as 'registration' | 'dispatch', reading: seen.reading, assignment: assignmentOf(seen.reading) };
  }

  /** What a journal text says of its run (complete, aborted with a reason, or still going). */
  journalState(text: string): StateView {
    return stateOf(readForm(this.forms.state, text));
  }

  /** A message's header (read once per text: several checkers ask about the same messages). */
  header(text: string): { role: string; threadId: string } | null {
    let h = this.headers.get(text);
    if (h === undefined) {
      // Stryker disable next-line StringLiteral: parseHeader reads only the header's value; where it came from names nothing it returns
      h = parseHeader({ header: { value: this.start.profile.header, file: 'trace', line: 1, rule: 'run.start' } }, text);
      this.headers.set(text, h);
    }
    return h;
  }

  private readonly headers = new Map<string, { role: string; threadId: string } | null>();

  ofKind<K extends TraceEvent['kind']>(kind: K): EventOf<K>[] {
    return this.events.filter((e): e is EventOf<K> => e.kind === kind);
  }

  /** The leader's thread or one of its workers': a heartbeat on any other belongs to another session. */
  isTeamThread(thread: string): boolean {
    return thread === this.leader || this.workers.has(thread);
  }

  leaderTools(tool?: string): EventOf<'tool.call'>[] {
    return this.events.filter((e): e is EventOf<'tool.call'> => e.kind === 'tool.call' && e.thread === this.leader && (!tool || e.tool === tool));
  }

  leaderWs(op?: string): EventOf<'ws'>[] {
    return this.events.filter((e): e is EventOf<'ws'> => e.kind === 'ws' && e.actor === this.leader && (!op || e.op === op));
  }

  /** The leader's journal writes (ok), with their text. */
  journalWrites(): EventOf<'ws'>[] {
    return this.leaderWs('writeFile').filter((e) => e.ok && e.dir === this.root && e.paths?.[0] === this.journalPath);
  }

  /** Workers dispatched by the leader, by role, in creation order. */
  byRole(): Map<string, WorkerInfo[]> {
    const out = new Map<string, WorkerInfo[]>();
    for (const w of this.workers.values()) {
      if (!w.role) continue;
      out.set(w.role, [...(out.get(w.role) ?? []), w]);
    }
    return out;
  }

  /** When the run's work was over: the final report, or the run end. */
  get endT(): number {
    return this.finalReport?.ev.t ?? this.end?.t ?? this.events.at(-1)!.t;
  }

  get endI(): number {
    return this.finalReport?.ev.i ?? this.end?.i ?? this.events.length - 1;
  }

  unwrap(text: string): string {
    return unwrapDelegation(text)?.text ?? text;
  }
}

const WRITES = new Set(['writeFile', 'removeFile', 'commitAll', 'commitMerge', 'merge', 'run', 'checkout', 'discardChanges', 'abortMerge']);
export function isWrite(op: string): boolean {
  return WRITES.has(op);
}
