import { describe, expect, it } from 'vitest';
import { describeTrials, passRates } from '../../app/cli/trials.ts';

describe('pass^k and pass@k over trials', () => {
  it('follow the combinatorial estimates, averaged over scenarios', () => {
    // One scenario held 2 of 3 trials, the other 3 of 3.
    const r = passRates([
      { scenario: 'a', trials: 3, held: 2 },
      { scenario: 'b', trials: 3, held: 3 },
    ]);
    expect(r.map((x) => x.k)).toEqual([1, 2, 3]);
    // pass^1 = pass@1 = the plain rate: (2/3 + 1) / 2.
    expect(r[0]!.passHat).toBeCloseTo(5 / 6);
    expect(r[0]!.passAt).toBeCloseTo(5 / 6);
    // pass^2: (C(2,2)/C(3,2) + 1) / 2 = (1/3 + 1) / 2; pass@2: (1 + 1) / 2.
    expect(r[1]!.passHat).toBeCloseTo(2 / 3);
    expect(r[1]!.passAt).toBeCloseTo(1);
    // pass^3: (0 + 1) / 2.
    expect(r[2]!.passHat).toBeCloseTo(1 / 2);
    expect(r[2]!.passAt).toBeCloseTo(1);
  });

  it('a scenario that never held scores 0 on both; the summary names each scenario', () => {
    expect(passRates([{ scenario: 'x', trials: 2, held: 0 }])).toEqual([
      { k: 1, passHat: 0, passAt: 0 },
      { k: 2, passHat: 0, passAt: 0 },
    ]);
    expect(describeTrials([{ scenario: 'x', trials: 2, held: 1 }])).toEqual([
      'trials x                            1 of 2 held',
      'pass^1    50%   pass@1    50%',
      'pass^2     0%   pass@2   100%',
    ]);
  });
});
