// The scenario format as JSON Schema, generated from the zod schema the loader uses, so an
// editor (the YAML language server, VS Code) completes and checks a scenario as it is written.
// Committed at schema/scenario.schema.json; a test fails when the two differ.

import { z } from 'zod';
import { scenarioSchema } from './schema.ts';

/** Where the committed schema lives, relative to the repository. */
export const SCENARIO_SCHEMA_PATH = 'schema/scenario.schema.json';

/** The line a catalogue file starts with, so that editors find the schema (from scenarios/). */
export const SCHEMA_LINE = `# yaml-language-server: $schema=../${SCENARIO_SCHEMA_PATH}`;

/** The schema of a scenario file as written (defaults may be left out), as JSON text. */
export function scenarioJsonSchema(): string {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input' });
  return `${JSON.stringify({ ...schema, title: 'thread-team-sim scenario', description: 'A scenario for thread-team-sim run (scenarios/*.yaml).' }, null, 2)}\n`;
}
