import type { Command } from 'commander';
import type { CliIO } from './io.ts';
import { registerLint } from './lint.ts';
import { registerRun } from './run.ts';

// Each subcommand lives in its own module and registers itself here.
export function registerCommands(program: Command, io: CliIO, setExit: (code: number) => void): void {
  registerLint(program, io, setExit);
  registerRun(program, io, setExit);
}
