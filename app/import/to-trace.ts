// A real run, from the rollouts its threads left, as a trace in our format: the tool calls and
// their answers, the messages sent and delivered, turns and what started them, heartbeats, the
// person's words, every shell command (as an `exec` act) and what it did, read from its text and
// output (effects.ts: merges, worktrees, reviews, test runs, journal writes). What a rollout
// cannot show is not guessed: the rules that need it are reported undecidable (UNSEEN_RULES).

import { unwrapDelegation, unwrapHeartbeat } from '../../src/contract/envelopes.ts';
import type { SkillProfile } from '../../src/skill/types.ts';
import type { TraceBody, TraceEvent, TurnCause } from '../../src/trace/events.ts';
import { LEADER_ID, outcomeOf, traceProfile } from '../../sim/run.ts';
import { formsOf, recognise } from '../../src/skill/views.ts';
import { userIntent } from '../../src/leader/messages.ts';
import { journalPathRegex } from '../../src/skill/paths.ts';
import { EffectReader } from './effects.ts';

/** The leader driver an imported trace names in its header (so `check` knows what it cannot decide). */
export const IMPORTED_DRIVER = 'codex-rollout';
/**
 * The same for a run our harness hosted: the simulator's clock timed its heartbeats and
 * deadlines, while its rollouts carry wall-clock times, so the rules judged on elapsed time
 * (CLOCK_RULES) cannot be read from them either.
 */
export const HOSTED_DRIVER = 'codex-rollout:simulated-clock';

/** The `originator` of a thread our harness drove: its thread tools were the simulator's, whose leader has a fixed id. */
const HARNESS = 'thread_team_sim';
import type { RolloutItem, RolloutThread, RolloutTurn } from './rollout.ts';

/** The thread-tool namespaces whose calls are the run's protocol acts. */
const THREAD_TOOLS = new Set(['codex_app', 'codex_tui']);
const HEARTBEAT_TRIGGER = 'automation_heartbeat_scheduled';

/** A rule, or one clause of it (its violation sentence ends so), that a trace cannot decide, and why. */
export interface Unseen {
  rule: string;
  /** Words the clause's violation sentence holds; absent: the whole rule. */
  clause?: string;
  /** The clause, for a person. */
  label?: string;
  reason: string;
}

/**
 * What a rollout cannot show, even with the effects of commands read from their text and output
 * (effects.ts): the task's split, the journal's content, and what the host did on its own.
 */
export const UNSEEN_RULES: readonly Unseen[] = [
  { rule: 'T2', reason: 'whether the split favours a team needs the task split, which a real run does not record' },
  { rule: 'W3', reason: 'the worktrees the host made for its threads, and their removal, are not in a rollout' },
  { rule: 'J3', reason: 'what a commit carried (the journal or not) is not in a rollout' },
  { rule: 'J4', reason: 'a context loss and what was read after it are not told apart from a rollout' },
  { rule: 'J5', reason: "another run's journals are found on disk, not in a rollout" },
  { rule: 'S2', reason: "a worker's progress is judged on its commits, which its rollout shows only as commands" },
  { rule: 'R3', reason: "which files a command changed in a worker's worktree is not in a rollout" },
  { rule: 'A1', reason: "the journal's content (marked aborted) is not in a rollout" },
];

const CLOCK_RULES: readonly Unseen[] = [
  { rule: 'S1', reason: "the startup window was kept on the simulator's clock; a hosted run's rollouts have wall-clock times" },
  {
    rule: 'S3',
    reason: "how many heartbeat passes a status request came before a replacement is on the simulator's clock; a hosted run's rollouts have wall-clock times",
  },
];

/** Where the import writes a worker's folder when its rollout was not found. */
const NO_ROLLOUT = '(no rollout of ';

const MISSING_WORKER: readonly Unseen[] = [
  {
    rule: 'R1',
    clause: "without reading its worker's report first",
    label: "a missing worker's report read",
    reason: 'a worker whose rollout is missing has no known folder, so whether its report was read cannot be told',
  },
  {
    rule: 'W2',
    clause: NO_ROLLOUT,
    label: "a missing worker's worktree journaled",
    reason: 'a worker whose rollout is missing has no known worktree, so whether it was journaled cannot be told',
  },
  { rule: 'L2', reason: "a task is matched to its merge by its worker's branch, unknown when the worker's rollout is missing" },
];

