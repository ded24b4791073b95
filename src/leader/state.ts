// The reference leader's run state. It lives only in the journal between turns: everything
// the leader needs to carry on after losing its context is here, and nothing else is kept.

export type WorkerPhase =
  | 'pending' // create_thread answered pendingWorktreeId
  | 'created'
  | 'registered'
  | 'dispatched'
  | 'started'
  | 'reported'
  | 'rework'
  | 'merged'
  | 'replaced'
  | 'excluded'
  | 'stopped';

export interface WorkerRecord {
  role: string;
  /** 1 for the first worker of a role, 2 for its first replacement, … */
  n: number;
  thread: string;
  pending: string;
  branch: string;
  dir: string;
  base: string;
  state: WorkerPhase;
  /** Virtual ms when the dispatch was sent. */
  dispatchedAt: number;
  /** When it was first seen to have started (ms); 0 while it has not. A replaced worker keeps it. */
  startedAt: number;
  /** Signature of what the leader last saw of the worker's progress (notes, branch tip). */
  seen: string;
  /** Heartbeat passes without progress. */
  silent: number;
  /** When the leader last saw progress (ms): passes after a clock jump come close together, time does not. */
  quietSince: number;
  /** A direct status request was sent and not yet answered by progress. */
  asked: boolean;
  /** When it was sent (ms): the decision comes a full interval later. */
  askedAt: number;
  /** Status requests sent since the last observable progress: answers are not progress. */
  nudges: number;
  /** The worker announced a long command running until this time (ms). */
  longUntil: number;
  /** The peer role this worker waits on. */
  waitingOn: string;
  report: string;
  sha: string;
  reworks: number;
  /** Why this task was excluded, or why the worker was stopped. */
  why: string;
  /** How far the teardown got with this worker (a teardown that fails part way resumes here). */
  cleaned: '' | 'archived' | 'removed' | 'kept';
}

export type RunStatus = 'awaiting-confirmation' | 'declined' | 'running' | 'merging' | 'aborting' | 'complete' | 'aborted';

export interface RunState {
  leader: string;
  status: RunStatus;
  phase: string;
  updatedAt: string;
  task: string;
  model: string;
  thinking: string;
  /** The branch the leader integrates into (checked out in its own checkout). */
  integration: string;
  keepWorktrees: boolean;
  workers: WorkerRecord[];
  heartbeat: { id: string; status: 'ACTIVE' | 'PAUSED' } | null;
  merges: { role: string; branch: string; sha: string; tests: string }[];
  decisions: string[];
  next: string;
  /** Why the run was aborted. */
  reason: string;
}

export function newWorker(role: string, n: number): WorkerRecord {
  return {
    role,
    n,
    thread: '',
    pending: '',
    branch: '',
    dir: '',
    base: '',
    state: 'pending',
    dispatchedAt: 0,
    startedAt: 0,
    seen: '',
    silent: 0,
    quietSince: 0,
    asked: false,
    askedAt: 0,
    nudges: 0,
    longUntil: 0,
    waitingOn: '',
    report: '',
    sha: '',
    reworks: 0,
    why: '',
    cleaned: '',
  };
}

/** The current worker of each role (the latest incarnation that was not replaced). */
export function current(st: RunState): WorkerRecord[] {
  const byRole = new Map<string, WorkerRecord>();
  for (const w of st.workers) if (w.state !== 'replaced') byRole.set(w.role, w);
  return [...byRole.values()];
}

/** Workers whose thread is live and whose task is not settled. */
export function active(st: RunState): WorkerRecord[] {
  return current(st).filter((w) => w.thread !== '' && !['merged', 'excluded', 'stopped'].includes(w.state));
}
