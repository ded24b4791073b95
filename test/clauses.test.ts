import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKERS, checkRun, checkTrace, RULE_IDS, TraceModel, UNDECIDABLE } from '../src/invariants/index.ts';
import { CLAUSES, HOLDS, sound } from './support/clauses.ts';
import { SOUND } from './support/sound-traces.ts';
import { insertAt, noisy, start } from './support/trace-edit.ts';
import type { TraceEvent } from '../src/trace/events.ts';

// Every clause of every rule pinned by its own broken trace and sentence (the leader mutants
// in mutation.test.ts test the leader-to-checker path; these test the checkers clause by
// clause, so that a clause deleted from a checker fails a test of its own).

const sentences = (v: { rule: string; message: string }[]) => v.map((x) => `${x.rule} ${x.message}`);

// First, each clause against its own checker alone: cheap, and for mutation testing the tests
// that cover a checker's code are its own clauses here, so a broken clause fails within a few
// milliseconds instead of after the whole file (the full checks below cover every checker).
describe('each clause, by its own checker alone', () => {
  it.each(CLAUSES.map((c) => [c.id, c] as const))('%s', (_, c) => {
    const base = sound(c.base);
    const got = checkTrace(c.make(base, new TraceModel(base)), [c.rule]).violations;
    expect(sentences(got), c.id).toContain(`${c.rule} ${c.says}`);
  });
});

describe('near misses each clause must not flag', () => {
  it.each(HOLDS.map((h) => [h.id, h] as const))('%s', (_, h) => {
    const base = sound(h.base);
    const edited = h.make(base, new TraceModel(base));
    expect(edited).not.toEqual(base);
    expect(sentences(checkTrace(edited, [h.rule]).violations), h.why).toEqual([]);
  });
});

describe('each clause catches its broken trace, with its sentence', () => {
  it.each(CLAUSES.map((c) => [c.id, c] as const))('%s', (_, c) => {
    const base = sound(c.base);
    const broken = c.make(base, new TraceModel(base));
    const got = checkTrace(broken).violations;
    const mine = got.filter((v) => v.rule === c.rule && v.message === c.says);
    expect(mine.length, `${c.id}: expected "${c.rule} ${c.says}" among:\n${sentences(got).join('\n')}`).toBeGreaterThan(0);
    for (const v of mine) expect(v.by, `${c.id}: who broke it`).toBe(c.by ?? 'leader');
    // Which events it cites, pinned: the evidence is what a reader of the verdict is shown.
    expect(
      mine.map((v) => v.events),
      `${c.id}: evidence`,
    ).toMatchSnapshot();
    // Every violation points at the events that prove it: real indices of this trace.
    for (const v of got) {
      expect(v.events.length, `${v.rule} ${v.message}: no evidence`).toBeGreaterThan(0);
      for (const i of v.events) expect(Number.isInteger(i) && i >= 0 && i < broken.length, `${v.rule} ${v.message}: evidence ${String(i)}`).toBe(true);
    }
    // Another thread's events change nothing.
    expect(new Set(sentences(checkTrace(noisy(broken)).violations)), `${c.id}: with a stranger's events`).toEqual(new Set(sentences(got)));
    const allowed = (v: { rule: string; message: string }) =>
      (v.rule === c.rule && v.message === c.says) || (c.also ?? []).some((a) => a === v.rule || a === v.message);
    expect(sentences(got.filter((v) => !allowed(v))), `${c.id}: other violations`).toEqual([]);
    // And each side effect listed does happen: the list is exact, not a blanket permission.
    for (const a of c.also ?? [])
      expect(
        got.some((v) => v.rule === a || v.message === a),
        `${c.id}: also ${a}`,
      ).toBe(true);
  });
});

describe('the checkers', () => {
  it("one per rule, in the protocol's order, with its name and kind (liveness only for L1 and L2)", () => {
    expect(CHECKERS.map((c) => [c.rule, c.name, c.kind])).toEqual([
      ['T1', 'tools-present', 'safety'],
      ['T2', 'viability', 'safety'],
      ['T3', 'consent', 'safety'],
      ['T4', 'settings', 'safety'],
      ['W1', 'exclusive-worktree', 'safety'],
      ['W2', 'worktree-before-dispatch', 'safety'],
      ['W3', 'worktree-cleanup', 'safety'],
      ['M1', 'header', 'safety'],
      ['M2', 'registration-first', 'safety'],
      ['M3', 'dispatch-complete', 'safety'],
      ['M4', 'signals-not-payloads', 'safety'],
      ['M5', 'peer-scope', 'safety'],
      ['M6', 'read-economy', 'safety'],
      ['H1', 'no-leak', 'safety'],
      ['H2', 'one-heartbeat', 'safety'],
      ['H3', 'no-busy-wait', 'safety'],
      ['H4', 'pause-before-merge', 'safety'],
      ['J1', 'journal-after-change', 'safety'],
      ['J2', 'journal-isolated', 'safety'],
      ['J3', 'journal-excluded', 'safety'],
      ['J4', 'recover-from-journal', 'safety'],
      ['J5', 'foreign-runs', 'safety'],
      ['S1', 'startup-replace', 'safety'],
      ['S2', 'never-replace-progress', 'safety'],
      ['S3', 'stall-escalation', 'safety'],
      ['R1', 'serial-merge', 'safety'],
      ['R2', 'only-leader-merges', 'safety'],
      ['R3', 'rework-to-owner', 'safety'],
      ['R4', 'reviewed-whole', 'safety'],
      ['A1', 'abort-teardown', 'safety'],
      ['L1', 'terminates', 'liveness'],
      ['L2', 'accounted', 'liveness'],
      ['U1', 'status', 'safety'],
    ]);
    expect(RULE_IDS).toEqual(CHECKERS.map((c) => c.rule));
  });

  it('checkTrace(only) runs just the rules asked for', () => {
    const c = CLAUSES.find((x) => x.id === 'T3.confirm-first')!;
    const broken = c.make(sound(c.base), new TraceModel(sound(c.base)));
    expect(new Set(checkTrace(broken).violations.map((v) => v.rule))).toEqual(new Set(['T3']));
    expect(checkTrace(broken, ['T4', 'W1']).violations).toEqual([]);
    expect(checkTrace(broken, ['T3']).violations.map((v) => v.rule)).toEqual(['T3']);
  });
});

