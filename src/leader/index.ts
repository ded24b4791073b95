export { ReferenceLeader } from './reference.ts';
export { FLAWS, type Flaw } from './flaws.ts';
export { Journal, journalPath, parseJournal, renderJournal } from './journal.ts';
export { viability, planFor } from './plan.ts';
