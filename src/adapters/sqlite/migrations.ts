/**
 * SQLite schema, as versioned forward-only migrations recorded in
 * `schema_migrations`. Run on open, each in its own transaction; a database
 * whose recorded version is newer than this code fails with `SchemaTooNew`.
 */
import { classifyTables, SchemaTooNew } from "../../ports/RouteRepository.js"
import type { SqliteDatabase } from "./SqliteDatabase.js"

/** One schema step. @category models */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

/** Every migration, in order; append only, never edit a released one. @category constructors */
export const migrations: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: "tables",
    sql: `
      CREATE TABLE nodes (
        id TEXT PRIMARY KEY,
        user_name TEXT NOT NULL,
        tags TEXT NOT NULL,
        ephemeral INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER,
        sessions INTEGER NOT NULL,
        connected_at INTEGER,
        last_seen INTEGER,
        disconnected_at INTEGER,
        deleted_at INTEGER
      ) STRICT;
      CREATE TABLE routes (
        id INTEGER PRIMARY KEY CHECK (id > 0),
        node_id TEXT NOT NULL REFERENCES nodes (id),
        prefix TEXT NOT NULL,
        advertised INTEGER NOT NULL,
        enabled INTEGER NOT NULL,
        is_primary INTEGER NOT NULL,
        approved_by TEXT CHECK (approved_by IN ('manual', 'policy', 'migration')),
        priority INTEGER NOT NULL,
        healthy INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        deleted_at INTEGER,
        CONSTRAINT exit_never_primary CHECK (NOT (is_primary AND prefix IN ('0.0.0.0/0', '::/0')))
      ) STRICT;
      CREATE UNIQUE INDEX routes_live_node_prefix ON routes (node_id, prefix) WHERE deleted_at IS NULL;
      CREATE INDEX routes_live_prefix ON routes (prefix) WHERE deleted_at IS NULL;
      CREATE TABLE meta (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        next_route_id INTEGER NOT NULL,
        policy TEXT NOT NULL
      ) STRICT;
      INSERT INTO meta (id, next_route_id, policy) VALUES (1, 1, '{}');
    `,
  },
  {
    version: 2,
    name: "one-primary-per-prefix",
    sql: `
      CREATE UNIQUE INDEX routes_one_primary ON routes (prefix)
        WHERE is_primary AND deleted_at IS NULL AND prefix NOT IN ('0.0.0.0/0', '::/0');
    `,
  },
  {
    // Several processes on one store: the tailnet version, the change log,
    // sessions per replica (sessions stored before this belong to the
    // anonymous holder "", which no lease covers) and the replicas' leases.
    version: 3,
    name: "replicas",
    sql: `
      ALTER TABLE nodes ADD COLUMN replica_sessions TEXT NOT NULL DEFAULT '{}';
      UPDATE nodes SET replica_sessions = '{"":' || sessions || '}' WHERE sessions > 0;
      ALTER TABLE meta ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE change_log (
        version INTEGER PRIMARY KEY,
        origin TEXT NOT NULL,
        committed_at INTEGER NOT NULL,
        changes TEXT
      ) STRICT;
      CREATE TABLE leases (
        replica TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    // The HTTP service's API keys (ApiKeyStore): a lookup prefix and a salted hash, never the key.
    version: 4,
    name: "service-keys",
    sql: `
      CREATE TABLE service_keys (
        prefix TEXT PRIMARY KEY,
        salt TEXT NOT NULL,
        hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER
      ) STRICT;
    `,
  },
]

/** The schema version this code writes. @category getters */
export const latestVersion: number = migrations[migrations.length - 1]!.version

/** The tables our migrations create. */
const ourTables: ReadonlySet<string> = new Set(
  migrations.flatMap((m) =>
    Array.from(m.sql.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?(\w+)/g), (x) => x[1]!),
  ),
)

/**
 * Refuses a database that is neither empty nor ours (`ForeignStore`, a
 * Headscale database named as such); reads only, so the file is untouched.
 *
 * @category constructors
 */
export const checkOwnership = (db: SqliteDatabase, location: string): void => {
  const tables = (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
      )
      .all() as Array<{
      name: string
    }>
  ).map((r) => r.name)
  const verdict = classifyTables(tables, ourTables, location)
  if (typeof verdict !== "string") throw verdict
}

/** The recorded schema version; 0 for a fresh database. @category getters */
export const currentVersion = (db: SqliteDatabase): number => {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
  )
  const row = db.prepare("SELECT max(version) AS v FROM schema_migrations").get() as { v: number | null }
  return row.v ?? 0
}

/**
 * Brings the schema up to `target` (default: latest). Throws `SchemaTooNew`
 * before writing anything when the database is ahead of this code.
 *
 * @category constructors
 */
export const migrate = (db: SqliteDatabase, nowMs: number, target: number = latestVersion): number => {
  checkOwnership(db, db.name)
  // Check first, without creating the bookkeeping table on a database we must not touch.
  const known = db
    .prepare("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get()
  if (known !== undefined) {
    const row = db.prepare("SELECT max(version) AS v FROM schema_migrations").get() as { v: number | null }
    const found = row.v ?? 0
    if (found > latestVersion) throw new SchemaTooNew({ found, supported: latestVersion })
  }
  const from = currentVersion(db)
  for (const m of migrations) {
    if (m.version <= from || m.version > target) continue
    db.transaction(() => {
      db.exec(m.sql)
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
        m.version,
        m.name,
        nowMs,
      )
    }).immediate()
  }
  return Math.max(from, Math.min(target, latestVersion))
}