describe('clauses over a list', () => {
  // W1's list of operations that act in a directory: each one, done by a worker outside its
  // worktree, is caught; the reads are not.
  const outside = (op: string) => {
    const c = CLAUSES.find((x) => x.id === 'W1.worker-stays-home')!;
    const base = sound(c.base);
    const m = new TraceModel(base);
    const ui = [...m.workers.values()].find((w) => w.role === 'ui')!;
    const k = base.findIndex((e) => e.kind === 'ws' && e.actor === ui.thread && e.op === 'commitAll');
    const ev = insertAt(base, k, { ...base[k]!, op, dir: '/tmp/elsewhere' } as TraceEvent);
    return checkTrace(ev, ['W1']).violations.map((v) => v.message);
  };
  it.each(['writeFile', 'removeFile', 'commitAll', 'commitMerge', 'merge', 'run', 'checkout', 'discardChanges'])(
    "W1: a worker's %s outside its worktree",
    (op) => {
      expect(outside(op)).toEqual([`worker ui ran ${op} in /tmp/elsewhere, outside its worktree /worktrees/46a94c13/repo`]);
    },
  );
  it.each(['readFile', 'listFiles', 'status', 'changedFiles'])("W1: a worker's %s elsewhere is only a read", (op) => {
    expect(outside(op)).toEqual([]);
  });
});

describe('R2 and R3 over their lists', () => {
  it.each(['merge', 'commitMerge', 'commitAll'])("R2: a worker's %s on the integration checkout", (op) => {
    const base = sound('happy-three');
    const m = new TraceModel(base);
    const ui = [...m.workers.values()].find((w) => w.role === 'ui')!;
    const k = base.findIndex((e) => e.kind === 'ws' && e.actor === ui.thread && e.op === 'commitAll');
    const ev = insertAt(base, k, { ...base[k]!, op, dir: m.root } as TraceEvent);
    expect(checkTrace(ev, ['R2']).violations.map((v) => v.message)).toEqual([`worker ui ran ${op} on the integration checkout`]);
  });
  it.each(['writeFile', 'removeFile', 'commitAll'])("R3: the leader's %s in a live worker's worktree", (op) => {
    const base = sound('happy-three');
    const m = new TraceModel(base);
    const ui = [...m.workers.values()].find((w) => w.role === 'ui')!;
    const k = base.findIndex((e) => e.kind === 'ws' && e.actor === m.leader && e.op === 'changedFiles');
    const ev = insertAt(base, k, { kind: 'ws', op, actor: m.leader, dir: ui.cwd, ok: true });
    expect(checkTrace(ev, ['R3']).violations.map((v) => v.message)).toEqual([
      `the leader changed files in the worktree of live worker ui instead of sending the rework to it`,
    ]);
  });
});

