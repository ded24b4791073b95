import { parseHeader } from '../skill/index.ts';
import { readableLines } from '../skill/form-read.ts';
import { signalOf } from '../skill/views.ts';
import type { SkillProfile } from '../skill/types.ts';
import { unwrapDelegation, unwrapHeartbeat } from '../contract/envelopes.ts';
import type { TurnInput } from '../ports/agent.ts';

// What reaches the leader in a turn, sorted into what it must act on.

export type UserIntent = 'task' | 'confirm' | 'decline' | 'status' | 'cancel';

export interface WorkerSignal {
  source: string;
  /** The header's claim, or null when the message had no header of the skill's form. */
  header: { role: string; threadId: string } | null;
  kind: 'complete' | 'blocked' | 'status' | 'other';
  text: string;
  reportPath?: string;
  sha?: string;
}

export interface Inbox {
  user: { intent: UserIntent; text: string }[];
  workers: WorkerSignal[];
  heartbeats: string[];
}

export function userIntent(text: string): UserIntent {
  if (/\b(cancel|abort)\b/i.test(text) || /\bstop the team\b/i.test(text)) return 'cancel';
  if (/\bstatus\b/i.test(text) && text.length < 200) return 'status';
  if (/^\s*(yes|ok|okay|sure|confirm(ed)?|go ahead|proceed)\b/i.test(text)) return 'confirm';
  if (/^\s*(no|don't|do not)\b/i.test(text)) return 'decline';
  return 'task';
}

export function parseSignal(profile: SkillProfile, source: string, text: string): WorkerSignal {
  const header = parseHeader(profile, text);
  const lines = readableLines(text);
  // The body is what follows the header line (the first line that says anything).
  const at = header ? lines.findIndex((l) => l.trim() !== '') + 1 : 0;
  const body = lines.slice(at).join('\n').trim();
  const sig = signalOf(body, { complete: profile.completionSignal.value, blocked: profile.blockedSignal.value }, profile.workerReportPath.value);
  return { source, header, ...sig, text: sig.kind === 'other' ? body : sig.text };
}

export function sortInputs(profile: SkillProfile, inputs: TurnInput[]): Inbox {
  const inbox: Inbox = { user: [], workers: [], heartbeats: [] };
  for (const i of inputs) {
    if (i.cause === 'user') inbox.user.push({ intent: userIntent(i.text), text: i.text });
    else if (i.cause === 'heartbeat') inbox.heartbeats.push(unwrapHeartbeat(i.text)?.automationId ?? '');
    else {
      const d = unwrapDelegation(i.text);
      if (d) inbox.workers.push(parseSignal(profile, d.source, d.text));
    }
  }
  return inbox;
}
