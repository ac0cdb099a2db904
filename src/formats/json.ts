/** JSON for results: typed arrays become plain arrays, NaN/±Infinity become null, keys keep their order. */

/**
 * Serialise any result object.
 * @example toJson({ a: new Float64Array([1, NaN]) }) // => '{\n  "a": [\n    1,\n    null\n  ]\n}'
 */
export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(
    value,
    (_key, v) => {
      if (ArrayBuffer.isView(v) && !(v instanceof DataView))
        return Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : null));
      if (typeof v === 'number' && !Number.isFinite(v)) return null;
      return v;
    },
    indent,
  );
}
