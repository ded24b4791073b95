import type { Command } from 'commander';
import type { CliIO } from './io.ts';

// Each subcommand lives in its own module and registers itself here.
export function registerCommands(program: Command, io: CliIO, setExit: (code: number) => void): void {
  void program;
  void io;
  void setExit;
}
