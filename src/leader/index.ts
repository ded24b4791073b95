export { ReferenceLeader } from './reference.ts';
export { parseJournal, renderJournal } from './journal.ts';
