// `run --leader codex --trials K`: each trial a run of its own, its trace kept, and the
// scenario's reliability reported as pass^k and pass@k. Skipped without the codex binary.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../app/cli/main.ts';
import { findCodexBinary } from '../../src/live/codex-binary.ts';
import { capture } from '../support/cli.ts';
import { scratchFolder } from '../support/scratch-folder.ts';

const binary = findCodexBinary();
if (!binary) console.log('[live] codex binary not installed (optional dependency @openai/codex): the trials test is skipped');

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const scratch = scratchFolder('trials-');

describe.skipIf(!binary)('run --leader codex --trials', () => {
  it('runs each trial on its own, keeps each trace, and reports pass^k and pass@k', { timeout: 300_000 }, async () => {
    const io = capture(ROOT);
    const traces = join(scratch(), 'traces');
    // A budget of 1 leader turn makes every trial end through the cancel: none holds.
    const code = await main(['run', 'scenarios/happy-three.yaml', '--leader', 'codex', '--trials', '2', '--max-turns', '1', '--json', '--trace', traces], io);
    expect(code).toBe(1);
    const lines = io.outs.map((l) => JSON.parse(l));
    expect(lines.slice(0, 2).map((r) => [r.scenario, r.trial, r.ok, r.outcome])).toEqual([
      ['happy-three', 1, false, 'aborted'],
      ['happy-three', 2, false, 'aborted'],
    ]);
    expect(lines[2]).toEqual({
      trials: 2,
      scenarios: [{ scenario: 'happy-three', trials: 2, held: 0 }],
      rates: [
        { k: 1, passHat: 0, passAt: 0 },
        { k: 2, passHat: 0, passAt: 0 },
      ],
    });
    expect((await readdir(traces)).sort()).toEqual(['happy-three.trial-1.jsonl', 'happy-three.trial-2.jsonl']);
  });
});
