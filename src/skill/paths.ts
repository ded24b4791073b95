/**
 * The paths of every run's journal, from the skill's journal path (`.thread-team/<leader-thread-id>/state.md`):
 * the hole matches one path segment, captured (the leader's thread id).
 */
export function journalPathRegex(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/<[^>]+>/, '([^/]+)')}$`);
}
