// `npm run mutate [-- NAME...]`: mutation-tests each target of scripts/mutate-targets.mjs
// (default: all) with Stryker, one after the other (each uses both cores), then prints the
// scores per file and checks each target's goal (exit 1 when one is not met).

import { spawnSync } from 'node:child_process';
// @ts-expect-error: a plain ES module shared with stryker.config.mjs
import { TARGETS } from './mutate-targets.mjs';

const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = asked.filter((a) => !(a in TARGETS));
if (unknown.length) {
  console.error(`mutate: unknown target ${unknown.join(', ')}; expected ${Object.keys(TARGETS).join(', ')}`);
  process.exit(2);
}
const names = asked.length ? asked : Object.keys(TARGETS);
for (const name of names) {
  console.log(`\n== mutation testing ${name} (${(TARGETS as Record<string, { mutate: string[] }>)[name]!.mutate.join(' ')})`);
  const r = spawnSync('npx', ['stryker', 'run'], { stdio: 'inherit', env: { ...process.env, MUTATE_TARGET: name } });
  if (r.status !== 0) {
    console.error(`mutate: stryker failed on ${name} (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}
const s = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/mutation-score.ts', ...names], { stdio: 'inherit' });
process.exit(s.status ?? 1);
