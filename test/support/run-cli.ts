// A command of the CLI run in-process, for tests that need only its exit code and text.
import { main } from '../../app/cli/main.ts';
import { capture } from './cli.ts';

/** A command run in-process from `cwd`: its exit code and what it printed, as text. */
export async function runCli(cwd: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture(cwd);
  const code = await main(args, io);
  return { code, out: io.outs.join('\n'), err: io.errs.join('\n') };
}
