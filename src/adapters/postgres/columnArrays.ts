/**
 * Created rows as one array per column, bound in binary: the server unnests
 * them with no JSON to build here or to parse there (at 200k routes the JSON
 * round cost seconds). `bigint` columns bind as float8 (a number written as
 * it is, where int8 wants a `BigInt` made per value) and the call casts them
 * to bigint[]: exact, since only safe integers pass (anything else fails here
 * instead of being rounded).
 */
import { PgTypes } from "@effect/sql-pg"
import { Result } from "effect"

const elementOid: Readonly<Record<string, number>> = {
  integer: PgTypes.OID.int4,
  bigint: PgTypes.OID.float8,
  text: PgTypes.OID.text,
  boolean: PgTypes.OID.bool,
}

/** How the call passes a column of `type` to the function: float8 arrays cast to the bigint[] it takes. */
export const arrayArgument = (placeholder: string, type: string): string =>
  type === "bigint" ? `${placeholder}::bigint[]` : placeholder

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
      if (wide[c] && v !== null && !Number.isSafeInteger(v))
        throw new RangeError(`${String(v)} is not a safe integer`)
      columns[c]![i] = v
    }
  }
  return columns.map((values, c) => Result.getOrThrow(PgTypes.array(values, elementOid[types[c]!]!)))
}
