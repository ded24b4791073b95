// Golden forms: for every template of the skills kept in this repository, the form it parses
// to, what filling it takes, the text filled with fixed values, and what reading that text
// back (and three seeded rewrites of it) gives, stored in __snapshots__/forms-golden.test.ts.snap.
//
// Why: the property test (forms.property.test.ts) checks that values come back, whatever
// they are; it does not notice a change in how a template is understood (a field that became
// a pattern, a hole that lost its slot, a line number that moved, text read as extra) as long
// as the round trip still works. Here any such change shows as a diff of the stored reading,
// for a person to accept (`npx vitest run test/forms-golden.test.ts -u`) or fix.
//
// Only the skills in this repository are stored: the public skill's text must not be copied
// into the project, and a snapshot of its forms would be a copy.

import { describe, expect, it } from 'vitest';
import { fillForm, formSchema, formsOf, loadSkill, paraphrase, readForm, type FillValues, type Form, type FormReading } from '../src/skill/index.ts';
import { TEMPLATE_KINDS } from '../src/skill/types.ts';
import { lazy } from './support/lazy.ts';
import { REPO_SKILLS } from './support/skills.ts';

/** Fixed values for every scalar and two rows for every collection. */
function valuesFor(form: Form): FillValues {
  const schema = formSchema(form);
  const out: Record<string, unknown> = {};
  for (const s of schema.scalars) out[s.key] = s.options ? s.options.at(-1)! : s.inline ? `${s.key}-value` : `- ${s.key} one\n- ${s.key} two`;
  for (const c of schema.collections) {
    // A slot listed twice (merges) keeps the rows it was given first.
    if (!c.slot || (out[c.slot] !== undefined && typeof out[c.slot] !== 'string')) continue;
    out[c.slot] = [1, 2].map((i) =>
      Object.fromEntries(c.columns.map((col) => [col.key, col.options ? col.options[(i - 1) % col.options.length]! : `${col.key}-${i}`])),
    );
  }
  return out as FillValues;
}

/** The parts of a reading a change would show in, without the noise of empty fields. */
const shownReading = (r: FormReading) => ({
  score: r.score,
  found: `${r.found}/${r.anchors}`,
  values: r.values,
  holes: r.holes,
  lists: r.lists,
  subjects: r.subjects,
  ...(r.missing.length ? { missing: r.missing } : {}),
  ...(r.unfilled.length ? { unfilled: r.unfilled } : {}),
  ...(r.extra ? { extra: r.extra } : {}),
});

/** A seeded linear congruential source, as the property test uses. */
const lcg = (seed: number) => {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
};

describe('golden forms', () => {
  for (const { name, dir } of REPO_SKILLS) {
    const forms = lazy(async () => formsOf((await loadSkill(dir)).profile!.templates));
    for (const kind of TEMPLATE_KINDS) {
      describe(`${name} ${kind}`, () => {
        it('parses to these elements and this schema', async () => {
          const form = (await forms())[kind];
          expect(form.file).toMatchSnapshot('file');
          expect({ line: form.line, elements: form.elements }).toMatchSnapshot('form');
          expect(formSchema(form)).toMatchSnapshot('schema');
        });
        it('fills with fixed values to this text, read back as this', async () => {
          const form = (await forms())[kind];
          const text = fillForm(form, valuesFor(form), { free: (h) => `${h.name} text` });
          expect(text).toMatchSnapshot('filled');
          expect(shownReading(readForm(form, text))).toMatchSnapshot('reading');
        });
        it.each([1, 2, 3])('a rewrite with seed %i reads back as this', async (seed) => {
          const form = (await forms())[kind];
          const text = fillForm(form, valuesFor(form), { free: (h) => `${h.name} text` });
          const rewritten = paraphrase(text, form, lcg(seed));
          expect({ applied: rewritten.applied, text: rewritten.text }).toMatchSnapshot('rewrite');
          expect(shownReading(readForm(form, rewritten.text))).toMatchSnapshot('reading');
        });
      });
    }
  }
});
