/**
 * The named fixtures every `@example` block may use (see `tests/doc-examples.test.ts`). Keep this set
 * small: an example that needs something else builds it inline from literals.
 *
 * - `asem`: COINr's ASEM example (`examples/asem`) as loaded from its project file: `asem.input`
 *   (`BuildInput`), `asem.spec` (`BuildSpec`) and `asem.build` (`build(asem.input, asem.spec)`).
 * - `cases`: the case library of `cases/` (`Case[]`, sorted by id).
 * - `pysal`: libpysal example data used in esda's tests, `{ y, w }` each: `pysal.stl` (St Louis HR8893),
 *   `pysal.book` (the 4 × 4 book lattice), `pysal.desmith` (de Smith's 10 observations).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { alignWeights, parseGal, type SpatialWeights } from '../../src/engine/analysis/spatial/weights.ts';
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

const PYSAL_DIR = `${ROOT}data/sources/pysal-examples/`;

/** One column of a GeoDa text table (line 1 "n,k", line 2 quoted header, then rows); ids "1" … "n". */
function geodaColumn(file: string, column: string): { ids: string[]; values: number[] } {
  const lines = readFileSync(`${PYSAL_DIR}${file}`, 'utf8').trim().split(/\r?\n/);
  const header = lines[1].split(',').map((h) => h.replace(/"/g, '').trim());
  const k = header.indexOf(column);
  if (k < 0) throw new Error(`${file}: no column "${column}"; expected one of ${header.join(', ')}`);
  const rows = lines.slice(2).map((l) => l.split(','));
  return { ids: rows.map((_, i) => String(i + 1)), values: rows.map((r) => Number(r[k])) };
}

function pysalExample(table: string, column: string, gal: string): { y: number[]; w: SpatialWeights } {
  const { ids, values } = geodaColumn(table, column);
  return { y: values, w: alignWeights(parseGal(readFileSync(`${PYSAL_DIR}${gal}`, 'utf8'), gal), ids) };
}

/** libpysal example data used by esda's tests: values `y` and binary contiguity weights `w` (untransformed). */
export const pysal = {
  /** St Louis homicide rates 1988–93 (HR8893, 78 counties), stl.gal. */
  stl: pysalExample('stl_hom.txt', 'HR8893', 'stl.gal'),
  /** The 4 × 4 book lattice (column y), book.gal. */
  book: pysalExample('book.txt', 'y', 'book.gal'),
  /** de Smith's 10 observations (column z), desmith.gal. */
  desmith: pysalExample('desmith.txt', 'z', 'desmith.gal'),
};
