// What arrives in a thread besides user text: a delegation from another thread, or a
// heartbeat. Built and read here only, so the simulator and the checkers agree on them.

export interface Delegation {
  source: string;
  text: string;
}

// Read forgivingly: any whitespace between the tags and around the envelope (a trailing
// newline), our older one-line form included.
const DELEGATION = /^\s*<codex_delegation>\s*<source_thread_id>([^<]*)<\/source_thread_id>\s*<input>([\s\S]*)<\/input>\s*<\/codex_delegation>\s*$/;

// Codex escapes these three in the source id and the text, and unescapes them in this order.
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const unescapeXml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** A message from thread `source`, as the receiving thread sees it: Codex's envelope, to the byte. */
export function delegationEnvelope(source: string, text: string): string {
  return `<codex_delegation>\n  <source_thread_id>${escapeXml(source)}</source_thread_id>\n  <input>${escapeXml(text)}</input>\n</codex_delegation>`;
}

export function unwrapDelegation(text: string): Delegation | null {
  const m = DELEGATION.exec(text);
  return m ? { source: unescapeXml(m[1]!), text: unescapeXml(m[2]!) } : null;
}

const HEARTBEAT =
  /^<heartbeat>\s*<automation_id>([^<]*)<\/automation_id>\s*<current_time_iso>([^<]*)<\/current_time_iso>\s*<instructions>\n?([\s\S]*?)\n?\s*<\/instructions>\s*<\/heartbeat>$/;

/** A heartbeat turn's input, as the automation scheduler starts it. */
export function heartbeatEnvelope(automationId: string, nowIso: string, instructions: string): string {
  return `<heartbeat>\n  <automation_id>${automationId}</automation_id>\n  <current_time_iso>${nowIso}</current_time_iso>\n  <instructions>\n${instructions}\n  </instructions>\n</heartbeat>`;
}

export function unwrapHeartbeat(text: string): { automationId: string; nowIso: string; instructions: string } | null {
  const m = HEARTBEAT.exec(text);
  return m ? { automationId: m[1]!, nowIso: m[2]!, instructions: m[3]! } : null;
}
