// `npm run bench -- memory`: one process exploring RUNS runs (default 10,000), its resident set
// sampled as it goes: a harness that kept something per run would grow with the runs. Run in a
// child of its own by bench/run.ts, so nothing else shares its heap. Prints one JSON line.
// Resident size is also how much heap V8 chose to keep; with --expose-gc the heap left after a
// full collection at each mark is printed too, which grows only if runs keep something.
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { explore } from '../app/explore/explore.ts';
import { loadSkill } from '../src/skill/index.ts';

const runs = Number(process.argv[2] ?? 10_000);
const marks = [100, 1_000, 2_500, 5_000, 7_500, 10_000].filter((m) => m <= runs);
const { profile } = await loadSkill(fileURLToPath(new URL('../skill', import.meta.url)));
const rss: Record<number, number> = {};
/** The heap still in use at each mark once a full collection has run: what the runs kept. */
const live: Record<number, number> = {};
const collect = (globalThis as { gc?: () => void }).gc;
let peak = 0;
const started = performance.now();
await explore({
  runs,
  seed: 7,
  profile: profile!,
  onProgress: (p) => {
    const now = process.memoryUsage().rss;
    peak = Math.max(peak, now);
    if (p.phase === 'explore' && marks.includes(p.done) && rss[p.done] === undefined) {
      rss[p.done] = Math.round(now / 1e6);
      collect?.();
      live[p.done] = Math.round(process.memoryUsage().heapUsed / 1e6);
    }
  },
});
console.log(JSON.stringify({ runs, seconds: (performance.now() - started) / 1000, rssMB: rss, liveMB: live, peakMB: Math.round(peak / 1e6) }));
