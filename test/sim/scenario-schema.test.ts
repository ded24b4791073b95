// The scenario format's JSON Schema (schema/scenario.schema.json) is generated from the zod
// schema the loader uses; editors find it through the first line of every catalogue file.

import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SCENARIO_SCHEMA_PATH, SCHEMA_LINE, scenarioJsonSchema } from '../../sim/scenario/json-schema.ts';
import { scenarioSchema } from '../../sim/scenario/schema.ts';

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
});
