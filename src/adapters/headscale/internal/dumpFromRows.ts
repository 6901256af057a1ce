/**
 * Driver rows → `HeadscaleDump`. Only value types are normalised here
 * (SQLite numeric flags vs Postgres booleans, bigint ids, Date objects), so
 * the SQLite and Postgres twins of one database yield equal dumps.
 */
import type {
  HeadscaleDump,
  HeadscaleEra,
  HeadscaleNode,
  HeadscaleRoute,
  HeadscaleUser,
} from "../../../domain/legacyImport/HeadscaleDump.js"

type Row = Readonly<Record<string, unknown>>

const num = (v: unknown): number | null => {
  if (typeof v === "number") return v
  if (typeof v === "bigint") return Number(v)
  if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return Number(v)
  return null
}

const bool = (v: unknown): boolean | null => {
  if (typeof v === "boolean") return v
  if (typeof v === "number" || typeof v === "bigint") return Number(v) !== 0
  if (typeof v === "string") {
    const s = v.trim().toLowerCase()
    if (s === "1" || s === "true" || s === "t") return true
    if (s === "0" || s === "false" || s === "f") return false
  }
  return null
}

const text = (v: unknown): string | null => {
  if (v === null || v === undefined) return null
  if (typeof v === "string") return v
  // Postgres timestamptz arrives as a Date; ISO text parses like SQLite's.
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString()
  if (v instanceof Uint8Array) return new TextDecoder().decode(v)
  return String(v)
}

const user = (r: Row): HeadscaleUser => ({ id: num(r.id) ?? 0, name: text(r.name) ?? "" })

const node = (r: Row): HeadscaleNode => ({
  id: num(r.id) ?? 0,
  userId: num(r.user_id),
  tags: text(r.tags),
  ephemeral: bool(r.ephemeral),
  createdAt: text(r.created_at),
  expiry: text(r.expiry),
  lastSeen: text(r.last_seen),
  deletedAt: text(r.deleted_at),
  hostInfo: text(r.host_info),
  routeList: text(r.route_list),
})

const route = (r: Row): HeadscaleRoute => ({
  id: num(r.id) ?? 0,
  nodeId: num(r.node_id),
  prefix: text(r.prefix),
  advertised: bool(r.advertised),
  enabled: bool(r.enabled),
  isPrimary: bool(r.is_primary),
  createdAt: text(r.created_at),
  deletedAt: text(r.deleted_at),
})

/** Builds the dump from the rows of the three queries. @category constructors */
export const dumpFromRows = (
  era: HeadscaleEra,
  users: ReadonlyArray<Row>,
  nodes: ReadonlyArray<Row>,
  routes: ReadonlyArray<Row>,
): HeadscaleDump => ({ era, users: users.map(user), nodes: nodes.map(node), routes: routes.map(route) })
