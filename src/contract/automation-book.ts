// What a host does with `automation_update`, whoever the host is: the simulator's World and
// the live host over a real app-server keep their automations in one of these books, so the
// refusals (one active heartbeat per thread, unknown ids, rules we cannot schedule) and the
// answers are the same in both. Time is handed in: the book reads no clock.

import type { ArgsOf } from './registry.ts';
import { rruleIntervalMs } from './rrule.ts';

export interface Automation {
  id: string;
  kind: 'heartbeat' | 'cron';
  name: string;
  prompt: string;
  rrule: string;
  intervalMs: number;
  status: 'ACTIVE' | 'PAUSED';
  thread: string;
  createdAt: number;
  updatedAt: number;
  /** Next occurrence due (the host's ms). */
  due: number;
}

/** A change the book made, for the host's trace. */
export interface AutomationChange {
  op: 'create' | 'update' | 'delete';
  id: string;
  thread: string;
  status: 'ACTIVE' | 'PAUSED' | 'DELETED';
  rrule: string;
}

export type BookAnswer = { ok: true; payload: unknown; change?: AutomationChange } | { ok: false; error: string };

/** What the book needs from its host. */
export interface BookHost {
  now(): number;
  /** Whole Unix seconds of a host instant, as the tools give timestamps. */
  secs(t: number): number;
  /** Why a thread cannot own an automation (it does not exist), or null. */
  threadProblem(id: string): string | null;
  newId(): string;
}

export class AutomationBook {
  readonly all = new Map<string, Automation>();

  constructor(private readonly host: BookHost) {}

  /** The active heartbeat of a thread, if it has one. */
  activeHeartbeat(thread: string): Automation | undefined {
    return [...this.all.values()].find((x) => x.kind === 'heartbeat' && x.thread === thread && x.status === 'ACTIVE');
  }

  /** Active heartbeats due at `now`, earliest first (ties by id). */
  due(now: number): Automation[] {
    return [...this.all.values()]
      .filter((a) => a.kind === 'heartbeat' && a.status === 'ACTIVE' && a.due <= now)
      .sort((a, b) => a.due - b.due || a.id.localeCompare(b.id));
  }

  /** The earliest instant an active heartbeat is due, or null when none is active. */
  nextDue(): number | null {
    const dues = [...this.all.values()].filter((a) => a.kind === 'heartbeat' && a.status === 'ACTIVE').map((a) => a.due);
    return dues.length ? Math.min(...dues) : null;
  }

  /** A heartbeat fired at `now`: its next occurrence moves past `now`. */
  fired(a: Automation, now: number): void {
    while (a.due <= now) a.due += a.intervalMs;
  }

  update(caller: string, a: ArgsOf<'automation_update'>): BookAnswer {
    const h = this.host;
    if (a.mode === 'view') {
      return {
        ok: true,
        payload: {
          automations: [...this.all.values()].map((x) => ({
            id: x.id,
            kind: x.kind,
            name: x.name,
            prompt: x.prompt,
            status: x.status,
            rrule: x.rrule,
            targetThreadId: x.thread,
            createdAt: h.secs(x.createdAt),
            updatedAt: h.secs(x.updatedAt),
          })),
        },
      };
    }
    if (a.mode === 'create') {
      const thread = a.targetThreadId ?? caller;
      const problem = h.threadProblem(thread);
      if (problem) return { ok: false, error: problem };
      const intervalMs = rruleIntervalMs(a.rrule);
      if (intervalMs === null) return { ok: false, error: `unsupported rrule: ${a.rrule}` };
      const status = a.status ?? 'ACTIVE';
      if (a.kind === 'heartbeat' && status === 'ACTIVE') {
        const other = this.activeHeartbeat(thread);
        if (other) return { ok: false, error: `thread ${thread} already has an active heartbeat (${other.id}); update or delete it first` };
      }
      const id = h.newId();
      const now = h.now();
      this.all.set(id, {
        id,
        kind: a.kind,
        name: a.name,
        prompt: a.prompt,
        rrule: a.rrule,
        intervalMs,
        status,
        thread,
        createdAt: now,
        updatedAt: now,
        due: now + intervalMs,
      });
      return { ok: true, payload: { automationId: id, mode: 'create', status }, change: { op: 'create', id, thread, status, rrule: a.rrule } };
    }
    const x = this.all.get(a.id);
    if (!x) return { ok: false, error: `automation not found: ${a.id}` };
    if (a.mode === 'delete') {
      this.all.delete(x.id);
      return {
        ok: true,
        payload: { automationId: x.id, mode: 'delete', status: 'DELETED' },
        change: { op: 'delete', id: x.id, thread: x.thread, status: 'DELETED', rrule: x.rrule },
      };
    }
    if (a.status === 'ACTIVE' && x.status !== 'ACTIVE' && x.kind === 'heartbeat') {
      const other = this.activeHeartbeat(x.thread);
      if (
        other &&
        // Stryker disable next-line ConditionalExpression: x is not active (checked above), so the active heartbeat found is never x itself
        other.id !== x.id
      )
        return { ok: false, error: `thread ${x.thread} already has an active heartbeat (${other.id})` };
    }
    if (a.rrule !== undefined) {
      const ms = rruleIntervalMs(a.rrule);
      if (ms === null) return { ok: false, error: `unsupported rrule: ${a.rrule}` };
      x.rrule = a.rrule;
      x.intervalMs = ms;
    }
    if (a.name !== undefined) x.name = a.name;
    if (a.prompt !== undefined) x.prompt = a.prompt;
    if (a.status !== undefined) {
      if (a.status === 'ACTIVE' && x.status === 'PAUSED') x.due = h.now() + x.intervalMs;
      x.status = a.status;
    }
    x.updatedAt = h.now();
    return {
      ok: true,
      payload: { automationId: x.id, mode: 'update', status: x.status },
      change: { op: 'update', id: x.id, thread: x.thread, status: x.status, rrule: x.rrule },
    };
  }
}
