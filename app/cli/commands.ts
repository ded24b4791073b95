import type { Command } from 'commander';
import type { CliIO } from './io.ts';
import { registerLint } from './lint.ts';
import { registerRun } from './run.ts';
import { registerExplore } from './explore.ts';
import { registerCheck } from './check.ts';
import { registerReplay } from './replay.ts';
import { registerCompare } from './compare.ts';
import { registerImport } from './import.ts';
import { registerLive } from './live.ts';
import { registerNew } from './new.ts';
import { registerShow } from './show.ts';

// Each subcommand lives in its own module and registers itself here.
export function registerCommands(program: Command, io: CliIO, setExit: (code: number) => void, run: (argv: string[]) => Promise<number>): void {
  registerLint(program, io, setExit);
  registerRun(program, io, setExit);
  registerExplore(program, io, setExit);
  registerCheck(program, io, setExit);
  registerReplay(program, io, setExit, run);
  registerCompare(program, io, setExit);
  registerImport(program, io, setExit);
  registerLive(program, io, setExit);
  registerNew(program, io, setExit);
  registerShow(program, io, setExit);
}
