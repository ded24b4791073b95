// Splitting a mutation target into shards, so a slow target (src/skill: thousands of mutants,
// hours on two cores) can run in pieces: on several CI jobs at once, or a piece at a time.
// A shard is a set of whole files, balanced by size; each shard reports under its own name
// (TARGET.shard-K-of-N) and `npm run mutate:score` merges them with the target's own report.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The files a target's patterns select: `DIR/**\/*.ts` includes, `!FILE` excludes. */
export function targetFiles(patterns, root = '.') {
  const out = new Set();
  for (const p of patterns.filter((x) => !x.startsWith('!'))) {
    const m = /^(.+)\/\*\*\/\*\.ts$/.exec(p);
    if (!m) throw new Error(`mutate: pattern ${p}: expected DIR/**/*.ts`);
    const walk = (dir) => {
      for (const name of readdirSync(join(root, dir)).sort()) {
        const rel = `${dir}/${name}`;
        if (statSync(join(root, rel)).isDirectory()) walk(rel);
        else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.add(rel);
      }
    };
    walk(m[1]);
  }
  for (const p of patterns.filter((x) => x.startsWith('!'))) out.delete(p.slice(1));
  return [...out].sort();
}

/** Parses `K/N` (1 ≤ K ≤ N ≤ 64); throws one line naming the flag otherwise. */
export function parseShard(text) {
  const m = /^(\d+)\/(\d+)$/.exec(text ?? '');
  const k = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || n > 64 || k < 1 || k > n) throw new Error(`mutate: --shard: expected K/N with 1 <= K <= N <= 64, got ${text ?? '(nothing)'}`);
  return { k, n };
}

/** Shard K of N: the largest files first, each to the lightest shard so far (deterministic). */
export function shardFiles(files, k, n, sizeOf = (f) => statSync(f).size) {
  const shards = Array.from({ length: n }, () => ({ bytes: 0, files: [] }));
  const bySize = files.map((f) => [f, sizeOf(f)]).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  for (const [f, size] of bySize) {
    let light = 0;
    for (let i = 1; i < n; i++) if (shards[i].bytes < shards[light].bytes) light = i;
    shards[light].bytes += size;
    shards[light].files.push(f);
  }
  return shards[k - 1].files.sort();
}
