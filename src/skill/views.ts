// What a filled-in template says, whatever the skill's layout: the worker's assignment in a
// registration or dispatch, a worker's report, a journal's run status, the final report's
// outcome and accounting, a worker's signal. The simulated workers, the reference leader and
// every invariant read messages and files through these, so a text a model rewrote (fields
// reordered, lists renumbered, prose added) is understood the same everywhere.

import { type Form, formOf } from './form.ts';
import { type FormReading, type Row, readForm, readableLines, rowsOf, slotItems, slotValue } from './form-read.ts';
import { labelled, listItems, plain, stripMarker } from './lines.ts';
import type { Template, TemplateKind } from './types.ts';

export type Forms = Record<TemplateKind, Form>;

export function formsOf(templates: Record<TemplateKind, Pick<Template, 'file' | 'line' | 'text'>>): Forms {
  const out = {} as Forms;
  for (const kind of Object.keys(templates) as TemplateKind[]) {
    const t = templates[kind];
    out[kind] = formOf(kind, t.file, t.line, t.text);
  }
  return out;
}

/** Below this share of its anchors found, a text is not taken for a form. */
export const RECOGNISE_AT = 0.6;

/**
 * Which of the given forms a text is (the one with the most of its anchors found), with its
 * reading; null when none reaches RECOGNISE_AT.
 */
export function recognise(forms: Forms, text: string, kinds: TemplateKind[]): { kind: TemplateKind; reading: FormReading } | null {
  let best: { kind: TemplateKind; reading: FormReading } | null = null;
  for (const kind of kinds) {
    const reading = readForm(forms[kind], text);
    if (reading.score < RECOGNISE_AT) continue;
    if (!best || reading.score > best.reading.score || (reading.score === best.reading.score && reading.found > best.reading.found)) best = { kind, reading };
  }
  return best;
}

export interface RosterEntry {
  role: string;
  threadId: string;
}

const ID = /^[0-9a-zA-Z_-]{6,}$/;

