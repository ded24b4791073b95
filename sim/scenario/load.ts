import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import { scenarioSchema, type Scenario } from './schema.ts';

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/** Parse and validate scenario YAML; a problem is one line `FILE:LINE: field: what is wrong`. */
export function parseScenario(text: string, file = 'scenario.yaml'): Scenario {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = lc.linePos(e.pos[0]).line;
    throw new ScenarioError(`${file}:${line}: not valid YAML: ${e.message.split('\n')[0]}`);
  }
  const raw: unknown = doc.toJS();
  const r = scenarioSchema.safeParse(raw);
  if (r.success) return r.data;
  const issue = innermost(r.error.issues[0]!);
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  // An unknown key is reported at its parent: point at the key itself (its line, its name).
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) path.push(issue.keys[0]);
  // The deepest node of the path that exists in the file gives the line.
  let line = 1;
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      line = lc.linePos(node.range[0]).line;
      break;
    }
  }
  const field = path.length ? path.join('.') : '(top level)';
  throw new ScenarioError(`${file}:${line}: ${field}: ${issue.message}`);
}

type Issue = z.core.$ZodIssue;

/**
 * A union that matched no branch says only "Invalid input" about the whole value: report the
 * branch that got furthest instead (the deepest first issue; the first branch on a tie), with
 * its path made absolute, so `workers.ui.1.kind` and its line are named, not `workers.ui`.
 */
function innermost(issue: Issue): Issue {
  let here = issue;
  while (here.code === 'invalid_union' && here.errors.length > 0) {
    let best: Issue | undefined;
    for (const branch of here.errors) {
      const first = branch[0];
      if (first && (!best || first.path.length > best.path.length)) best = first;
    }
    if (!best) break;
    here = { ...best, path: [...here.path, ...best.path] } as Issue;
  }
  return here;
}

/** `shown` is the name errors use (a path relative to where the user stands). */
export async function loadScenario(path: string, shown = path): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ScenarioError(`${shown}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseScenario(text, shown);
}
