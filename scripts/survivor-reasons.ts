// Why each mutant that survives is left alive. An equivalent mutant is marked in the source
// (`// Stryker disable next-line Mutator: why`), so Stryker skips it; a mutant that is not
// equivalent but is left (defensive code no input reaches, a wording the checks do not read)
// has its reason in mutation/survivors.yaml, so the score report can print every survivor with
// its reason and count those that have none.
//
// An entry names a file, a piece of the mutated line's text and the mutators it covers. It is
// matched by text, not by line number, so an edit elsewhere in the file does not orphan it; an
// entry that matches no survivor any more is reported, so the file cannot rot unseen.

import { parseDocument } from 'yaml';

export interface Reason {
  path: string;
  /** Text the mutated line contains. */
  line: string;
  /** Mutator names (Stryker's: ConditionalExpression, StringLiteral, …) it explains. */
  mutators: string[];
  why: string;
}

export interface Survivor {
  path: string;
  /** The mutated line's text. */
  text: string;
  mutator: string;
}

/** The reasons in a survivors.yaml text; a malformed entry is one error naming its place. */
export function parseReasons(text: string, file = 'mutation/survivors.yaml'): Reason[] {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length) throw new Error(`${file}: not YAML (${doc.errors[0]!.message.split('\n')[0]})`);
  const v: unknown = doc.toJS() ?? {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new Error(`${file}: expected a map from file paths to lists of reasons`);
  const out: Reason[] = [];
  for (const [path, list] of Object.entries(v as Record<string, unknown>)) {
    if (!Array.isArray(list)) throw new Error(`${file}: ${path}: expected a list of reasons`);
    list.forEach((e: unknown, k) => {
      const at = `${file}: ${path}[${k}]`;
      if (typeof e !== 'object' || e === null) throw new Error(`${at}: expected {line, mutators, why}`);
      const { line, mutators, why } = e as Record<string, unknown>;
      if (typeof line !== 'string' || !line.trim()) throw new Error(`${at}.line: expected the text of the mutated line (part of it)`);
      const names = typeof mutators === 'string' ? [mutators] : mutators;
      if (!Array.isArray(names) || !names.length || !names.every((n) => typeof n === 'string' && /^\w+$/.test(n)))
        throw new Error(`${at}.mutators: expected a mutator name or a list of them (e.g. [ConditionalExpression])`);
      if (typeof why !== 'string' || !why.trim()) throw new Error(`${at}.why: expected the reason, in words`);
      out.push({ path, line: line.trim(), mutators: names as string[], why: why.trim() });
    });
  }
  return out;
}

/** The reason that explains a survivor, if any: same file, its line contains the entry's text, its mutator listed. */
export function reasonFor(s: Survivor, reasons: readonly Reason[]): Reason | undefined {
  const text = s.text.replace(/\s+/g, ' ');
  return reasons.find((r) => r.path === s.path && r.mutators.includes(s.mutator) && text.includes(r.line.replace(/\s+/g, ' ')));
}

/** The reasons no survivor needs any more (its code changed, or a test now kills the mutant), among those of `paths`. */
export function unusedReasons(survivors: readonly Survivor[], reasons: readonly Reason[], paths: ReadonlySet<string>): Reason[] {
  const used = new Set(survivors.map((s) => reasonFor(s, reasons)).filter((r) => r !== undefined));
  return reasons.filter((r) => paths.has(r.path) && !used.has(r));
}
