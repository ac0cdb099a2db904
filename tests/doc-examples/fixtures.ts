/**
 * The named fixtures every `@example` block may use (see `tests/doc-examples.test.ts`). Keep this set
 * small: an example that needs something else builds it inline from literals.
 *
 * - `asem`: COINr's ASEM example (`examples/asem`) as loaded from its project file: `asem.input`
 *   (`BuildInput`), `asem.spec` (`BuildSpec`) and `asem.build` (`build(asem.input, asem.spec)`).
 * - `cases`: the case library of `cases/` (`Case[]`, sorted by id).
 */
import { fileURLToPath } from 'node:url';
import { build } from '../../src/engine/pipeline/build.ts';
import { loadCases, loadProject } from '../../src/formats/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const asemProject = await loadProject(`${ROOT}examples/asem`);

/** examples/asem: its build input, spec and build. */
export const asem = {
  input: asemProject.input,
  spec: asemProject.spec,
  build: build(asemProject.input, asemProject.spec),
};

/** The case library in cases/. */
export const cases = (await loadCases(`${ROOT}cases`)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
