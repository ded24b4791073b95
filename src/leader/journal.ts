import { foldInline, parseRendered, renderTemplate } from '../skill/index.ts';
import type { SkillProfile } from '../skill/types.ts';
import type { Workspace } from '../../sim/workspace/port.ts';
import { type RunState, type WorkerRecord, newWorker } from './state.ts';

// The journal is the skill's leader-state template, filled in. Each hole holds plain lines
// that a person can read and the leader can parse back: the roster as `role | thread ID |
// branch | worktree | base commit | state` (as the template asks) followed by `key=value`
// fields for the rest, lists as `- ` lines.

export class JournalError extends Error {
  override name = 'JournalError';
}

export function journalPath(profile: SkillProfile, leader: string): string {
  return profile.journalPath.value.replace(/<[^>]+>/, leader);
}

const enc = (s: string) => (s === '' ? '-' : encodeURIComponent(s));
const dec = (s: string) => (s === '-' ? '' : decodeURIComponent(s));
const list = (items: string[]) => (items.length ? items.map((i) => `- ${i}`).join('\n') : 'none');
const unlist = (text: string | undefined) =>
  !text || text.trim() === 'none' ? [] : text.split('\n').map((l) => l.replace(/^- /, '')).filter((l) => l.trim() !== '');

const WORKER_EXTRA: (keyof WorkerRecord)[] = [
  'n',
  'pending',
  'dispatchedAt',
  'seen',
  'silent',
  'quietSince',
  'asked',
  'askedAt',
  'nudges',
  'longUntil',
  'waitingOn',
  'report',
  'sha',
  'reworks',
  'why',
  'cleaned',
];

function rosterLine(w: WorkerRecord): string {
  const extra = WORKER_EXTRA.map((k) => `${k}=${enc(String(w[k]))}`).join(' ');
  return `${w.role} | ${w.thread || '-'} | ${w.branch || '-'} | ${w.dir || '-'} | ${w.base || '-'} | ${w.state} | ${extra}`;
}

function parseRosterLine(line: string): WorkerRecord {
  const parts = line.split(' | ');
  if (parts.length < 7) throw new JournalError(`roster line has ${parts.length} fields, expected 7: ${line}`);
  const [role, thread, branch, dir, base, state, extra] = parts as [string, string, string, string, string, string, string];
  const w = newWorker(role, 1);
  w.thread = thread === '-' ? '' : thread;
  w.branch = branch === '-' ? '' : branch;
  w.dir = dir === '-' ? '' : dir;
  w.base = base === '-' ? '' : base;
  w.state = state as WorkerRecord['state'];
  for (const kv of extra.split(' ')) {
    const eq = kv.indexOf('=');
    const k = kv.slice(0, eq) as keyof WorkerRecord;
    const v = dec(kv.slice(eq + 1));
    const cur = w[k];
    (w as unknown as Record<string, unknown>)[k] = typeof cur === 'number' ? Number(v) : typeof cur === 'boolean' ? v === 'true' : v;
  }
  return w;
}

export function renderJournal(profile: SkillProfile, st: RunState): string {
  const settings = [`model: ${st.model}`, `thinking: ${st.thinking}`, `integration branch: ${st.integration}`, `keep worktrees: ${st.keepWorktrees}`];
  return renderTemplate(profile.templates.state, foldInline(profile.templates.state, {
    'leader-thread-id': st.leader,
    status: st.reason ? `${st.status}\n${st.reason}` : st.status,
    phase: st.phase,
    'updated-at': st.updatedAt,
    task: st.task,
    settings: settings.join('\n'),
    roster: list(st.workers.map(rosterLine)),
    heartbeat: st.heartbeat ? `${st.heartbeat.id} | ${st.heartbeat.status}` : 'none',
    merges: list(st.merges.map((m) => `${m.role} | ${m.branch} | ${m.sha} | ${m.tests}`)),
    decisions: list(st.decisions),
    'next-action': st.next,
  }));
}

export function parseJournal(profile: SkillProfile, text: string, where: string): RunState {
  const v = parseRendered(profile.templates.state, text.replace(/\n$/, ''));
  if (!v) throw new JournalError(`${where}: does not match the skill's leader-state template`);
  const [status, ...reason] = (v.status ?? '').split('\n');
  const settings = new Map(
    (v.settings ?? '').split('\n').map((l) => {
      const i = l.indexOf(': ');
      return [l.slice(0, i), l.slice(i + 2)] as const;
    }),
  );
  const hb = (v.heartbeat ?? 'none').trim();
  const [hbId, hbStatus] = hb.split(' | ');
  return {
    leader: v['leader-thread-id'] ?? '',
    status: status as RunState['status'],
    reason: reason.join('\n'),
    phase: v.phase ?? '',
    updatedAt: v['updated-at'] ?? '',
    task: v.task ?? '',
    model: settings.get('model') ?? '',
    thinking: settings.get('thinking') ?? '',
    integration: settings.get('integration branch') ?? '',
    keepWorktrees: settings.get('keep worktrees') === 'true',
    workers: unlist(v.roster).map(parseRosterLine),
    heartbeat: hb === 'none' ? null : { id: hbId!, status: hbStatus as 'ACTIVE' | 'PAUSED' },
    merges: unlist(v.merges).map((l) => {
      const [role, branch, sha, tests] = l.split(' | ');
      return { role: role!, branch: branch!, sha: sha!, tests: tests ?? '' };
    }),
    decisions: unlist(v.decisions),
    next: v['next-action'] ?? '',
  };
}

/** Reads and writes one run's journal in the leader's checkout. */
export class Journal {
  readonly path: string;
  constructor(
    private readonly ws: Workspace,
    private readonly root: string,
    private readonly profile: SkillProfile,
    leader: string,
  ) {
    this.path = journalPath(profile, leader);
  }

  async read(): Promise<RunState | null> {
    const text = await this.ws.readFile(this.root, this.path);
    return text === null ? null : parseJournal(this.profile, text, this.path);
  }

  async write(st: RunState): Promise<void> {
    await this.ws.writeFile(this.root, this.path, renderJournal(this.profile, st) + '\n');
  }
}
