/** Build benchmarks: COINr's ASEM default build and the synthetic 333 × 200 build, against COINr 1.1.14's timings. */
import { loadProject } from '../src/io/project.ts';
import { build } from '../src/engine/build/build.ts';
import { timeMedian, type BenchRow } from './harness.ts';

export async function benchBuild(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const asem = await loadProject('examples/asem');
  const tAsem = await timeMedian(() => build(asem.input, asem.spec), 21, 3);
  rows.push({ name: 'build ASEM (51 × 49, COINr default)', seconds: tAsem, reference: 0.147, referenceLabel: 'COINr', target: 'faster than COINr', pass: tAsem < 0.147 });
  const tLoad = await timeMedian(() => loadProject('examples/asem'), 5, 1);
  rows.push({ name: 'load + validate ASEM project', seconds: tLoad });
  const scale = await loadProject('bench/scale-333x200');
  const tScale = await timeMedian(() => build(scale.input, scale.spec), 7, 1);
  rows.push({ name: 'build scale-333x200 (synthetic)', seconds: tScale, reference: 0.65, referenceLabel: 'COINr', target: 'faster than COINr', pass: tScale < 0.65 });
  return rows;
}
