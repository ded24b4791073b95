import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Every file of a fixture repository, by path relative to its root. */
export async function readFixtureRepo(name: string, dir = join(FIXTURES_DIR, 'repos')): Promise<Record<string, string>> {
  const root = join(dir, name);
  const out: Record<string, string> = {};
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
      throw new Error(`fixture repository ${name}: cannot read ${d} (${e.code ?? e.message})`);
    });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out[relative(root, p).split('\\').join('/')] = await readFile(p, 'utf8');
    }
  };
  await walk(root);
  return out;
}

/** The directory of a fixture skill named by a scenario (`skill: alt-team`). */
export function fixtureSkillDir(name: string): string {
  return join(FIXTURES_DIR, 'skills', name);
}
