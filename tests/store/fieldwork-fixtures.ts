/**
 * What tests/store/fieldwork.test.ts and tests/store/fieldwork-live.test.ts share for setting up a wave and its
 * answers: the two cities they sample, a device key, and a complete answer set of the CDGI questionnaire.
 */
import { randomBytes } from 'node:crypto';

/** Beijing's adcode (the city both suites sample first). */
export const BEIJING = '110100';
/** Shanghai's adcode. */
export const SHANGHAI = '310100';

/** A fresh device key, as a phone would make one (24 random bytes, base64url). */
export const key = (): string => randomBytes(24).toString('base64url');

/** A complete answer set of the CDGI questionnaire (all 4 = "agree", one 2, so not straight-lined). */
export function answersFor(
  city: string,
  o: { age?: number; sex?: string; all?: number } = {},
): Record<string, unknown> {
  const v = o.all ?? 4;
  return {
    fw_resident: 'yes',
    city_adcode: city,
    age: o.age ?? 30,
    sex: o.sex ?? 'male',
    infra: { INF1: v, INF2: o.all ?? 2, INF3: v },
    gov: { GOV1: v, GOV2: v, GOV3: v, GOV4: v },
    pub: { PUB1: v, PUB2: v, PUB3: v, PUB4: v, ATTN: 4 },
    life: { LIF1: v, LIF2: v, LIF3: v, LIF4: v },
    OVR: o.all ?? 4,
  };
}
