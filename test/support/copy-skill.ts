import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { SKILL } from './skills.ts';

// Suites copy the repository's skill/ hundreds of times (one copy per case, one change in
// each). fs.cp stats, opens and copies file by file; skill/ is read once per test file here and
// each copy is written from memory, which halves the time a copy takes. skill/ holds only
// directories and regular files, and no test writes into skill/ itself.

interface Tree {
  dirs: string[];
  files: [path: string, bytes: Buffer][];
}

let tree: Promise<Tree> | undefined;

async function readTree(): Promise<Tree> {
  const out: Tree = { dirs: [], files: [] };
  for (const e of await readdir(SKILL, { recursive: true, withFileTypes: true })) {
    const path = relative(SKILL, join(e.parentPath, e.name));
    if (e.isDirectory()) out.dirs.push(path);
    else if (e.isFile()) out.files.push([path, await readFile(join(SKILL, path))]);
    else throw new Error(`copySkill: skill/${path} is neither a file nor a directory`);
  }
  return out;
}

/** Writes a copy of the repository's skill/ at `dest` (created, with its parents). */
export async function copySkill(dest: string): Promise<void> {
  const { dirs, files } = await (tree ??= readTree());
  await mkdir(dest, { recursive: true });
  for (const d of dirs) await mkdir(join(dest, d), { recursive: true });
  await Promise.all(files.map(([path, bytes]) => writeFile(join(dest, path), bytes)));
}
