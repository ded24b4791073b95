// The skills the tests run against. Ours and the fixtures live in the repository; the public
// thread-team skill, which this project exists for, is read from ../shared/skills/ and only
// through here: when it is absent, the tests that need it are skipped with a printed reason.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SKILL = fileURLToPath(new URL('../../skill/', import.meta.url));
export const ALT = fileURLToPath(new URL('../../fixtures/skills/alt-team/', import.meta.url));
export const FORM_STYLE = fileURLToPath(new URL('../../fixtures/skills/form-team/', import.meta.url));
export const TERSE = fileURLToPath(new URL('../../fixtures/skills/terse-team/', import.meta.url));

/** Where skill/ keeps its message templates, as the tests that edit copies of it name them. */
export const TEMPLATE_FILES = {
  registration: 'references/worker-registration-template.md',
  dispatch: 'references/worker-dispatch-template.md',
  report: 'references/worker-report-template.md',
  state: 'references/leader-state-template.md',
  final: 'references/final-report-template.md',
} as const;

const PUBLIC_DIR = fileURLToPath(new URL('../../../shared/skills/codex-thread-team/', import.meta.url));

/** The public thread-team skill's directory, or null (and a printed reason) when it is not here. */
export function publicSkill(): string | null {
  if (existsSync(`${PUBLIC_DIR}SKILL.md`)) return PUBLIC_DIR;
  console.log(`skipped: the public thread-team skill is not at ${PUBLIC_DIR} (it sits beside the repository in CI)`);
  return null;
}

/** The skills kept in this repository: ours and the fixtures (the golden tests store theirs). */
export const REPO_SKILLS: readonly { name: string; dir: string }[] = [
  { name: 'skill', dir: SKILL },
  { name: 'alt-team', dir: ALT },
  { name: 'form-team', dir: FORM_STYLE },
  { name: 'terse-team', dir: TERSE },
];

/** Every skill the tests run against: ours, the fixtures and, when here, the public one. */
export function allSkills(): { name: string; dir: string }[] {
  const pub = publicSkill();
  return [...REPO_SKILLS, ...(pub ? [{ name: 'codex-thread-team', dir: pub }] : [])];
}
