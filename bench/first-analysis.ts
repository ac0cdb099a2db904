/**
 * First analysis in a process against a warm one (issue 16 target 4): run as its own process (so
 * nothing ran before it), it times ASEM's uncertainty analysis (COINr's four-assumption design,
 * N = 1 000) once cold, then 9 more times, and prints them as JSON. V8 is still optimising during
 * runs 2–6 (8–29 functions compiled per run, measured with --trace-opt), so "warm" is the median of
 * runs 6–10; the median of runs 2–6 (this bench's figure until 2026-12-04) is printed beside it.
 * `benchFirstAnalysis` (in the bench process) spawns it and reports the ratio; target ≤ 1.5×.
 */
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { loadProject } from '../src/formats/project.ts';
import { build } from '../src/engine/pipeline/build.ts';
import { runAnalysis } from '../src/engine/analysis/uncertainty/analyse.ts';
import { coinrDesign } from '../src/engine/analysis/uncertainty/test-helpers.ts';
import type { BenchRow } from './harness.ts';

type Times = { first: number; warm: number; firstCpu: number; warmCpu: number; early: number; earlyCpu: number };

/** First, early (median of runs 2–6) and warm (median of runs 6–10) wall and CPU seconds of ASEM UA N = 1 000. */
async function measure(): Promise<Times> {
  const p = await loadProject('examples/asem');
  const nominal = build(p.input, p.spec);
  const options = { inputs: coinrDesign(), N: 1000, seed: 1 };
  const time = () => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    runAnalysis(p.input, p.spec, options, { nominal });
    const c = process.cpuUsage(c0);
    return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
  };
  const first = time();
  const later = Array.from({ length: 9 }, time);
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[2];
  const early = later.slice(0, 5);
  const warm = later.slice(4);
  return {
    first: first.wall,
    warm: median(warm.map((w) => w.wall)),
    firstCpu: first.cpu,
    warmCpu: median(warm.map((w) => w.cpu)),
    early: median(early.map((w) => w.wall)),
    earlyCpu: median(early.map((w) => w.cpu)),
  };
}

/** The first-analysis case: a new process, its first and warm ASEM UA N = 1 000, and their ratio. */
export async function benchFirstAnalysis(): Promise<BenchRow[]> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`first-analysis process exited ${r.status}: ${r.stderr.slice(0, 300)}`);
  const t = JSON.parse(r.stdout.trim().split('\n').pop()!) as Times;
  const ratio = t.firstCpu / t.warmCpu; // CPU time: the wall time of a loaded machine says little
  return [
    {
      name: 'first analysis in a process (ASEM UA N = 1 000), vs warm',
      seconds: t.first,
      target: '≤ 1.5× warm (CPU time)',
      pass: ratio <= 1.5,
      notes:
        `warm (runs 6–10) ${t.warm.toFixed(3)} s; ` +
        `CPU first ${t.firstCpu.toFixed(3)} s, warm ${t.warmCpu.toFixed(3)} s, ` +
        `ratio ${ratio.toFixed(2)}× (wall ${(t.first / t.warm).toFixed(2)}×); against runs 2–6 ` +
        `${(t.firstCpu / t.earlyCpu).toFixed(2)}×`,
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) console.log(JSON.stringify(await measure()));
