// Keeping Stryker's incremental mode honest when tests change.
//
// Stryker re-tests a surviving mutant only when a test it has not seen before covers it, and
// it knows a test by file, position and name. The vitest runner reports no positions, so a
// test whose body was edited (or a helper or fixture it reads) looks unchanged, and a mutant
// that the edited test now kills stays "survived" in the report. So: the run remembers a
// fingerprint of every file under test/, and when it differs on the next run, the mutants
// that were not killed are taken out of the incremental file and tested again. Killed
// mutants are still reused (Stryker re-tests one whose killing test is gone or renamed).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** SHA-256 over the path and bytes of every file under `dir`, in path order. */
export function testsFingerprint(dir = 'test') {
  const hash = createHash('sha256');
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else hash.update(`${p}\0`).update(readFileSync(p)).update('\0');
    }
  };
  walk(dir);
  return hash.digest('hex');
}

const DECIDED = new Set(['Killed', 'Timeout', 'CompileError', 'RuntimeError', 'Ignored']);

/** The incremental report without the mutants `drop` picks (by status); and how many went. */
function dropMutants(report, drop) {
  let dropped = 0;
  const files = {};
  for (const [name, file] of Object.entries(report.files ?? {})) {
    const kept = file.mutants.filter((m) => !drop(m.status));
    dropped += file.mutants.length - kept.length;
    files[name] = { ...file, mutants: kept };
  }
  return { report: { ...report, files }, dropped };
}

/** The incremental report without the mutants tests did not decide; and how many went. */
export function dropUndecided(report) {
  return dropMutants(report, (status) => !DECIDED.has(status));
}

/**
 * The incremental report without its timed-out mutants. A timeout counts as killed, but on a
 * busy machine a mutant the tests would let survive can time out too: `--retest-timeouts`
 * tests them again, best on a quiet machine.
 */
export function dropTimeouts(report) {
  return dropMutants(report, (status) => status === 'Timeout');
}

function readIncremental(incrementalFile) {
  let report;
  try {
    report = JSON.parse(readFileSync(incrementalFile, 'utf8'));
  } catch (e) {
    throw new Error(`mutate: ${incrementalFile}: not a Stryker incremental report (${e.message.split('\n')[0]}); delete it to start afresh`);
  }
  if (typeof report !== 'object' || report === null || typeof report.files !== 'object' || report.files === null) {
    throw new Error(`mutate: ${incrementalFile}: not a Stryker incremental report (no "files"); delete it to start afresh`);
  }
  return report;
}

/** Before a run with --retest-timeouts: the timed-out mutants leave the incremental file. Returns a line to print, or null. */
export function prepareTimeoutRetest(incrementalFile) {
  if (!existsSync(incrementalFile)) return null;
  const { report, dropped } = dropTimeouts(readIncremental(incrementalFile));
  writeFileSync(incrementalFile, JSON.stringify(report));
  return `--retest-timeouts: ${dropped} timed-out mutant(s) will be tested again`;
}

/**
 * Before a run: when the tests changed since the run that wrote `incrementalFile` (or that
 * run left no fingerprint), drops its undecided mutants so they are tested again. Returns a
 * line to print, or null when there was nothing to do.
 */
export function prepareIncremental(incrementalFile, fingerprintFile, fingerprint) {
  if (!existsSync(incrementalFile)) return null;
  const before = existsSync(fingerprintFile) ? readFileSync(fingerprintFile, 'utf8').trim() : null;
  if (before === fingerprint) return null;
  const { report: kept, dropped } = dropUndecided(readIncremental(incrementalFile));
  writeFileSync(incrementalFile, JSON.stringify(kept));
  const why = before === null ? 'no record of the tests it ran with' : 'tests changed since its last run';
  return `${why}: ${dropped} surviving or uncovered mutant(s) will be tested again`;
}
