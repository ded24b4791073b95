import type { Workspace } from '../ports/workspace.ts';

/** The largest conflict the leader resolves by itself (lines on either side of one hunk). */
const SMALL = 6;

/**
 * A conflict is mechanical when every hunk is small and both sides only add lines the other
 * does not have (two appends at one place): keeping both sides, ours first, is then right.
 * Anything else goes back to the owner. Returns true when every path was resolved.
 */
export async function resolveMechanically(ws: Workspace, dir: string, paths: string[]): Promise<boolean> {
  const resolved = new Map<string, string>();
  for (const p of paths) {
    const text = await ws.readFile(dir, p);
    if (text === null) return false;
    const out = resolveText(text);
    if (out === null) return false;
    resolved.set(p, out);
  }
  for (const [p, text] of resolved) await ws.writeFile(dir, p, text);
  return true;
}

export function resolveText(text: string): string | null {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('<<<<<<<')) {
      out.push(lines[i]!);
      continue;
    }
    const ours: string[] = [];
    const theirs: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j]!.startsWith('======='); j++) {
      if (lines[j]!.startsWith('|||||||')) return null; // a base section: not a pure double append
      ours.push(lines[j]!);
    }
    for (j++; j < lines.length && !lines[j]!.startsWith('>>>>>>>'); j++) theirs.push(lines[j]!);
    if (j >= lines.length) return null;
    if (ours.length > SMALL || theirs.length > SMALL) return null;
    out.push(...ours, ...theirs.filter((l) => !ours.includes(l)));
    i = j;
  }
  return out.join('\n');
}
