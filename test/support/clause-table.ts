// Prints the clause table of src/invariants/README.md from test/clauses.ts:
//   node --import tsx test/support/clause-table.ts
import { CLAUSES } from '../clauses.ts';

const cell = (s: string) => s.replace(/\|/g, '\\|');
console.log('| clause | rule | what it demands | broken from | the checker says |');
console.log('|---|---|---|---|---|');
for (const c of CLAUSES) console.log(`| \`${c.id}\` | ${c.rule} | ${cell(c.clause)} | ${c.base} | ${cell(c.says)} |`);
