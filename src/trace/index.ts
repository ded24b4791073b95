export * from './events.ts';
export * from './trace.ts';
export * from './jsonl.ts';
