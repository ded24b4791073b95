// The code's shape, held: one-way layers (test/support/architecture.ts has the table and says
// why), no import cycles, and no real clock, timer or randomness where runs must replay.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DETERMINISTIC,
  forbiddenImports,
  importCycles,
  importsOf,
  MAY_IMPORT,
  moduleOf,
  nondeterminism,
  read,
  sourceFiles,
  TREES,
} from './support/architecture.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const imports = () => sourceFiles(ROOT, TREES).flatMap((f) => importsOf(f, read(ROOT, f)));

describe('architecture', () => {
  it('every module imports only the layers below it', () => {
    expect(forbiddenImports(imports())).toEqual([]);
  });

  it('the trees point one way: src/ imports neither sim/ nor app/, sim/ never imports app/', () => {
    const rank = (path: string) => TREES.indexOf(path.split('/')[0] as (typeof TREES)[number]);
    const upward = imports().filter((i) => rank(i.target) > rank(i.file));
    expect(upward.map((i) => `${i.file}:${i.line}: ${i.target}`)).toEqual([]);
    // And the table agrees: no module of a lower tree may import a higher one.
    for (const [from, allowed] of Object.entries(MAY_IMPORT))
      expect(
        allowed.filter((to) => rank(to) > rank(from)),
        from,
      ).toEqual([]);
  });

  it('every module of src/, sim/ and app/ is in the layer table', () => {
    const modules = new Set(sourceFiles(ROOT, TREES).map((f) => moduleOf(f)!));
    expect([...modules].filter((m) => !(m in MAY_IMPORT))).toEqual([]);
  });

  it('no import cycle among the files, type-only imports included', () => {
    expect(importCycles(imports())).toEqual([]);
  });

  it('no real clock, timer or random number in the deterministic folders', () => {
    expect(sourceFiles(ROOT, DETERMINISTIC).flatMap((f) => nondeterminism(f, read(ROOT, f)))).toEqual([]);
  });

  // The checks themselves, on made-up code: each can fail.
  it('a lower layer importing a higher one, a checker importing the leader, a module outside the table: each is named', () => {
    const at = (file: string, target: string) => ({ file, line: 3, target });
    expect(
      forbiddenImports([
        at('src/core/errors.ts', 'src/trace/trace.ts'),
        at('src/invariants/merges.ts', 'src/leader/reference.ts'),
        at('src/leader/reference.ts', 'sim/run.ts'),
        at('src/skill/load.ts', 'src/skill/lines.ts'),
        at('src/invariants/merges.ts', 'src/trace/events.ts'),
        at('src/newthing/a.ts', 'src/core/errors.ts'),
      ]),
    ).toEqual([
      'src/core/errors.ts:3: src/core imports src/trace (src/trace/trace.ts)',
      'src/invariants/merges.ts:3: src/invariants imports src/leader (src/leader/reference.ts)',
      'src/leader/reference.ts:3: src/leader imports sim (sim/run.ts)',
      'src/newthing/a.ts:3: src/newthing is not in the layer table',
    ]);
  });

  it('imports and re-exports are read from the syntax, resolved from the importing file', () => {
    const text =
      "import { a } from '../core/errors.ts';\nexport { b } from './lines.ts';\nimport x from 'node:fs';\n// import { c } from '../leader/reference.ts';\nconst s = \"from '../sim/run.ts'\";";
    expect(importsOf('src/skill/load.ts', text)).toEqual([
      { file: 'src/skill/load.ts', line: 1, target: 'src/core/errors.ts' },
      { file: 'src/skill/load.ts', line: 2, target: 'src/skill/lines.ts' },
    ]);
  });

  it('a cycle is found once, whichever file it is entered from, and type-only imports count', () => {
    const at = (file: string, target: string) => ({ file, line: 1, target });
    expect(importCycles([at('b.ts', 'c.ts'), at('c.ts', 'a.ts'), at('a.ts', 'b.ts'), at('a.ts', 'd.ts')])).toEqual(['a.ts -> b.ts -> c.ts -> a.ts']);
    expect(importCycles([at('a.ts', 'b.ts'), at('b.ts', 'c.ts')])).toEqual([]);
  });

  it('a real clock, a timer and Math.random are found in code, not in comments or strings; a formatted instant is fine', () => {
    const text = [
      'const t = Date.now();',
      'setTimeout(() => 0, 5);',
      'const r = Math.random();',
      'const d = new Date();',
      'const iso = new Date(epoch + t).toISOString();',
      '// Date.now() in a comment',
      "const s = 'Math.random()';",
      'const p = performance.now();',
    ].join('\n');
    expect(nondeterminism('sim/x.ts', text)).toEqual([
      'sim/x.ts:1: Date.now()',
      'sim/x.ts:2: setTimeout()',
      'sim/x.ts:3: Math.random()',
      'sim/x.ts:4: new Date()',
      'sim/x.ts:8: performance.now()',
    ]);
  });
});
