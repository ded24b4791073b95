// Every template of a skill as the catalogue's happy path fills it: the registration and the
// dispatch the reference leader sends the api worker, the report that worker writes, the
// leader's last journal and its final report. The golden-message test and `compare` read a
// skill's messages from here.

import { TraceModel } from '../../src/invariants/model.ts';
import { ReferenceLeader } from '../../src/leader/index.ts';
import type { Workspace } from '../../src/ports/workspace.ts';
import type { SkillProfile, TemplateKind } from '../../src/skill/types.ts';
import { type Backend, memoryBackend, runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { projectPath } from '../../src/core/project.ts';

const HAPPY = projectPath('scenarios/happy-three.yaml');

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

/** Each template's text in the happy path (empty when the run never produced it). */
export async function canonicalMessages(profile: SkillProfile): Promise<Record<TemplateKind, string>> {
  const reports = new Map<string, string>();
  const scenario = await loadScenario(HAPPY);
  const r = await runScenario({
    scenario,
    profile,
    leader: (env) => new ReferenceLeader(env, new Set()),
    backend: recordingReports(profile.workerReportPath.value, reports),
  });
  const m = new TraceModel(r.events);
  const api = [...m.workers.values()].find((w) => w.role === 'api');
  const to = (kind: string) => (api ? (m.messages.find((x) => x.kind === kind && x.ev.to === api.thread)?.ev.text ?? '') : '');
  return {
    registration: to('registration'),
    dispatch: to('dispatch'),
    report: api ? (reports.get(api.cwd) ?? '') : '',
    state: m.journalWrites().at(-1)?.content ?? '',
    final: m.finalReport?.ev.text ?? '',
  };
}
