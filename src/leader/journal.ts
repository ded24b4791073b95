import { fillForm, type FillRow, type FillValues } from '../skill/form-fill.ts';
import { formOf, formSlots } from '../skill/form.ts';
import { readForm, slotItems } from '../skill/form-read.ts';
import { type StateView, stateOf } from '../skill/views.ts';
import type { SkillProfile } from '../skill/types.ts';
import type { Workspace } from '../ports/workspace.ts';
import { type RunState, type WorkerRecord, current, newWorker } from './state.ts';

// The journal is the skill's leader-state template, filled in for people and for the
// checkers (whatever its layout: headed sections, labelled fields, a roster table), and
// after it, in an HTML comment that a rendered view hides, the reference leader's own
// ledger: every field of its state, one record a line, which is what it reads back after
// losing its context. A journal a model rewrote (fields moved, lists renumbered) still reads
// back: the ledger is kept whole, and the decisions are read from the form by its labels.

export class JournalError extends Error {
  override name = 'JournalError';
}

export function journalPath(profile: SkillProfile, leader: string): string {
  return profile.journalPath.value.replace(/<[^>]+>/, leader);
}

const LEDGER = 'reference-leader ledger';
/**
 * A value on one ledger line: only what would break the line is escaped, so paths stay readable.
 * Percent-encoded as UTF-8, so that any space (a no-break space in a worker's words too) decodes.
 */
const enc = (v: unknown) => {
  const s = String(v);
  // Most values need no escape (a test allocates nothing); the others (the task, a reason) come
  // back at every write, and a replace with a callback is dear: their escapes are kept.
  if (!BREAK.test(s)) return s;
  let e = escapes.get(s);
  if (e === undefined) {
    if (escapes.size > 10_000) escapes.clear();
    escapes.set(s, (e = s.replace(BREAKS, encodeURIComponent)));
  }
  return e;
};
/** What would break a ledger line: `%` (the escape itself), white space, and `>` (ends the comment). */
const BREAK = /[%\s>]/;
const BREAKS = new RegExp(BREAK.source, 'g');
const escapes = new Map<string, string>();
/** `key=value` pairs in the record's own order (a ledger line is rebuilt at every journal write). */
const fields = (o: Record<string, unknown>) => {
  let line = '';
  for (const k of Object.keys(o)) line += `${line === '' ? '' : ' '}${k}=${enc(o[k])}`;
  return line;
};

function parseFields(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of line.trim().split(/\s+/).slice(1)) {
    const eq = kv.indexOf('=');
    if (eq <= 0) continue;
    const v = kv.slice(eq + 1);
    out[kv.slice(0, eq)] = v.includes('%') ? decodeURIComponent(v) : v;
  }
  return out;
}

/** The words an enumeration may offer for each of the leader's own states, best first. */
const WORDS: Record<string, string[]> = {
  pending: ['registered', 'pending', 'not-started'],
  created: ['registered', 'created'],
  registered: ['registered'],
  dispatched: ['dispatched', 'running'],
  started: ['running', 'started'],
  reported: ['reported', 'received'],
  rework: ['running', 'dispatched'],
  merged: ['integrated', 'merged', 'received'],
  replaced: ['archived', 'replaced'],
  excluded: ['archived', 'excluded'],
  stopped: ['archived', 'stopped'],
  complete: ['complete'],
  aborted: ['aborted'],
  aborting: ['pending'],
  running: ['pending', 'running'],
  merging: ['pending', 'merging'],
  'awaiting-confirmation': ['pending'],
  declined: ['aborted', 'pending'],
};

/** Picks the option an enumeration offers for a state word; yes/no answers by the label's subject. */
function chooser(st: RunState): (options: string[], ctx: { label: string | null; value: string | undefined }) => string {
  const terminal = st.status === 'complete' || st.status === 'aborted';
  return (options, { label, value }) => {
    const word = (value ?? '').split('\n')[0]!.trim();
    // Own keys only: a phase called `constructor` is a word, not Object's method.
    for (const w of Object.hasOwn(WORDS, word) ? WORDS[word]! : [word]) if (options.includes(w)) return w;
    const l = (label ?? '').toLowerCase();
    if (options.includes('yes')) {
      if (/heartbeat|automation/.test(l)) return terminal && !st.heartbeat ? 'yes' : options.includes('no') ? 'no' : options[0]!;
      if (/worktree/.test(l)) return st.keepWorktrees && options.includes('n-a') ? 'n-a' : terminal ? 'yes' : options.includes('no') ? 'no' : options[0]!;
    }
    if (/phase|mode/.test(l)) {
      if (options.includes('complete') && (terminal || st.status === 'merging')) return 'complete';
      const gate = current(st).some((w) => ['pending', 'created', 'registered', 'dispatched'].includes(w.state));
      return options.find((o) => (gate ? /gate|start/ : /heartbeat|poll/).test(o)) ?? options[0]!;
    }
    return options[0]!;
  };
}

