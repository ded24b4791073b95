// Fixtures that call the code under test are made inside a test, on first use, never while
// vitest collects the tests (at the top of a file or in a describe body). A fixture that
// throws at collection leaves its file with no test at all, and Stryker's vitest runner scores
// a mutant with no failing test as survived: the mutant that breaks the fixture would go
// unnoticed. Made inside a test, the same throw fails that test.

/** `make()` on the first call, the same value (or promise) after. */
export function lazy<T>(make: () => T): () => T {
  let made: { value: T } | null = null;
  return () => (made ??= { value: make() }).value;
}

/**
 * An object made on first use of any of its properties (for a fixture many tests of a
 * describe read as `m.workers`, `m.journalWrites()`): the same rule as `lazy`, in place.
 */
export function lazyObject<T extends object>(make: () => T): T {
  const made = lazy(make);
  return new Proxy({} as T, {
    get: (_, key) => {
      const target = made();
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
