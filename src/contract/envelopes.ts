// Unwrapping what arrives in a thread: a delegation from another thread, a heartbeat, or
// plain user text.

export interface Delegation {
  source: string;
  text: string;
}

// Whitespace around the envelope (a trailing newline) is not part of it.
const DELEGATION = /^\s*<codex_delegation><source_thread_id>([^<]*)<\/source_thread_id><input>([\s\S]*)<\/input><\/codex_delegation>\s*$/;

export function unwrapDelegation(text: string): Delegation | null {
  const m = DELEGATION.exec(text);
  return m ? { source: m[1]!, text: m[2]! } : null;
}

const HEARTBEAT =
  /^<heartbeat>\s*<automation_id>([^<]*)<\/automation_id>\s*<current_time_iso>([^<]*)<\/current_time_iso>\s*<instructions>\n?([\s\S]*?)\n?\s*<\/instructions>\s*<\/heartbeat>$/;

export function unwrapHeartbeat(text: string): { automationId: string; nowIso: string; instructions: string } | null {
  const m = HEARTBEAT.exec(text);
  return m ? { automationId: m[1]!, nowIso: m[2]!, instructions: m[3]! } : null;
}
