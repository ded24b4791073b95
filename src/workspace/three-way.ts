// A three-way merge of two commits' files against their merge base, path by path, with the
// line merge of a file both sides changed done by `diff3` (the library isomorphic-git merges
// with, at the same version, so merged texts and conflict markers are what the simulator always
// produced). The rules are git's for a recursive merge with one base:
//   - a path only one side changed takes that side (a deletion included);
//   - both sides made the same change: taken once;
//   - both changed one file: its lines merged; overlapping hunks become a conflict with markers
//     `<<<<<<< OURS`, `=======`, `>>>>>>> THEIRS`;
//   - one side changed a file the other deleted: a conflict, the changed file kept;
//   - both added a file with different contents: merged against an empty base.

import diff3Merge from 'diff3';
import type { Sha } from '../ports/workspace.ts';
import type { Files } from './git-objects.ts';

export interface Sides {
  readonly base: Files;
  readonly ours: Files;
  readonly theirs: Files;
}

export interface ThreeWay {
  /** The merged files; a conflicted file holds its markers (or the side that kept it). */
  readonly files: Map<string, Sha>;
  /** Paths in conflict, in no particular order. */
  readonly conflicts: string[];
  /** Paths both sides changed whose lines merged cleanly. */
  readonly merged: string[];
}

/** What the merge needs from the object store. */
export interface TextStore {
  text(sha: Sha): string;
  writeText(text: string): Sha;
}

export function mergeTrees(sides: Sides, store: TextStore, names: { ours: string; theirs: string }): ThreeWay {
  const files = new Map<string, Sha>();
  const conflicts: string[] = [];
  const merged: string[] = [];
  const paths = new Set([...sides.base.keys(), ...sides.ours.keys(), ...sides.theirs.keys()]);
  for (const path of paths) {
    const [b, o, t] = [sides.base.get(path), sides.ours.get(path), sides.theirs.get(path)];
    const kept = o === b ? t : t === b || o === t ? o : undefined;
    if (o === b || t === b || o === t) {
      if (kept !== undefined) files.set(path, kept);
      continue;
    }
    // Both sides changed the path, differently.
    if (o !== undefined && t !== undefined) {
      const r = mergeText(b === undefined ? '' : store.text(b), store.text(o), store.text(t), names);
      files.set(path, store.writeText(r.text));
      (r.clean ? merged : conflicts).push(path);
    } else {
      // Changed on one side, deleted on the other: the changed file stays, in conflict.
      files.set(path, (o ?? t)!);
      conflicts.push(path);
    }
  }
  const dirs = new Set<string>();
  for (const path of files.keys()) for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) dirs.add(path.slice(0, i));
  const clash = [...files.keys()].find((p) => dirs.has(p));
  if (clash !== undefined) throw new MergeNotSupported(`${clash} is a file on one side and a directory on the other`);
  return { files, conflicts, merged };
}

export class MergeNotSupported extends Error {}

// A line with its end, or the last line without one: the way isomorphic-git cuts a file.
const LINES = /^.*(\r?\n|$)/gm;

/** The line merge of one file; `clean` is false when it holds conflict markers. */
export function mergeText(base: string, ours: string, theirs: string, names: { ours: string; theirs: string }): { text: string; clean: boolean } {
  const cut = (s: string) => s.match(LINES) ?? [];
  let text = '';
  let clean = true;
  for (const hunk of diff3Merge(cut(ours), cut(base), cut(theirs))) {
    if (hunk.ok) text += hunk.ok.join('');
    if (hunk.conflict) {
      clean = false;
      text += `<<<<<<< ${names.ours}\n${hunk.conflict.a.join('')}=======\n${hunk.conflict.b.join('')}>>>>>>> ${names.theirs}\n`;
    }
  }
  return { text, clean };
}