/** Roster lines as people write them: `role | id`, `role: id / branch / …`, `role (thread ID: id)`. */
export function parseRosterText(value: string | undefined): RosterEntry[] {
  const out: RosterEntry[] = [];
  for (const line of listItems(value)) {
    // Sticky (y): the match starts at the start of the line, as ^ would say; without the
    // anchor a match further in would mean one from the start anyway (the lazy role taking
    // the rest), so a ^ could be dropped with no test seeing it.
    const m = /(.+?)\s*(?:\||\(thread ID:|\(|:)\s*([0-9a-zA-Z_-]{6,})\)?/y.exec(line);
    // Stryker disable next-line MethodExpression: list items come trimmed and the lazy role leaves the white space before the separator to \s*; an id holds none
    if (m) out.push({ role: m[1]!.trim(), threadId: m[2]!.trim() });
  }
  return out;
}

/** The roster a message names: its roster rows (and a fixed Leader row), else its roster text. */
export function rosterOf(r: FormReading): RosterEntry[] {
  const rows = rowsOf(r, 'roster');
  const out: RosterEntry[] = [];
  const leaderId = r.subjects.leader?.values['leader-thread-id'] ?? (rows.length ? r.values['leader-thread-id'] : undefined);
  if (leaderId && ID.test(leaderId)) out.push({ role: 'leader', threadId: leaderId });
  for (const row of rows) {
    const id = row.values['worker-thread-id'] ?? row.values['thread-id'];
    const role = row.values.role;
    if (role && id && ID.test(id)) out.push({ role: plain(role), threadId: id });
    else out.push(...parseRosterText(row.text));
  }
  if (rows.length === 0) out.push(...parseRosterText(r.values.roster));
  const seen = new Set<string>();
  return out.filter((e) => {
    if (seen.has(e.threadId)) return false;
    seen.add(e.threadId);
    return true;
  });
}

const PATH = /(?:^|[\s,;(`'"])((?:[\w.-]+\/)+[\w.-]+|[\w-]+\.[a-z]{1,6})(?=$|[\s,;:)`'"])/g;

/** File paths named in a text (`src/api/billing.ts`, `README.md`). */
export function pathsIn(text: string | undefined): string[] {
  if (!text) return [];
  const out: string[] = [];
  for (const m of text.matchAll(PATH)) {
    const p = m[1]!.replace(/\.$/, '');
    if (!out.includes(p) && !/^\d/.test(p)) out.push(p);
  }
  return out;
}

/** Per role, the files an ownership map (`- api: src/api/billing.ts, …`) gives it. */
function ownershipMap(r: FormReading): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const text = slotValue(r, 'ownership');
  // Stryker disable next-line ArrayDeclaration: the stand-in line has no colon, so no label, as with no line
  for (const line of text ? text.split('\n') : []) {
    const lab = labelled(line);
    if (lab) out.set(lab.key, pathsIn(lab.rest));
  }
  return out;
}

/** What a worker learns of its job from its registration and dispatch. */
export interface Assignment {
  role: string;
  self: string;
  leader: string;
  branch: string;
  dir: string;
  base: string;
  integration: string;
  scope: string;
  owned: string[];
  notOwned: string[];
  verification: string[];
  roster: RosterEntry[];
  collaborators: string[];
  reportPath: string;
  notesPath: string;
}

/** The assignment a registration or dispatch gives (fields it lacks stay undefined). */
export function assignmentOf(r: FormReading): Partial<Assignment> {
  const v = r.values;
  const roster = rosterOf(r);
  const role = v.role ? plain(v.role) : undefined;
  const owners = ownershipMap(r);
  const own = role ? (owners.get(role.toLowerCase()) ?? []) : [];
  const others = [...owners.entries()].filter(([k]) => k !== role?.toLowerCase() && roster.some((e) => e.role.toLowerCase() === k)).flatMap(([, ps]) => ps);
  const owned = uniq([...listItems(v['owned-files']).flatMap((l) => (pathsIn(l).length ? pathsIn(l) : [l])), ...own]);
  const out: Partial<Assignment> = {
    ...(role ? { role } : {}),
    ...(v['worker-thread-id'] ? { self: v['worker-thread-id'] } : {}),
    ...(v['leader-thread-id'] ? { leader: v['leader-thread-id'] } : {}),
    ...(v.branch ? { branch: v.branch } : {}),
    ...(v['working-directory'] ? { dir: v['working-directory'] } : {}),
    ...(v['base-commit'] ? { base: v['base-commit'] } : {}),
    ...(v['integration-branch'] ? { integration: v['integration-branch'] } : {}),
    ...(v.scope ? { scope: v.scope } : {}),
    owned: owned.length ? owned : pathsIn(v.scope),
    notOwned: uniq([...listItems(v['not-owned-files']).flatMap((l) => (pathsIn(l).length ? pathsIn(l) : [l])), ...others]),
    verification: slotItems(r, 'verification-commands'),
    roster,
    collaborators: collaboratorsOf(slotValue(r, 'collaborators'), roster),
    ...(v['report-path'] ? { reportPath: v['report-path'] } : {}),
    ...(v['notes-path'] ? { notesPath: v['notes-path'] } : {}),
  };
  return out;
}

/** Peer roles a dispatch names as collaborators: each item's lead word when it is a roster role. */
export function collaboratorsOf(text: string | undefined, roster: RosterEntry[]): string[] {
  const roles = new Set(roster.map((e) => e.role.toLowerCase()));
  return uniq(
    listItems(text).map((item) => {
      const lead = /^[a-z][\w-]*/i.exec(item)?.[0].toLowerCase();
      return lead && (roles.has(lead) || roles.size === 0) ? lead : item;
    }),
  );
}

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** What a worker's report says that the leader acts on. */
export interface ReportView {
  commit: string | undefined;
  summary: string | undefined;
  verification: string;
  /** The verification it reports failed (`exit 1`, `FAIL`, `failed`). */
  failed: boolean;
}

export function reportOf(r: FormReading): ReportView {
  const verification = slotValue(r, 'verification-results') ?? '';
  const sha = r.values['commit-sha']?.match(/\b[0-9a-f]{7,40}\b/)?.[0];
  return {
    commit: sha,
    summary: r.values.summary,
    verification,
    failed: /\bexit [1-9]|\bfail(ed|s|ure)?\b/i.test(verification) && !/\b0 fail/i.test(verification),
  };
}

/** A journal's run status: complete, aborted (with its reason), or something still running. */
export interface StateView {
  status: string;
  reason: string;
}

export function stateOf(r: FormReading): StateView {
  // `aborted` then the reason on the next line, or on the same line after `:`, `;` or a dash.
  const raw = plain(stripMarker((r.values.status ?? '').trim().replace(/\n+/g, '; ')));
  const m = /^([\w-]+)\s*(?:[:;—–(-]\s*(.*?)\)?)?$/.exec(raw);
  const word = (m?.[1] ?? raw).toLowerCase();
  const status = /^abort/.test(word) ? 'aborted' : /^complete/.test(word) ? 'complete' : word;
  const reason = (r.values.reason ?? m?.[2] ?? '').trim();
  return { status, reason };
}

/** What the final report says: the outcome, and per role, why its task was not integrated. */
export interface FinalView {
  outcome: 'complete' | 'aborted' | 'other';
  /** Role → the reason given for not integrating its task. */
  excluded: Map<string, string>;
}

export function finalOf(r: FormReading, text: string): FinalView {
  const said = r.values.outcome ?? '';
  // A template without an outcome field: the report says it in words (a leader that aborts says so).
  const words = said || readableLines(text).join('\n');
  const outcome = /\b(abort(ed)?|cancel(l?ed)?)\b/i.test(words) ? 'aborted' : /\bcomplete/i.test(words) ? 'complete' : 'other';
  const excluded = new Map<string, string>();
  for (const line of slotItems(r, 'excluded')) {
    // An item line holds no line break (plain made all white space one space), so .* runs to its end.
    const m = /^([a-z][\w-]*)\s*(?::|—|–|-|\()\s*(.*)/i.exec(line);
    if (m) excluded.set(m[1]!.toLowerCase(), m[2]!.replace(/\)$/, '').trim());
  }
  for (const row of rowsOf(r, 'roster')) excludedRow(row, excluded);
  return { outcome, excluded };
}

/** A team-records row whose final status says excluded: its result is the reason. */
function excludedRow(row: Row, into: Map<string, string>): void {
  const role = row.values.role ? plain(row.values.role).toLowerCase() : null;
  if (!role) return;
  const status = Object.values(row.holes).find((v) => /^(excluded|not[- ]integrated|dropped)$/i.test(v.trim()));
  if (!status) return;
  const reason = (row.values.outcome ?? row.values.summary ?? row.values.reason ?? '').trim();
  // A row without a reason keeps the one the excluded list gave.
  into.set(role, reason || into.get(role) || '');
}

/** A worker's signal: completion, blocked, a status line, or anything else. */
export interface Signal {
  kind: 'complete' | 'blocked' | 'status' | 'other';
  /** The line that carries it (decoration removed), or the whole body for `other`. */
  text: string;
  reportPath?: string;
  sha?: string;
}

const SHA = /\b([0-9a-f]{40})\b/;

/**
 * Reads a worker's message body (the header line already removed): the first line that starts
 * with a signal word, else a completion by structure (a report path and a commit SHA).
 */
export function signalOf(body: string, words: { complete: string; blocked: string }, reportPath: string): Signal {
  const lines = readableLines(body)
    .map((l) => plain(stripMarker(l)))
    .filter((l) => l !== '');
  const starts = (l: string, w: string) => new RegExp(`^${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(l);
  for (const l of lines) {
    if (starts(l, words.complete)) return complete(l.slice(words.complete.length), l);
    if (starts(l, words.blocked))
      return {
        kind: 'blocked',
        // plain trimmed the line's end; the replace strips the start.
        text: l.slice(words.blocked.length).replace(/^[\s:—–-]+/, ''),
      };
    if (/^status\b/i.test(l))
      return {
        kind: 'status',
        text: l.slice(6).replace(/^[\s:—–-]+/, ''),
      };
  }
  const all = lines.join('\n');
  if (SHA.test(all) && (all.includes(reportPath) || /report\S*\.md/.test(all)) && !/\bblock/i.test(all)) return complete(all, all);
  return { kind: 'other', text: lines.join('\n') };
}

function complete(rest: string, line: string): Signal {
  const sha = SHA.exec(rest)?.[1];
  const reportPath = rest
    // Lines were made plain (one space between words) and joined with one line break.
    .split(/\s/)
    .map((t) => t.replace(/^[`'"(]+|[`'",.;:)]+$/g, ''))
    .find((t) => t.includes('/') || t.endsWith('.md'));
  return { kind: 'complete', text: line, ...(sha ? { sha } : {}), ...(reportPath ? { reportPath } : {}) };
}