/** A skill outside the protocol's family whose state file was not named (import --journal). */
const NO_JOURNAL: Unseen = { rule: 'J1', reason: 'where the skill keeps its state is not known: give it with --journal PATTERN' };

/** What a trace cannot decide because of where it came from: nothing for our own runs. */
export function undecidableOf(events: readonly TraceEvent[]): readonly Unseen[] {
  const start = events[0];
  const driver = start?.kind === 'run.start' ? start.leaderDriver : '';
  if (driver !== IMPORTED_DRIVER && driver !== HOSTED_DRIVER) return [];
  const missing = events.some((e) => e.kind === 'thread.created' && e.cwd.startsWith(NO_ROLLOUT));
  const noJournal = start?.kind === 'run.start' && start.profile.journalPath === '' ? [NO_JOURNAL] : [];
  return [...UNSEEN_RULES, ...(driver === HOSTED_DRIVER ? CLOCK_RULES : []), ...(missing ? MISSING_WORKER : []), ...noJournal];
}

/** Whether a violation is one of what a trace cannot decide. */
export function undecided(v: { rule: string; message: string }, unseen: readonly Unseen[]): boolean {
  return unseen.some((u) => u.rule === v.rule && (u.clause === undefined || v.message.includes(u.clause)));
}

/** The rules and clauses, for a line: `T2, R1 (merged without reading its worker's report first)`. */
export function unseenNames(unseen: readonly Unseen[]): string {
  return unseen.map((u) => (u.clause ? `${u.rule} (${u.label ?? u.clause})` : u.rule)).join(', ');
}

export interface ImportedRun {
  events: TraceEvent[];
  /** Threads the leader made whose rollout was not found. */
  missing: string[];
  warnings: string[];
}

/**
 * What the person meant (the checks read consent, status questions and a cancel), read as the
 * reference leader reads it; the first words are the task, later words it cannot place `other`.
 */
export function intentOf(text: string, first: boolean): 'task' | 'confirm' | 'decline' | 'status' | 'cancel' | 'other' {
  if (first) return 'task';
  const intent = userIntent(text);
  return intent === 'task' ? 'other' : intent;
}

interface Made {
  body: TraceBody;
  t: number;
  /** Order within one thread's file, for events at the same instant. */
  seq: number;
  thread: number;
}

