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
  const last = columns.length - 1
  // The last left-aligned cell is not padded, so no line ends in spaces.
  const cell = (c: Column, i: number, text: string): string =>
    i === last && (c.align ?? "left") === "left" ? text : pad(text, widths[i]!, c.align ?? "left")
  const line = (cells: ReadonlyArray<string>, style: (s: string) => string): string =>
    `${columns.map((c, i) => style(cell(c, i, cells[i] ?? ""))).join("  ")}\n`
  let out = line(
    columns.map((c) => c.header),
    header,
  )
  for (const row of rows) out += line(row, (s) => s)
  return out
}
