import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { projectPath } from '../src/core/project.ts';

export const FIXTURES_DIR = `${projectPath('fixtures')}/`;

/** A fixture repository that cannot be read as one (one line). */
export class FixtureError extends Error {
  override name = 'FixtureError';
}

/** Every file of a fixture repository, by path relative to its root. */
export async function readFixtureRepo(name: string, dir = join(FIXTURES_DIR, 'repos')): Promise<Record<string, string>> {
  const root = join(dir, name);
  const out: Record<string, string> = {};
  let files = 0;
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
      throw new FixtureError(`fixture repository ${name}: cannot read ${d} (${e.code ?? e.message})`);
    });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const p = join(d, e.name);
      // A fixture is plain files and folders: a link could lead out of it (or round in a loop).
      if (e.isSymbolicLink()) throw new FixtureError(`fixture repository ${name}: ${relative(root, p)} is a symbolic link; a fixture holds plain files only`);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) {
        if (++files > 2_000) throw new FixtureError(`fixture repository ${name}: more than 2000 files`);
        out[relative(root, p).split('\\').join('/')] = await readFile(p, 'utf8');
      }
    }
  };
  await walk(root);
  return out;
}

/** The directory of a fixture skill named by a scenario (`skill: alt-team`). */
export function fixtureSkillDir(name: string): string {
  return join(FIXTURES_DIR, 'skills', name);
}
