// What a shell-workspace script says it did, in its own output, so that a rollout alone shows it.
//
// A script of the shell workspace (shell.ts) prints records: `@@TT@@ <key> <base64 value>` on a
// line of their own. A script whose operation the invariants read (a merge, a worktree added or
// removed, a file written or read, a diff, a command run) also prints an `act` record naming the
// operation and its arguments, before it does anything. Whether it then happened is in the rest
// of the output: `done` (it finished), `refuse` (it was refused), `kind` and `conflicts` (how a
// merge went), `exit` (a command's exit code). A Codex rollout keeps every command's output, so
// a run whose leader worked through this workspace can be checked from its rollouts alone.

export const MARK = '@@TT@@';

/** One record line; its value is base64 (a run's `exit` is a plain number). */
const RECORD = /^@@TT@@ ([a-z-]+)(?: ([A-Za-z0-9+/=]*))?$/gm;

/** The records readShellAct reads: what a reader of outputs must keep of them. */
export const ACT_RECORDS = ['act', 'done', 'refuse', 'msg', 'kind', 'conflicts', 'exit'] as const;

/** The records of one script's output; a key printed twice is read at its first. */
export class Records {
  constructor(private readonly list: Array<[key: string, value: Buffer]>) {}
  has(key: string): boolean {
    return this.list.some(([k]) => k === key);
  }
  buf(key: string): Buffer | undefined {
    return this.list.find(([k]) => k === key)?.[1];
  }
  get(key: string): string | undefined {
    return this.buf(key)?.toString('utf8');
  }
  /** The value of a record the script always prints. */
  need(key: string, what: string): string {
    const value = this.get(key);
    if (value === undefined) throw new Error(`shell workspace: ${what}: the script printed no ${key} record`);
    return value;
  }
  all(key: string): string[] {
    return this.list.filter(([k]) => k === key).map(([, v]) => v.toString('utf8'));
  }
}

export function parseRecords(output: string): Records {
  const list: Array<[string, Buffer]> = [];
  for (const m of output.matchAll(RECORD)) list.push([m[1]!, Buffer.from(m[2] ?? '', 'base64')]);
  return new Records(list);
}

/** An operation a script announces: the fields of the trace's `ws` event it makes. */
export interface ShellAct {
  op: string;
  dir: string;
  paths?: string[];
  ref?: string;
  detail?: string;
}

/** The shell line that prints an act record. */
export function actLine(act: ShellAct): string {
  return `printf '\\n${MARK} act %s\\n' '${Buffer.from(JSON.stringify(act), 'utf8').toString('base64')}'`;
}

/** What one script's output says it did: its act, with whether it finished and how, or null when it announces none. */
export function readShellAct(output: string): (ShellAct & { ok: boolean }) | null {
  const records = parseRecords(output);
  const raw = records.get('act');
  if (raw === undefined) return null;
  let act: ShellAct;
  try {
    act = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof act?.op !== 'string' || typeof act.dir !== 'string') return null;
  if (records.has('refuse')) return { ...act, ok: false, detail: records.get('msg') ?? records.get('refuse') };
  if (act.op === 'run') {
    // The last exit record: the command's own output, printed before it, may hold anything.
    const exit = [...output.matchAll(/^@@TT@@ exit (\d+)$/gm)].at(-1);
    return exit ? { ...act, ok: true, detail: `${act.detail} -> exit ${exit[1]}` } : { ...act, ok: false };
  }
  if (act.op === 'merge') {
    const kind = records.get('kind');
    if (kind) return { ...act, ok: true, detail: kind };
    return records.has('conflicts') ? { ...act, ok: true, detail: 'conflict' } : { ...act, ok: false };
  }
  return { ...act, ok: records.has('done') };
}
