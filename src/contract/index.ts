/**
 * The Codex tool contract: the only place the shapes of the `codex_app` thread tools and of
 * `automation_update` are declared (arguments, result payloads, the result envelope), their
 * one-line validation errors, and their JSON-Schema form for app-server dynamic tools.
 */
export * from './common.js';
export * from './threads.js';
export * from './automation.js';
export * from './errors.js';
export * from './registry.js';
export * from './json-schema.js';
export * from './hosts.js';
