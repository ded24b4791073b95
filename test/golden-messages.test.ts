// Golden messages: every template of skill/ as the reference leader and a diligent worker fill
// it in the catalogue's happy path, stored under test/golden/. A template edit shows here as a
// failing test with the diff of what workers (or the leader's journal, or the person) will now
// read, until the author accepts it: `npx vitest run test/golden-messages.test.ts -u`.

import { describe, expect, it } from 'vitest';
import { TraceModel } from '../src/invariants/model.ts';
import type { Workspace } from '../src/ports/workspace.ts';
import { memoryBackend, type Backend } from '../sim/run.ts';
import { lazy } from './support/lazy.ts';
import { runReference } from './support/run.ts';
import { skillProfile } from './support/scripted-leader.ts';

/** The memory backend, keeping the last text each worker wrote to its report file (the trace does not carry it). */
function recordingReports(reportPath: string, into: Map<string, string>): Backend {
  return {
    name: 'memory+reports',
    async prepare(s, now, seed) {
      const made = await memoryBackend.prepare(s, now, seed);
      const ws = made.ws;
      const writeFile: Workspace['writeFile'] = async (dir, path, content) => {
        if (path === reportPath) into.set(dir, content);
        return ws.writeFile(dir, path, content);
      };
      return { ...made, ws: new Proxy(ws, { get: (t, k) => (k === 'writeFile' ? writeFile : Reflect.get(t, k)) }) };
    },
  };
}

const run = lazy(async () => {
  const profile = await skillProfile();
  const reports = new Map<string, string>();
  const r = await runReference('happy-three', { profile, backend: recordingReports(profile.workerReportPath.value, reports) });
  const m = new TraceModel(r.events);
  const api = [...m.workers.values()].find((w) => w.role === 'api')!;
  const to = (kind: string) => m.messages.find((x) => x.kind === kind && x.ev.to === api.thread)!.ev.text;
  return {
    registration: to('registration'),
    dispatch: to('dispatch'),
    report: reports.get(api.cwd)!,
    state: m.journalWrites().at(-1)!.content!,
    final: m.finalReport!.ev.text,
  };
});

describe('golden messages of skill/ (the happy path, worker api)', () => {
  for (const kind of ['registration', 'dispatch', 'report', 'state', 'final'] as const) {
    it(`${kind}`, async () => {
      const text = (await run())[kind];
      expect(text.length).toBeGreaterThan(100);
      await expect(text.endsWith('\n') ? text : `${text}\n`).toMatchFileSnapshot(`golden/${kind}.md`);
    });
  }
});
