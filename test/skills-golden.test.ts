// Golden skills: what the loader and the linter make of each skill kept in this repository
// (every fact with where it was read, the facts left to protocol defaults, each template's
// holes and slots, every finding), stored in __snapshots__/skills-golden.test.ts.snap.
// skill-findings.test.ts pins each rule through edited copies of skill/; this pins the other
// skills' wordings as a whole, cheaply, so a reader change that moves any of them shows as a
// diff to accept (`-u`) or fix. The public skill is checked elsewhere and never stored here
// (a snapshot of it would copy its text into the project).

import { describe, expect, it } from 'vitest';
import { lintSkill, readSkill } from '../src/skill/index.ts';
import { REPO_SKILLS } from './support/skills.ts';

describe('golden skills', () => {
  for (const { name, dir } of REPO_SKILLS) {
    it(`${name}: facts, defaults, templates and findings`, async () => {
      const parts = await readSkill(dir);
      const templates = Object.fromEntries(Object.entries(parts.templates).map(([kind, t]) => [kind, { file: t.file, line: t.line, holes: t.holes }]));
      expect({ facts: parts.facts, defaulted: parts.defaulted, templates, findings: parts.findings }).toMatchSnapshot('read');
      const linted = await lintSkill(dir);
      expect(linted.findings).toMatchSnapshot('lint');
      expect(linted.profile).not.toBeNull();
    });
  }
});
