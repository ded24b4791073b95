// A run as a person debugging it wants to read it: one row per trace event, on the lane of the
// thread that did it (named by role, not by UUID), with what it was in a few words, whether
// it is protocol-level or a workspace internal (folded unless asked), and the rules whose
// violations name it. The terminal view and the HTML view both render this one model.

import type { EventOf, TraceEvent } from '../../src/trace/events.ts';
import { checkTrace, TraceModel, type Violation } from '../../src/invariants/index.ts';
import { readForm } from '../../src/skill/form-read.ts';
import { undecidableOf, undecided, unseenNames } from '../import/to-trace.ts';

export type RowKind =
  | 'run'
  | 'user'
  | 'turn'
  | 'say'
  | 'message'
  | 'delivery'
  | 'tool'
  | 'thread'
  | 'status'
  | 'heartbeat'
  | 'automation'
  | 'merge'
  | 'verify'
  | 'commit'
  | 'worktree'
  | 'journal'
  | 'branch'
  | 'fault'
  | 'note'
  | 'ws';

export interface Lane {
  /** The thread id ('' for the person at the keyboard). */
  thread: string;
  /** `leader`, the worker's role (`api`, `api#2` for its replacement), `user`, or a short id. */
  name: string;
  /** The lane this one replaces (a second worker of the same role). */
  replaces: string | null;
}

export interface Row {
  i: number;
  t: number;
  /** The lane of the thread that acted. */
  lane: string;
  /** The lane a message, input or new thread goes to. */
  to?: string;
  kind: RowKind;
  /** What happened, in one line. */
  text: string;
  /** A workspace internal or a bookkeeping event: shown only on request. */
  folded: boolean;
  /** Rule ids of the violations that name this event. */
  rules: string[];
}

export interface ShownViolation extends Violation {
  /** Judged against the leader (a worker's misdeed is shown, not judged). */
  judged: boolean;
}

export interface Timeline {
  scenario: string;
  seed: number;
  leaderDriver: string;
  host: string | null;
  outcome: string | null;
  reason: string;
  /** The run's first moment: row times are shown from here. */
  startT: number;
  lanes: Lane[];
  rows: Row[];
  violations: ShownViolation[];
  /** Fault kinds planned or struck, with the events where each struck. */
  faults: { kind: string; planned: boolean; struck: number[] }[];
  /** Rules a trace imported from rollouts cannot decide (null for a simulated or live trace). */
  undecidable: string | null;
  /** The journal path the trace names, so a viewer can show the journal at any point. */
  journalPath: string;
}

/** Ops whose events are the workspace's plumbing: reads, lookups, plain file writes. */
const INTERNAL_OPS = new Set(['readFile', 'resolve', 'changedFiles', 'status', 'listFiles', 'currentBranch', 'writeFile', 'removeFile', 'addExclude']);
/** Thread statuses that only echo a turn starting or ending. */
const TURN_STATUSES = new Set(['active', 'idle', 'inProgress', 'completed', 'notLoaded']);
/** Events a successful thread tool leaves of its own: the call itself then adds nothing. */
const EFFECTS = new Set<TraceEvent['kind']>(['thread.created', 'message.sent', 'automation', 'thread.archived']);

