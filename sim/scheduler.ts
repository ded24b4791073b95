// A single-threaded discrete-event scheduler over virtual time.
//
// Every piece of simulated behaviour runs as a task. Only one task is runnable at a time:
// the scheduler fires one event, then waits until every task is either finished or blocked
// on a scheduler primitive (sleep, block) before firing the next. A blocked task is only
// ever resumed by an event of the queue, never directly, so interleavings depend on the
// queue order alone (time, then insertion sequence) and a run is reproducible.

interface QueuedEvent {
  at: number;
  seq: number;
  label: string;
  fn: () => void | Promise<void>;
}

export class SchedulerError extends Error {
  override name = 'SchedulerError';
}

export class Scheduler {
  private time = 0;
  private seq = 0;
  private heap: QueuedEvent[] = [];
  private running = 0;
  private quiet: (() => void) | null = null;
  private failure: unknown = null;
  /** Events fired so far (for throughput figures). */
  fired = 0;

  constructor(start = 0) {
    this.time = start;
  }

  /** Current virtual time in milliseconds. */
  now(): number {
    return this.time;
  }

  /** Queue `fn` to run as a task at virtual time `at` (never in the past). */
  at(at: number, label: string, fn: () => void | Promise<void>): void {
    const ev = { at: Math.max(at, this.time), seq: this.seq++, label, fn };
    this.push(ev);
  }

  after(ms: number, label: string, fn: () => void | Promise<void>): void {
    this.at(this.time + ms, label, fn);
  }

  /** Suspend the calling task for `ms` of virtual time. */
  sleep(ms: number): Promise<void> {
    const { promise, wake } = this.block<void>('sleep');
    this.after(ms, 'wake', () => wake());
    return promise;
  }

  /**
   * Suspend the calling task until `wake` is called. `wake` only queues the resumption
   * at the current time, so the task resumes after the task that woke it has blocked.
   * Later calls to `wake` are ignored.
   */
  block<T>(label: string): { promise: Promise<T>; wake: (value: T) => void } {
    let resolve!: (v: T) => void;
    const promise = new Promise<T>((r) => (resolve = r));
    let woken = false;
    this.running--;
    this.settle();
    const wake = (value: T) => {
      if (woken) return;
      woken = true;
      this.at(this.time, `resume:${label}`, () => {
        // Runs inside a task wrapper that counted itself; hand its slot to the resumed task.
        this.running++;
        resolve(value);
      });
    };
    return { promise, wake };
  }

  /** Move the clock forward with nothing happening in between (a clock-jump fault). */
  jump(ms: number): void {
    this.time += ms;
  }

  pending(): number {
    return this.heap.length;
  }

  /** Time of the next queued event, or null. */
  peek(): number | null {
    return this.heap[0]?.at ?? null;
  }

  /**
   * Fire events in order until `stop()` says so, the queue is empty, or the next event lies
   * beyond `horizon`. Returns why it stopped.
   */
  async run(opts: { horizon: number; stop?: () => boolean }): Promise<'stopped' | 'empty' | 'horizon'> {
    for (;;) {
      if (opts.stop?.()) return 'stopped';
      const ev = this.heap[0];
      if (!ev) return 'empty';
      if (ev.at > opts.horizon) return 'horizon';
      this.pop();
      // Never backwards: after a clock jump, events that were due in the skipped span fire late.
      this.time = Math.max(this.time, ev.at);
      this.fired++;
      await this.spawnAndSettle(ev);
      if (this.failure !== null) {
        const f = this.failure;
        this.failure = null;
        throw f;
      }
    }
  }

  private spawnAndSettle(ev: QueuedEvent): Promise<void> {
    const settled = new Promise<void>((r) => (this.quiet = r));
    this.running++;
    Promise.resolve()
      .then(ev.fn)
      .catch((e: unknown) => {
        this.failure ??= e;
      })
      .finally(() => {
        this.running--;
        this.settle();
      });
    return settled;
  }

  private settle(): void {
    if (this.running < 0) throw new SchedulerError('scheduler task count went negative');
    if (this.running === 0 && this.quiet) {
      const q = this.quiet;
      this.quiet = null;
      q();
    }
  }

  private push(ev: QueuedEvent): void {
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): QueuedEvent | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
