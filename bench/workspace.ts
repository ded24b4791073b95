// The in-memory workspace's cost per simulated run: init + 10 commits + 3 worktrees +
// 3 merges, median of 30 runs (after 5 warm-up runs), plus a snapshot clone.
//
//   node --import tsx bench/workspace.ts
//
// isomorphic-git picks its SHA-1 and deflate once per process, so each codec choice is
// measured in its own child process:
//   sync         what the workspace does: sha.js + pako (see src/workspace/fast-git.ts)
//   web          isomorphic-git's own choice on Node: crypto.subtle + CompressionStream
//   native-sha1  for comparison only: crypto.subtle.digest patched to node's createHash

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import * as git from 'isomorphic-git';
import { Volume } from 'memfs';

const MODES = ['sync', 'web', 'native-sha1'] as const;
type Mode = (typeof MODES)[number];
const RUNS = 30;
const WARMUP = 5;

const mode = process.argv.find((a) => a.startsWith('--mode='))?.slice('--mode='.length) as Mode | undefined;
if (mode === undefined) parent();
else await child(mode);

function parent(): void {
  const self = fileURLToPath(import.meta.url);
  console.log(`workspace bench: init + 10 commits + 3 worktrees + 3 merges; median of ${RUNS} runs, ms`);
  for (const m of MODES) {
    const out = spawnSync(process.execPath, [...process.execArgv, self, `--mode=${m}`], { encoding: 'utf8' });
    if (out.status !== 0) {
      console.error(out.stderr);
      process.exit(1);
    }
    process.stdout.write(out.stdout);
  }
}

async function child(m: Mode): Promise<void> {
  if (m === 'web' || m === 'native-sha1') {
    if (m === 'native-sha1') {
      const digest = async (_alg: string, data: ArrayBufferView) => {
        const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        const out = createHash('sha1').update(bytes).digest();
        return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength);
      };
      Object.defineProperty(crypto.subtle, 'digest', { value: digest, configurable: true });
      Object.defineProperty(globalThis, 'CompressionStream', { value: undefined, configurable: true });
    }
    // Lock isomorphic-git onto whatever it sees now, before the workspace can prime it.
    const { syncPromiseFs } = await import('../src/workspace/worktree-fs.ts');
    await git.writeBlob({ fs: syncPromiseFs(new Volume()), dir: '/probe', blob: new Uint8Array(0) });
  }
  const { createMemoryWorkspace } = await import('../src/workspace/memory.ts');

  const totals: number[] = [];
  const ops = { commit: [] as number[], worktreeAdd: [] as number[], merge: [] as number[] };
  const timed = async <T>(bucket: number[], f: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const r = await f();
    bucket.push(performance.now() - t);
    return r;
  };

  for (let run = 0; run < WARMUP + RUNS; run++) {
    const measured = run >= WARMUP;
    const sink = { commit: [] as number[], worktreeAdd: [] as number[], merge: [] as number[] };
    let t = 1_700_000_000;
    const start = performance.now();
    const ws = createMemoryWorkspace({ now: () => t++ });
    await ws.init(fixture(), 'main');
    const workers = ['a', 'b', 'c'];
    for (const w of workers) await timed(sink.worktreeAdd, () => ws.worktreeAdd(`/wt/${w}`, `worker-${w}`, 'main'));
    for (let i = 0; i < 3; i++) {
      for (const w of workers) {
        await ws.writeFile(`/wt/${w}`, `src/${w}/part${i}.ts`, `export const ${w}${i} = ${i};\n`);
        await ws.writeFile(`/wt/${w}`, `src/${w}.ts`, `// ${w} revision ${i}\n`.repeat(20));
        await timed(sink.commit, () => ws.commitAll(`/wt/${w}`, `${w}: part ${i}`));
      }
    }
    await ws.writeFile('/repo', 'CHANGELOG.md', '# changes\n');
    await timed(sink.commit, () => ws.commitAll('/repo', 'main: changelog'));
    for (const w of workers) {
      const result = await timed(sink.merge, () => ws.merge('/repo', `worker-${w}`, `merge worker-${w}`));
      if (result.kind !== 'merged') throw new Error(`unexpected ${result.kind}`);
    }
    const elapsed = performance.now() - start;
    if (measured) {
      totals.push(elapsed);
      ops.commit.push(...sink.commit);
      ops.worktreeAdd.push(...sink.worktreeAdd);
      ops.merge.push(...sink.merge);
    }
  }

  // Snapshot clone of a prepared fixture repository, as the explorer does per run.
  const base = createMemoryWorkspace({ now: () => 1_700_000_000 });
  await base.init(fixture(), 'main');
  const snap = base.snapshot();
  const clones: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const t = performance.now();
    const clone = createMemoryWorkspace({ now: () => 1_700_000_001, snapshot: snap });
    const elapsed = performance.now() - t;
    if (i >= WARMUP) clones.push(elapsed);
    if (clone.root !== base.root) throw new Error('clone lost its root');
  }

  const f = (n: number) => n.toFixed(2).padStart(7);
  console.log(
    `${m.padEnd(12)} run ${f(median(totals))}  (min ${f(Math.min(...totals))})` +
      `  commit ${f(median(ops.commit))}  worktreeAdd ${f(median(ops.worktreeAdd))}  merge ${f(median(ops.merge))}` +
      `  snapshot clone ${f(median(clones))}`,
  );
}

function fixture(): Record<string, string> {
  const files: Record<string, string> = { 'README.md': '# fixture\n', 'package.json': '{"name":"fixture"}\n' };
  for (let i = 0; i < 20; i++) files[`src/module${i}.ts`] = `export function f${i}() {\n  return ${i};\n}\n`.repeat(10);
  return files;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
