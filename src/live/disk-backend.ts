import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDiskWorkspace } from './disk-workspace.ts';
import { scenarioFiles, type Backend } from '../../sim/run.ts';
import type { Scenario } from '../../sim/scenario/schema.ts';

/** The scenario's verification verdict as a shell command: fail if any file holds a marker. */
export function verifyShellCommand(s: Scenario): string {
  const needles = s.repo.verify.failOn.map((n) => `-e '${n.replace(/'/g, `'\\''`)}'`).join(' ');
  return `if grep -rlF ${needles} --exclude-dir=.git --exclude-dir=.thread-team .; then echo FAIL; exit 1; else echo 'all tests passed'; fi`;
}

/**
 * The repository on disk with the git CLI, in a scratch directory whose path depends only on
 * the scenario (so traces of two runs compare); removed afterwards unless `keep`.
 */
export function diskBackend(opts: { scratch?: string; keep?: boolean } = {}): Backend {
  return {
    name: 'disk',
    async prepare(s: Scenario, now: () => number) {
      const base = opts.scratch ?? join(tmpdir(), 'thread-team-sim', `${s.name}-${s.seed}`);
      await rm(base, { recursive: true, force: true });
      await mkdir(base, { recursive: true });
      const repoRoot = join(base, 'repo');
      const commands = { [s.repo.verify.command]: verifyShellCommand(s) };
      const ws = createDiskWorkspace({ root: repoRoot, clock: now, commands });
      await ws.init(await scenarioFiles(s), s.repo.branch);
      return {
        ws,
        repoRoot,
        worktreeRoot: join(base, 'worktrees'),
        commands,
        dispose: async () => {
          if (!opts.keep) await rm(base, { recursive: true, force: true });
        },
      };
    },
  };
}