export function rolloutsToTrace(opts: {
  leader: RolloutThread;
  /** Every other rollout found, by the id the run knew it by (workers are picked from these). */
  others: Map<string, RolloutThread>;
  profile: SkillProfile;
  /** Codex thread id -> the id the run knew the thread by (a run our harness hosted). */
  aliases?: ReadonlyMap<string, string>;
  /** The build/test commands the run verified with (empty: the common ones). */
  verify?: readonly string[];
}): ImportedRun {
  const { leader } = opts;
  // In a run our harness hosted, the thread tools (and so every id the leader wrote and was
  // answered with) were the simulator's, whose leader is LEADER_ID, not the Codex thread's id.
  const aliases = opts.aliases ?? new Map<string, string>();
  const leaderId = aliases.get(leader.id) ?? (leader.originator === HARNESS ? LEADER_ID : leader.id);
  const idOf = (t: RolloutThread) => (t === leader ? leaderId : (aliases.get(t.id) ?? t.id));
  const threads: RolloutThread[] = [leader];
  const missing: string[] = [];
  const warnings = [...leader.warnings];
  // The threads the leader made, from its create_thread answers, in order.
  for (const turn of leader.turns)
    for (const item of turn.items) {
      if (item.kind !== 'call' || item.name !== 'create_thread' || item.output === null) continue;
      const id = jsonOf(item.output)?.threadId;
      if (typeof id !== 'string' || threads.some((t) => t.id === id) || missing.includes(id)) continue;
      const found = opts.others.get(id);
      if (found) {
        threads.push(found);
        warnings.push(...found.warnings);
      } else missing.push(id);
    }
  const t0 = Math.min(...threads.map((t) => t.startedAt || Number.POSITIVE_INFINITY), ...threads.flatMap((t) => t.turns.map((u) => u.start)));
  const made: Made[] = [];
  let seq = 0;
  const emit = (thread: number, t: number, body: TraceBody) => made.push({ body, t: Math.max(0, t - t0), seq: seq++, thread });
  const automations = new Map<string, { thread: string; status: 'ACTIVE' | 'PAUSED'; rrule: string }>();
  let firstUser = true;
  const effectsOf = {
    root: leader.cwd ?? '',
    journal: journalPathRegex(opts.profile.journalPath.value),
    reportPath: opts.profile.workerReportPath.value,
    verify: opts.verify ?? [],
  };
  const workerDirs = threads.slice(1).flatMap((t) => (t.cwd ? [t.cwd] : []));
  threads.forEach((th, n) => {
    const me = idOf(th);
    const effects = new EffectReader(effectsOf, workerDirs);
    for (const turn of th.turns) {
      const inputs = turn.items.filter((i) => i.kind === 'user' || i.kind === 'heartbeat' || i.kind === 'delivered');
      for (const i of inputs) {
        if (i.kind === 'user' && th === leader) {
          emit(n, i.t, { kind: 'user.input', thread: me, text: i.text, intent: intentOf(i.text, firstUser) });
          firstUser = false;
        }
        if (i.kind === 'heartbeat') {
          const hb = unwrapHeartbeat(i.text.trim());
          const a = hb ? automations.get(hb.automationId) : undefined;
          if (hb) emit(n, i.t, { kind: 'automation', op: 'fire', id: hb.automationId, thread: me, status: a?.status ?? 'ACTIVE', rrule: a?.rrule ?? '' });
        }
      }
      emit(n, turn.start, { kind: 'turn.start', thread: me, turn: turn.id, causes: causesOf(turn, inputs), inputs: inputs.map((i) => i.text) });
      for (const i of inputs) {
        if (i.kind !== 'delivered') continue;
        const d = unwrapDelegation(i.text.trim());
        if (d) emit(n, i.t, { kind: 'message.delivered', msg: `pending:${d.source}:${d.text}`, to: me, turn: turn.id });
      }
      for (const item of turn.items) itemEvents(th, me, n, turn, item, emit, automations, (id) => threads.find((x) => x.id === id), effects);
      if (turn.status !== 'open') emit(n, turn.end ?? turn.start, { kind: 'turn.end', thread: me, turn: turn.id, status: turn.status });
    }
  });
  correctSkew(made, threads.map(idOf), warnings);
  made.sort((a, b) => a.t - b.t || a.thread - b.thread || a.seq - b.seq);
  // A delivery names its message by sender and text until here: now by the send's id, in order.
  const sent = new Map<string, string[]>();
  for (const m of made) {
    if (m.body.kind !== 'message.sent') continue;
    const key = `pending:${m.body.from}:${m.body.text}`;
    sent.set(key, [...(sent.get(key) ?? []), m.body.msg]);
  }
  const bodies: TraceBody[] = [
    {
      kind: 'run.start',
      scenario: 'imported',
      seed: 0,
      leaderDriver: aliases.size || leader.originator === HARNESS ? HOSTED_DRIVER : IMPORTED_DRIVER,
      leader: leaderId,
      repo: leader.cwd ?? '',
      profile: traceProfile(opts.profile),
      tools: [...leader.tools].sort(),
      task: null,
      faultsPlanned: [],
    },
  ];
  const ts = [0];
  for (const m of made) {
    if (m.body.kind === 'message.delivered' && m.body.msg.startsWith('pending:')) {
      const ids = sent.get(m.body.msg);
      const id = ids?.shift();
      if (!id) continue;
      bodies.push({ ...m.body, msg: id });
    } else bodies.push(m.body);
    ts.push(m.t);
  }
  const events = bodies.map((b, i) => ({ ...b, i, t: ts[i]! }) as TraceEvent);
  const reason = missing.length ? `imported from rollouts; ${missing.length} worker rollouts missing` : 'imported from rollouts';
  events.push({ kind: 'run.end', outcome: outcomeOf(events, opts.profile, leaderId), reason, i: events.length, t: ts.at(-1) ?? 0 });
  return { events, missing, warnings };
}

