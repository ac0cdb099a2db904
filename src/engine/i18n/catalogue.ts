/**
 * The message catalogue: every reader-facing sentence and label of the report (and, over time, of
 * engine warnings and errors) under a stable code, with a Chinese and an English template over one
 * typed set of parameters.
 */
import type { Message } from './define.ts';
import { FINDING_MESSAGES } from './messages/findings.ts';
import { REPORT_MESSAGES } from './messages/report.ts';
import { REPORT_LABELS } from './messages/labels.ts';
import { ISSUE_MESSAGES } from './messages/issues.ts';
import { READABLE_MESSAGES } from './messages/readable.ts';
import { QUALITY_MESSAGES } from './messages/quality.ts';
import { AUDIT_MESSAGES } from './messages/audit.ts';
import { FIELDWORK_MESSAGES } from './messages/fieldwork.ts';
import {
  INVITE_PAGE_MESSAGES,
  PLATFORM_MESSAGES,
  RESULTS_DOWNLOAD_MESSAGES,
  UPLOAD_MESSAGES,
} from './messages/platform.ts';

type Prefixed<T, P extends string> = { readonly [K in keyof T & string as `${P}${K}`]: T[K] };

function prefixed<T extends Record<string, Message<void>>, P extends string>(prefix: P, table: T): Prefixed<T, P> {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [prefix + k, v])) as Prefixed<T, P>;
}

/** All messages by code. Issue codes (`W_…`, `E_…`) are the codes of `Issue`s, read by `localise`. */
export const CATALOGUE = {
  ...FINDING_MESSAGES,
  ...REPORT_MESSAGES,
  ...prefixed('label.', REPORT_LABELS),
  ...ISSUE_MESSAGES,
  ...READABLE_MESSAGES,
  ...QUALITY_MESSAGES,
  ...AUDIT_MESSAGES,
  ...PLATFORM_MESSAGES,
  ...FIELDWORK_MESSAGES,
  ...INVITE_PAGE_MESSAGES,
  ...UPLOAD_MESSAGES,
  ...RESULTS_DOWNLOAD_MESSAGES,
};

/** A code of the catalogue. */
export type MessageCode = keyof typeof CATALOGUE;

/** The parameters of a message (`void` when it has none). */
export type MessageParams<C extends MessageCode> = (typeof CATALOGUE)[C] extends Message<infer P> ? P : never;

/** The labels' keys (`label.<key>` codes without the prefix). */
export type LabelKey = keyof typeof REPORT_LABELS;
