/**
 * Tiers within peer groups declared in project.yaml (`analyses.tiers.peers.field`): examples/asem's three
 * Fisher–Jenks tiers computed separately for Europe and Asia (EurAsia_group) equal classifying each
 * group on its own; an unknown grouping is a located error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProject, type LoadedProject } from '../src/formats/project.ts';
import { build, type Build } from '../src/engine/pipeline/build.ts';
import { parseAnalysesConfig, runAnalyses, resultUnits } from '../src/engine/analysis/run.ts';
import { classify } from '../src/engine/analysis/tiers.ts';
import { column } from '../src/engine/core/dataset.ts';

let p: LoadedProject;
let b: Build;
beforeAll(async () => {
  p = await loadProject('examples/asem');
  b = build(p.input, p.spec);
});

describe('analyses.tiers.peers', () => {
  it('classifies within each peer group: the same classes as each group classified alone', () => {
    const settings = parseAnalysesConfig({ tiers: { method: 'fisherJenks', k: 3, peers: { field: 'EurAsia_group' } } });
    const a = runAnalyses(b, settings, { skipUncertainty: true });
    expect(a.errors).toEqual([]);
    const t = a.tiers!;
    expect(t.method).toBe('peerBands');
    expect(t.peers.map((x) => [x.peer, x.n]).sort()).toEqual([
      ['Asia', 21],
      ['Europe', 30],
    ]);
    const y = column(b.results.scores, 'Index');
    const groups = resultUnits(b).map((u) => u.groups.EurAsia_group);
    for (const peer of ['Europe', 'Asia']) {
      const members = groups.flatMap((g, i) => (g === peer ? [i] : []));
      const alone = classify(
        members.map((i) => y[i]),
        { method: 'fisherJenks', k: 3 },
      );
      members.forEach((i, j) => expect(t.classOf[i]).toBe(alone.classOf[j]));
    }
    expect(t.gadf).toBeGreaterThan(0);
  });

  it('an unknown grouping is a located error', () => {
    const settings = parseAnalysesConfig({ tiers: { k: 3, peers: { field: 'Continent' } } });
    const a = runAnalyses(b, settings, { skipUncertainty: true });
    expect(a.errors).toHaveLength(1);
    expect(JSON.stringify(a.errors[0])).toMatch(/analyses\.tiers\.peers\.field/);
    expect(() => parseAnalysesConfig({ tiers: { peers: { by: 'EurAsia_group' } } })).toThrow();
  });
});
