// `npm run build` (and npm ci's prepare): the CLI bundled into plain JavaScript in dist/, so a
// command starts in a fraction of the time tsx takes to load some thousand TypeScript and
// package modules one by one. The sources stay runnable as they are: bin/thread-team-sim.js
// uses dist/ only while it is newer than every source file, and tsx otherwise.
//
// A failed build is reported and leaves no dist/: the CLI then runs from the sources.
// The build is made beside dist/ and swapped in when whole, by two renames: a command starting
// meanwhile finds a dist/ (before, it could find none for the whole build, or half of one).
// One already running from the old dist/ loads its later chunks from the new one, which has
// the same names while the sources are the same.

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { newestSource } from '../bin/sources.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;
const next = `${root}dist.building-${process.pid}`;
const old = `${root}dist.old-${process.pid}`;
rmSync(next, { recursive: true, force: true });
try {
  const { build } = await import('esbuild');
  const started = newestSource(root);
  await build({
    absWorkingDir: root,
    entryPoints: { main: 'app/cli/main.ts', job: 'app/explore/job.ts' },
    outdir: next,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Bundled packages that are CommonJS call require(): give them Node's.
    banner: { js: "import { createRequire as __ttsCreateRequire } from 'node:module'; const require = __ttsCreateRequire(import.meta.url);" },
    // Codex's binary is found through its package at run time, not bundled.
    external: ['@openai/codex'],
    // Less to read at every start; names are kept, so a stack (--debug) still says where.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'error',
  });
  // The newest source this build saw: bin/ trusts dist/ only while no source is newer.
  writeFileSync(`${next}/built.json`, `${JSON.stringify({ newestSource: started })}\n`);
  try {
    renameSync(dist, old);
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  renameSync(next, dist);
  rmSync(old, { recursive: true, force: true });
  console.log('built dist/ (the CLI as JavaScript)');
} catch (e) {
  for (const d of [next, old, dist]) rmSync(d, { recursive: true, force: true });
  console.error(`build: could not build dist/ (${e instanceof Error ? e.message.split('\n')[0] : e}); the CLI runs from the sources through tsx`);
}
