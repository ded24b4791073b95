// Files a command writes. Every one is checked before anything runs: it is not one of the
// command's inputs, it does not replace an existing file unless --force says so, and its
// folder exists. A case the explorer finds gets a name of its own, never another case's.

import { realpath, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { type CliIO, InputError } from './io.ts';

async function real(p: string): Promise<string> {
  return realpath(p).catch(() => resolve(p));
}

async function kind(p: string): Promise<'file' | 'dir' | 'other' | null> {
  const st = await stat(p).catch(() => null);
  return st === null ? null : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
}

/** What the user sees for a path: relative to where they stand when it is below it. */
export function shownPath(io: CliIO, p: string): string {
  const r = relative(io.cwd, p);
  return r === '' || r.startsWith('..') ? p : r;
}

/** A message from below the CLI with its absolute paths under the working directory made relative. */
export function shownIn(io: CliIO, message: string): string {
  return message.split(`${io.cwd.replace(/\/$/, '')}/`).join('');
}

/**
 * A file to write for `flag`: resolved against the working directory. Refused (exit 2) when it
 * is one of `inputs`, a folder, an existing file without `force`, or in a folder that does not
 * exist.
 */
export async function outputFile(
  flag: string,
  given: string,
  io: CliIO,
  opts: { inputs?: readonly string[]; force?: boolean /** The folder is made once every check passed. */; folderMadeLater?: boolean } = {},
): Promise<string> {
  const path = resolve(io.cwd, given);
  const me = await real(path);
  for (const input of opts.inputs ?? []) {
    if ((await real(input)) === me) throw new InputError(`${flag}: ${given} is also an input of this command; write it somewhere else`, 2);
  }
  const k = await kind(path);
  if (k === 'dir') throw new InputError(`${flag}: ${given} is a folder; give a file name`, 2);
  if (k === 'other') throw new InputError(`${flag}: ${given} is not a regular file`, 2);
  if (k === 'file' && !opts.force) throw new InputError(`${flag}: ${given} exists; pass --force to replace it`, 2);
  if (!opts.folderMadeLater && (await kind(dirname(path))) !== 'dir')
    throw new InputError(`${flag}: the folder ${shownPath(io, dirname(path))} does not exist`, 2);
  return path;
}

/** A folder to write into for `flag` (made when missing); refused when it is a file. */
export async function outputDir(flag: string, given: string, io: CliIO): Promise<string> {
  const path = resolve(io.cwd, given);
  const k = await kind(path);
  if (k !== null && k !== 'dir') throw new InputError(`${flag}: ${given} is a file; give a folder`, 2);
  return path;
}

/** `dir/base.ext`, or `dir/base-2.ext`, `-3`, … : the first name no file has yet. */
export async function freshName(dir: string, base: string, ext: string): Promise<string> {
  for (let n = 1; ; n++) {
    const p = join(dir, `${base}${n === 1 ? '' : `-${n}`}${ext}`);
    if ((await kind(p)) === null) return p;
  }
}

/** Write a report file checked by `outputFile`; a failure is one line naming the flag. */
export async function writeOutput(flag: string, path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (e) {
    throw new InputError(`${flag}: cannot write ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 2);
  }
}
