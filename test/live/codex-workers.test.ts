// Every thread a real Codex thread, offline: `--leader codex --workers codex`. The leader's model
// is the reference leader; each worker's is the scenario's behaviour for it, done as real tool
// calls and real shell commands that Codex runs in the worker's own worktree. The same World
// answers the thread tools and records the trace the invariants check; the rollouts every thread
// left are then imported and checked on their own, to the same verdict.
// Skipped, with a printed reason, when the codex binary is not installed.

import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../app/cli/main.ts';
import { capture } from '../support/cli.ts';
import { runWithCodex } from '../../app/live/codex-run.ts';
import { findCodexBinary } from '../../src/live/codex-binary.ts';
import { checkTrace } from '../../src/invariants/index.ts';
import { loadSkill } from '../../src/skill/index.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { quickWorkers } from '../support/codex-runs.ts';
import { invalidPayloads } from '../support/scripted-leader.ts';
import { scratchFolder } from '../support/scratch-folder.ts';

const binary = findCodexBinary();
if (!binary) console.log('[live] codex binary not installed (optional dependency @openai/codex): the all-Codex tests are skipped');

const profile = (await loadSkill('skill')).profile!;
const scratch = scratchFolder('codex-workers-');

type Call = { type?: string; name?: string; arguments?: string };

describe.skipIf(!binary)('every thread a real Codex thread (offline): --leader codex --workers codex', () => {
  // One scenario holds both paths: two workers finish as on the happy path, the third stalls
  // and its replacement finishes its area (S3). A run of happy-three besides added no check.
  // The diligent ones work 4 minutes, not 12 (quickWorkers): the stall is found as before.
  for (const [name, counts] of [['stalls-mid-task', { workers: 4, replacements: 1, merges: 3 }]] as const) {
    it(`${name} completes with every invariant holding, each worker's changes made by Codex in its own worktree`, { timeout: 300_000 }, async () => {
      const scenario = quickWorkers(await loadScenario(`scenarios/${name}.yaml`));
      const kept = await mkdtemp(join(scratch(), `${name}-`));
      const r = await runWithCodex({ scenario, profile, skillDir: 'skill', mode: { kind: 'reference' }, workers: 'codex', sessionsTo: kept });
      expect(r.outcome).toBe('complete');
      expect(r.counts).toMatchObject(counts);
      expect(checkTrace(r.events).violations).toEqual([]);
      expect(invalidPayloads(r.events)).toEqual([]);

      // The worktrees the World made for the workers, by the part of their path that does not
      // depend on the scratch folder's name (the trace names it canonically; Codex ran in the real one).
      const worktrees = r.events.flatMap((e) => (e.kind === 'thread.created' && e.worktree ? [/worktrees\/[^/]+\/[^/]+$/.exec(e.cwd)![0]] : []));
      expect(worktrees).toHaveLength(counts.workers);
      const byThread = new Map<string, Call[]>();
      for (const q of r.requests) byThread.set(q.headers['thread-id']!, q.input as Call[]);
      const commandsOf = (input: Call[]) =>
        input.filter((i) => i.type === 'function_call' && i.name === 'exec_command').map((i) => (JSON.parse(i.arguments!) as { cmd: string }).cmd);
      const threads = [...byThread.values()].map(commandsOf).map((cmds) => ({ cmds, homes: worktrees.filter((w) => cmds.some((c) => c.includes(w))) }));
      // One Codex thread per worker, each running its commands in one worktree, its own; the
      // leader is the one thread that works in several (it merges and removes them).
      const workerThreads = threads.filter((t) => t.homes.length === 1);
      expect(workerThreads).toHaveLength(counts.workers);
      expect(new Set(workerThreads.map((t) => t.homes[0])).size).toBe(counts.workers);
      expect(threads.filter((t) => t.homes.length > 1)).toHaveLength(1);
      // The merged workers committed there through Codex's shell.
      const committers = workerThreads.filter((t) => t.cmds.some((c) => /\bcommit\b/.test(c)));
      expect(committers.length).toBeGreaterThanOrEqual(counts.merges);

      // Every thread's rollout, read back on its own (import): all found, the same verdict.
      const io = capture(process.cwd());
      const code = await main(['import', '--codex-home', kept, '--check', '--json'], io);
      const report = JSON.parse(io.outs.join(''));
      expect(code, `${io.errs.join('\n')}\n${JSON.stringify(report.verdict)}`).toBe(0);
      expect(report).toMatchObject({ threads: counts.workers, missing: [] });
      expect(report.verdict.violations).toEqual([]);
    });
  }
});

describe.skipIf(!binary)('a budget spent', () => {
  it("--max-turns 5: the leader is told to cancel, tears the team down through the skill's abort path, and marks its journal aborted", {
    timeout: 300_000,
  }, async () => {
    const scenario = await loadScenario('scenarios/happy-three.yaml');
    const r = await runWithCodex({ scenario, profile, skillDir: 'skill', mode: { kind: 'reference' }, budget: { turns: 5, tokens: Number.POSITIVE_INFINITY } });
    expect(r.budgetSpent).toBe('5 leader turns spent');
    expect(r.outcome).toBe('aborted');
    const cancel = r.events.findIndex((e) => e.kind === 'user.input' && e.intent === 'cancel');
    expect(cancel).toBeGreaterThan(0);
    // Every worker stopped and the journal's last word is "aborted".
    const journal = r.events
      .filter((e) => e.kind === 'ws' && e.op === 'writeFile' && e.content !== undefined && e.paths?.some((p) => p.endsWith('state.md')))
      .at(-1);
    expect(journal && journal.kind === 'ws' ? journal.content : '').toMatch(/## Status\naborted\n/);
    expect(checkTrace(r.events).violations).toEqual([]);
  });
});
