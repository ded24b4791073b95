// Where the suite's processor time goes, from the lines test/setup/cpu-probe.ts writes (one per
// test file): the costliest files, and the totals of the files that run the real Codex
// (test/live/) against the rest. On two cores this, not any one file's wall time, sets the
// suite's wall time.

export interface FileCpu {
  file: string;
  /** Processor seconds of the test worker on this file. */
  own: number;
  /** Processor seconds of the processes it started and waited for (Codex, git, the CLI). */
  children: number;
  wall: number;
}

export interface SuiteCpu {
  /** Every file, costliest first (own + children). */
  files: FileCpu[];
  groups: { name: string; files: number; own: number; children: number }[];
}

const LIVE = /^test\/live\//;

/** Reads the probe's lines; a line that is not one names its number. */
export function suiteCpu(text: string): SuiteCpu {
  const files = text
    .split('\n')
    .map((l, i) => [l.trim(), i + 1] as const)
    .filter(([l]) => l !== '')
    .map(([l, n]) => {
      let v: Partial<FileCpu>;
      try {
        v = JSON.parse(l) as Partial<FileCpu>;
      } catch {
        throw new Error(`cpu log line ${n}: not JSON`);
      }
      for (const k of ['own', 'children', 'wall'] as const) if (typeof v[k] !== 'number') throw new Error(`cpu log line ${n}: ${k}: expected a number`);
      if (typeof v.file !== 'string') throw new Error(`cpu log line ${n}: file: expected a path`);
      return v as FileCpu;
    })
    .sort((a, b) => b.own + b.children - (a.own + a.children) || a.file.localeCompare(b.file));
  const group = (name: string, of: FileCpu[]) => ({
    name,
    files: of.length,
    own: of.reduce((s, f) => s + f.own, 0),
    children: of.reduce((s, f) => s + f.children, 0),
  });
  return {
    files,
    groups: [
      group(
        'test/live/ (the real Codex)',
        files.filter((f) => LIVE.test(f.file)),
      ),
      group(
        'every other file',
        files.filter((f) => !LIVE.test(f.file)),
      ),
    ],
  };
}
