// `thread-team-sim replay`: one failing case again, by its scenario file or by seed and path.
import type { Command } from 'commander';
import type { CliIO } from './io.ts';
import { UsageError } from './io.ts';

export function registerReplay(program: Command, io: CliIO, setExit: (code: number) => void, run: (argv: string[]) => Promise<number>): void {
  program
    .command('replay')
    .description('replay a failing case: a scenario file (as run does, with its trace), or an explore case by --seed and --path')
    .argument('[scenario]', 'a scenario file written by explore (or any scenario file)')
    .option('--seed <n>', 'the seed explore printed')
    .option('--path <path>', 'the counterexample path explore printed')
    .option('--mutant <flaw...>', 'the mutant the case was found with')
    .option('--skill <dir>', 'skill directory')
    .option('--trace <file>', 'write the trace of the replayed case')
    .option('--out <dir>', 'with --seed and --path: where the case is written (a name of its own)', 'explore-out')
    .option('--force', 'replace an existing --trace file')
    .action(
      async (
        scenario: string | undefined,
        opts: { seed?: string; path?: string; mutant?: string[]; skill?: string; trace?: string; out: string; force?: boolean },
      ) => {
        const skill = opts.skill ? ['--skill', opts.skill] : [];
        const trace = [...(opts.trace ? ['--trace', opts.trace] : []), ...(opts.force ? ['--force'] : [])];
        if (scenario !== undefined) {
          if (opts.path !== undefined) throw new UsageError('give a scenario file or --seed with --path, not both');
          setExit(await run(['run', scenario, ...skill, ...(opts.seed ? ['--seed', opts.seed] : []), ...trace]));
          return;
        }
        if (opts.seed === undefined || opts.path === undefined) throw new UsageError('replay needs a scenario file, or both --seed and --path');
        const mutants = (opts.mutant ?? []).flatMap((m) => ['--mutant', m]);
        setExit(await run(['explore', '--seed', opts.seed, '--path', opts.path, '--runs', '1', ...mutants, ...skill, '--out', opts.out, ...trace]));
        void io;
      },
    );
}
