/** Plain-text tables: a header row and left-aligned columns two spaces apart, colour-aware widths. */
import { stripAnsi } from "./colour.js"

/** Column alignment; numbers read better right-aligned. @category models */
export type Align = "left" | "right"

/** One column: its header and alignment. @category models */
export interface Column {
  readonly header: string
  readonly align?: Align
}

const pad = (cell: string, width: number, align: Align): string => {
  const gap = " ".repeat(width - stripAnsi(cell).length)
  return align === "right" ? gap + cell : cell + gap
}

/**
 * Renders rows under a header, each line ending in a newline; trailing spaces
 * are trimmed so output diffs cleanly. `header` styles the header row.
 *
 * @category constructors
 */
export const renderTable = (
  columns: ReadonlyArray<Column>,
  rows: ReadonlyArray<ReadonlyArray<string>>,
  header: (s: string) => string = (s) => s,
): string => {
  const widths = columns.map((c) => c.header.length)
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++) {
      const w = stripAnsi(row[i] ?? "").length
      if (w > widths[i]!) widths[i] = w
    }
  }
  const line = (cells: ReadonlyArray<string>): string =>
    columns
      .map((c, i) => pad(cells[i] ?? "", widths[i]!, c.align ?? "left"))
      .join("  ")
      .trimEnd()
  // The header is styled as a whole, after trimming, so no line ends in spaces.
  let out = `${header(line(columns.map((c) => c.header)))}\n`
  for (const row of rows) out += `${line(row)}\n`
  return out
}
