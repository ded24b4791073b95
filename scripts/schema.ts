// `npm run schema`: writes schema/scenario.schema.json from the zod scenario schema.
import { writeFileSync } from 'node:fs';
import { SCENARIO_SCHEMA_PATH, scenarioJsonSchema } from '../sim/scenario/json-schema.ts';

writeFileSync(SCENARIO_SCHEMA_PATH, scenarioJsonSchema());
console.log(`wrote ${SCENARIO_SCHEMA_PATH}`);
