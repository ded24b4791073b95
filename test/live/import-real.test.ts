// Importing what a real Codex run left: `run --leader codex --out DIR` (the leader a real Codex
// thread; its rollout real) keeps the run's repository, Codex home and trace, then `import
// --codex-home DIR/codex-home` reads the run back. The verdict from the rollout alone must equal
// the run's own on the rules a rollout can decide, for a leader that leaks its heartbeat (H1,
// from its tool calls) and merges two branches with no test run between (R1, from what its
// commands printed). A sound leader's rollout reading clean is checked where its run is
// made anyway (codex-leader.test.ts). The workers were the simulator's, so their rollouts are
// missing, and said to be. Skipped, with a printed reason, without the binary.

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../app/cli/main.ts';
import { undecidableOf, undecided } from '../../app/import/to-trace.ts';
import { checkTrace } from '../../src/invariants/index.ts';
import { findCodexBinary } from '../../src/live/codex-binary.ts';
import { readTrace } from '../../src/trace/jsonl.ts';
import { capture } from '../support/cli.ts';
import { stringify } from 'yaml';
import { quickHappyThree } from '../support/codex-runs.ts';
import { scratchFolder } from '../support/scratch-folder.ts';

const binary = findCodexBinary();
if (!binary) console.log('[live] codex binary not installed (optional dependency @openai/codex): the import of real rollouts is skipped');

const scratch = scratchFolder('import-real-');

describe.skipIf(!binary)("import: a real Codex leader's rollout, kept by run --out", () => {
  // Both flaws in one run: each is decided from a different part of the rollout, and neither
  // changes what the other does (the heartbeat is left at the end, the merges come before).
  it.each([['a leader that leaks its heartbeat and merges two branches at once', ['leak-heartbeat', 'merge-two-at-once'], ['H1', 'R1']]])(
    '%s: the verdict from the rollout equals the run’s own',
    { timeout: 300_000 },
    async (what, flaws, expected) => {
      const name = flaws[0]!;
      const scenario = join(scratch(), `${name}.yaml`);
      const base = await readFile('scenarios/happy-three.yaml', 'utf8');
      const workers = stringify({ workers: (await quickHappyThree()).workers });
      await writeFile(scenario, `${base.replace(/^name: .*$/m, `name: ${name}`)}\n${workers}leader:\n  flaws: [${flaws.join(', ')}]\n`);
      const out = join(scratch(), `out-${name}`);
      const ran = capture(process.cwd());
      await main(['run', scenario, '--leader', 'codex', '--out', out], ran);
      expect(ran.errs.join('\n')).toMatch(
        /kept in .*: repo\/, codex-home\/ \(every thread's rollout\), trace\.jsonl; check it again: thread-team-sim import --codex-home /,
      );
      expect(await readdir(join(out, name))).toEqual(expect.arrayContaining(['codex-home', 'repo', 'trace.jsonl']));
      const io = capture(process.cwd());
      const back = join(out, 'imported.jsonl');
      const code = await main(['import', '--codex-home', join(out, name, 'codex-home'), '--check', '--json', '--out', back], io);
      const report = JSON.parse(io.outs.join(''));
      const unseen = undecidableOf(await readTrace(back));
      const own = [
        ...new Set(
          checkTrace(await readTrace(join(out, name, 'trace.jsonl')))
            .violations.filter((v) => v.by === 'leader' && !undecided(v, unseen))
            .map((v) => v.rule),
        ),
      ].sort();
      expect(own, what).toEqual(expected);
      expect(code, io.errs.join('\n')).toBe(expected.length ? 1 : 0);
      expect([...new Set(report.verdict.violations.map((v: { rule: string }) => v.rule))].sort()).toEqual(own);
      // The simulated workers left no rollout: each is named, none guessed.
      expect(report.threads).toBe(3);
      expect(report.missing).toHaveLength(3);
    },
  );
});
