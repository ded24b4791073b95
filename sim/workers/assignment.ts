// What a simulated worker knows of its job: read from the registration and dispatch it
// received by the skill module's forms reader, so a worker understands what a careful
// person would understand (and a message that is not the skill's template, not at all).

export type { Assignment } from '../../src/skill/views.ts';
