// An interrupt while `codex app-server` is still starting: the server is stopped before the
// Codex home it works in is removed, so nothing is written into the home after its removal.
// In a file of its own: teardownAll() ends this test process's whole teardown registry.
// Skipped, with a printed reason, when the codex binary is not installed.

import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { teardownAll } from '../../src/core/teardown.ts';
import { AppServer } from '../../src/live/app-server.ts';
import { findCodexBinary } from '../../src/live/codex-binary.ts';
import { makeCodexHome } from '../../src/live/codex-home.ts';

const binary = findCodexBinary();
if (!binary) console.log('[live] codex binary not installed (optional dependency @openai/codex): the start-up interrupt test is skipped');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(!binary)('an interrupt while app-server starts', () => {
  it('stops the server first, then removes its home, and leaves neither', { timeout: 60_000 }, async () => {
    const home = await makeCodexHome({ modelBaseUrl: 'http://127.0.0.1:9/v1' });
    const starting = AppServer.start({ binary: binary!, cwd: home.workDir, env: home.env });
    const outcome = starting.then(
      (app) => app,
      (e: Error) => e,
    );
    // Not awaited: the interrupt comes while the handshake is in flight.
    expect(await teardownAll()).toEqual([]);
    const started = await outcome;
    if (started instanceof AppServer) expect(alive(started.pid!)).toBe(false);
    else expect(started.message).toMatch(/app-server exited/);
    await new Promise((r) => setTimeout(r, 500));
    expect(existsSync(home.root)).toBe(false);
  });
});
