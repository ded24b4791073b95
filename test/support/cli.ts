import type { CliIO } from '../../app/cli/io.ts';

/** An in-process CLI IO that records what a command printed. */
export function capture(cwd: string): CliIO & { outs: string[]; errs: string[]; text(): string } {
  const outs: string[] = [];
  const errs: string[] = [];
  return {
    outs,
    errs,
    out: (l) => outs.push(l),
    err: (l) => errs.push(l),
    text: () => [...outs, ...errs].join('\n'),
    isTTY: false,
    progress: () => {},
    cwd,
  };
}
