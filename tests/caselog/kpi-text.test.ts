/**
 * The KPI texts readers see (name, unit, formula, numerator, denominator, exclusion reasons; report, dashboard,
 * lineage) are words in both languages: no SQL, no column or setting names.
 */
import { describe, expect, it } from 'vitest';
import { KPI_DEFINITIONS } from '../../src/engine/caselog/kpis.ts';

const CODE = /percentile_cont|within group|\bcase when\b|_s\b|\bcount\(|\bsum\(|[a-z]+_[a-z]+/i;

describe('KPI texts for readers', () => {
  it('every KPI has zh and en texts with no SQL or column names', () => {
    expect(KPI_DEFINITIONS.length).toBeGreaterThan(8);
    for (const k of KPI_DEFINITIONS) {
      const texts = [k.name, k.unit, k.formula, k.numerator, k.denominator, ...k.exclusions.map((e) => e.reason)];
      for (const t of texts) {
        if (!t) continue;
        expect(t.zh, `${k.id} zh`).toMatch(/[\u4e00-\u9fff]/);
        expect(t.en, `${k.id} en`).toMatch(/[a-z]/i);
        expect(t.zh, `${k.id}: ${t.zh}`).not.toMatch(CODE);
        expect(t.en, `${k.id}: ${t.en}`).not.toMatch(CODE);
      }
    }
  });
});
