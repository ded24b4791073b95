/**
 * Every module of src/ and app/ loads on its own, in a fresh module graph per test file.
 *
 * Two reasons. A module that throws while loading (an import cycle read too early, a schema
 * built from a bad table) is caught here by name rather than as a confusing failure elsewhere.
 * And mutation testing needs it: Stryker's vitest runner builds each mutant's verdict from the
 * tests it collected, and a test file whose imports throw collects none, so a mutant that stops
 * a module from loading would be scored as survived although every test that uses the module
 * fails (stryker-js issue 6150). Here the import runs inside a test, so that mutant fails one.
 * This file is part of every mutation target (scripts/mutate-targets.mjs).
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return modules(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [relative(ROOT, path)] : [];
  });
}

// A child process's entry point: it answers its parent over IPC and exits when the parent
// goes, so importing it here would end the test worker. `explore --jobs` runs it for real
// (test/app/explore.test.ts, test/app/interrupt.test.ts).
const ENTRY_POINTS = new Set([join('app', 'explore', 'job.ts')]);
const ALL = [...modules(join(ROOT, 'src')), ...modules(join(ROOT, 'app'))];
const FILES = ALL.filter((f) => !ENTRY_POINTS.has(f)).sort();

describe('every source module loads', () => {
  it('finds the modules of every folder, and the entry point it leaves out', () => {
    for (const f of ENTRY_POINTS) expect(ALL).toContain(f);
    for (const folder of ['app/cli', 'app/explore', 'src/contract', 'src/invariants', 'src/leader', 'src/skill', 'src/trace', 'src/workspace']) {
      expect(FILES.some((f) => f.startsWith(join(...folder.split('/'))))).toBe(true);
    }
  });

  it.each(FILES)('%s', async (file) => {
    const exported = await import(join(ROOT, file));
    expect(typeof exported).toBe('object');
  });
});
