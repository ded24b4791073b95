// Make isomorphic-git hash and deflate synchronously in this process.
//
// isomorphic-git picks its SHA-1 and deflate implementations once per process, on first
// use, and caches the choice in module-private variables:
//   - SHA-1: `crypto.subtle.digest` when it works, else the synchronous `sha.js`;
//   - deflate: `CompressionStream` when it exists, else `pako.deflate`;
//   - inflate: always `pako.inflate` (its native path is switched off in 1.44).
// On Node both web APIs exist, so it picks them, and each object then costs a round trip
// through the thread pool (subtle) or a Blob/stream pipeline (CompressionStream): a run takes
// about twice as long (bench/workspace.ts). sha.js is as fast here as node's createHash, so
// nothing more is needed. There is no option to choose; the only lever is what the probe
// sees. So the first isomorphic-git operation in the process is a throwaway one, run
// while `crypto.subtle` and `CompressionStream` are hidden; the probes fail, isomorphic-git
// settles on sha.js and pako for good, and both globals are restored before this resolves.
//
// Containment: `crypto.subtle` is hidden by an own property on the `crypto` object that
// shadows its prototype getter, and `CompressionStream` by replacing its global accessor;
// both are put back in `finally`. The throwaway blob is written into its own memfs volume
// through a synchronous fs, so the whole window is a few microtasks: no timer or I/O
// callback of anybody else can run inside it. SHAs are unaffected: same algorithms.

import { createRequire } from 'node:module';
import { deflateSync, inflateSync } from 'node:zlib';
import { createVolume, syncPromiseFs } from './worktree-fs.ts';

type Git = typeof import('isomorphic-git');

// isomorphic-git is loaded on first use, not with this module: parsing it is a tenth of a
// second that a command which never touches a repository (`--help`, `lint`, `show`) need not
// pay. Every workspace operation awaits preferSyncCodecs() first, which loads it.
let loaded: Git | undefined;

/** isomorphic-git, once preferSyncCodecs() has resolved. */
export const git = new Proxy({} as Git, {
  get(_, key) {
    if (loaded === undefined) throw new Error('isomorphic-git used before preferSyncCodecs() resolved');
    return loaded[key as keyof Git];
  },
});

/**
 * pako does the (de)compression of every object in JavaScript, allocating its 64 KB window
 * state anew for each: a tenth of a run's time. Node's zlib produces the same format (git reads
 * either; an object's SHA is of its uncompressed bytes), natively. isomorphic-git calls
 * `pako.deflate` and `pako.inflate` through its own copy of the module, so that copy is taught
 * to use zlib. (The build keeps isomorphic-git out of the bundle, so the copy it loads is the
 * one changed here.)
 */
function zlibForPako(): void {
  const pako = createRequire(createRequire(import.meta.url).resolve('isomorphic-git'))('pako') as {
    deflate(b: Uint8Array): Uint8Array;
    inflate(b: Uint8Array): Uint8Array;
  };
  pako.deflate = (b) => deflateSync(b);
  pako.inflate = (b) => inflateSync(b);
}

let primed: Promise<void> | undefined;

/** Resolves once isomorphic-git is committed to sha.js and pako (idempotent). */
export function preferSyncCodecs(): Promise<void> {
  primed ??= prime();
  return primed;
}

async function prime(): Promise<void> {
  zlibForPako();
  const api = (await import('isomorphic-git')) as Git & { default?: Git };
  // Node hands a CommonJS package to import() as its exports, also under `default`.
  loaded = api.default ?? api;
  const restore = hideWebCodecs();
  try {
    const fs = syncPromiseFs(createVolume());
    await loaded.writeBlob({ fs, dir: '/probe', blob: new Uint8Array(0) });
  } catch {
    // Someone used isomorphic-git before us: its choice is made (the web APIs, which it now
    // finds hidden). Nothing to undo; the process keeps the slower codecs.
  } finally {
    restore();
  }
}

function hideWebCodecs(): () => void {
  const webCrypto = globalThis.crypto as Crypto | undefined;
  const compression = Object.getOwnPropertyDescriptor(globalThis, 'CompressionStream');
  if (webCrypto) {
    Object.defineProperty(webCrypto, 'subtle', { value: undefined, configurable: true });
  }
  if (compression?.configurable) {
    Object.defineProperty(globalThis, 'CompressionStream', { value: undefined, configurable: true });
  }
  return () => {
    if (webCrypto) delete (webCrypto as { subtle?: unknown }).subtle;
    if (compression?.configurable) Object.defineProperty(globalThis, 'CompressionStream', compression);
  };
}
