// The scenario format's JSON Schema (schema/scenario.schema.json) is generated from the zod
// schema the loader uses; editors find it through the first line of every catalogue file.

import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SCENARIO_SCHEMA_PATH, SCHEMA_LINE, scenarioJsonSchema } from '../../sim/scenario/json-schema.ts';
import { faultSchema, scenarioSchema } from '../../sim/scenario/schema.ts';
import { FAULT_EXAMPLES, FAULT_MEANINGS } from '../../sim/scenario/examples.ts';
import { REFERENCE_END, REFERENCE_START, scenarioReference, withReference } from '../../sim/scenario/reference.ts';
import { BEHAVIOURS } from '../../sim/workers/behaviours.ts';

const committed = () => readFileSync(SCENARIO_SCHEMA_PATH, 'utf8');
const catalogue = () => readdirSync('scenarios').filter((f) => f.endsWith('.yaml'));

describe('the scenario JSON Schema', () => {
  it('is the one the zod schema gives (after a change to the scenario schema: npm run schema)', () => {
    expect(committed(), 'schema/scenario.schema.json is out of date: run npm run schema').toBe(scenarioJsonSchema());
  });

  it('would differ with one more field: the check above cannot pass by accident', () => {
    const grown = z.toJSONSchema(scenarioSchema.extend({ extra: z.string().optional() }), { io: 'input' }) as { properties: object };
    expect(Object.keys(grown.properties)).toContain('extra');
    expect(Object.keys((JSON.parse(committed()) as { properties: object }).properties)).not.toContain('extra');
  });

  it('every catalogue file names it on its first line, and uses only fields it knows', () => {
    const known = new Set(Object.keys((JSON.parse(committed()) as { properties: object }).properties));
    expect(catalogue().length).toBeGreaterThan(20);
    for (const f of catalogue()) {
      const text = readFileSync(`scenarios/${f}`, 'utf8');
      expect(text.split('\n')[0], f).toBe(SCHEMA_LINE);
      for (const key of Object.keys(parse(text) as object)) expect(known.has(key), `${f}: ${key}`).toBe(true);
    }
  });

  it("the README's scenario reference is the generated one (after a change: npm run schema)", () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain(REFERENCE_START);
    expect(withReference(readme), "README.md's scenario reference is out of date: run npm run schema").toBe(readme);
  });

  it('every fault kind has a meaning (the reference and the legend of show say what it does), and only those', () => {
    expect(Object.keys(FAULT_MEANINGS).sort()).toEqual(Object.keys(FAULT_EXAMPLES).sort());
    for (const m of Object.values(FAULT_MEANINGS)) expect(m.length).toBeGreaterThan(10);
  });

  it('the reference names every field, behaviour and fault kind, each fault with an example that parses', () => {
    const ref = scenarioReference();
    expect(ref.startsWith(REFERENCE_START) && ref.endsWith(REFERENCE_END)).toBe(true);
    for (const key of Object.keys((JSON.parse(committed()) as { properties: object }).properties)) expect(ref).toContain(`| \`${key}\``);
    for (const b of BEHAVIOURS) expect(ref).toContain(`- \`${b}\``);
    for (const [kind, example] of Object.entries(FAULT_EXAMPLES)) {
      expect(ref).toContain(`| \`${kind}\` | ${FAULT_MEANINGS[kind]} |`);
      expect(() => faultSchema.parse(JSON.parse(JSON.stringify(example).replace(/"ROLE"/g, '"ui"')))).not.toThrow();
    }
  });
});
