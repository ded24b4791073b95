// Finding a run's rollouts: every rollout file under a Codex home (active and archived
// threads), or the files given; the leader by its id, or the latest thread that made others.
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { RolloutError, RolloutReader, type RolloutThread } from './rollout.ts';

/**
 * In a Codex home our harness kept: `{threads: {simulator id: Codex thread id}}`. The thread
 * tools of such a run were the simulator's, so its ids are what the leader was answered with.
 */
export const THREAD_IDS_FILE = 'thread-team-sim-threads.json';

/** The Codex version whose rollout format this reader was written against. */
export const KNOWN_CLI = /^0\.163\./;

async function rolloutFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  return entries
    .filter((e) => e.isFile() && /^rollout-.*\.jsonl$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Every rollout under `codexHome` (sessions/ and archived_sessions/), or in `files`. */
export async function readRollouts(source: { codexHome: string } | { files: string[] }): Promise<{ threads: RolloutThread[]; aliases: Map<string, string> }> {
  // Codex thread id -> the id the run knew it by (a harness-hosted run's, from THREAD_IDS_FILE).
  const aliases = new Map<string, string>();
  if ('codexHome' in source) {
    const text = await readFile(join(source.codexHome, THREAD_IDS_FILE), 'utf8').catch(() => null);
    if (text !== null) {
      let ids: unknown;
      try {
        ids = (JSON.parse(text) as { threads?: unknown }).threads;
      } catch {
        throw new RolloutError(`${join(source.codexHome, THREAD_IDS_FILE)}: not JSON`);
      }
      if (ids && typeof ids === 'object') for (const [sim, codex] of Object.entries(ids)) if (typeof codex === 'string') aliases.set(codex, sim);
    }
  }
  let files: string[];
  if ('codexHome' in source) {
    const st = await stat(source.codexHome).catch(() => null);
    if (!st?.isDirectory()) throw new RolloutError(`--codex-home ${source.codexHome}: no such directory`);
    const live = await rolloutFiles(join(source.codexHome, 'sessions'));
    const gone = await rolloutFiles(join(source.codexHome, 'archived_sessions'));
    files = [...live, ...gone];
    if (!files.length) throw new RolloutError(`--codex-home ${source.codexHome}: no rollout files under sessions/ or archived_sessions/`);
  } else files = source.files;
  const threads: RolloutThread[] = [];
  // Line by line: a rollout set can be hundreds of megabytes (command outputs, token counts),
  // and only what the trace needs is kept of each line.
  for (const file of files) {
    const reader = new RolloutReader(file);
    try {
      const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
      for await (const line of lines) reader.push(line);
    } catch (e) {
      throw new RolloutError(`${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    threads.push(reader.end());
  }
  return { threads, aliases };
}

/** Whether a thread made threads of its own (a team's leader). */
const madeThreads = (t: RolloutThread) => t.turns.some((u) => u.items.some((i) => i.kind === 'call' && i.name === 'create_thread'));

/** The leader: the thread `id` (a prefix will do when it is unique), else the latest that made threads. */
export function pickLeader(threads: RolloutThread[], id: string | undefined, since: number | undefined): RolloutThread {
  const pool = threads.filter((t) => since === undefined || t.startedAt >= since);
  if (id !== undefined) {
    const hits = pool.filter((t) => t.id === id || t.id.startsWith(id));
    if (hits.length === 1) return hits[0]!;
    if (hits.length > 1) throw new RolloutError(`--leader ${id}: ${hits.length} threads start with it; give more of the id`);
    throw new RolloutError(`--leader ${id}: no rollout of that thread${since !== undefined ? ' since the --since date' : ''}`);
  }
  const leaders = pool.filter(madeThreads).sort((a, b) => b.startedAt - a.startedAt);
  if (!leaders.length) throw new RolloutError(`no thread${since !== undefined ? ' since the --since date' : ''} called create_thread: no team run to import`);
  return leaders[0]!;
}
