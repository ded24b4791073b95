import { parseHeader } from '../skill/index.ts';
import type { SkillProfile } from '../skill/types.ts';
import { unwrapDelegation, unwrapHeartbeat } from '../contract/envelopes.ts';
import type { TurnInput } from '../../sim/world/types.ts';

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
  const body = text.split('\n').slice(header ? 1 : 0).join('\n').trim();
  const first = body.split('\n')[0] ?? '';
  const complete = profile.completionSignal.value;
  if (first.startsWith(complete)) {
    const sha = /\b([0-9a-f]{40})\b/.exec(first)?.[1];
    const reportPath = first
      .slice(complete.length)
      .trim()
      .split(/\s+/)
      .find((t) => t.includes('/') || t.endsWith('.md'));
    return { source, header, kind: 'complete', text: body, ...(sha ? { sha } : {}), ...(reportPath ? { reportPath } : {}) };
  }
  if (/^BLOCKED\b/.test(first)) return { source, header, kind: 'blocked', text: first.slice(7).trim() };
  if (/^STATUS\b/.test(first)) return { source, header, kind: 'status', text: first.slice(6).trim() };
  return { source, header, kind: 'other', text: body };
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
