// The temporary folder of a test file. It is made in a hook, not when the module loads: a
// filter (`vitest -t`) that leaves a file no test to run runs none of its hooks either, so a
// folder made at load time was never removed.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** A folder made before the file's first test and removed after its last; read it with the function returned. */
export function scratchFolder(prefix: string): () => string {
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  // Registered first, so run last: after the file's own hooks have stopped what wrote there.
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return () => {
    if (dir === undefined) throw new Error(`scratchFolder(${prefix}): read outside the file's tests`);
    return dir;
  };
}
