// Scenario files: a wrong file is refused with one line `FILE:LINE: field: message`, the line
// being where the problem is in the text; every file of the catalogue parses.

import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ScenarioError, loadScenario, parseScenario } from '../../sim/scenario/load.ts';
import { behaviourOf } from '../../sim/scenario/schema.ts';

const BASE = `name: probe
repo:
  files:
    src/a.ts: "a"
task:
  prompt: do it
  areas:
    - role: api
      scope: the api
      owns: [src/a.ts]
    - role: ui
      scope: the ui
      owns: [src/b.ts]
expect:
  outcome: complete
`;

/** 1-based line of the `nth` line of `text` containing `needle` (the test's own arithmetic). */
function lineOf(text: string, needle: string, nth = 1): number {
  let seen = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) if (lines[i]!.includes(needle) && ++seen === nth) return i + 1;
  throw new Error(`${needle} not in the text`);
}

function refusal(text: string): string {
  try {
    parseScenario(text, 'probe.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    const msg = (e as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('the scenario was accepted');
}

describe('parseScenario', () => {
  it('accepts the base text and fills the defaults', () => {
    const s = parseScenario(BASE, 'probe.yaml');
    expect(s.task.areas.map((a) => a.role)).toEqual(['api', 'ui']);
    expect(s.world).toEqual({ without: [], latency: 2_000, step: 1_000, delivery: 'next-turn', host: 'desktop' });
    expect(s.horizon).toBe(12 * 3_600_000);
    expect(behaviourOf(s, 'api', 0)).toEqual({ kind: 'diligent' });
  });

  it('reads durations with units, bare numbers as minutes', () => {
    const s = parseScenario(`${BASE}horizon: 90s\nworld:\n  latency: 500ms\n  step: 0.5\n  pendingWorktree: 2h\n`);
    expect(s.horizon).toBe(90_000);
    expect(s.world).toMatchObject({ latency: 500, step: 30_000, pendingWorktree: 7_200_000 });
  });

  it('an unknown key: its own line and its name', () => {
    const top = `${BASE}bogus: 1\n`;
    expect(refusal(top)).toBe(`probe.yaml:${lineOf(top, 'bogus:')}: bogus: Unrecognized key: "bogus"`);
    const nested = BASE.replace('      scope: the api\n', '      scope: the api\n      colour: red\n');
    expect(refusal(nested)).toBe(`probe.yaml:${lineOf(nested, 'colour:')}: task.areas.0.colour: Unrecognized key: "colour"`);
  });

  it('a bad duration', () => {
    const text = `${BASE}horizon: 3 days\n`;
    expect(refusal(text)).toBe(`probe.yaml:${lineOf(text, 'horizon:')}: horizon: a duration like 90s, 15m or 2h (a bare number means minutes)`);
    const inFault = `${BASE}faults:\n  - kind: clock-jump\n    at: soon\n    by: 5m\n`;
    expect(refusal(inFault)).toMatch(new RegExp(`^probe\\.yaml:${lineOf(inFault, 'at: soon')}: faults\\.0\\.at: a duration like`));
  });

  it('an unknown behaviour', () => {
    const text = `${BASE}workers:\n  api: lazy\n`;
    expect(refusal(text)).toMatch(new RegExp(`^probe\\.yaml:${lineOf(text, 'api: lazy')}: workers\\.api: Invalid option: expected one of "diligent"\\|"slow"`));
    const spec = `${BASE}workers:\n  ui:\n    - diligent\n    - kind: procrastinating\n`;
    expect(refusal(spec)).toMatch(new RegExp(`^probe\\.yaml:${lineOf(spec, 'kind: procrastinating')}: workers\\.ui\\.1\\.kind: Invalid option: `));
  });

  it('a duplicate role', () => {
    const text = BASE.replace('- role: ui', '- role: api');
    expect(refusal(text)).toBe(`probe.yaml:${lineOf(text, 'role: api', 2)}: task.areas.1.role: duplicate role api`);
  });

  it('a worker role with no area', () => {
    const text = `${BASE}workers:\n  api: slow\n  ghost: diligent\n`;
    expect(refusal(text)).toBe(`probe.yaml:${lineOf(text, 'ghost:')}: workers.ghost: no task area has role ghost`);
  });

  it('a fault aimed at an unknown role, by target, from or to', () => {
    const target = `${BASE}faults:\n  - kind: system-error\n    at: 1m\n    target: ghost\n`;
    expect(refusal(target)).toBe(`probe.yaml:${lineOf(target, 'target: ghost')}: faults.0.target: no task area has role ghost`);
    const from = `${BASE}faults:\n  - kind: delay-message\n    by: 1m\n  - kind: drop-message\n    from: leader\n    to: ghost\n`;
    expect(refusal(from)).toBe(`probe.yaml:${lineOf(from, 'to: ghost')}: faults.1.to: no task area has role ghost`);
  });

  it('an unknown fault kind and a context-loss with both turn and at', () => {
    const kind = `${BASE}faults:\n  - kind: meteor\n`;
    expect(refusal(kind)).toMatch(new RegExp(`^probe\\.yaml:${lineOf(kind, 'kind: meteor')}: faults\\.0\\.kind: `));
    const both = `${BASE}faults:\n  - kind: context-loss\n    turn: 2\n    at: 5m\n`;
    expect(refusal(both)).toBe(`probe.yaml:${lineOf(both, 'kind: context-loss')}: faults.0: context-loss needs exactly one of turn or at`);
  });

  it('bad YAML', () => {
    const dup = `${BASE}name: again\n`;
    expect(refusal(dup)).toBe(`probe.yaml:${lineOf(dup, 'name: again')}: not valid YAML: Map keys must be unique`);
    const tab = `${BASE}user:\n\tconfirm: true\n`;
    expect(refusal(tab)).toMatch(new RegExp(`^probe\\.yaml:${lineOf(tab, '\tconfirm')}: not valid YAML: Tabs`));
    const indent = 'name: x\n  bad: indent\n';
    expect(refusal(indent)).toMatch(/^probe\.yaml:1: not valid YAML: /);
  });

  it('a missing required field names it, at the mapping that lacks it', () => {
    const text = BASE.replace('  prompt: do it\n', '');
    expect(refusal(text)).toMatch(new RegExp(`^probe\\.yaml:${lineOf(text, 'areas:')}: task\\.prompt: `));
  });
});

describe('the scenario catalogue', () => {
  const dir = fileURLToPath(new URL('../../scenarios/', import.meta.url));
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();

  it('is not empty', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files)('%s parses, and its name is its file name', async (f) => {
    const s = await loadScenario(`${dir}${f}`);
    expect(`${s.name}.yaml`).toBe(f);
    expect(s.task.areas.length).toBeGreaterThan(0);
  });

  it('a missing file is one line naming it', async () => {
    await expect(loadScenario(`${dir}does-not-exist.yaml`)).rejects.toThrow(/does-not-exist\.yaml: cannot read it: no such file$/);
  });
});