function rosterRow(w: WorkerRecord, scope: string): FillRow {
  return {
    text: `${w.role} | ${w.thread || '-'} | ${w.branch || '-'} | ${w.dir || '-'} | ${w.base || '-'} | ${w.state}`,
    role: w.role,
    'thread-id': w.thread || w.pending || '-',
    'worker-thread-id': w.thread || w.pending || '-',
    branch: w.branch || '-',
    'working-directory': w.dir || '-',
    'base-commit': w.base || '-',
    scope,
    startup: w.state === 'replaced' ? 'replaced' : ['pending', 'created', 'registered', 'dispatched'].includes(w.state) ? 'not-started' : 'started',
    status: w.state,
  };
}

export interface JournalContext {
  /** The leader's checkout. */
  repoRoot?: string;
  /** Each role's scope, for the roster's responsibility column. */
  scopes?: Record<string, string>;
  /** Each role's collaborators, for a dependency map. */
  collaborators?: Record<string, string[]>;
}

/** The template's values for a run state. */
function values(profile: SkillProfile, st: RunState, ctx: JournalContext): FillValues {
  const scope = (role: string) => ctx.scopes?.[role] ?? role;
  const cur = current(st);
  const deps = Object.entries(ctx.collaborators ?? {}).flatMap(([role, peers]) => peers.map((p) => `${role} works with ${p}`));
  return {
    'leader-thread-id': st.leader,
    'integration-branch': st.integration,
    'repo-path': ctx.repoRoot ?? '.',
    task: st.task,
    model: st.model,
    thinking: st.thinking,
    settings: [`model: ${st.model}`, `thinking: ${st.thinking}`, `integration branch: ${st.integration}`, `keep worktrees: ${st.keepWorktrees}`].join('\n'),
    status: st.reason ? `${st.status}\n${st.reason}` : st.status,
    reason: st.reason || (st.status === 'complete' ? 'the final review passed and cleanup is done' : 'in progress'),
    phase: st.phase,
    'updated-at': st.updatedAt,
    roster: st.workers.map((w) => rosterRow(w, scope(w.role))),
    retired: st.workers
      .filter((w) => w.state === 'replaced')
      .map((w) => ({
        text: `${w.role} #${w.n} (${w.thread}): replaced: ${w.why}`,
        role: `${w.role} #${w.n} (${w.thread})`,
        replacement: `${w.role} #${w.n + 1}`,
        reason: w.why,
      })),
    dependencies: deps.length ? deps : ['none: the areas are independent'],
    decisions: st.decisions,
    heartbeat: st.heartbeat ? `${st.heartbeat.id} | ${st.heartbeat.status}` : 'none',
    'last-wake': st.updatedAt || 'none',
    'next-wake': st.heartbeat?.status === 'ACTIVE' ? `in about ${profile.heartbeat.value.minutes} min` : 'none',
    awaiting:
      cur
        .filter((w) => ['dispatched', 'started', 'rework'].includes(w.state))
        .map((w) => w.role)
        .join(', ') || 'none',
    'stall-watch':
      cur
        .filter((w) => w.silent > 0)
        .map((w) => `${w.role}: ${w.silent} passes`)
        .join('; ') || 'none',
    reports: cur
      .filter((w) => w.thread)
      .map((w) => ({
        role: w.role,
        status: ['reported', 'merged'].includes(w.state) ? 'received' : 'pending',
        'commit-sha': w.sha || 'none',
        'working-directory': w.dir || '-',
        text: `${w.role}: ${w.sha || 'pending'}`,
      })),
    merges: st.merges.map((m) => ({
      text: `${m.role} | ${m.branch} | ${m.sha} | ${m.tests}`,
      role: m.role,
      branch: m.branch,
      'commit-sha': m.sha,
      review: 'report read, diff reviewed',
      'merge-result': `merged at ${m.sha.slice(0, 12)}`,
      'verification-results': m.tests,
    })),
    'next-action': st.next,
  };
}

function ledger(st: RunState, keepDecisions: boolean): string {
  const lines = [
    `<!-- ${LEDGER}: the leader's own state, read back after a lost context`,
    `run ${fields({ leader: st.leader, status: st.status, reason: st.reason, phase: st.phase, updatedAt: st.updatedAt, task: st.task, model: st.model, thinking: st.thinking, integration: st.integration, keepWorktrees: st.keepWorktrees, heartbeat: st.heartbeat ? `${st.heartbeat.id}:${st.heartbeat.status}` : '', next: st.next })}`,
    ...st.workers.map((w) => `worker ${fields(w as unknown as Record<string, unknown>)}`),
    ...st.merges.map((m) => `merge ${fields(m)}`),
    ...(keepDecisions ? st.decisions.map((d) => `decision ${fields({ text: d })}`) : []),
    '-->',
  ];
  return lines.join('\n');
}

