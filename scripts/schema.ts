// `npm run schema`: writes schema/scenario.schema.json from the zod scenario schema, and the
// README's scenario reference (fields, behaviours, faults) from it and the registries.
import { readFileSync, writeFileSync } from 'node:fs';
import { SCENARIO_SCHEMA_PATH, scenarioJsonSchema } from '../sim/scenario/json-schema.ts';
import { withReference } from '../sim/scenario/reference.ts';

writeFileSync(SCENARIO_SCHEMA_PATH, scenarioJsonSchema());
console.log(`wrote ${SCENARIO_SCHEMA_PATH}`);
const readme = withReference(readFileSync('README.md', 'utf8'));
if (readme === null) {
  console.error('npm run schema: README.md has no scenario-reference markers');
  process.exit(1);
}
writeFileSync('README.md', readme);
console.log('wrote the scenario reference in README.md');
