// The public thread-team skill leading a team through the real Codex runtime, offline: Codex
// injects its SKILL.md, the reference leader reads its facts and fills its templates, and the
// run, and the rollout it leaves, pass every invariant. Skipped, with a printed reason, without
// the codex binary or the public skill.

import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWithCodex } from '../../app/live/codex-run.ts';
import { checkTrace } from '../../src/invariants/index.ts';
import { findCodexBinary } from '../../src/live/codex-binary.ts';
import { loadSkill } from '../../src/skill/index.ts';
import { imported, quickHappyThree, text } from '../support/codex-runs.ts';
import { publicSkill } from '../support/skills.ts';
import { scratchFolder } from '../support/scratch-folder.ts';

const binary = findCodexBinary();
if (!binary) console.log('[live] codex binary not installed (optional dependency @openai/codex): the public skill through Codex is skipped');
const PUBLIC = publicSkill();

const scratch = scratchFolder('codex-public-');

describe.skipIf(!binary || !PUBLIC)('the public thread-team skill through the real Codex runtime (offline)', () => {
  it('leads the happy path with the public skill injected; every invariant holds, in the run and in its rollout', { timeout: 300_000 }, async () => {
    const pub = (await loadSkill(PUBLIC!)).profile!;
    const scenario = await quickHappyThree();
    const sessions = await mkdtemp(join(scratch(), 'public-'));
    const r = await runWithCodex({ scenario, profile: pub, skillDir: PUBLIC!, mode: { kind: 'reference' }, sessionsTo: sessions });
    expect(r.outcome).toBe('complete');
    expect(r.counts).toMatchObject({ workers: 3, replacements: 0, merges: 3 });
    expect(checkTrace(r.events).violations).toEqual([]);
    // Its profile read from the SKILL.md Codex injected, as the import finds it.
    expect(await imported(sessions)).toMatchObject({ code: 0, violations: [] });
    const injected = r.requests[0]!.input.map(text).find((t) => t.startsWith('<skill>'));
    expect(injected).toContain('## Six-Phase Leader Workflow');
  });
});
