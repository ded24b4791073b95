// Git's object model, held in memory: blobs, trees and commits as the exact bytes git stores.
// An object's name is the SHA-1 of `TYPE SIZE\0BODY`, as in git, so every SHA here is the one
// real git gives the same content, and `exportObjects` writes loose objects git itself reads
// (test/workspace/fsck.test.ts runs `git fsck --strict` on them). Nothing is compressed until
// then: a simulated run never needs the bytes on disk.
//
// Every file is a regular, non-executable one (mode 100644): the workspace port writes strings
// and nothing else, so no other mode can arise.

import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { Sha } from '../ports/workspace.ts';

/** A tree flattened to its files: path (relative, `/`-separated) -> blob SHA. */
export type Files = ReadonlyMap<string, Sha>;

export interface Commit {
  readonly tree: Sha;
  readonly parents: readonly Sha[];
  /** The committer's time, in seconds. */
  readonly time: number;
  /** As stored: no carriage returns, no leading newlines, exactly one newline at the end. */
  readonly message: string;
}

export interface Signature {
  readonly name: string;
  readonly email: string;
  /** Seconds since the epoch; the zone is always UTC. */
  readonly time: number;
}

type Kind = 'blob' | 'tree' | 'commit';

const FILE_MODE = '100644';
const TREE_MODE = '40000';

/** A message as git stores it (what `git commit -m` and isomorphic-git both write). */
function storedMessage(message: string): string {
  return `${message.replace(/\r/g, '').replace(/^\n+/, '').replace(/\n+$/, '')}\n`;
}

export class ObjectStore {
  private readonly bodies: Map<Sha, { kind: Kind; body: Buffer }>;
  // Every object comes in through writeText, writeTree or writeCommit, which keep what it says
  // beside its bytes: nothing is ever parsed back.
  /** Each tree's files. */
  private readonly trees: Map<Sha, Files>;
  private readonly commits: Map<Sha, Commit>;
  /** Blob text both ways: a status hashes the same file contents over and over. */
  private readonly shaOfText: Map<string, Sha>;
  private readonly textOfSha: Map<Sha, string>;

  /** An empty store, or a copy of `from` that shares nothing mutable with it. */
  constructor(from?: ObjectStore) {
    this.bodies = new Map(from?.bodies);
    this.trees = new Map(from?.trees);
    this.commits = new Map(from?.commits);
    this.shaOfText = new Map(from?.shaOfText);
    this.textOfSha = new Map(from?.textOfSha);
  }

  kindOf(sha: Sha): Kind | undefined {
    return this.bodies.get(sha)?.kind;
  }

  /** Every object name starting with `prefix`. */
  named(prefix: string): Sha[] {
    if (prefix.length === 40) return this.bodies.has(prefix) ? [prefix] : [];
    return [...this.bodies.keys()].filter((sha) => sha.startsWith(prefix));
  }

  /** The blob SHA of `text`, without storing it (what `git hash-object` prints). */
  hashText(text: string): Sha {
    let sha = this.shaOfText.get(text);
    if (sha === undefined) {
      sha = nameOf('blob', Buffer.from(text, 'utf8'));
      this.shaOfText.set(text, sha);
    }
    return sha;
  }

  writeText(text: string): Sha {
    const sha = this.hashText(text);
    if (!this.bodies.has(sha)) {
      this.bodies.set(sha, { kind: 'blob', body: Buffer.from(text, 'utf8') });
      this.textOfSha.set(sha, text);
    }
    return sha;
  }

  text(sha: Sha): string {
    return known(this.textOfSha, sha, 'blob');
  }

  /** Writes the trees that hold `files` (one per directory) and returns the root's SHA. */
  writeTree(files: Files): Sha {
    type Dir = Map<string, Sha | Dir>;
    const root: Dir = new Map();
    for (const [path, sha] of files) {
      const parts = path.split('/');
      let dir = root;
      for (let i = 0; i < parts.length - 1; i++) {
        let next = dir.get(parts[i]!);
        if (typeof next === 'string') throw new Error(`tree: ${parts.slice(0, i + 1).join('/')} is both a file and a directory`);
        if (next === undefined) dir.set(parts[i]!, (next = new Map()));
        dir = next;
      }
      if (dir.get(parts[parts.length - 1]!) instanceof Map) throw new Error(`tree: ${path} is both a file and a directory`);
      dir.set(parts[parts.length - 1]!, sha);
    }
    const write = (dir: Dir): Sha => {
      // Git orders entries by name, a directory's name as if it ended in `/`.
      const entries = [...dir].map(([name, v]) =>
        typeof v === 'string' ? { key: name, name, mode: FILE_MODE, sha: v } : { key: `${name}/`, name, mode: TREE_MODE, sha: write(v) },
      );
      entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const parts: Buffer[] = [];
      for (const e of entries) parts.push(Buffer.from(`${e.mode} ${e.name}\0`, 'utf8'), Buffer.from(e.sha, 'hex'));
      return this.put('tree', Buffer.concat(parts));
    };
    const sha = write(root);
    if (!this.trees.has(sha)) this.trees.set(sha, new Map(files));
    return sha;
  }

  /** The files of a tree (shared: do not change it). */
  files(tree: Sha): Files {
    return known(this.trees, tree, 'tree');
  }

  writeCommit(c: { tree: Sha; parents: readonly Sha[]; author: Signature; message: string }): Sha {
    // Author and committer are the same person at the same second, as the simulator has it.
    const sig = `${c.author.name} <${c.author.email}> ${c.author.time} +0000`;
    const message = storedMessage(c.message);
    const text = `tree ${c.tree}\n${c.parents.map((p) => `parent ${p}\n`).join('')}author ${sig}\ncommitter ${sig}\n\n${message}`;
    const sha = this.put('commit', Buffer.from(text, 'utf8'));
    if (!this.commits.has(sha)) this.commits.set(sha, { tree: c.tree, parents: [...c.parents], time: c.author.time, message });
    return sha;
  }

  commit(sha: Sha): Commit {
    return known(this.commits, sha, 'commit');
  }

  /** Every object as a loose object file: `objects/xx/yyyy…` -> its deflated bytes. */
  exportObjects(): Map<string, Buffer> {
    const out = new Map<string, Buffer>();
    for (const [sha, { kind, body }] of this.bodies) {
      out.set(`objects/${sha.slice(0, 2)}/${sha.slice(2)}`, deflateSync(Buffer.concat([header(kind, body), body])));
    }
    return out;
  }

  private put(kind: Kind, body: Buffer): Sha {
    const sha = nameOf(kind, body);
    if (!this.bodies.has(sha)) this.bodies.set(sha, { kind, body });
    return sha;
  }
}

function known<T>(parsed: ReadonlyMap<Sha, T>, sha: Sha, kind: Kind): T {
  const found = parsed.get(sha);
  if (found === undefined) throw new Error(`no ${kind} ${sha} in this repository`);
  return found;
}

const header = (kind: Kind, body: Buffer) => Buffer.from(`${kind} ${body.length}\0`, 'utf8');

function nameOf(kind: Kind, body: Buffer): Sha {
  return createHash('sha1').update(header(kind, body)).update(body).digest('hex');
}
