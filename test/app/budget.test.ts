// The budget of a paid run: a spent budget cancels through the leader first, and only a leader
// that goes on past the grace is stopped hard.

import { describe, expect, it } from 'vitest';
import { BudgetExceeded, BudgetGuard, GRACE_TURNS } from '../../app/live/budget.ts';

function guard(budget: { turns: number; tokens: number; minutes?: number }, spent = { tokens: 0 }, clock = { now: 0 }) {
  const cancels: number[] = [];
  const g = new BudgetGuard(
    budget,
    spent,
    () => cancels.push(1),
    0,
    () => clock.now,
  );
  return { g, cancels, spent, clock };
}

describe('BudgetGuard', () => {
  it('cancels once at the first turn past the budget, allows the grace, then stops hard', () => {
    const { g, cancels } = guard({ turns: 2, tokens: Number.POSITIVE_INFINITY });
    g.beforeLeaderTurn();
    g.beforeLeaderTurn();
    expect(cancels).toEqual([]);
    g.beforeLeaderTurn();
    expect(cancels).toHaveLength(1);
    expect(g.spentOn).toBe('2 leader turns spent');
    for (let i = 0; i < GRACE_TURNS; i++) g.beforeLeaderTurn();
    expect(cancels).toHaveLength(1);
    expect(() => g.beforeLeaderTurn()).toThrow(
      new BudgetExceeded(`budget: 2 leader turns spent; the leader did not stop within ${GRACE_TURNS} turns of the cancel`),
    );
  });

  it('counts tokens and real minutes the same way', () => {
    const t = guard({ turns: 100, tokens: 1_000 });
    t.g.beforeLeaderTurn();
    t.spent.tokens = 1_001;
    t.g.beforeLeaderTurn();
    expect([t.cancels.length, t.g.spentOn]).toEqual([1, '1000 tokens spent']);

    const m = guard({ turns: 100, tokens: Number.POSITIVE_INFINITY, minutes: 3 });
    m.clock.now = 3 * 60_000;
    m.g.beforeLeaderTurn();
    expect(m.cancels).toEqual([]);
    m.clock.now += 1;
    m.g.beforeLeaderTurn();
    expect([m.cancels.length, m.g.spentOn]).toEqual([1, '3 minutes spent']);
  });

  it('says one of a kind in the singular', () => {
    for (const [budget, said] of [
      [{ turns: 1, tokens: Number.POSITIVE_INFINITY }, '1 leader turn spent'],
      [{ turns: 100, tokens: 1 }, '1 token spent'],
      [{ turns: 100, tokens: Number.POSITIVE_INFINITY, minutes: 1 }, '1 minute spent'],
    ] as const) {
      const b = guard(budget);
      b.spent.tokens = 2;
      b.clock.now = 60_001;
      b.g.beforeLeaderTurn();
      b.g.beforeLeaderTurn();
      expect(b.g.spentOn).toBe(said);
    }
  });
});
