/**
 * The workbench's one data table (data status, editions, comparison, review): a scrolling wrapper, a
 * caption for screen readers, column headers with `scope="col"`, the first cell of each row as its
 * row header (`scope="row"`), numbers right-aligned (`num`), and a column whose header is for screen
 * readers only (an action column). Rows carry their own `data-…` attributes and class for tests and
 * styles.
 */
import type { ReactNode } from 'react';

/** One column: its header, its cell per row, and how it is laid out. */
export interface WbColumn<R> {
  /** Stable key of the column (React key). */
  key: string;
  /** Header text (or nodes). */
  header: ReactNode;
  /** The header is read by screen readers only (e.g. the column of buttons or links). */
  hiddenHeader?: boolean;
  /** A number column: right-aligned header and cells. */
  num?: boolean;
  /** More classes of the column's cells. */
  className?: string;
  cell: (row: R) => ReactNode;
}

/** The props of `WbTable`. */
export interface WbTableProps<R> {
  /** `data-testid` of the table (what the browser tests find it by). */
  testId: string;
  /** The table's caption (visually hidden). */
  caption: string;
  /** Columns in order; the first is each row's header cell. */
  columns: ReadonlyArray<WbColumn<R>>;
  rows: readonly R[];
  rowKey: (row: R) => string | number;
  /** Attributes of a row's `<tr>` (`data-…`, `className`). */
  rowProps?: (row: R) => Record<string, string | number | undefined>;
}

const classes = (...names: Array<string | false | undefined>) => names.filter(Boolean).join(' ') || undefined;

/** A workbench table (see the module comment). */
export function WbTable<R>({ testId, caption, columns, rows, rowKey, rowProps }: WbTableProps<R>) {
  return (
    <div className="scroll">
      <table className="wb-table" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" key={c.key} className={classes(c.num && 'num')}>
                {c.hiddenHeader ? <span className="visually-hidden">{c.header}</span> : c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={rowKey(r)} {...rowProps?.(r)}>
              {columns.map((c, i) =>
                i === 0 ? (
                  <th scope="row" key={c.key} className={classes(c.num && 'num', c.className)}>
                    {c.cell(r)}
                  </th>
                ) : (
                  <td key={c.key} className={classes(c.num && 'num', c.className)}>
                    {c.cell(r)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
