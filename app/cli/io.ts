// What a command needs from the outside world, injectable so tests run commands in-process.
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** True when stderr is a terminal (progress bars). */
  isTTY: boolean;
  /** Rewrite the progress line (a terminal only); `null` clears it. */
  progress(line: string | null): void;
  cwd: string;
}

export const processIO = (): CliIO => ({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  isTTY: Boolean(process.stderr.isTTY),
  progress: (line) => {
    if (!process.stderr.isTTY) return;
    process.stderr.write(`\r\x1b[2K${line === null ? '' : line.slice(0, (process.stderr.columns || 100) - 1)}`);
  },
  cwd: process.cwd(),
});

/** A mistake in how the command was called: printed as one line, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Bad input the user can fix (a scenario, trace or skill file): one line, exit 1 unless given. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
