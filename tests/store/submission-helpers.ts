/**
 * Helpers of the submission tests (store, server) and the submissions bench: a template filled as a
 * city officer would fill it in Excel (values and source notes typed into the unlocked cells, nothing
 * else touched), hostile edits of a template's zip parts, and the error code of a rejected promise.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { CityIndexError } from '../../src/engine/core/errors.ts';
import { writeSubmissionTemplate, type TemplateSpec } from '../../src/formats/template.ts';
import { templateSpec } from '../../src/store/submission-flow.ts';
import type { Principal } from '../../src/store/principal.ts';
import type { Store } from '../../src/store/store.ts';

/** The template of `unit` with `values` typed into the Value (and Source note) cells. */
export async function filledTemplate(
  store: Store,
  actor: Principal,
  roundId: number,
  unit: string,
  values: ReadonlyMap<string, number | null>,
  source = 'Statistical bulletin 2024 / 统计公报',
): Promise<Uint8Array> {
  return writeSubmissionTemplate(fill(await templateSpec(store, actor, roundId, unit), values, source));
}

/** A template spec with `values` entered (what Excel would save after the officer typed them). */
export function fill(spec: TemplateSpec, values: ReadonlyMap<string, number | null>, source: string): TemplateSpec {
  return {
    ...spec,
    indicators: spec.indicators.map((i) => (values.has(i.code) ? { ...i, value: values.get(i.code)!, source } : i)),
  };
}

/** The template's zip parts edited by `edit` (part name → bytes; delete or add parts freely). */
export function editParts(bytes: Uint8Array, edit: (parts: Record<string, Uint8Array>) => void): Uint8Array {
  const parts = unzipSync(bytes);
  edit(parts);
  return zipSync(parts);
}

/** A part's XML text edited by `f`. */
export function editXml(parts: Record<string, Uint8Array>, name: string, f: (xml: string) => string): void {
  parts[name] = strToU8(f(strFromU8(parts[name])));
}

/** The error code a promise rejects with (a CityIndexError's first issue), or 'resolved'. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CityIndexError) return e.issues[0].code;
    throw e;
  }
  return 'resolved';
}

/** The issues a promise rejects with. */
export async function issuesOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof CityIndexError) return e.issues;
    throw e;
  }
  return [];
}