function stateForm(profile: SkillProfile) {
  const t = profile.templates.state;
  return formOf('state', t.file, t.line, t.text);
}

/** Whether the template has a place for the decision log (then the decisions live there). */
function formKeepsDecisions(profile: SkillProfile): boolean {
  // Asked at every journal write and read: the answer is the template's, so it is kept.
  let keeps = keepsDecisions.get(profile);
  if (keeps === undefined) keepsDecisions.set(profile, (keeps = formSlots(stateForm(profile)).has('decisions')));
  return keeps;
}
const keepsDecisions = new WeakMap<SkillProfile, boolean>();

export function renderJournal(profile: SkillProfile, st: RunState, ctx: JournalContext = {}): string {
  const text = fillForm(stateForm(profile), values(profile, st, ctx), { free: () => '-', choose: chooser(st) });
  return `${text}\n\n${ledger(st, !formKeepsDecisions(profile))}`;
}

export function parseJournal(profile: SkillProfile, text: string, where: string): RunState {
  const start = text.indexOf(`<!-- ${LEDGER}`);
  const end = start < 0 ? -1 : text.indexOf('-->', start);
  if (start < 0 || end < 0) throw new JournalError(`${where}: no ${LEDGER} in it (not a journal this leader wrote)`);
  const lines = text.slice(start, end).split('\n').slice(1);
  const run = lines.find((l) => l.startsWith('run '));
  if (!run) throw new JournalError(`${where}: the ledger has no run record`);
  const r = parseFields(run);
  const [hbId, hbStatus] = (r.heartbeat ?? '').split(':');
  const workers = lines
    .filter((l) => l.startsWith('worker '))
    .map((l) => {
      const f = parseFields(l);
      const w = newWorker(f.role ?? '', 1);
      for (const [k, v] of Object.entries(f)) {
        const cur = (w as unknown as Record<string, unknown>)[k];
        if (cur === undefined) continue;
        (w as unknown as Record<string, unknown>)[k] = typeof cur === 'number' ? Number(v) : typeof cur === 'boolean' ? v === 'true' : v;
      }
      return w;
    });
  const decisions = formKeepsDecisions(profile)
    ? slotItems(readForm(stateForm(profile), text.slice(0, start)), 'decisions')
    : lines.filter((l) => l.startsWith('decision ')).map((l) => parseFields(l).text ?? '');
  return {
    leader: r.leader ?? '',
    status: (r.status ?? 'running') as RunState['status'],
    reason: r.reason ?? '',
    phase: r.phase ?? '',
    updatedAt: r.updatedAt ?? '',
    task: r.task ?? '',
    model: r.model ?? '',
    thinking: r.thinking ?? '',
    integration: r.integration ?? '',
    keepWorktrees: r.keepWorktrees === 'true',
    workers,
    heartbeat: hbId ? { id: hbId, status: hbStatus === 'PAUSED' ? 'PAUSED' : 'ACTIVE' } : null,
    merges: lines
      .filter((l) => l.startsWith('merge '))
      .map((l) => {
        const f = parseFields(l);
        return { role: f.role ?? '', branch: f.branch ?? '', sha: f.sha ?? '', tests: f.tests ?? '' };
      }),
    decisions: decisions.filter((d) => !/^-?$/.test(d)),
    next: r.next ?? '',
  };
}

/** A journal's run status as its template says it (any run's, this leader's or another's). */
export function journalStatus(profile: SkillProfile, text: string): StateView {
  return stateOf(readForm(stateForm(profile), text));
}

/** Reads and writes one run's journal in the leader's checkout. */
export class Journal {
  readonly path: string;
  constructor(
    private readonly ws: Workspace,
    private readonly root: string,
    private readonly profile: SkillProfile,
    leader: string,
    private readonly ctx: JournalContext = {},
  ) {
    this.path = journalPath(profile, leader);
  }

  async read(): Promise<RunState | null> {
    const text = await this.ws.readFile(this.root, this.path);
    return text === null ? null : parseJournal(this.profile, text, this.path);
  }

  async write(st: RunState): Promise<void> {
    await this.ws.writeFile(this.root, this.path, `${renderJournal(this.profile, st, { repoRoot: this.root, ...this.ctx })}\n`);
  }
}
