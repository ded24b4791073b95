// The core rule set as data: which violations count under `core` and under `protocol`
// (the command-line side is test/app/rule-sets.test.ts).
import { describe, expect, it } from 'vitest';
import { CORE_RULES, counts } from '../src/invariants/index.ts';

describe('the core rule set', () => {
  it('holds W1, H1 and J1 whole and R1 only in its serial-merge clause', () => {
    expect(CORE_RULES.map((r) => r.rule)).toEqual(['W1', 'H1', 'R1', 'J1']);
    expect(counts({ rule: 'H1', message: 'anything' }, 'core')).toBe(true);
    expect(counts({ rule: 'M1', message: 'anything' }, 'core')).toBe(false);
    expect(counts({ rule: 'M1', message: 'anything' }, 'protocol')).toBe(true);
    expect(counts({ rule: 'R1', message: 'branch a was merged and b merged next without a build/test run in between' }, 'core')).toBe(true);
    expect(counts({ rule: 'R1', message: 'branch a was merged and the run went on without a build/test run in between' }, 'core')).toBe(true);
    expect(counts({ rule: 'R1', message: "branch a was merged without reading its worker's report first" }, 'core')).toBe(false);
  });

  it('counts a core rule whose sentence names no clause, whatever its words', () => {
    for (const rule of ['W1', 'H1', 'J1'] as const) expect(counts({ rule, message: '' }, 'core')).toBe(true);
    expect(counts({ rule: 'R1', message: '' }, 'core')).toBe(false);
    expect(counts({ rule: 'R1', message: 'without a build/test run in between, and more' }, 'core')).toBe(false);
  });
});