/**
 * Threads' clocks may disagree (a worker in a cloud environment, a machine's clock set wrong):
 * a message cannot arrive before it was sent, so a thread whose deliveries come earlier than
 * their sends has its times moved later by the largest gap, and that is said.
 */
function correctSkew(made: Made[], ids: string[], warnings: string[]): void {
  const sentAt = new Map<string, number>();
  for (const m of made)
    if (m.body.kind === 'message.sent')
      sentAt.set(`pending:${m.body.from}:${m.body.text}`, Math.min(sentAt.get(`pending:${m.body.from}:${m.body.text}`) ?? Number.POSITIVE_INFINITY, m.t));
  const behind = new Map<number, number>();
  for (const m of made) {
    if (m.body.kind !== 'message.delivered') continue;
    const sent = sentAt.get(m.body.msg);
    if (sent !== undefined && m.t < sent) behind.set(m.thread, Math.max(behind.get(m.thread) ?? 0, sent - m.t));
  }
  for (const [thread, gap] of behind) {
    for (const m of made) if (m.thread === thread) m.t += gap;
    warnings.push(`thread ${ids[thread]}'s clock is behind its senders' by ${Math.round(gap / 1000)} s at least: its times are moved later by that much`);
  }
}

function causesOf(turn: RolloutTurn, inputs: RolloutItem[]): TurnCause[] {
  const causes = new Set<TurnCause>();
  if (turn.trigger === HEARTBEAT_TRIGGER || inputs.some((i) => i.kind === 'heartbeat')) causes.add('heartbeat');
  if (inputs.some((i) => i.kind === 'delivered')) causes.add('delegation');
  if (inputs.some((i) => i.kind === 'user')) causes.add('user');
  return [...causes];
}

