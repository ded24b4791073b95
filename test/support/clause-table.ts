// Prints the clause table of src/invariants/README.md from test/support/clauses.ts, or with --write
// puts it in place of the README's table:
//   node --import tsx test/support/clause-table.ts [--write]
import { readFileSync, writeFileSync } from 'node:fs';
import { CLAUSES } from './clauses.ts';

const cell = (s: string) => s.replace(/\|/g, '\\|');
const table = [
  '| clause | rule | what it demands | broken from | the checker says |',
  '|---|---|---|---|---|',
  ...CLAUSES.map((c) => `| \`${c.id}\` | ${c.rule} | ${cell(c.clause)} | ${c.base} | ${cell(c.says)} |`),
];

if (process.argv.includes('--write')) {
  const file = new URL('../../src/invariants/README.md', import.meta.url);
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith('| clause | rule |'));
  if (start < 0) throw new Error('src/invariants/README.md: no clause table (a line starting "| clause | rule |")');
  let end = start;
  while (end < lines.length && lines[end]!.startsWith('|')) end++;
  lines.splice(start, end - start, ...table);
  writeFileSync(file, lines.join('\n'));
  console.log(`src/invariants/README.md: ${CLAUSES.length} clauses`);
} else console.log(table.join('\n'));
