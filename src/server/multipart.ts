/**
 * Reading an upload (multipart/form-data) the same way on every route that takes one: a request that is not
 * multipart is E_UPLOAD, each file part goes to the caller's `onFile` (kept in memory, or streamed to a
 * temporary file), short text fields into a Map, any broken limit of @fastify/multipart (parts, files,
 * fields, file size) E_UPLOAD_LIMIT (413), and a request without a file E_UPLOAD on `file`. The limits
 * themselves are set where the route's scope registers the plugin (or per request in `limits`).
 */
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { CityIndexError } from '../engine/core/errors.ts';

/** What `readUpload` needs from its route. */
export interface UploadOptions<F> {
  /** Per-request limits (default: the scope's). */
  limits?: Record<string, number>;
  /** What the route expects, for the error of a request that is not multipart. */
  expected: string;
  /** What the route expects when a limit is broken. */
  expectedLimit: string;
  /** Take one file part (read it whole, or stream it somewhere) and return what the route keeps of it. */
  onFile: (part: MultipartFile) => Promise<F>;
}

/**
 * The upload of a request: its (last) file as `onFile` returned it, and its text fields.
 * @example // no-run: needs a Fastify request with @fastify/multipart registered (tests/server/*)
 * const { file, fields } = await readUpload(req, {
 *   expected: 'one file', expectedLimit: 'one file of at most 1 MiB',
 *   onFile: async (part) => ({ fileName: part.filename, bytes: await part.toBuffer() }),
 * });
 */
export async function readUpload<F>(
  req: FastifyRequest,
  o: UploadOptions<F>,
): Promise<{ file: F; fields: Map<string, string> }> {
  if (!req.isMultipart())
    throw new CityIndexError({
      code: 'E_UPLOAD',
      message: 'send the file as multipart/form-data / 请以 multipart/form-data 上传文件',
      expected: o.expected,
    });
  const fields = new Map<string, string>();
  let file: F | undefined;
  let seen = false;
  try {
    for await (const part of req.parts(o.limits ? { limits: o.limits } : undefined)) {
      if (part.type === 'file') {
        file = await o.onFile(part);
        seen = true;
      } else if (typeof part.value === 'string') fields.set(part.fieldname, part.value);
    }
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (/^FST_(PARTS|FILES|FIELDS)_LIMIT$|^FST_REQ_FILE_TOO_LARGE$/.test(code))
      throw new CityIndexError({
        code: 'E_UPLOAD_LIMIT',
        message: `upload refused: ${(e as Error).message} / 上传内容超出限制`,
        field: 'file',
        expected: o.expectedLimit,
      });
    throw e;
  }
  if (!seen)
    throw new CityIndexError({
      code: 'E_UPLOAD',
      message: 'no file in the upload / 未上传文件',
      field: 'file',
      expected: 'one file',
    });
  return { file: file as F, fields };
}
