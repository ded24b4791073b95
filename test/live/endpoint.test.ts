// `run --leader codex --endpoint URL` against the local model server standing in for a real
// endpoint: one that is rate limited and then fails for good is tried again with backoff and
// then reported as the endpoint's error; a planted API key reaches the endpoint and nothing the
// run keeps. The CLI runs as a child process (as a user runs it) while the stand-in answers here.
// Skipped, with a printed reason, when the codex binary is not installed.

import { mkdtemp, readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findCodexBinary } from '../../src/live/codex-binary.ts';
import { cliChild } from '../support/processes.ts';
import { assistantMessage, type Brain, type ModelServer, StatusReply, startModelServer } from '../../src/live/model-server.ts';
import { scratchFolder } from '../support/scratch-folder.ts';

const binary = findCodexBinary();
if (!binary) console.log('[live] codex binary not installed (optional dependency @openai/codex): the endpoint tests are skipped');

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const scratch = scratchFolder('endpoint-');
const servers: ModelServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function endpoint(brain: Brain): Promise<ModelServer> {
  const s = await startModelServer({ brain });
  servers.push(s);
  return s;
}

const cli = (args: string[], env: Record<string, string>) => cliChild(args, { cwd: ROOT, env });

/** Every file under `dir`, with its text. */
async function files(dir: string): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push([join(e.parentPath, e.name), await readFile(join(e.parentPath, e.name), 'latin1')]);
  }
  return out;
}

describe.skipIf(!binary)('a real endpoint, stood in for by the local model server', () => {
  it('rate limited, then failing for good: tried again with backoff, then reported as the endpoint failing (exit 2), not as the leader', {
    timeout: 120_000,
  }, async () => {
    let n = 0;
    const flaky = await endpoint(() => {
      n++;
      throw n === 1 ? new StatusReply(429, 'rate limited', { 'retry-after': '0' }) : new StatusReply(500, 'the model is down');
    });
    const r = await cli(['run', 'scenarios/happy-three.yaml', '--leader', 'codex', '--endpoint', flaky.baseUrl, '--api-key-env', 'TTS_FAKE_KEY'], {
      TTS_FAKE_KEY: 'x',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^thread-team-sim: --endpoint: the model endpoint failed: ${flaky.baseUrl.replace(/\./g, '\\.')}: upstream answered 500 \\(after 4 tries\\): .*the model is down`,
      ),
    );
    // The first request was tried four times: the 429, then three 500s.
    expect(flaky.requests.length).toBeGreaterThanOrEqual(4);
  });

  it('a planted API key reaches the endpoint and nothing the run keeps (trace, cassette, repository, Codex home and rollouts)', {
    timeout: 120_000,
  }, async () => {
    const KEY = `sk-planted-${Date.now().toString(36)}-do-not-keep`;
    const real = await endpoint(() => [assistantMessage('I will not lead a team today.')]);
    const out = await mkdtemp(join(scratch(), 'kept-'));
    const r = await cli(
      [
        'run',
        'scenarios/happy-three.yaml',
        // A seed of its own: a recording claims one folder per scenario and seed, and the
        // Codex leader tests record happy-three's seed 1 at the same time.
        '--seed',
        '7',
        '--leader',
        'codex',
        '--endpoint',
        real.baseUrl,
        '--api-key-env',
        'TTS_PLANTED_KEY',
        '--record',
        join(out, 'cassette.json'),
        '--trace',
        join(out, 'trace.jsonl'),
        '--keep',
      ],
      { TTS_PLANTED_KEY: KEY },
    );
    // The key was used...
    expect(
      real.requests.map((q) => q.headers.authorization),
      r.stderr,
    ).toContain(`Bearer ${KEY}`);
    const kept = /kept: the run's repository at (\S+), its Codex home at (\S+)/.exec(r.stderr);
    expect(kept, r.stderr).not.toBeNull();
    try {
      const all = [...(await files(out)), ...(await files(kept![1]!)), ...(await files(kept![2]!))];
      expect(all.some(([f]) => f.endsWith('.jsonl') && f.includes('rollout-'))).toBe(true);
      expect(all.length).toBeGreaterThan(10);
      // ...and is in nothing kept.
      expect(all.filter(([, text]) => text.includes(KEY) || text.includes(KEY.slice(3, 20))).map(([f]) => f)).toEqual([]);
    } finally {
      await rm(kept![1]!, { recursive: true, force: true });
      await rm(kept![2]!, { recursive: true, force: true });
      // A recording's scratch has a fixed path in a shared parent, which goes once it is empty.
      await rmdir(dirname(kept![1]!)).catch(() => undefined);
    }
  });
});
