// A temporary folder of a test's own. Test files run side by side (three workers), and several
// make and remove scratch folders in the shared temporary folder, so "nothing left behind" is
// checked in a folder only this test's code uses: os.tmpdir() reads TMPDIR at every call, and
// a test file has its worker process to itself while it runs (TMPDIR is put back after).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs `fn` with TMPDIR pointing at a fresh folder; returns what `fn` left there. */
export async function leftInOwnTmp(fn: () => Promise<void>): Promise<string[]> {
  const own = await mkdtemp(join(tmpdir(), 'own-tmp-'));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = own;
  try {
    await fn();
    return (await readdir(own)).sort();
  } finally {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    await rm(own, { recursive: true, force: true });
  }
}
