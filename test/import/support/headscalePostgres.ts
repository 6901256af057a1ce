/**
 * A Postgres-hosted twin of a Headscale SQLite database: the same tables and
 * rows, with the column types GORM gives them on Postgres (bigint, boolean,
 * timestamptz, text, bytea).
 */
import { PgClient } from "@effect/sql-pg"
import Database from "better-sqlite3"
import { Effect, Redacted } from "effect"
import { Reactivity } from "effect/reactivity"

type Kind = "bigint" | "boolean" | "timestamptz" | "text" | "bytea"

const kindOf = (sqliteType: string): Kind => {
  const t = sqliteType.toLowerCase()
  if (t.startsWith("integer")) return "bigint"
  if (t.startsWith("numeric")) return "boolean"
  if (t.startsWith("datetime")) return "timestamptz"
  if (t.startsWith("blob")) return "bytea"
  return "text"
}

const value = (kind: Kind, v: unknown): unknown => {
  if (v === null || v === undefined) return null
  if (kind === "boolean") return Number(v) !== 0
  if (kind === "bigint") return Number(v)
  if (kind === "bytea") return `\\x${Buffer.from(v as Uint8Array).toString("hex")}`
  return String(v)
}

/** Copies every table of the SQLite file at `sqlitePath` into the (empty) Postgres database at `url`. */
export const copyToPostgres = (sqlitePath: string, url: string): Promise<void> => {
  const db = new Database(sqlitePath, { readonly: true })
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>
  )
    .map((t) => t.name)
    .filter((t) => !t.startsWith("sqlite_"))
  const plan = tables.map((table) => {
    const cols = db.prepare("SELECT name, type, pk FROM pragma_table_info(?)").all(table) as Array<{
      name: string
      type: string
      pk: number
    }>
    const rows = db.prepare(`SELECT * FROM "${table}"`).all() as Array<Record<string, unknown>>
    return { table, cols: cols.map((c) => ({ ...c, kind: kindOf(c.type) })), rows }
  })
  db.close()
  const program = Effect.gen(function* () {
    const sql = yield* PgClient.makeClient({ url: Redacted.make(url) })
    for (const { table, cols, rows } of plan) {
      const defs = cols.map((c) => `"${c.name}" ${c.kind}${c.pk === 1 ? " PRIMARY KEY" : ""}`).join(", ")
      yield* sql.unsafe(`CREATE TABLE "${table}" (${defs})`)
      if (rows.length === 0) continue
      const names = cols.map((c) => `"${c.name}"`).join(", ")
      const marks = cols.map((c, i) => `$${i + 1}::${c.kind}`).join(", ")
      for (const row of rows) {
        yield* sql.unsafe(
          `INSERT INTO "${table}" (${names}) VALUES (${marks})`,
          cols.map((c) => value(c.kind, row[c.name])),
        )
      }
    }
  })
  return Effect.runPromise(Effect.scoped(program).pipe(Effect.provide(Reactivity.layer)))
}