/** A thread id, which lanes name already: in a one-line summary its first eight characters do. */
const THREAD_ID = /\b([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-z]{12}\b/g;

const clip = (text: string, n = 72): string => {
  const line = text.replace(THREAD_ID, '$1…').replace(/\s+/g, ' ').trim();
  return line.length > n ? `${line.slice(0, n - 1)}…` : line;
};
const short = (sha: string | null | undefined): string => (sha ? sha.slice(0, 7) : '-');

/** `mm:ss` of simulated (or, live, wall) time since the run started. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export function timelineOf(events: readonly TraceEvent[]): Timeline {
  const m = new TraceModel(events);
  const start = m.start;
  const lanes = lanesOf(m);
  const laneOf = (thread: string | undefined): string => {
    if (!thread) return 'leader';
    const id = thread.includes(':') ? thread.slice(thread.lastIndexOf(':') + 1) : thread;
    return lanes.byThread.get(id) ?? `thread-${id.slice(-8)}`;
  };
  const branchOwner = new Map<string, string>();
  for (const w of m.workers.values()) if (w.worktree) branchOwner.set(w.worktree.branch, laneOf(w.thread));
  const kindOf = new Map(m.messages.map((x) => [x.ev.msg, x.kind]));
  const delivered = new Set(events.filter((e) => e.kind === 'message.delivered').map((e) => (e as EventOf<'message.delivered'>).msg));
  const sentBy = new Map(m.messages.map((x) => [x.ev.msg, x.ev]));
  const messageLabel = (e: EventOf<'message.sent'>): string => {
    const k = kindOf.get(e.msg);
    if (k && k !== 'other') return k;
    if (e.to === m.leader && m.workers.has(e.from)) {
      const signal = m.signalKind(e.text);
      return signal === 'complete' ? 'done' : signal === 'blocked' ? 'blocked' : 'message';
    }
    return 'message';
  };

  // A tool's effect events are written just before its call: walk back over the plumbing.
  const effectBefore = (i: number): boolean => {
    for (let j = i - 1; j > 0; j--) {
      const prev = events[j]!;
      if (EFFECTS.has(prev.kind)) return true;
      if (prev.kind !== 'ws' && prev.kind !== 'message.delivered' && prev.kind !== 'thread.status') return false;
    }
    return false;
  };

  let lastJournal: Record<string, string> | null = null;
  const rows: Row[] = events.map((e): Row => {
    const row = (lane: string, kind: RowKind, text: string, folded = false, to?: string): Row => ({
      i: e.i,
      t: e.t,
      lane,
      kind,
      text,
      folded,
      rules: [],
      ...(to !== undefined ? { to } : {}),
    });
    switch (e.kind) {
      case 'run.start':
        return row(
          'leader',
          'run',
          `run ${e.scenario} (seed ${e.seed}) starts: leader ${e.leaderDriver}${e.host ? `, ${e.host} host` : ''}${e.faultsPlanned.length ? `; faults planned: ${e.faultsPlanned.join(', ')}` : ''}`,
        );
      case 'run.end':
        return row('leader', 'run', `run ends: ${e.outcome}${e.reason ? ` (${clip(e.reason, 60)})` : ''}`);
      case 'user.input':
        return row('user', 'user', `${e.intent}: "${clip(e.text, 60)}"`, false, laneOf(e.thread));
      case 'turn.start':
        return row(laneOf(e.thread), 'turn', `turn ${e.turn} starts (${e.causes.join(', ') || 'no input'})`);
      case 'turn.steer':
        return row(laneOf(e.thread), 'turn', `${e.causes.join(', ')} steered into turn ${e.turn}`);
      case 'turn.end':
        return row(laneOf(e.thread), 'turn', `turn ${e.turn} ${e.status}${e.error ? `: ${clip(e.error, 50)}` : ''}`);
      case 'assistant.message': {
        const final = m.finalReport?.ev.i === e.i;
        return row(laneOf(e.thread), 'say', `${final ? 'final report' : 'says'}: "${clip(e.text, 64)}"`);
      }
      case 'tool.call': {
        const folded = e.ok && effectBefore(e.i);
        return row(laneOf(e.thread), 'tool', `${e.tool}${e.ok ? '' : ` failed: ${clip(String(e.result), 56)}`}`, folded);
      }
      case 'message.sent':
        return row(
          laneOf(e.from),
          'message',
          `${messageLabel(e)}: "${clip(m.bodyOf(e.text), 56)}"${delivered.has(e.msg) ? '' : ' (never delivered)'}`,
          false,
          laneOf(e.to),
        );
      case 'message.delivered': {
        const sent = sentBy.get(e.msg);
        return row(laneOf(e.to), 'delivery', `receives ${sent ? `${messageLabel(sent)} from ${laneOf(sent.from)}` : e.msg} (turn ${e.turn})`, true);
      }
      case 'thread.created': {
        const name = laneOf(e.thread);
        const lane = lanes.list.find((l) => l.name === name);
        return row(
          laneOf(e.by),
          'thread',
          `creates ${name}${lane?.replaces ? ` (replaces ${lane.replaces})` : ''}${e.worktree ? ` on ${e.worktree.branch} from ${/^[0-9a-f]{40}$/.test(e.worktree.base) ? short(e.worktree.base) : e.worktree.base}` : ` in ${e.cwd}`}${e.model ? `, ${e.model}${e.thinking ? `/${e.thinking}` : ''}` : ''}`,
          false,
          name,
        );
      }
      case 'thread.status':
        return row(laneOf(e.thread), 'status', `status ${e.status}`, TURN_STATUSES.has(e.status));
      case 'thread.archived':
        return row(laneOf(e.thread), 'thread', e.archived ? 'archived' : 'unarchived');
      case 'automation':
        if (e.op === 'fire') return row(laneOf(e.thread), 'heartbeat', `heartbeat ${e.id} fires`);
        return row(laneOf(e.thread), 'automation', `heartbeat ${e.id} ${e.op}: ${e.status}${e.op === 'delete' ? '' : ` ${e.rrule}`}`);
      case 'ws':
        return wsRow(e, laneOf(e.actor), row, {
          m,
          branchOwner,
          journal: (x) => {
            const j = journalLine(m, x, lastJournal);
            lastJournal = j.values;
            return j.line;
          },
        });
      case 'fault':
        return row(laneOf(e.target), 'fault', `fault ${e.fault}: ${clip(e.detail, 60)}`);
      case 'note':
        return row('leader', 'note', `note: ${clip(e.text, 68)}`);
    }
    // Every kind the trace reader accepts is named above; this is for the type checker's sake.
    return row('leader', 'note', (e as { kind: string }).kind);
  });

  // The violations, with what an import cannot decide left out (as `check` does).
  const unseen = undecidableOf(events);
  const violations: ShownViolation[] = checkTrace(events)
    .violations.filter((v) => !undecided(v, unseen))
    .map((v) => ({ ...v, judged: v.by === 'leader' }));
  for (const v of violations)
    for (const i of v.events) {
      const r = rows[i];
      if (!r) continue;
      if (!r.rules.includes(v.rule)) r.rules.push(v.rule);
      r.folded = false;
    }

  const struck = new Map<string, number[]>();
  for (const e of events) if (e.kind === 'fault') struck.set(e.fault, [...(struck.get(e.fault) ?? []), e.i]);
  const faults = [...new Set([...start.faultsPlanned, ...struck.keys()])].map((kind) => ({
    kind,
    planned: start.faultsPlanned.includes(kind),
    struck: struck.get(kind) ?? [],
  }));

  const usedUser = rows.some((r) => r.lane === 'user');
  return {
    scenario: start.scenario,
    seed: start.seed,
    leaderDriver: start.leaderDriver,
    host: start.host ?? null,
    outcome: m.end?.outcome ?? null,
    reason: m.end?.reason ?? '',
    startT: start.t,
    lanes: [...(usedUser ? [{ thread: '', name: 'user', replaces: null }] : []), ...lanes.list, ...strangers(rows, lanes.list)],
    rows,
    violations,
    faults,
    undecidable: unseen.length ? unseenNames(unseen) : null,
    journalPath: m.journalPath,
  };
}

/** The leader, then its workers in creation order: a role's second worker is `role#2`. */
function lanesOf(m: TraceModel): { list: Lane[]; byThread: Map<string, string> } {
  const list: Lane[] = [{ thread: m.leader, name: 'leader', replaces: null }];
  const seen = new Map<string, number>();
  let unnamed = 0;
  for (const w of m.workers.values()) {
    const base = w.role ?? `worker-${++unnamed}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    list.push({ thread: w.thread, name: n === 1 ? base : `${base}#${n}`, replaces: n === 1 ? null : n === 2 ? base : `${base}#${n - 1}` });
  }
  return { list, byThread: new Map(list.map((l) => [l.thread, l.name])) };
}

/** Lanes for threads the leader did not create (another session's, a host's): by short id. */
function strangers(rows: readonly Row[], known: readonly Lane[]): Lane[] {
  const names = new Set(known.map((l) => l.name));
  const out: Lane[] = [];
  for (const r of rows)
    for (const n of [r.lane, r.to])
      if (n && n !== 'user' && !names.has(n)) {
        names.add(n);
        out.push({ thread: n.replace(/^thread-/, ''), name: n, replaces: null });
      }
  return out;
}

/** A journal write: the run's state and phase, and which fields changed since the last write. */
function journalLine(m: TraceModel, text: string, before: Record<string, string> | null): { line: string; values: Record<string, string> } {
  const values = readForm(m.forms.state, text).values as Record<string, string>;
  const phase = clip(values.phase ?? '', 36);
  const state = m.journalState(text);
  // The time stamp changes with every write: naming it would say nothing.
  const changed = before ? Object.keys(values).filter((k) => k !== 'updated-at' && values[k] !== before[k]) : [];
  const line = `journal: ${state.status || '?'}${state.reason ? ` (${clip(state.reason, 30)})` : ''}${phase ? `, phase ${phase}` : ''}${changed.length ? `; changed ${changed.join(', ')}` : before ? '; nothing else changed' : ''}`;
  return { line, values };
}

type RowMaker = (lane: string, kind: RowKind, text: string, folded?: boolean, to?: string) => Row;

function wsRow(
  e: EventOf<'ws'>,
  lane: string,
  row: RowMaker,
  ctx: { m: TraceModel; branchOwner: Map<string, string>; journal: (text: string) => string },
): Row {
  const byHost = e.actor.includes(':') ? `${e.actor.slice(0, e.actor.lastIndexOf(':'))}: ` : '';
  const failed = e.ok ? '' : ` failed${e.detail ? `: ${clip(e.detail, 50)}` : ''}`;
  const owner = (ref: string | undefined) => (ref && ctx.branchOwner.has(ref) ? ` (${ctx.branchOwner.get(ref)})` : '');
  const paths = e.paths?.length ? ` ${e.paths.slice(0, 3).join(', ')}${e.paths.length > 3 ? ` +${e.paths.length - 3}` : ''}` : '';
  switch (e.op) {
    case 'merge':
      return row(
        lane,
        'merge',
        `merge ${e.ref ?? '?'}${owner(e.ref)}: ${e.ok ? (e.detail ?? 'merged') : 'failed'}${e.detail === 'conflict' && paths ? ` in${paths}` : ''}${e.sha ? ` ${short(e.sha)}` : ''}`,
      );
    case 'abortMerge':
      return row(lane, 'merge', `merge aborted${failed}`);
    case 'commitMerge':
      return row(lane, 'merge', `merge committed ${short(e.sha)}${failed}`);
    case 'run':
      return row(lane, 'verify', `verification: ${clip(e.detail ?? '', 56)}${e.ok ? '' : ' (could not run)'}`);
    case 'commitAll':
      return row(lane, 'commit', `commit ${short(e.sha)}${e.paths ? ` (${e.paths.length} file${e.paths.length === 1 ? '' : 's'})` : ''}${failed}`);
    case 'worktreeAdd':
      return row(lane, 'worktree', `${byHost}worktree ${e.dir} on ${e.ref ?? '?'}${failed}`);
    case 'worktreeRemove':
      return row(lane, 'worktree', `${byHost}worktree ${e.dir} removed${e.detail === 'force' ? ' (forced)' : ''}${failed}`);
    case 'deleteBranch':
    case 'setBranch':
    case 'checkout':
    case 'discardChanges':
      return row(lane, 'branch', `${e.op} ${e.ref ?? e.dir}${failed}`);
    case 'writeFile':
      if (e.ok && e.dir === ctx.m.root && e.paths?.[0] === ctx.m.journalPath && e.content !== undefined) return row(lane, 'journal', ctx.journal(e.content));
      break;
    case 'exec':
      return row(lane, 'ws', `$ ${clip(e.detail ?? '', 64)}${e.ok ? '' : ' (failed)'}`);
  }
  // Plumbing: folded, but a failure other than a read of something absent is worth seeing.
  const plumbing = INTERNAL_OPS.has(e.op);
  const home = ctx.m.workers.get(e.actor)?.cwd ?? ctx.m.root;
  const where = e.dir && e.dir !== home ? ` in ${e.dir}` : '';
  return row(lane, 'ws', `${e.op}${paths}${e.ref ? ` ${e.ref}` : ''}${where}${failed}`, plumbing && (e.ok || e.op === 'readFile' || e.op === 'resolve'));
}
