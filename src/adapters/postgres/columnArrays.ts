/**
 * Created rows as one array per column, bound in binary: the server unnests
 * them with no JSON to build here or to parse there (at 200k routes the JSON
 * round cost seconds). Integers bind as int8 from `BigInt`, so a value that is
 * not an integer fails here instead of being rounded.
 */
import { PgTypes } from "@effect/sql-pg"
import { Result } from "effect"

const elementOid: Readonly<Record<string, number>> = {
  integer: PgTypes.OID.int4,
  bigint: PgTypes.OID.int8,
  text: PgTypes.OID.text,
  boolean: PgTypes.OID.bool,
}

/**
 * One array parameter per column of `types` (SQL type names, in column
 * order) over `rows`; `put` writes one row's values, in column order, into
 * `out` from `at` (the rows.ts writers), so no tuple is built per row.
 */
export const columnArrays = <A>(
  rows: ReadonlyArray<A>,
  types: ReadonlyArray<string>,
  put: (row: A, out: Array<unknown>, at: number) => void,
): Array<PgTypes.Parameter> => {
  const width = types.length
  const columns = types.map(() => new Array<unknown>(rows.length))
  const wide = types.map((t) => t === "bigint")
  const scratch = new Array<unknown>(width)
  for (let i = 0; i < rows.length; i++) {
    put(rows[i]!, scratch, 0)
    for (let c = 0; c < width; c++) {
      const v = scratch[c]
      columns[c]![i] = wide[c] && v !== null ? BigInt(v as number) : v
    }
  }
  return columns.map((values, c) => Result.getOrThrow(PgTypes.array(values, elementOid[types[c]!]!)))
}
