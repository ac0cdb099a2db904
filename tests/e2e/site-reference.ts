/**
 * The reference the dashboard's recomputations are checked against: a project built in Node by the
 * engine's plain `build`, with the reader's settings written into the project itself — weights into the
 * framework's nodes (not a live weight step), the normalisation and aggregation into the spec's steps —
 * so the page's path (`LiveSession.specOf`: weight steps, regenerate from the changed step) is compared
 * with an independent one.
 */
import { loadProject } from '../../src/formats/project.ts';
import { build, type Build } from '../../src/engine/pipeline/build.ts';
import { methodSpec, type LiveSettings } from '../../web/src/choices.ts';

/** Build `project` with the settings applied to its framework and spec. */
export async function referenceBuild(project: string, settings: LiveSettings): Promise<Build> {
  const p = await loadProject(project);
  const weight = new Map<string, number>([
    ...Object.entries(settings.weights ?? {}),
    ...Object.entries(settings.indicators ?? {}),
  ]);
  const framework = {
    ...p.input.framework,
    nodes: p.input.framework.nodes.map((n) => (weight.has(n.code) ? { ...n, weight: weight.get(n.code)! } : n)),
  };
  return build({ ...p.input, framework }, methodSpec(p.spec, settings.normalise, settings.aggregate));
}
