// A side of a comparison: a skill folder, or `git:REV[:PATH]` (default PATH skill/) read out of
// the repository the command runs in with `git archive` into a scratch folder, never by checking
// anything out over the user's tree. Git is run without a shell, and REV is checked to name a
// commit before anything is extracted.

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class SideError extends Error {
  override name = 'SideError';
}

export interface ResolvedSide {
  label: string;
  dir: string;
  /** Removes what was extracted (nothing for a plain folder). */
  dispose(): Promise<void>;
}

export async function resolveSide(spec: string, cwd: string, flag: string): Promise<ResolvedSide> {
  if (!spec.startsWith('git:')) {
    const dir = resolve(cwd, spec);
    const st = await stat(dir).catch(() => null);
    if (!st?.isDirectory()) throw new SideError(`${flag}: ${spec} is not a folder (give a skill folder, or git:REV[:PATH])`);
    return { label: spec, dir, dispose: async () => {} };
  }
  const rest = spec.slice(4);
  const colon = rest.indexOf(':');
  const rev = colon < 0 ? rest : rest.slice(0, colon);
  const path = (colon < 0 ? 'skill/' : rest.slice(colon + 1)).replace(/^\.?\/+/, '') || '.';
  if (!rev || rev.startsWith('-')) throw new SideError(`${flag}: ${spec}: expected git:REV[:PATH], with REV a commit of this repository`);
  if (path.split('/').includes('..')) throw new SideError(`${flag}: ${spec}: PATH must stay inside the repository`);
  const commit = await run('git', ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd }).catch(() => null);
  if (!commit) throw new SideError(`${flag}: ${spec}: ${rev} is not a commit of the repository at ${cwd}`);
  const sha = commit.stdout.trim();
  const scratch = await mkdtemp(join(tmpdir(), 'tts-compare-'));
  const dispose = () => rm(scratch, { recursive: true, force: true });
  try {
    const tar = join(scratch, 'side.tar');
    await run('git', ['archive', '--format=tar', '-o', tar, sha, '--', path], { cwd }).catch((e: { stderr?: string }) => {
      throw new SideError(`${flag}: ${spec}: ${path} is not in ${rev} (${(e.stderr ?? '').trim().split('\n')[0]})`);
    });
    const out = join(scratch, 'tree');
    await mkdir(out);
    await run('tar', ['-xf', tar, '-C', out]);
    return { label: spec, dir: join(out, path), dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}
