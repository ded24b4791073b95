import type { RunResult } from './run.ts';
import type { Scenario } from './scenario/schema.ts';

/** What a scenario says must happen, compared with what did; one sentence per miss. */
export function unmetExpectations(s: Scenario, r: RunResult): string[] {
  const miss: string[] = [];
  if (s.expect.outcome !== undefined && r.outcome !== s.expect.outcome) miss.push(`expected outcome ${s.expect.outcome}, got ${r.outcome}`);
  for (const k of ['workers', 'replacements', 'reworks', 'merges'] as const) {
    const want = s.expect[k];
    if (want !== undefined && r.counts[k] !== want) miss.push(`expected ${k} ${want}, got ${r.counts[k]}`);
  }
  return miss;
}
