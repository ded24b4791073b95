import { Command, CommanderError } from 'commander';
import { type CliIO, InputError, UsageError, processIO } from './io.ts';
import { registerCommands } from './commands.ts';

export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('thread-team-sim')
    .description('Deterministic simulation and testing harness for Codex thread-team skills')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
    })
    .exitOverride();
  // replay re-enters the CLI with the equivalent run/explore command line.
  registerCommands(program, io, setExit, (argv) => main(argv, io));
  return program;
}

/** Runs the CLI and returns the exit code instead of exiting, so tests can call it. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; every other commander error is a usage error.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError) {
      io.err(`thread-team-sim: ${e.message}`);
      return 2;
    }
    if (e instanceof InputError) {
      io.err(`thread-team-sim: ${e.message}`);
      return e.exitCode;
    }
    throw e;
  }
}
