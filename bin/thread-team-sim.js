#!/usr/bin/env node
// The CLI: the built bundle in dist/ (npm ci builds it) while it is newer than every source,
// else the TypeScript sources through tsx's loader, so a fresh clone or an edited source needs
// no build step and never runs stale code. TTS_FROM_SOURCE=1 forces the sources.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { newestSource } from './sources.js';

// A reader that stops early (`| head`) closes the pipe: that ends the command, quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const root = fileURLToPath(new URL('..', import.meta.url));
const fresh = () => {
  try {
    const built = JSON.parse(readFileSync(`${root}dist/built.json`, 'utf8'));
    return newestSource(root) <= built.newestSource;
  } catch {
    return false;
  }
};

let main;
if (process.env.TTS_FROM_SOURCE !== '1' && fresh()) main = await import('../dist/main.mjs');
else {
  const { register } = await import('tsx/esm/api');
  register();
  main = await import('../app/cli/main.ts');
}
await main.runProcess(process.argv.slice(2));
