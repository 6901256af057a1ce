/**
 * The slice of better-sqlite3's API the SQLite adapter calls, declared here so
 * the adapter's types never depend on the driver (Kysely's `SqliteDatabase`
 * does the same).
 */

/** A prepared statement. @category models */
export interface SqliteStatement {
  readonly run: (...params: ReadonlyArray<unknown>) => { readonly changes: number }
  readonly get: (...params: ReadonlyArray<unknown>) => unknown
  readonly all: (...params: ReadonlyArray<unknown>) => Array<unknown>
  /** Rows come back as arrays of column values instead of objects (better-sqlite3's `raw`). */
  readonly raw: (toggle?: boolean) => SqliteStatement
}

/** An open database. @category models */
export interface SqliteDatabase {
  readonly prepare: (sql: string) => SqliteStatement
  readonly exec: (sql: string) => unknown
  readonly pragma: (source: string) => unknown
  readonly transaction: <A extends ReadonlyArray<unknown>, R>(
    fn: (...args: A) => R,
  ) => { (...args: A): R; readonly immediate: (...args: A) => R }
  readonly close: () => unknown
  readonly open: boolean
  /** The file name it was opened with. */
  readonly name: string
}
