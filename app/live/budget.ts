// A budget for a run with a model that costs money: leader turns, tokens and minutes. When one
// is spent the run is not cut short at once: the person's cancel goes to the leader first, so
// the skill's own abort path tears the team down and marks its journal aborted, and the leader
// has a few turns' grace to do it. Only a leader that goes on past the grace is stopped hard.

export interface Budget {
  /** Leader turns (Codex turns) allowed over the whole run. */
  turns: number;
  /** Tokens allowed: the endpoint's own usage figures when it reports them, else 4 characters a token. */
  tokens: number;
  /** Real minutes allowed, start to end. */
  minutes?: number;
}

/** Leader turns allowed after the cancel, to tear down. */
export const GRACE_TURNS = 4;

export class BudgetExceeded extends Error {
  override name = 'BudgetExceeded';
}

export class BudgetGuard {
  private turns = 0;
  private cancelledAtTurn: number | null = null;
  /** What was spent, once something was: the reason the run was cancelled. */
  spentOn: string | null = null;

  constructor(
    private readonly budget: Budget,
    private readonly spent: { tokens: number },
    /** Says the person's cancel to the leader. */
    private readonly cancel: () => void,
    private readonly startedMs: number,
    private readonly clock: () => number,
  ) {}

  /** Before each leader turn: cancel once something is spent; stop hard after the grace. */
  beforeLeaderTurn(): void {
    this.turns++;
    if (this.cancelledAtTurn !== null) {
      if (this.turns - this.cancelledAtTurn > GRACE_TURNS)
        throw new BudgetExceeded(`budget: ${this.spentOn}; the leader did not stop within ${GRACE_TURNS} turns of the cancel`);
      return;
    }
    const over = this.over();
    if (over === null) return;
    this.spentOn = over;
    this.cancelledAtTurn = this.turns;
    this.cancel();
  }

  private over(): string | null {
    const b = this.budget;
    // This turn would be one more than allowed.
    if (this.turns > b.turns) return `${counted(b.turns, 'leader turn')} spent`;
    if (this.spent.tokens > b.tokens) return `${counted(b.tokens, 'token')} spent`;
    if (b.minutes !== undefined && this.clock() - this.startedMs > b.minutes * 60_000) return `${counted(b.minutes, 'minute')} spent`;
    return null;
  }
}

/** `1 leader turn`, `5 leader turns`: what `--max-turns 1` spends reads as English. */
function counted(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
