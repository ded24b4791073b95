// One import and check of a Codex home, in a process of its own so its peak memory is its own:
// prints {ms, events, maxRssMB} as JSON. Used by the `import` section of bench/run.ts.
import { pickLeader, readRollouts } from '../app/import/find.ts';
import { rolloutsToTrace } from '../app/import/to-trace.ts';
import { checkTrace } from '../src/invariants/index.ts';
import { loadSkill } from '../src/skill/index.ts';

const [home, skillDir] = process.argv.slice(2) as [string, string];
const profile = (await loadSkill(skillDir)).profile!;
const start = performance.now();
const { threads } = await readRollouts({ codexHome: home });
const leader = pickLeader(threads, undefined, undefined);
const run = rolloutsToTrace({ leader, others: new Map(threads.filter((t) => t !== leader).map((t) => [t.id, t])), profile });
checkTrace(run.events);
const ms = performance.now() - start;
console.log(JSON.stringify({ ms, events: run.events.length, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
