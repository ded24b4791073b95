// The `diff3` package ships no types: the one function it exports, as this project calls it.
declare module 'diff3' {
  interface Hunk<T> {
    ok?: T[];
    conflict?: { a: T[]; aIndex: number; o: T[]; oIndex: number; b: T[]; bIndex: number };
  }
  /** Merges the changes from `o` to `a` and from `o` to `b`: stable hunks and conflicts, in order. */
  export default function diff3Merge<T>(a: T[], o: T[], b: T[]): Hunk<T>[];
}
