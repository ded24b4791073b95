// The forms reader's defining property, for every template of every skill we ship or test
// with: reading a filled-in template gives the values back, and still does after a seeded
// rewrite of the kind a model makes (fields moved, lists renumbered and re-marked, prose
// added, a table row added, markdown around it, CRLF).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillForm, formSchema, listItems, loadSkill, paraphrase, readForm, type FillRow, type Form, type FormReading, formsOf } from '../src/skill/index.ts';
import { TEMPLATE_KINDS } from '../src/skill/types.ts';
import { lazy } from './support/lazy.ts';
import { allSkills } from './support/skills.ts';

const RUNS = Number(process.env.FORMS_RUNS ?? 60);

/** Words a value may hold: paths, commands, ids, punctuation a person writes; never a label of the form. */
const word = fc.constantFrom(
  'alpha',
  'src/api/billing.ts',
  'npm test',
  'gamma-delta',
  '019a-7f3c',
  'v2.1',
  'ok',
  '(see notes)',
  'a, b',
  'x_y',
  '42',
  'README.md',
  'on',
);
const line = fc.array(word, { minLength: 1, maxLength: 4 }).map((ws) => ws.join(' '));
const block = fc.array(line, { minLength: 1, maxLength: 3 }).map((ls) => ls.map((l) => `- ${l}`).join('\n'));
/**
 * Names, ids, branches and paths are single tokens: a role written `api (see notes)` inside
 * `Assignment for <role> (<id>)` could not be told from the id by anyone. Free text may hold
 * anything but the separator that follows it on its line (a field's last hole takes the rest).
 */
const token = fc.constantFrom(
  'api',
  'db-2',
  '019a-7f3c-0000',
  'codex/b4fe22fd',
  '/worktrees/x/repo',
  'd48542a57d5f',
  '.thread-team/report.md',
  'gpt-5.4',
  'main',
);
const TOKENS =
  /^(role|leader-thread-id|worker-thread-id|thread-id|branch|integration-branch|working-directory|repo-path|base-commit|commit-sha|report-path|notes-path|journal-path|model|thinking)$/;
const inlineValue = (key: string) => (TOKENS.test(key) ? token : line);

/** Values for every scalar and every row of a form, as its schema asks. */
function valuesArb(form: Form): fc.Arbitrary<{ scalars: Record<string, string>; rows: Record<string, FillRow[]> }> {
  const schema = formSchema(form);
  const scalars = Object.fromEntries(schema.scalars.map((s) => [s.key, s.options ? fc.constantFrom(...s.options) : s.inline ? inlineValue(s.key) : block]));
  // One set of rows per collection slot (a slot listed twice, as merges are, takes the same rows).
  const columns = new Map<string, Map<string, fc.Arbitrary<string>>>();
  for (const c of schema.collections) {
    if (!c.slot) continue;
    const cols = columns.get(c.slot) ?? new Map<string, fc.Arbitrary<string>>();
    for (const col of c.columns) if (!cols.has(col.key)) cols.set(col.key, col.options ? fc.constantFrom(...col.options) : inlineValue(col.key));
    columns.set(c.slot, cols);
  }
  const rows = Object.fromEntries([...columns].map(([slot, cols]) => [slot, fc.array(fc.record(Object.fromEntries(cols)), { minLength: 1, maxLength: 3 })]));
  return fc.record({ scalars: fc.record(scalars), rows: fc.record(rows) }) as never;
}

/** What a value means, decoration aside: its lines without list markers. */
const meaning = (v: string | undefined) => listItems(v ?? '').join('\n');

function expectReadBack(form: Form, r: FormReading, scalars: Record<string, string>, rows: Record<string, FillRow[]>): void {
  const schema = formSchema(form);
  for (const s of schema.scalars) {
    if (s.slot && rows[s.slot]) continue; // the rows give it
    const got = s.slot ? r.values[s.slot] : r.holes[s.key];
    expect(meaning(got), `${form.file}: ${s.key}`).toBe(meaning(scalars[s.key]));
  }
  for (const c of schema.collections) {
    if (!c.slot) continue;
    const list = r.lists.find(
      (l) =>
        l.slot === c.slot && l.rows.length > 0 && c.columns.every((col) => (col.slot ? l.rows[0]!.values[col.slot] : l.rows[0]!.holes[col.key]) !== undefined),
    );
    const seen = (list?.rows ?? []).map((x) => c.columns.map((col) => meaning(col.slot ? x.values[col.slot] : x.holes[col.key])).join(' | ')).sort();
    const want = rows[c.slot]!.map((x) => c.columns.map((col) => meaning(x[col.key])).join(' | ')).sort();
    expect(seen, `${form.file}: rows of ${c.slot}`).toEqual(want);
  }
  expect(r.score, `${form.file}: every anchor found`).toBe(1);
}

describe('forms: read(fill(values)) gives the values back', () => {
  for (const skill of allSkills()) {
    const forms = lazy(async () => formsOf((await loadSkill(skill.dir)).profile!.templates));
    for (const kind of TEMPLATE_KINDS) {
      it(`${skill.name} ${kind}`, async () => {
        const form = (await forms())[kind];
        fc.assert(
          fc.property(valuesArb(form), fc.integer({ min: 0, max: 2 ** 31 - 1 }), ({ scalars, rows }, seed) => {
            const text = fillForm(form, { ...scalars, ...rows });
            expectReadBack(form, readForm(form, text), scalars, rows);
            // A model's rewrite of it, seeded.
            let s = seed >>> 0;
            const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
            const rewritten = paraphrase(text, form, rand);
            expect(rewritten.applied.length).toBeGreaterThan(0);
            expectReadBack(form, readForm(form, rewritten.text), scalars, rows);
          }),
          { numRuns: RUNS },
        );
      });
    }
  }
});