describe('J1 and the progress rules over their lists', () => {
  // J1's outward actions: each one, done by the leader with no journal write before its next
  // act, is caught; a look or a read is not an act.
  const unjournaled = (body: Record<string, unknown>) => {
    const base = sound('happy-three');
    const m = new TraceModel(base);
    const k = base.findIndex((e) => e.kind === 'tool.call' && e.tool === 'wait_threads' && e.turn === 'turn-17');
    const ev = insertAt(
      base,
      k,
      { kind: 'ws', actor: m.leader, dir: m.root, ok: true, op: 'status', ...body } as unknown as TraceEvent,
      { kind: 'ws', actor: m.leader, dir: m.root, ok: true, op: 'merge', ref: 'codex/x', detail: 'merged' } as unknown as TraceEvent,
    );
    return checkTrace(ev, ['J1']).violations.map((v) => v.message);
  };
  it.each(['merge', 'commitMerge', 'abortMerge', 'worktreeAdd', 'worktreeRemove', 'setBranch', 'deleteBranch', 'discardChanges'])(
    "J1: the leader's %s is an outward action",
    (op) => {
      expect(unjournaled({ op, detail: 'done' })).toContain(`no journal write after ${op} before the leader's next outward action`);
    },
  );
  it.each(['readFile', 'listFiles', 'status', 'changedFiles', 'resolve', 'currentBranch'])("J1: the leader's %s is no outward action", (op) => {
    expect(unjournaled({ op })).toEqual([]);
  });
  const call = (tool: string, args: Record<string, unknown> = {}) => {
    const base = sound('happy-three');
    const m = new TraceModel(base);
    const k = base.findIndex((e) => e.kind === 'tool.call' && e.tool === 'wait_threads' && e.turn === 'turn-17');
    const ev = insertAt(
      base,
      k,
      { kind: 'tool.call', thread: m.leader, turn: 'turn-17', tool, args, ok: true, result: {} } as unknown as TraceEvent,
      { kind: 'ws', actor: m.leader, dir: m.root, ok: true, op: 'merge', ref: 'codex/x', detail: 'merged' } as unknown as TraceEvent,
    );
    return checkTrace(ev, ['J1']).violations.map((v) => v.message);
  };
  it.each(['create_thread', 'send_message_to_thread', 'fork_thread', 'set_thread_archived', 'set_thread_title', 'set_thread_pinned'])(
    "J1: the leader's %s changes the team",
    (tool) => {
      expect(call(tool)).toContain(`no journal write after ${tool} before the leader's next outward action`);
    },
  );
  it.each(['read_thread', 'list_threads', 'wait_threads', 'list_projects'])("J1: the leader's %s only looks", (tool) => {
    expect(call(tool)).toEqual([]);
  });
});

describe('checkTrace and checkRun', () => {
  it('report the faults that struck and the planned ones that never did', () => {
    const ev = sound('clock-jump');
    expect(checkTrace(ev).faultsFired).toEqual(['clock-jump']);
    expect(checkTrace(ev).faultsMissed).toEqual([]);
    const planned = start(ev, (s) => ({ ...s, faultsPlanned: ['clock-jump', 'stall', 'silent-drop'] }));
    expect(checkTrace(planned).faultsMissed).toEqual(['stall', 'silent-drop']);
    expect(checkTrace(sound('happy-three')).faultsFired).toEqual([]);
  });

  it('a worker violation the scenario expects does not fail the run; one it expects and never saw is reported', () => {
    const c = CLAUSES.find((x) => x.id === 'M5.collaborators-only')!;
    const broken = c.make(sound(c.base), new TraceModel(sound(c.base)));
    const plain = checkRun(broken);
    expect(plain.failures.map((v) => v.rule)).toEqual(['M5']);
    expect(plain.unexpectedMissing).toEqual([]);
    const expected = checkRun(broken, { workerViolations: ['M5'] });
    expect(expected.failures).toEqual([]);
    expect(expected.violations.map((v) => v.rule)).toEqual(['M5']);
    expect(checkRun(broken, { workerViolations: ['M5', 'R2'] }).unexpectedMissing).toEqual(['a worker breaking R2, which never happened']);
    // A leader violation fails the run even when the scenario names its rule.
    const t3 = CLAUSES.find((x) => x.id === 'T3.confirm-first')!;
    expect(checkRun(t3.make(sound(t3.base), new TraceModel(sound(t3.base))), { workerViolations: ['T3'] }).failures.map((v) => v.rule)).toEqual(['T3']);
  });

  it('says what a trace cannot decide, rule by rule', () => {
    expect(UNDECIDABLE.map((u) => u.rule)).toEqual(['T2', 'M3', 'M5', 'S3', 'R3', 'R4', 'U1']);
    for (const u of UNDECIDABLE) {
      expect(u.part.length, u.rule).toBeGreaterThan(10);
      expect(u.reason.length, u.rule).toBeGreaterThan(10);
    }
  });

  it('refuses a trace that does not start with run.start', () => {
    expect(() => checkTrace(sound('happy-three').slice(1))).toThrow('a trace starts with a run.start event');
    expect(() => checkTrace([])).toThrow('a trace starts with a run.start event');
  });
});

describe('the clause table', () => {
  it('has every rule, and the invariants README lists exactly its clauses', () => {
    const rules = new Set(CLAUSES.map((c) => c.rule));
    expect(RULE_IDS.filter((r) => !rules.has(r))).toEqual([]);
    const readme = readFileSync(new URL('../src/invariants/README.md', import.meta.url), 'utf8');
    const rows = [...readme.matchAll(/^\| `([A-Z]\d\.[\w-]+)` \|/gm)].map((x) => x[1]);
    expect(rows).toEqual(CLAUSES.map((c) => c.id));
    expect(new Set(CLAUSES.map((c) => c.id)).size).toBe(CLAUSES.length);
  });
});

describe('the sound traces', () => {
  it.each(SOUND)('%s has no violation', (name) => {
    expect(sentences(checkTrace(sound(name)).violations)).toEqual([]);
  });
  it.each(SOUND)("%s has none with a stranger's events in it either", (name) => {
    expect(sentences(checkTrace(noisy(sound(name))).violations)).toEqual([]);
  });
});
