/**
 * What a Headscale database holds that routing cares about, read as close to
 * the stored text as possible. The readers (SQLite, Postgres) only normalise
 * driver value types (numeric/boolean flags, bigint ids, Date objects); every
 * interpretation (JSON lists, Go datetimes, prefixes) happens in the pure
 * planner, so both readers import alike.
 */

/**
 * Which storage layout wrote the database: `enabled_routes` on machines (up to
 * 0.17), the `routes` table (0.18 to 0.25), `approved_routes` on nodes (0.26+).
 *
 * @category models
 */
export type HeadscaleEra = "0.17" | "0.18-0.25" | "0.26+"

/** A Headscale user (a namespace up to 0.19). @category models */
export interface HeadscaleUser {
  readonly id: number
  readonly name: string
}

/** A Headscale machine/node row. Datetimes are Headscale's text (or ISO text from Postgres). @category models */
export interface HeadscaleNode {
  readonly id: number
  readonly userId: number | null
  /** `forced_tags` (or `tags`) as stored: a JSON list, `null`, or absent. */
  readonly tags: string | null
  /** `pre_auth_keys.ephemeral` of the node's auth key; null when the node has no key or the key is gone. */
  readonly ephemeral: boolean | null
  readonly createdAt: string | null
  /** Go's zero time (`0001-01-01 …`) or null means the key never expires. */
  readonly expiry: string | null
  readonly lastSeen: string | null
  readonly deletedAt: string | null
  /** The JSON Hostinfo; its `RoutableIPs` is the advertised set. */
  readonly hostInfo: string | null
  /** `enabled_routes` (0.17) or `approved_routes` (0.26+) JSON list; null in the routes-table era. */
  readonly routeList: string | null
}

/** A row of the 0.18–0.25 `routes` table. @category models */
export interface HeadscaleRoute {
  readonly id: number
  readonly nodeId: number | null
  readonly prefix: string | null
  readonly advertised: boolean | null
  readonly enabled: boolean | null
  readonly isPrimary: boolean | null
  readonly createdAt: string | null
  readonly deletedAt: string | null
}

/** Everything an import reads from one Headscale database. @category models */
export interface HeadscaleDump {
  readonly era: HeadscaleEra
  readonly users: ReadonlyArray<HeadscaleUser>
  /** Ordered by id. */
  readonly nodes: ReadonlyArray<HeadscaleNode>
  /** Ordered by id; empty outside the routes-table era. */
  readonly routes: ReadonlyArray<HeadscaleRoute>
}
