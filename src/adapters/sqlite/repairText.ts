/**
 * Repairs text a SQLite file holds as invalid UTF-8. Before the validation
 * layer, a node id or user with a lone UTF-16 surrogate was stored as the
 * bytes of that surrogate: it read back changed (U+FFFD), so no
 * compare-and-set on the row could ever match, and a store where such a node
 * was online failed every open with "write conflict, retries exhausted". On
 * open such a value is rewritten to the text every reader already saw (the
 * bytes decoded with U+FFFD), with the node's routes following its id; each
 * repair is logged. Postgres refuses invalid UTF-8 itself, so only SQLite needs this.
 */
import type { SqliteDatabase } from "./SqliteDatabase.js"

const strict = new TextDecoder("utf-8", { fatal: true })
const lenient = new TextDecoder("utf-8")

/** The text a stored value reads back as, when its bytes are not valid UTF-8; undefined when they are. */
const repaired = (hex: string): string | undefined => {
  // ASCII-only hex (every byte below 0x80) is valid: skip the decode for the common case.
  let high = false
  for (let i = 0; i < hex.length; i += 2) {
    if (hex.charCodeAt(i) >= 56 /* "8" */) {
      high = true
      break
    }
  }
  if (!high) return undefined
  const bytes = Buffer.from(hex, "hex")
  try {
    strict.decode(bytes)
    return undefined
  } catch {
    return lenient.decode(bytes)
  }
}

/** One rewritten value, for the log. @category models */
export interface TextRepair {
  readonly table: string
  readonly column: string
  readonly from: string
  readonly to: string
}

/** Plain text columns rewritten in place (the node id is special: routes follow it). */
const plainColumns: ReadonlyArray<readonly [string, string]> = [
  ["nodes", "user_name"],
  ["nodes", "tags"],
  ["nodes", "replica_sessions"],
  ["leases", "replica"],
]

/**
 * Rewrites every stored value that is not valid UTF-8 to its decoded text, in
 * one transaction; returns what it changed (nothing on a healthy store, after
 * one read of the text columns).
 *
 * @category constructors
 */
export const repairText = (db: SqliteDatabase): ReadonlyArray<TextRepair> => {
  const repairs: TextRepair[] = []
  const ids = db.prepare("SELECT rowid AS r, hex(id) AS h FROM nodes").all() as Array<{
    r: number
    h: string
  }>
  const plain = plainColumns.map(
    ([table, column]) =>
      [
        table,
        column,
        db.prepare(`SELECT rowid AS r, hex(${column}) AS h FROM ${table}`).all() as Array<{
          r: number
          h: string
        }>,
      ] as const,
  )
  const badIds = ids.flatMap((row) => {
    const to = repaired(row.h)
    return to === undefined ? [] : [{ ...row, to }]
  })
  const badPlain = plain.flatMap(([table, column, rows]) =>
    rows.flatMap((row) => {
      const to = repaired(row.h)
      return to === undefined ? [] : [{ table, column, ...row, to }]
    }),
  )
  if (badIds.length === 0 && badPlain.length === 0) return repairs
  db.transaction(() => {
    // The routes' foreign key is checked at commit, once ids and references agree again.
    db.pragma("defer_foreign_keys = ON")
    const taken = db.prepare("SELECT 1 AS x FROM nodes WHERE id = ?")
    for (const bad of badIds) {
      let to = bad.to
      // Two bad ids may decode alike, or like an existing id: keep them apart.
      for (let n = 2; taken.get(to) !== undefined; n++) to = `${bad.to}~${n}`
      db.prepare("UPDATE routes SET node_id = ? WHERE hex(node_id) = ?").run(to, bad.h)
      db.prepare("UPDATE nodes SET id = ? WHERE rowid = ?").run(to, bad.r)
      repairs.push({ table: "nodes", column: "id", from: bad.h.toLowerCase(), to })
    }
    for (const bad of badPlain) {
      db.prepare(`UPDATE ${bad.table} SET ${bad.column} = ? WHERE rowid = ?`).run(bad.to, bad.r)
      repairs.push({ table: bad.table, column: bad.column, from: bad.h.toLowerCase(), to: bad.to })
    }
  }).immediate()
  return repairs
}
