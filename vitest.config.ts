import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The test files that take longest (measured on 2 cores, most of them waiting on real Codex
 * processes or on many CLI runs): started first, so that they overlap the rest instead of
 * running alone at the end. A fresh clone has no duration cache to order by.
 */
const SLOW_FIRST = [
  'test/live/codex-leader.test.ts',
  'test/live/codex-workers.test.ts',
  'test/live/codex-public.test.ts',
  'test/found.test.ts',
  'test/live/import-real.test.ts',
  'test/live/live-command.test.ts',
  'test/live/exec-command.test.ts',
  'test/skills.test.ts',
  'test/app/explore.test.ts',
  'test/app/shard.test.ts',
  'test/app/safety.test.ts',
  'test/app/interrupt.test.ts',
  'test/live/trials.test.ts',
  'test/workspace/shell.test.ts',
  'test/app/cli-run.test.ts',
];

class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const k = SLOW_FIRST.findIndex((s) => f.moduleId.endsWith(s));
      return k < 0 ? SLOW_FIRST.length : k;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

/**
 * The files that get a module graph of their own: those that replace a module for their tests
 * (`vi.mock`), and the one that starts the process's teardown (after which every command in
 * that process answers as interrupted). Every other file shares its worker's modules with the
 * files run before it there.
 */
const OWN_MODULES = [
  'test/markdown.test.ts',
  'test/profile-edges.test.ts',
  'test/skill-findings.test.ts',
  'test/live/app-server-teardown.test.ts',
  'test/app/teardown-children.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    // Vitest's 10 s once failed a hook that only removes a few folders (fsck.test's), on a
    // loaded machine; hooks that start Codex or explore set their own, longer bounds.
    hookTimeout: 60_000,
    // After the suite: no process the tests started still running in the temporary folder.
    globalSetup: ['test/setup/no-strays.ts'],
    // `npm run bench -- npm-test` asks where the processor time goes, file by file.
    setupFiles: process.env.THREAD_TEAM_SIM_CPU_LOG ? ['test/setup/cpu-probe.ts'] : [],
    pool: 'forks',
    // Vitest's default on 2 cores is one worker. Many files wait on the processes they start
    // (Codex, git, the CLI): with two workers the cores were a fifth idle; with three, 319 s -> 279 s.
    maxWorkers: 3,
    sequence: { sequencer: SlowFirst },
    projects: [
      // Importing the project's modules afresh for each of 90 files took a fifth of the suite's
      // processor time; the modules keep no state a test could see but bounded, pure memos.
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: OWN_MODULES, isolate: false } },
      { extends: true, test: { name: 'isolated', include: OWN_MODULES, isolate: true } },
    ],
  },
});
