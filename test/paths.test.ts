// journalPathRegex: which paths are some run's journal, and the leader id each one names.
import { describe, expect, it } from 'vitest';
import { journalPathRegex } from '../src/skill/paths.ts';
import { lazy } from './support/lazy.ts';

describe('journalPathRegex', () => {
  const re = lazy(() => journalPathRegex('.thread-team/<leader-thread-id>/state.md'));

  it('captures the hole: one path segment, whatever it holds', () => {
    expect(re().exec('.thread-team/019a-7f3c/state.md')?.[1]).toBe('019a-7f3c');
    expect(re().exec('.thread-team/a.b+c(d)/state.md')?.[1]).toBe('a.b+c(d)');
  });

  it.each([
    ['.thread-team//state.md'], // an empty segment
    ['.thread-team/a/b/state.md'], // two segments
    ['x.thread-team/a/state.md'], // anchored at the start
    ['.thread-team/a/state.md.bak'], // and at the end
    ['.thread-team/a/stateXmd'], // the dot is literal
    ['-thread-team/a/state.md'],
    ['.thread-team/a/state.m'],
  ])('%j is not a journal', (path) => {
    expect(re().test(path)).toBe(false);
  });

  it('only the first hole is a capture; every other character is literal', () => {
    const two = journalPathRegex('runs/<id>/<kind>.md');
    expect(two.exec('runs/x/<kind>.md')?.[1]).toBe('x');
    expect(two.test('runs/x/y.md')).toBe(false);
    const special = journalPathRegex('a+b(c)[d]{1}^$|\\*?/<id>/s.md');
    expect(special.exec('a+b(c)[d]{1}^$|\\*?/7/s.md')?.[1]).toBe('7');
    expect(special.test('aab(c)[d]{1}^$|\\*?/7/s.md')).toBe(false);
  });

  it('a pattern without a hole matches itself only', () => {
    const fixed = journalPathRegex('.thread-team/state.md');
    expect(fixed.test('.thread-team/state.md')).toBe(true);
    expect(fixed.test('.thread-team/x/state.md')).toBe(false);
    expect(fixed.exec('.thread-team/state.md')?.[1]).toBeUndefined();
  });
});
