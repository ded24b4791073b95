// What a host's prompt limit does to a skill: the messages a run had refused for their size
// (`run --host tui`), and the size of each template's message in a canonical run (`lint --host tui`).

import { TUI_PROMPT_LIMIT_BYTES, TUI_PROMPT_TOO_LONG, utf8Bytes } from '../../src/contract/hosts.ts';
import { TraceModel } from '../../src/invariants/model.ts';
import { ReferenceLeader } from '../../src/leader/index.ts';
import type { SkillProfile, TemplateKind } from '../../src/skill/types.ts';
import { assignmentOf, recognise } from '../../src/skill/views.ts';
import type { TraceEvent } from '../../src/trace/events.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { runScenario } from '../../sim/run.ts';
import { projectPath } from '../../src/core/project.ts';

const SENT: TemplateKind[] = ['registration', 'dispatch'];
export const thousands = (n: number): string => n.toLocaleString('en-US');

/** One line per message a host refused for its size (retries of the same message counted once). */
export function sizeRefusals(events: readonly TraceEvent[]): string[] {
  const m = new TraceModel(events);
  const lines = new Map<string, number>();
  for (const e of events) {
    if (e.kind !== 'tool.call' || e.ok || e.result !== TUI_PROMPT_TOO_LONG) continue;
    const a = e.args as { prompt?: string; threadId?: string };
    const prompt = a.prompt ?? '';
    const seen = recognise(m.forms, prompt, SENT);
    // The message never arrived, so its role is read from the message itself.
    const role = (seen && assignmentOf(seen.reading).role) || (a.threadId && m.workers.get(a.threadId)?.role);
    const to = role || a.threadId || 'a new thread';
    const kind = seen?.kind ?? 'message';
    const line = `the ${kind} to ${to} (${e.tool}): ${thousands(utf8Bytes(prompt))} bytes, over the host's ${thousands(TUI_PROMPT_LIMIT_BYTES)}-byte prompt limit ("${TUI_PROMPT_TOO_LONG}")`;
    lines.set(line, (lines.get(line) ?? 0) + 1);
  }
  return [...lines].map(([line, n]) => (n > 1 ? `${line}, ${n} times` : line));
}

export interface TemplateSize {
  kind: TemplateKind;
  /** The largest rendering of the template in the canonical run, in UTF-8 bytes. */
  bytes: number;
  to: string;
}

const CANONICAL = projectPath('scenarios/happy-three.yaml');

/** Each message template as the reference leader renders it in the catalogue's happy path (on the desktop host). */
export async function renderedSizes(profile: SkillProfile): Promise<TemplateSize[]> {
  const scenario = await loadScenario(CANONICAL);
  const r = await runScenario({ scenario, profile, leader: (env) => new ReferenceLeader(env, new Set()) });
  const m = new TraceModel(r.events);
  const largest = new Map<TemplateKind, TemplateSize>();
  for (const x of m.messages) {
    if (x.ev.from !== m.leader || (x.kind !== 'registration' && x.kind !== 'dispatch')) continue;
    const bytes = utf8Bytes(x.ev.text);
    if (bytes > (largest.get(x.kind)?.bytes ?? -1)) largest.set(x.kind, { kind: x.kind, bytes, to: m.workers.get(x.ev.to)?.role ?? x.ev.to });
  }
  return SENT.flatMap((k) => (largest.has(k) ? [largest.get(k)!] : []));
}
