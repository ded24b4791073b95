// The README, the docs and the code's comments cite only what the repository holds.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { citationsIn, patternOf, problemOf, wrongCitations } from './support/references.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('citations in prose and comments', () => {
  it('every file, folder and Markdown name cited in the repository is in it', () => {
    expect(wrongCitations(ROOT)).toEqual([]);
  });

  const files = [
    'README.md',
    'docs/codex-fidelity.md',
    'src/skill/load.ts',
    'src/skill/README.md',
    'test/forms.test.ts',
    'fixtures/repos/webapp/src/api/server.ts',
  ];
  const why = (ref: string, from = 'README.md', allowShared = false) => problemOf(ref, files, from, allowShared);

  it('finds paths and Markdown names in prose, and in code only inside comments', () => {
    expect(citationsIn('see `src/skill/load.ts` and ARCHITECTURE.md\nthen /work/main/x.ts', 'prose').map((c) => [c.ref, c.line])).toEqual([
      ['src/skill/load.ts', 1],
      ['ARCHITECTURE.md', 1],
      ['/work/main/x.ts', 2],
    ]);
    const code = [
      "const p = 'src/gone.ts'; // and docs/gone.md",
      '// reads src/skill/gone.ts',
      "const q = ' // sim/not-a-comment.ts';",
      'const r = /\\/\\/ test\\/nor-this.ts/;',
      '/**',
      ' * in a block: sim/gone.ts',
      ' */',
      'f();',
    ].join('\n');
    expect(citationsIn(code, 'code').map((c) => [c.ref, c.line])).toEqual([
      ['docs/gone.md', 1],
      ['src/skill/gone.ts', 2],
      ['sim/gone.ts', 6],
    ]);
    expect(citationsIn('# see docs/gone.md\nrun: x # and src/gone.ts\nname: test/not-this.ts', 'hash').map((c) => c.ref)).toEqual([
      'docs/gone.md',
      'src/gone.ts',
    ]);
  });

  it('accepts what is here, placeholders for any name, fixture repositories and outputs', () => {
    for (const ok of [
      'src/skill/load.ts',
      'src/skill/',
      'src/skill',
      'test/NAME.test.ts',
      'src/skill/*.ts',
      'src/<folder>/load.ts',
      'src/api/server.ts',
      'reports/mutation/',
      'mutation/NAME.json',
      'codex-fidelity.md',
    ])
      expect([ok, why(ok)]).toEqual([ok, null]);
    // A README may name its neighbours.
    expect(why('load.ts/', 'src/skill/README.md')).toBeNull();
  });

  it('refuses a missing file, an absolute path and anything beside the repository', () => {
    expect(why('src/skill/gone.ts')).toBe('no such file in the repository');
    expect(why('docs/plan.md')).toBe('no such file in the repository');
    expect(why('plan.md')).toBe('no such file in the repository');
    expect(why('reference/rules.md')).toBe('no such file in the repository');
    expect(why('/work/elsewhere/plan.md')).toBe('an absolute path (cite the repository, not a machine)');
    expect(why('../shared/notes.md')).toBe('outside the repository');
    // Only the helper that reads the public skill may name where it sits, and only that.
    expect(why('../shared/skills/codex-thread-team/', 'test/support/skills.ts', true)).toBeNull();
    expect(why('../shared/plan.md', 'test/support/skills.ts', true)).toBe('outside the repository');
  });

  it('a placeholder stands for one name, not for a path', () => {
    expect(patternOf('test/NAME.test.ts').test('test/forms.test.ts')).toBe(true);
    expect(patternOf('test/NAME.test.ts').test('test/sim/forms.test.ts')).toBe(false);
    expect(patternOf('src/skill').test('src/skill/load.ts')).toBe(true);
    expect(patternOf('src/skill').test('src/skills/load.ts')).toBe(false);
  });
});
