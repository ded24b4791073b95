import { Command, CommanderError } from 'commander';
import { type CliIO, InputError, UsageError, processIO } from './io.ts';
import { registerCommands } from './commands.ts';
import { isTearingDown, StoppedError, teardownAll, teardownStarts } from '../../src/core/teardown.ts';

/** Exit codes, the same for every command (and in every --help). */
export const EXIT = { ok: 0, finding: 1, badInput: 2, bug: 3, sigint: 130, sigterm: 143 } as const;

export const EXIT_HELP = [
  '',
  'Exit codes: 0 all well; 1 a finding (a failed expectation, a broken rule, a lint error);',
  '            2 bad input (flags, paths, scenario, trace or skill files: one line says what and where);',
  '            3 an internal error (a bug of thread-team-sim: please report it);',
  '            130 interrupted (Ctrl-C), 143 terminated (SIGTERM): whatever the run made is removed first.',
  'Add --debug to any command to see where an internal error happened.',
].join('\n');

export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('thread-team-sim')
    .description('Deterministic simulation and testing harness for Codex thread-team skills')
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
      // A usage error is one line like every other bad input, in the same voice.
      outputError: (s, write) =>
        write(
          `thread-team-sim: ${s
            .trim()
            .replace(/^error: /, '')
            .replace(/\s*\n\s*/g, ' ')} (see --help)\n`,
        ),
    })
    .addHelpText('after', EXIT_HELP)
    .exitOverride();
  // replay re-enters the CLI with the equivalent run/explore command line.
  registerCommands(program, io, setExit, (argv) => main(argv, io));
  for (const c of program.commands) c.addHelpText('after', EXIT_HELP);
  return program;
}

/**
 * Runs the CLI and returns the exit code instead of exiting, so tests can call it. Every
 * error a user can cause is one line `thread-team-sim: …`; anything else is a bug, said so in
 * one line (its stack only with --debug).
 */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    // `help X` for an unknown X would print the whole help as an error: one line instead.
    const names = program.commands.map((c) => c.name());
    if (args[0] === 'help' && args[1] !== undefined && !names.includes(args[1]))
      throw new UsageError(`help: no command "${args[1].slice(0, 60)}" (commands: ${names.filter((n) => n !== 'help').join(', ')})`);
    await program.parseAsync(args, { from: 'user' });
    return code;
  } catch (e) {
    // Interrupted: the work stops with errors of its own making; the interrupt has the last word.
    if (isTearingDown()) return code;
    if (e instanceof StoppedError) {
      // The interrupt that stopped a part of us is on its way here: let it have the last word.
      if (await teardownStarts(1_000)) return code;
      const left = await teardownAll();
      io.err(`thread-team-sim: ${e.message} from outside${left.length ? `; could not remove: ${left.join(', ')}` : '; nothing it made is left behind'}`);
      return e.signal === 'SIGINT' ? EXIT.sigint : EXIT.sigterm;
    }
    if (e instanceof CommanderError) {
      // help and version exit 0; every other commander error is a usage error.
      return e.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    if (e instanceof UsageError) {
      io.err(`thread-team-sim: ${e.message}`);
      return EXIT.badInput;
    }
    if (e instanceof InputError) {
      io.err(`thread-team-sim: ${e.message}`);
      return e.exitCode;
    }
    const first = (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).split('\n')[0];
    io.err(
      `thread-team-sim: internal error (a bug in thread-team-sim, not in your input): ${first}. Please report it with the command you ran${debug ? '' : '; --debug shows where it happened'}.`,
    );
    if (debug && e instanceof Error && e.stack) io.err(e.stack);
    return EXIT.bug;
  }
}

/**
 * The real process: main() with Ctrl-C and SIGTERM handled. An interrupt runs every
 * registered teardown (scratch directories, child processes), says so in one line, and exits
 * 130 or 143; a second interrupt exits at once.
 */
export async function runProcess(argv: string[]): Promise<void> {
  const io = processIO();
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    const code = signal === 'SIGINT' ? EXIT.sigint : EXIT.sigterm;
    if (interrupted) process.exit(code);
    interrupted = true;
    io.progress(null);
    void teardownAll().then((left) => {
      io.err(
        `thread-team-sim: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'}${left.length ? `; could not remove: ${left.join(', ')}` : '; nothing it made is left behind'}`,
      );
      process.exit(code);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await main(argv, io);
  if (!interrupted) process.exitCode = code;
}
