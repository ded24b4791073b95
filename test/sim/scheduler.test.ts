import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../sim/scheduler.ts';

describe('Scheduler', () => {
  it('fires events by time, then by insertion order', async () => {
    const s = new Scheduler();
    const log: string[] = [];
    const note = (name: string) => () => void log.push(`${name}@${s.now()}`);
    s.at(10, 'b', note('b'));
    s.at(5, 'a', note('a'));
    s.at(10, 'c', note('c'));
    s.at(5, 'd', note('d'));
    s.after(0, 'e', note('e'));
    expect(await s.run({ horizon: 100 })).toBe('empty');
    expect(log).toEqual(['e@0', 'a@5', 'd@5', 'b@10', 'c@10']);
    expect(s.fired).toBe(5);
  });

  it('queues an event asked for in the past at the current time, after those already due', async () => {
    const s = new Scheduler();
    const log: string[] = [];
    s.at(50, 'first', () => {
      s.at(10, 'late', () => void log.push(`late@${s.now()}`));
      log.push('first');
    });
    s.at(50, 'second', () => void log.push(`second@${s.now()}`));
    await s.run({ horizon: 100 });
    expect(log).toEqual(['first', 'second@50', 'late@50']);
  });

  it('resumes a blocked task only through the queue, after the waker and what was already queued', async () => {
    const s = new Scheduler();
    const log: string[] = [];
    let wake!: (v: string) => void;
    s.at(0, 'A', async () => {
      const b = s.block<string>('A waits');
      wake = b.wake;
      log.push('A blocks');
      const v = await b.promise;
      log.push(`A resumed with ${v}@${s.now()}`);
    });
    s.at(7, 'B', async () => {
      wake('x');
      wake('y'); // ignored: a task is woken once
      log.push('B woke A');
      await Promise.resolve();
      log.push('B still running');
    });
    s.at(7, 'C', () => void log.push('C'));
    await s.run({ horizon: 100 });
    expect(log).toEqual(['A blocks', 'B woke A', 'B still running', 'C', 'A resumed with x@7']);
  });

  it('a task blocked with nobody to wake it does not hang the run', async () => {
    const s = new Scheduler();
    let after = false;
    s.at(0, 'stuck', async () => {
      await s.block<void>('forever').promise;
      after = true;
    });
    expect(await s.run({ horizon: 1_000 })).toBe('empty');
    expect(after).toBe(false);
  });

  it('sleep suspends a task for exactly that much virtual time and lets others run meanwhile', async () => {
    const s = new Scheduler();
    const log: string[] = [];
    s.at(0, 'slow', async () => {
      await s.sleep(100);
      log.push(`slow@${s.now()}`);
      await s.sleep(50);
      log.push(`slow again@${s.now()}`);
    });
    s.at(0, 'quick', async () => {
      await s.sleep(30);
      log.push(`quick@${s.now()}`);
    });
    s.at(120, 'tick', () => void log.push(`tick@${s.now()}`));
    await s.run({ horizon: 1_000 });
    expect(log).toEqual(['quick@30', 'slow@100', 'tick@120', 'slow again@150']);
    expect(s.now()).toBe(150);
  });

  it('stops at the horizon without firing later events, and picks up from there', async () => {
    const s = new Scheduler();
    const fired: number[] = [];
    for (const t of [10, 20, 30]) s.at(t, `e${t}`, () => void fired.push(t));
    expect(await s.run({ horizon: 20 })).toBe('horizon');
    expect(fired).toEqual([10, 20]);
    expect(s.now()).toBe(20);
    expect(s.pending()).toBe(1);
    expect(s.peek()).toBe(30);
    expect(await s.run({ horizon: 1_000 })).toBe('empty');
    expect(fired).toEqual([10, 20, 30]);
    expect(s.peek()).toBeNull();
  });

  it('stops when stop() says so, before firing the next event', async () => {
    const s = new Scheduler();
    const fired: number[] = [];
    for (let t = 1; t <= 10; t++) s.at(t, `e${t}`, () => void fired.push(t));
    expect(await s.run({ horizon: 1_000, stop: () => fired.length >= 3 })).toBe('stopped');
    expect(fired).toEqual([1, 2, 3]);
    expect(s.pending()).toBe(7);
  });

  it('an exception thrown in a task surfaces from run', async () => {
    const s = new Scheduler();
    const later: number[] = [];
    s.at(5, 'boom', () => {
      throw new Error('task exploded');
    });
    s.at(6, 'later', () => void later.push(6));
    await expect(s.run({ horizon: 100 })).rejects.toThrow('task exploded');
    expect(later).toEqual([]);
  });

  it('an exception after a task resumed from sleep surfaces too', async () => {
    const s = new Scheduler();
    s.at(0, 'sleeper', async () => {
      await s.sleep(40);
      throw new Error(`failed at ${s.now()}`);
    });
    await expect(s.run({ horizon: 100 })).rejects.toThrow('failed at 40');
  });

  it('a clock jump moves time forward and the clock never runs backwards afterwards', async () => {
    const s = new Scheduler();
    const seen: number[] = [];
    s.at(0, 'sleeper', async () => {
      await s.sleep(15);
      seen.push(s.now());
    });
    s.at(10, 'jump', () => s.jump(1_000));
    s.at(20, 'was due during the jump', () => void seen.push(s.now()));
    s.at(2_000, 'after', () => void seen.push(s.now()));
    await s.run({ horizon: 10_000 });
    // Both events due inside the skipped span fire late, at the jumped-to time, in order.
    expect(seen).toEqual([1_010, 1_010, 2_000]);
  });
});
