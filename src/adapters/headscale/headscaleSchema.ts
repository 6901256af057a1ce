/**
 * Era detection and the three read queries, from a database's table/column
 * catalogue. Shared by the SQLite and Postgres readers so both read the same
 * columns the same way; identifiers are double-quoted, which both accept.
 */
import { Result } from "effect"
import type { HeadscaleEra } from "../../domain/legacyImport/HeadscaleDump.js"
import { HeadscaleSourceError } from "../../ports/HeadscaleSource.js"

/** Table name → its column names, all lower case. @category models */
export type SchemaCatalogue = ReadonlyMap<string, ReadonlySet<string>>

/** The era and the statements that read it. @category models */
export interface HeadscaleQueries {
  readonly era: HeadscaleEra
  /** Columns: id, name. */
  readonly users: string
  /** Columns: id, user_id, tags, ephemeral, created_at, expiry, last_seen, deleted_at, host_info, route_list. */
  readonly nodes: string
  /** Columns: id, node_id, prefix, advertised, enabled, is_primary, created_at, deleted_at; null outside 0.18–0.25. */
  readonly routes: string | null
}

const q = (name: string): string => `"${name}"`

const pick = (columns: ReadonlySet<string>, ...names: ReadonlyArray<string>): string | undefined =>
  names.find((n) => columns.has(n))

// A column an older or newer schema lacks reads as NULL rather than failing.
const col = (alias: string, column: string | undefined, as: string): string =>
  column === undefined ? `NULL AS ${as}` : `${alias}.${q(column)} AS ${as}`

/**
 * Detects the era from the schema: `approved_routes` on nodes means 0.26+ (its
 * migration consumed the routes table), else a `routes` table means 0.18–0.25,
 * else `enabled_routes` on machines means 0.17 and older. Fails with the reason.
 *
 * @category constructors
 */
export const headscaleQueries = (catalogue: SchemaCatalogue): Result.Result<HeadscaleQueries, string> => {
  const nodesTable = catalogue.has("nodes") ? "nodes" : catalogue.has("machines") ? "machines" : undefined
  if (nodesTable === undefined) return Result.fail("neither a nodes nor a machines table")
  const nodeCols = catalogue.get(nodesTable)!
  const usersTable = catalogue.has("users") ? "users" : catalogue.has("namespaces") ? "namespaces" : undefined
  if (usersTable === undefined) return Result.fail("neither a users nor a namespaces table")
  const userCol = pick(nodeCols, "user_id", "namespace_id")
  if (!nodeCols.has("id") || userCol === undefined) {
    return Result.fail(`${nodesTable} has no id or user_id/namespace_id column`)
  }

  const routesCols = catalogue.get("routes")
  const listCol = pick(nodeCols, "approved_routes", "enabled_routes")
  let era: HeadscaleEra
  if (nodeCols.has("approved_routes")) era = "0.26+"
  else if (routesCols !== undefined) era = "0.18-0.25"
  else if (nodeCols.has("enabled_routes")) era = "0.17"
  else return Result.fail(`no routes table and no approved_routes/enabled_routes column on ${nodesTable}`)

  const keyCols = catalogue.get("pre_auth_keys")
  const authCol = pick(nodeCols, "auth_key_id")
  const withKeys = keyCols?.has("ephemeral") === true && authCol !== undefined
  const nodes = [
    "SELECT",
    [
      `n.${q("id")} AS id`,
      `n.${q(userCol)} AS user_id`,
      // Newer schemas call the column `tags`; older ones `forced_tags`.
      col("n", pick(nodeCols, "tags", "forced_tags"), "tags"),
      withKeys ? `k.${q("ephemeral")} AS ephemeral` : "NULL AS ephemeral",
      col("n", pick(nodeCols, "created_at"), "created_at"),
      col("n", pick(nodeCols, "expiry"), "expiry"),
      col("n", pick(nodeCols, "last_seen"), "last_seen"),
      col("n", pick(nodeCols, "deleted_at"), "deleted_at"),
      col("n", pick(nodeCols, "host_info"), "host_info"),
      era === "0.18-0.25" ? "NULL AS route_list" : col("n", listCol, "route_list"),
    ].join(", "),
    `FROM ${q(nodesTable)} n`,
    withKeys ? `LEFT JOIN ${q("pre_auth_keys")} k ON k.${q("id")} = n.${q(authCol!)}` : "",
    `ORDER BY n.${q("id")}`,
  ]
    .filter((s) => s !== "")
    .join(" ")

  let routes: string | null = null
  if (era === "0.18-0.25") {
    const rc = routesCols!
    const nodeRef = pick(rc, "node_id", "machine_id")
    if (!rc.has("id") || nodeRef === undefined || !rc.has("prefix")) {
      return Result.fail("routes table has no id, node_id/machine_id or prefix column")
    }
    routes = [
      "SELECT",
      [
        `r.${q("id")} AS id`,
        `r.${q(nodeRef)} AS node_id`,
        `r.${q("prefix")} AS prefix`,
        col("r", pick(rc, "advertised"), "advertised"),
        col("r", pick(rc, "enabled"), "enabled"),
        col("r", pick(rc, "is_primary"), "is_primary"),
        col("r", pick(rc, "created_at"), "created_at"),
        col("r", pick(rc, "deleted_at"), "deleted_at"),
      ].join(", "),
      `FROM ${q("routes")} r ORDER BY r.${q("id")}`,
    ].join(" ")
  }

  const users = `SELECT ${q("id")} AS id, ${q("name")} AS name FROM ${q(usersTable)} ORDER BY ${q("id")}`
  return Result.succeed({ era, users, nodes, routes })
}

/**
 * `headscaleQueries` for a reader: a catalogue it does not know is the
 * `UnknownSchema` error naming `source` (a path, or a URL with its password hidden).
 *
 * @category constructors
 */
export const headscaleQueriesOf = (
  catalogue: SchemaCatalogue,
  source: string,
): Result.Result<HeadscaleQueries, HeadscaleSourceError> =>
  Result.mapError(
    headscaleQueries(catalogue),
    (why) =>
      new HeadscaleSourceError({
        source,
        reason: "UnknownSchema",
        message: `${source} is not a Headscale database this import knows: ${why}`,
      }),
  )
