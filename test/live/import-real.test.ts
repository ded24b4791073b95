// Importing what a real Codex run left: `run --leader codex` (the leader a real Codex thread; its
// rollout real), kept, then `import --codex-home` on its Codex home. The verdict from the rollout
// alone must equal the run's own on the rules a rollout can decide, for a sound leader and for
// one that leaks its heartbeat (H1 found in the rollout). The workers were the simulator's, so
// their rollouts are missing, and said to be. Skipped, with a printed reason, without the binary.

import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runWithCodex } from '../../app/live/codex-run.ts';
import { main } from '../../app/cli/main.ts';
import { UNSEEN_RULES } from '../../app/import/to-trace.ts';
import { checkTrace } from '../../src/invariants/index.ts';
import { findCodexBinary } from '../../src/live/codex-binary.ts';
import { loadSkill } from '../../src/skill/index.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { capture } from '../support/cli.ts';

const binary = findCodexBinary();
if (!binary) console.log('[live] codex binary not installed (optional dependency @openai/codex): the import of real rollouts is skipped');

const profile = (await loadSkill('skill')).profile!;
const unseen = new Set(UNSEEN_RULES.map((r) => r.rule));

describe.skipIf(!binary)("import: a real Codex leader's rollout", () => {
  it.each([
    ['a sound leader', [] as string[], []],
    ['a leader that leaks its heartbeat', ['leak-heartbeat'], ['H1']],
  ])('%s: the verdict from the rollout equals the run’s own', { timeout: 300_000 }, async (_what, flaws, expected) => {
    const base = await loadScenario('scenarios/happy-three.yaml');
    const scenario = { ...base, leader: { ...base.leader, flaws: flaws as typeof base.leader.flaws } };
    const r = await runWithCodex({ scenario, profile, skillDir: 'skill', mode: { kind: 'reference' }, keep: true });
    try {
      const own = [
        ...new Set(
          checkTrace(r.events)
            .violations.filter((v) => v.by === 'leader' && !unseen.has(v.rule))
            .map((v) => v.rule),
        ),
      ].sort();
      expect(own).toEqual(expected);
      const io = capture(process.cwd());
      const code = await main(['import', '--codex-home', `${r.kept!.codexHome}/codex-home`, '--check', '--json'], io);
      const report = JSON.parse(io.outs.join(''));
      expect(code, io.errs.join('\n')).toBe(expected.length ? 1 : 0);
      expect([...new Set(report.verdict.violations.map((v: { rule: string }) => v.rule))].sort()).toEqual(own);
      // The simulated workers left no rollout: each is named, none guessed.
      expect(report.threads).toBe(3);
      expect(report.missing).toHaveLength(3);
    } finally {
      await rm(r.kept!.scratch, { recursive: true, force: true });
      await rm(r.kept!.codexHome, { recursive: true, force: true });
    }
  });
});