function jsonOf(text: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

/** The exit code Codex reports in an exec_command output, or null. */
function exitOf(output: string | null): number | null {
  const m = output ? /Process exited with code (-?\d+)/.exec(output) : null;
  return m ? Number(m[1]) : null;
}

function itemEvents(
  th: RolloutThread,
  me: string,
  n: number,
  turn: RolloutTurn,
  item: RolloutItem,
  emit: (thread: number, t: number, body: TraceBody) => void,
  automations: Map<string, { thread: string; status: 'ACTIVE' | 'PAUSED'; rrule: string }>,
  rolloutOf: (id: string) => RolloutThread | undefined,
  effects: EffectReader,
): void {
  if (item.kind === 'assistant') {
    emit(n, item.t, { kind: 'assistant.message', thread: me, turn: turn.id, text: item.text });
    return;
  }
  if (item.kind === 'compacted') {
    emit(n, item.t, { kind: 'note', text: `context compacted in ${me}` });
    return;
  }
  if (item.kind !== 'call') return;
  const at = item.done ?? item.t;
  if (item.name === 'exec_command' || item.name === 'shell' || item.name === 'local_shell') {
    const a = (item.args ?? {}) as { cmd?: unknown; command?: unknown; workdir?: unknown };
    const cmd = typeof a.cmd === 'string' ? a.cmd : Array.isArray(a.command) ? a.command.join(' ') : String(a.command ?? '');
    const code = exitOf(item.output);
    const dir = typeof a.workdir === 'string' ? a.workdir : (th.cwd ?? '');
    emit(n, at, { kind: 'ws', op: 'exec', actor: me, dir, ok: code === 0, detail: `${cmd.slice(0, 200)} -> exit ${code ?? '?'}` });
    for (const act of effects.command(cmd, dir, code, item.output ?? '')) emit(n, at, { kind: 'ws', actor: me, ...act });
    return;
  }
  if (item.name === 'apply_patch') {
    const a = (item.args ?? {}) as { input?: unknown; patch?: unknown };
    const input = typeof a.input === 'string' ? a.input : typeof a.patch === 'string' ? a.patch : '';
    // Codex answers a patch it could not apply with an error, and one it applied with "Success".
    const ok = item.output !== null && !/verification failed|^error|"exit_code":\s*[1-9]/im.test(item.output);
    for (const act of effects.patch(input, th.cwd ?? '', ok)) emit(n, at, { kind: 'ws', actor: me, ...act });
    return;
  }
  const threadTool = item.namespace !== null && THREAD_TOOLS.has(item.namespace);
  if (!threadTool && item.name !== 'automation_update') return;
  if (item.output === null) return; // a call still waiting for its answer when the file ends
  const payload = jsonOf(item.output);
  const ok = item.success ?? payload !== null;
  const args = (item.args ?? {}) as Record<string, unknown>;
  emit(n, at, { kind: 'tool.call', thread: me, turn: turn.id, tool: item.name, args, ok, result: ok ? (payload ?? item.output) : item.output });
  if (!ok || !payload) return;
  switch (item.name) {
    case 'create_thread': {
      const id = String(payload.threadId ?? '');
      const target = args.target as { type?: string; environment?: { type?: string } } | undefined;
      // Where it ran and on which branch: from its own rollout, when found.
      const made = rolloutOf(id);
      const worktree = target?.environment?.type === 'worktree';
      emit(n, at, {
        kind: 'thread.created',
        thread: id,
        by: me,
        cwd: made?.cwd ?? `${NO_ROLLOUT}${id})`,
        model: typeof args.model === 'string' ? args.model : null,
        thinking: typeof args.thinking === 'string' ? args.thinking : null,
        worktree: worktree ? { branch: made?.git?.branch ?? '', base: made?.git?.commit ?? '' } : null,
      });
      emit(n, at, { kind: 'message.sent', msg: item.callId, from: me, to: id, text: String(args.prompt ?? '') });
      return;
    }
    case 'send_message_to_thread':
      emit(n, at, { kind: 'message.sent', msg: item.callId, from: me, to: String(args.threadId ?? ''), text: String(args.prompt ?? '') });
      return;
    case 'set_thread_archived':
      emit(n, at, { kind: 'thread.archived', thread: String(args.threadId ?? me), archived: args.archived !== false });
      return;
    case 'automation_update': {
      const mode = args.mode;
      const id = String(payload.automationId ?? args.id ?? '');
      if (mode === 'create') {
        const status = args.status === 'PAUSED' ? 'PAUSED' : 'ACTIVE';
        const a = { thread: String(args.targetThreadId ?? me), status: status as 'ACTIVE' | 'PAUSED', rrule: String(args.rrule ?? '') };
        automations.set(id, a);
        emit(n, at, { kind: 'automation', op: 'create', id, ...a });
      } else if (mode === 'update') {
        const before = automations.get(id) ?? { thread: me, status: 'ACTIVE' as const, rrule: '' };
        const a = {
          thread: before.thread,
          status: (args.status === 'PAUSED' || args.status === 'ACTIVE' ? args.status : before.status) as 'ACTIVE' | 'PAUSED',
          rrule: typeof args.rrule === 'string' ? args.rrule : before.rrule,
        };
        automations.set(id, a);
        emit(n, at, { kind: 'automation', op: 'update', id, ...a });
      } else if (mode === 'delete') {
        const before = automations.get(id);
        automations.delete(id);
        emit(n, at, { kind: 'automation', op: 'delete', id, thread: before?.thread ?? me, status: 'DELETED', rrule: before?.rrule ?? '' });
      }
      return;
    }
    default:
      return;
  }
}

/**
 * The team runs of one leader thread, in order: each ends with the turn whose reply is the
 * skill's final report; turns after the last one are a run still going (when there are any).
 * Each is the leader's rollout cut to that run's turns, starting when its first turn did.
 */
export function runsOf(leader: RolloutThread, profile: SkillProfile): RolloutThread[] {
  const forms = formsOf(profile.templates);
  const runs: RolloutTurn[][] = [[]];
  for (const turn of leader.turns) {
    runs.at(-1)!.push(turn);
    if (turn.items.some((i) => i.kind === 'assistant' && recognise(forms, i.text, ['final']))) runs.push([]);
  }
  if (!runs.at(-1)!.length) runs.pop();
  return runs.map((turns) => ({ ...leader, turns, startedAt: turns[0]?.start ?? leader.startedAt }));
}
