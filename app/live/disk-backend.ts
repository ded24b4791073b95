import { existsSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createDiskWorkspace } from '../../src/workspace/disk.ts';
import { scenarioFiles, type Backend } from '../../sim/run.ts';
import type { Scenario } from '../../sim/scenario/schema.ts';
import { onTeardown, removeTree, scratchDir } from '../../src/core/teardown.ts';

/**
 * The scenario's verification verdict as a shell command the harness writes itself: fail if
 * any file holds a marker. The scenario's own command line is only the name it goes by; its
 * text never reaches a shell.
 */
export function verifyShellCommand(s: Scenario): string {
  const needles = s.repo.verify.failOn.map((n) => `-e '${n.replace(/'/g, `'\\''`)}'`).join(' ');
  return `if grep -rlF ${needles} --exclude-dir=.git --exclude-dir=.thread-team .; then echo FAIL; exit 1; else echo 'all tests passed'; fi`;
}

/**
 * A fresh scratch directory of its own for one run (two runs of one scenario never share one),
 * removed on an interrupt from the moment it exists.
 */
export function makeScratch(s: Scenario): Promise<{ path: string; remove(): Promise<void>; keep(): void }> {
  return scratchDir(`thread-team-sim-${s.name}-`);
}

/** The pinned scratch directory is held by another live run. */
export class ScratchBusyError extends Error {
  override name = 'ScratchBusyError';
}

const OWNER = '.owner';
/** Marks a folder kept with --keep: what a person asked to keep is never taken over. */
const KEPT = '.kept';

/**
 * The pinned folders claimed by runs of this process that have not ended. The owner file names
 * a process, so it cannot tell two runs of one process apart: without this, a second run here
 * took the first's folder over as if it were left behind.
 */
const held = new Set<string>();

/**
 * The scratch directory at the fixed path `scratchAlias(s, seed)`, claimed for this process
 * alone. A recorded model exchange names its paths (in commands, and in file contents sent
 * as base64), so a cassette records and replays at one path; two runs still never share it:
 * the directory is made exclusively and names its owner, and one left by a dead process is
 * taken over.
 */
export async function claimScratch(s: Scenario, seed: number): Promise<{ path: string; remove(): Promise<void>; keep(): void }> {
  const path = scratchAlias(s, seed);
  let takenOver = false;
  for (let attempt = 0; ; attempt++) {
    // Made aside with its owner inside, then renamed into place: no other run ever sees the
    // directory without its owner.
    let aside: string | null = null;
    let unregister = () => {};
    try {
      await mkdir(dirname(path), { recursive: true });
      aside = await mkdtemp(join(dirname(path), '.claim-'));
      const made = aside;
      unregister = onTeardown(`scratch folder ${made}`, () => removeTree(made));
      await writeFile(join(aside, OWNER), `${process.pid}\n`);
      await rename(aside, path);
      unregister();
      break;
    } catch (e) {
      if (aside) await removeTree(aside);
      unregister();
      const code = (e as NodeJS.ErrnoException).code;
      // (Another run removing the shared parent just now: make it again.)
      if (code === 'ENOENT' && attempt < 5) continue;
      if ((code !== 'EEXIST' && code !== 'ENOTEMPTY') || takenOver) throw e;
      takenOver = true;
      if (held.has(path)) {
        throw new ScratchBusyError(
          `${path} is in use by another run of ${s.name} with seed ${seed} in this process; a cassette records and replays at that path: run them one after the other`,
        );
      }
      if (existsSync(join(path, KEPT))) {
        throw new ScratchBusyError(
          `${path} holds a run of ${s.name} with seed ${seed} kept with --keep; a cassette records and replays at that path: remove it (rm -r ${path}) to run again`,
        );
      }
      const owner = Number((await readFile(join(path, OWNER), 'utf8').catch(() => '')).trim());
      if (owner > 0 && owner !== process.pid && alive(owner)) {
        throw new ScratchBusyError(
          `${path} is in use by another run of ${s.name} with seed ${seed} (process ${owner}); a cassette records and replays at that path: wait for it to end`,
        );
      }
      await removeTree(path);
    }
  }
  held.add(path);
  // The shared parent goes too once no run uses it (another run's claim keeps it).
  const drop = async () => {
    // Freed first: a folder whose removal failed names this process, and is taken over.
    held.delete(path);
    await removeTree(path);
    await rmdir(dirname(path)).catch(() => undefined);
  };
  const forget = onTeardown(`scratch folder ${path}`, drop);
  return {
    path,
    remove: async () => {
      await drop();
      forget();
    },
    keep: () => {
      // Its owner will be gone, which would make the folder look left behind to the next run.
      // (A folder already gone has nothing to keep.)
      try {
        writeFileSync(join(path, KEPT), `kept by process ${process.pid}\n`);
      } catch {}
      held.delete(path);
      forget();
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * How a run's scratch directory is written in its trace: one name per scenario and seed, so
 * that the traces of two runs compare (and a recording replays to the same hash).
 */
export function scratchAlias(s: Scenario, seed: number): string {
  return join(tmpdir(), 'thread-team-sim', `${s.name}-${seed}`);
}

/**
 * The repository on disk with the git CLI, in a scratch directory of its own (`scratch`, or a
 * fresh one), removed afterwards and on an interrupt, unless `keep`. Only the scenario's
 * verification runs in it, unless `allowExec`.
 */
export function diskBackend(opts: { scratch?: string; keep?: boolean; allowExec?: boolean } = {}): Backend {
  return {
    name: 'disk',
    async prepare(s: Scenario, now: () => number, seed: number) {
      // A scratch directory given by the caller is the caller's to remove.
      const own = opts.scratch === undefined ? await makeScratch(s) : null;
      const base = opts.scratch ?? own!.path;
      const repoRoot = join(base, 'repo');
      const commands = { [s.repo.verify.command]: verifyShellCommand(s) };
      const ws = createDiskWorkspace({ root: repoRoot, clock: now, commands, ...(opts.allowExec ? { allowExec: true } : {}) });
      await ws.init(await scenarioFiles(s), s.repo.branch);
      return {
        ws,
        repoRoot,
        worktreeRoot: join(base, 'worktrees'),
        commands,
        alias: [base, scratchAlias(s, seed)] as const,
        dispose: async () => {
          if (opts.keep) own?.keep();
          else await own?.remove();
        },
      };
    },
  };
}
