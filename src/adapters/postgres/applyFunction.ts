/**
 * The server-side commit function: one statement applies a whole change set,
 * so a commit costs one round trip and is atomic without an explicit
 * transaction. `tailnet_routes_commit` (schema version 4) checks and bumps
 * the tailnet version first, then writes the rows, logs the change set and
 * sends `pg_notify`; `tailnet_routes_apply` (version 3, dropped by 4) was the
 * same without the version. It writes in the shared plan's
 * order (counter CAS, nodes, clears, promotions, inserts, policy); a missed
 * compare-and-set raises SQLSTATE `TR409` whose message is the conflict as
 * JSON, and the tables' own indexes, check and foreign key raise the rest.
 */
import { nodeColumns, routeColumns } from "../internal/rows.js"

/** SQLSTATE of a compare-and-set miss raised by the function. */
export const conflictState = "TR409"

const routeTypes = [
  "integer",
  "text",
  "text",
  "boolean",
  "boolean",
  "boolean",
  "text",
  "bigint",
  "boolean",
  "bigint",
  "bigint",
  "bigint",
]
const nodeTypes = [
  "text",
  "text",
  "text",
  "boolean",
  "bigint",
  "bigint",
  "integer",
  "bigint",
  "bigint",
  "bigint",
  "bigint",
  "text",
]

const defs = (cols: ReadonlyArray<string>, types: ReadonlyArray<string>, prefix = "") =>
  cols.map((c, i) => `${prefix}${c} ${types[i]}`).join(", ")

// Records carry `ord` (write order) so the first row not written is the one reported.
const insert = (table: string, cols: ReadonlyArray<string>, types: ReadonlyArray<string>, param: string) => `
  WITH x AS (SELECT * FROM jsonb_to_recordset(${param}) AS x(${defs(cols, types)}, ord integer)),
       done AS (INSERT INTO ${table} (${cols.join(", ")}) SELECT ${cols.join(", ")} FROM x
                ON CONFLICT (id) DO NOTHING RETURNING id)
  SELECT x.id::text INTO missing FROM x WHERE NOT EXISTS (SELECT 1 FROM done WHERE done.id = x.id) ORDER BY x.ord LIMIT 1;`

// New values under the column names, expected old ones under `b_<column>`.
const update = (table: string, cols: ReadonlyArray<string>, types: ReadonlyArray<string>, param: string) => `
  WITH x AS (SELECT * FROM jsonb_to_recordset(${param})
             AS x(${defs(cols, types)}, ${defs(cols, types, "b_")}, ord integer)),
       done AS (UPDATE ${table} AS t SET ${cols
         .slice(1)
         .map((c) => `${c} = x.${c}`)
         .join(", ")}
                FROM x WHERE t.id = x.b_id AND ${cols.map((c) => `t.${c} IS NOT DISTINCT FROM x.b_${c}`).join(" AND ")}
                RETURNING t.id)
  SELECT x.b_id::text INTO missing FROM x WHERE NOT EXISTS (SELECT 1 FROM done WHERE done.id = x.b_id) ORDER BY x.ord LIMIT 1;`

// `first`: what runs before a conflict is raised (the commit function turns it into `behind` when the version moved).
const raise = (table: string, reason: string, id: string, first = "") =>
  `IF missing IS NOT NULL THEN
     ${first}
     RAISE EXCEPTION USING ERRCODE = '${conflictState}',
       MESSAGE = json_build_object('table', '${table}', 'id', ${id}, 'reason', '${reason}')::text;
   END IF;`

// The row writes, in the shared plan's order; `first` runs before any conflict is raised.
const writeRows = (first = "") => `
  IF counter_expected IS NOT NULL THEN
    UPDATE meta SET next_route_id = counter_next WHERE id = 1 AND next_route_id = counter_expected;
    IF NOT FOUND THEN
      ${first}
      RAISE EXCEPTION USING ERRCODE = '${conflictState}',
        MESSAGE = '{"table":"meta","id":"nextRouteId","reason":"counter"}';
    END IF;
  END IF;
  ${insert("nodes", nodeColumns, nodeTypes, "node_inserts")}
  ${raise("nodes", "exists", "missing", first)}
  ${update("nodes", nodeColumns, nodeTypes, "node_updates")}
  ${raise("nodes", "stale", "missing", first)}
  ${update("routes", routeColumns, routeTypes, "route_clears")}
  ${raise("routes", "stale", "missing::integer", first)}
  ${update("routes", routeColumns, routeTypes, "route_promotions")}
  ${raise("routes", "stale", "missing::integer", first)}
  ${insert("routes", routeColumns, routeTypes, "route_inserts")}
  ${raise("routes", "exists", "missing::integer", first)}
  IF new_policy IS NOT NULL THEN
    UPDATE meta SET policy = new_policy WHERE id = 1;
  END IF;`

const rowParams = `
  counter_expected integer, counter_next integer,
  node_inserts jsonb, node_updates jsonb,
  route_clears jsonb, route_promotions jsonb, route_inserts jsonb,
  new_policy text`

/**
 * Migration 3's function. Its text follows today's column lists, which it
 * never ran with: migration 4 drops it before anything calls it.
 */
export const createApplyFunction = `
CREATE FUNCTION tailnet_routes_apply(${rowParams}
) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  missing text;
BEGIN
  ${writeRows()}
END
$fn$`

/** How many missed log entries a `behind` conflict carries back. */
export const missedEntries = 100

/** The channel commits are announced on; the payload is the new version. */
export const notifyChannel = "tailnet_routes"

// Raised when the store moved past the writer's base; the entries it missed ride along
// (DETAIL), so its catch-up costs no round trip.
const raiseBehind = `RAISE EXCEPTION USING ERRCODE = '${conflictState}',
      MESSAGE = '{"table":"meta","id":"version","reason":"behind"}',
      DETAIL = coalesce((SELECT json_agg(l ORDER BY l.version)::text FROM (
        SELECT version, origin, committed_at, changes FROM change_log
        WHERE version > p_base ORDER BY version LIMIT ${missedEntries}) l), '[]');`

const ifMoved = `IF (SELECT version FROM meta WHERE id = 1) <> p_base THEN ${raiseBehind} END IF;`

/**
 * Migration 4's function: rows, version, log entry, prune, notify; returns
 * the new version. The version row is locked last (a plain read first lets a
 * writer that is already behind give up early), so concurrent writers
 * serialise only on the short tail of a commit; a row conflict found while
 * the version moved is reported as `behind`, the cause it really has.
 */
export const createCommitFunction = `
CREATE FUNCTION tailnet_routes_commit(
  p_base bigint, p_origin text, p_at bigint, p_logged text, p_prune_upto bigint, p_prune_before bigint,${rowParams}
) RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  missing text;
BEGIN
  ${ifMoved}
  ${writeRows(ifMoved)}
  UPDATE meta SET version = version + 1 WHERE id = 1 AND version = p_base;
  IF NOT FOUND THEN
    ${raiseBehind}
  END IF;
  INSERT INTO change_log (version, origin, committed_at, changes) VALUES (p_base + 1, p_origin, p_at, p_logged);
  IF p_prune_upto IS NOT NULL THEN
    DELETE FROM change_log WHERE version <= p_prune_upto AND committed_at < p_prune_before;
  END IF;
  PERFORM pg_notify('${notifyChannel}', (p_base + 1)::text);
  RETURN p_base + 1;
END
$fn$`
