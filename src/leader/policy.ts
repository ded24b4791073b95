// The reference leader's own numbers: what the protocol leaves to judgement, decided once here.
// The skill's numbers (heartbeat interval, startup window, stall passes) come from its profile.

/** A call whose failure would cost the run (a task, a wake-up, a live thread left behind) is tried this often. */
export const CALL_ATTEMPTS = 3;

/** Workers tried for one task, the first included: after that many failures the task is given up (L2). */
export const WORKERS_PER_TASK = 3;

/** Rework rounds a task gets before it is given up as not mergeable (L2). */
export const REWORK_ROUNDS = 2;

/** Status requests answered without progress before the worker is sent its task again, then replaced (S3). */
export const NUDGES_BEFORE_REDISPATCH = 2;

/** With nobody started, the platform may be the cause: a silent worker gets this many startup windows (S1, L1). */
export const NO_START_GRACE_WINDOWS = 2;

/** Threads asked for in one `list_threads` page when looking for a worker's thread. */
export const THREAD_LIST_LIMIT = 100;

/** Turns of a worker's thread read to see whether it answered its dispatch (the startup gate). */
export const STARTUP_READ_TURNS = 10;

/** One bounded wait, after a cancel, for the workers to commit their work in progress. */
export const CANCEL_WAIT_MS = 60_000;

export const MINUTE_MS = 60_000;
