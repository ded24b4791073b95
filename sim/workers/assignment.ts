// What a simulated worker knows of its job, read from the registration and dispatch it
// received by un-rendering the skill's own templates: if the leader did not send them
// verbatim, a worker cannot understand them (and says so).

export interface RosterEntry {
  role: string;
  threadId: string;
}

export interface Assignment {
  role: string;
  self: string;
  leader: string;
  branch: string;
  dir: string;
  base: string;
  scope: string;
  owned: string[];
  notOwned: string[];
  verification: string[];
  roster: RosterEntry[];
  collaborators: string[];
  reportPath: string;
  notesPath: string;
}

/** Lines of a list value: bullets, numbering and backticks stripped; `none` means empty. */
export function listItems(value: string | undefined): string[] {
  if (!value) return [];
  // A list in an inline hole comes folded onto one line, joined by `; `.
  return value
    .split(/\n|; /)
    .map((l) => l.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, '').replace(/`/g, '').trim())
    .filter((l) => l !== '' && !/^\(?none\)?\.?$/i.test(l));
}

/** Roster lines as the leader writes them: `role | thread-id`, or `role (thread ID: id)`. */
export function parseRoster(value: string | undefined): RosterEntry[] {
  const out: RosterEntry[] = [];
  for (const line of listItems(value)) {
    const m = /^(.+?)\s*(?:\||\(thread ID:|:)\s*([0-9a-zA-Z_-]{6,})\)?/.exec(line);
    if (m) out.push({ role: m[1]!.trim(), threadId: m[2]!.trim() });
  }
  return out;
}
