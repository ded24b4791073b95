// Reliability over repeated trials, as tau-bench reports it for agents: of n trials of a
// scenario, c held. pass^k is the chance that k trials drawn from the n all hold, C(c,k)/C(n,k);
// pass@k the chance that at least one does, 1 - C(n-c,k)/C(n,k). Each is averaged over the
// scenarios, for every k from 1 to n: pass^1 = pass@1 is the plain pass rate, and the gap
// between pass^k and pass@k as k grows is how unreliable a skill is run to run.

export interface TrialTally {
  scenario: string;
  trials: number;
  held: number;
}

function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** pass^k and pass@k for k = 1..n, averaged over scenarios that each had n trials. */
export function passRates(tallies: readonly TrialTally[]): { k: number; passHat: number; passAt: number }[] {
  if (tallies.length === 0) return [];
  const n = Math.min(...tallies.map((t) => t.trials));
  const out: { k: number; passHat: number; passAt: number }[] = [];
  for (let k = 1; k <= n; k++) {
    const mean = (f: (t: TrialTally) => number) => tallies.reduce((sum, t) => sum + f(t), 0) / tallies.length;
    out.push({
      k,
      passHat: mean((t) => choose(t.held, k) / choose(t.trials, k)),
      passAt: mean((t) => 1 - choose(t.trials - t.held, k) / choose(t.trials, k)),
    });
  }
  return out;
}

/** The trials summary: one line per scenario, then pass^k and pass@k for each k. */
export function describeTrials(tallies: readonly TrialTally[]): string[] {
  const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
  const lines = tallies.map((t) => `trials ${t.scenario.padEnd(28)} ${t.held} of ${t.trials} held`);
  for (const r of passRates(tallies)) lines.push(`pass^${r.k} ${pct(r.passHat).padStart(6)}   pass@${r.k} ${pct(r.passAt).padStart(6)}`);
  return lines;
}
