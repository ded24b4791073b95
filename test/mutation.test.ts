import type { Flaw } from '../src/core/flaws.ts';
import { runReference } from './support/run.ts';
import { describe, expect, it } from 'vitest';
import { loadSkill } from '../src/skill/index.ts';
import type { RunResult } from '../sim/run.ts';
import { MUTANTS } from './support/leader-mutants.ts';
import { FLAWS } from '../src/core/flaws.ts';
import { CHECKERS, RULE_IDS, checkTrace } from '../src/invariants/index.ts';
import { BROKEN_TRACES } from '../src/invariants/broken-traces.ts';

// Every invariant must be shown able to fail: each deliberately broken leader (and each
// hand-broken trace) is run, and the rule meant to catch it must report a violation.

const profile = (await loadSkill('skill')).profile!;
const sound = new Map<string, RunResult>();
async function run(name: string, flaws: readonly string[] = []): Promise<RunResult> {
  return runReference(name, { profile, flaws: flaws as Flaw[] });
}

describe('mutation testing of the invariants', () => {
  it('kills every mutant leader with the rule meant to catch it', { timeout: 120_000 }, async () => {
    const rows: string[] = [];
    const survivors: string[] = [];
    for (const mu of MUTANTS) {
      if (!sound.has(mu.scenario)) sound.set(mu.scenario, await run(mu.scenario));
      const r = await run(mu.scenario, [mu.flaw]);
      const rules = [
        ...new Set(
          checkTrace(r.events)
            .violations.filter((v) => v.by === 'leader')
            .map((v) => v.rule),
        ),
      ];
      const killed = rules.includes(mu.rule);
      if (!killed) survivors.push(`${mu.flaw} (${mu.rule})`);
      rows.push(
        `${mu.flaw.padEnd(30)} ${mu.scenario.padEnd(28)} ${mu.rule.padEnd(4)} ${killed ? 'caught' : 'SURVIVED'}   also: ${rules.filter((x) => x !== mu.rule).join(',') || '-'}`,
      );
    }
    console.log(['mutant                         scenario                     rule result   other rules that fired', ...rows].join('\n'));
    expect(survivors).toEqual([]);
    expect(MUTANTS.length).toBeGreaterThanOrEqual(15);
  });

  it('the same scenarios give the sound leader no violation (the kills are not noise)', { timeout: 60_000 }, async () => {
    for (const name of new Set(MUTANTS.map((m) => m.scenario))) {
      const r = sound.get(name) ?? (await run(name));
      expect(
        checkTrace(r.events).violations.filter((v) => v.by === 'leader'),
        name,
      ).toEqual([]);
    }
  });

  it('every flaw is in the table, and every rule with a checker is caught by a mutant or a broken trace', () => {
    expect(new Set(MUTANTS.map((m) => m.flaw))).toEqual(new Set(FLAWS));
    const caught = new Set([...MUTANTS.map((m) => m.rule), ...BROKEN_TRACES.map((b) => b.rule)]);
    expect(RULE_IDS.filter((r) => !caught.has(r))).toEqual([]);
    expect(CHECKERS.map((c) => c.rule)).toEqual([...RULE_IDS]);
  });

  it('each broken trace is caught by its rule, and the sound trace is clean', { timeout: 30_000 }, async () => {
    const base = sound.get('happy-three') ?? (await run('happy-three'));
    expect(checkTrace(base.events).violations).toEqual([]);
    const rows: string[] = [];
    for (const b of BROKEN_TRACES) {
      const rules = new Set(checkTrace(b.make(base.events)).violations.map((v) => v.rule));
      rows.push(`${b.name.padEnd(52)} ${b.rule.padEnd(4)} ${rules.has(b.rule) ? 'caught' : 'SURVIVED'}`);
      expect(rules.has(b.rule), b.name).toBe(true);
    }
    console.log(['broken trace                                         rule result', ...rows].join('\n'));
  });
});

describe('J1 and a merge that changes nothing', () => {
  // A leader that loses its context between a merge and its journal write (Codex compacts
  // mid-turn) merges the branch again as it recovers: git answers `up-to-date`. That redo is
  // no outward action; a real next action with the journal still unwritten is.
  it('an up-to-date merge is not the next outward action; a skipped journal write still breaks J1', { timeout: 30_000 }, async () => {
    const base = sound.get('happy-three') ?? (await run('happy-three'));
    const ev = base.events;
    const leader = (ev.find((e) => e.kind === 'run.start') as { leader: string }).leader;
    const k = ev.findIndex((e) => e.kind === 'ws' && e.op === 'merge' && e.actor === leader && e.detail !== 'up-to-date' && e.ok);
    expect(k).toBeGreaterThan(0);
    const merge = ev[k] as Extract<(typeof ev)[number], { kind: 'ws' }>;
    const redo = { ...merge, detail: 'up-to-date' };
    const reindex = (list: typeof ev) => list.map((e, i) => ({ ...e, i }));
    const j1 = (list: typeof ev) => checkTrace(reindex(list)).violations.filter((v) => v.rule === 'J1');
    // The redo right after the merge, before the journal write: no violation.
    expect(j1([...ev.slice(0, k + 1), redo, ...ev.slice(k + 1)])).toEqual([]);
    // The journal write after the merge removed: the merge is reported, redo or not.
    const w = ev.findIndex((e, i) => i > k && e.kind === 'ws' && e.op === 'writeFile' && e.actor === leader && (e.paths?.[0] ?? '').includes(leader));
    expect(w).toBeGreaterThan(k);
    const unjournaled = [...ev.slice(0, w), ...ev.slice(w + 1)];
    expect(j1(unjournaled).map((v) => v.message)).toContain("no journal write after merge before the leader's next outward action");
    expect(j1([...unjournaled.slice(0, k + 1), redo, ...unjournaled.slice(k + 1)]).map((v) => v.message)).toContain(
      "no journal write after merge before the leader's next outward action",
    );
  });
});
