/**
 * The server-side commit function: one statement applies a whole change set,
 * so a commit costs one round trip and is atomic without an explicit
 * transaction. `tailnet_routes_commit` checks and bumps the tailnet version
 * first, then writes the rows, logs the change set and sends `pg_notify`.
 * Schema 5's version (`createBulkCommitFunction`) takes created rows as one
 * array per column and loads a large creation into an empty `routes` table
 * set-based; schema 4's (`createCommitFunction`, rows as JSON) and
 * `tailnet_routes_apply` (schema 3, no version) are kept as the migrations
 * that installed them wrote them. Writes follow the shared plan's order
 * (counter CAS, nodes, clears, promotions, inserts, policy); a missed
 * compare-and-set raises SQLSTATE `TR409` whose message is the conflict as
 * JSON, and the tables' own indexes, check and foreign key raise the rest.
 */
import { nodeColumns, routeColumns } from "../internal/rows.js"

/** SQLSTATE of a compare-and-set miss raised by the function. */
export const conflictState = "TR409"

/** The SQL types of `routeColumns`, in order. */
export const routeTypes = [
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
/** The SQL types of `nodeColumns`, in order. */
export const nodeTypes = [
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

/** How one table's created rows are inserted: SQL that leaves the first row not written (by id) in `missing`. */
interface Inserts {
  readonly nodes: string
  readonly routes: string
}

const jsonInserts: Inserts = {
  nodes: insert("nodes", nodeColumns, nodeTypes, "node_inserts"),
  routes: insert("routes", routeColumns, routeTypes, "route_inserts"),
}

// The row writes, in the shared plan's order; `first` runs before any conflict is raised.
const writeRows = (first = "", inserts: Inserts = jsonInserts) => `
  IF counter_expected IS NOT NULL THEN
    UPDATE meta SET next_route_id = counter_next WHERE id = 1 AND next_route_id = counter_expected;
    IF NOT FOUND THEN
      ${first}
      RAISE EXCEPTION USING ERRCODE = '${conflictState}',
        MESSAGE = '{"table":"meta","id":"nextRouteId","reason":"counter"}';
    END IF;
  END IF;
  ${inserts.nodes}
  ${raise("nodes", "exists", "missing", first)}
  ${update("nodes", nodeColumns, nodeTypes, "node_updates")}
  ${raise("nodes", "stale", "missing", first)}
  ${update("routes", routeColumns, routeTypes, "route_clears")}
  ${raise("routes", "stale", "missing::integer", first)}
  ${update("routes", routeColumns, routeTypes, "route_promotions")}
  ${raise("routes", "stale", "missing::integer", first)}
  ${inserts.routes}
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
const missedEntries = 100

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

const commitSignature = (rowParameters: string) => `tailnet_routes_commit(
  p_base bigint, p_origin text, p_at bigint, p_logged text, p_prune_upto bigint, p_prune_before bigint,${rowParameters}
)`

const commitBody = (declarations: string, inserts?: Inserts) => `
DECLARE
  missing text;${declarations}
BEGIN
  ${ifMoved}
  ${writeRows(ifMoved, inserts)}
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
END`

/**
 * Migration 4's function: rows, version, log entry, prune, notify; returns
 * the new version. The version row is locked last (a plain read first lets a
 * writer that is already behind give up early), so concurrent writers
 * serialise only on the short tail of a commit; a row conflict found while
 * the version moved is reported as `behind`, the cause it really has.
 */
export const createCommitFunction = `
CREATE FUNCTION ${commitSignature(rowParams)} RETURNS bigint LANGUAGE plpgsql AS $fn$${commitBody("")}
$fn$`

/** Migration 5 drops migration 4's function by this signature. */
export const dropJsonCommitFunction =
  "DROP FUNCTION tailnet_routes_commit(bigint, text, bigint, text, bigint, bigint, integer, integer, jsonb, jsonb, jsonb, jsonb, jsonb, text)"

/** Array parameters of created nodes and routes: one per column, `ni_<column>` and `ri_<column>`. */
const nodeInsertPrefix = "ni_"
const routeInsertPrefix = "ri_"

const arrayDefs = (cols: ReadonlyArray<string>, types: ReadonlyArray<string>, prefix: string) =>
  cols.map((c, i) => `${prefix}${c} ${types[i]}[]`).join(", ")
// The rows of the column arrays: one unnest per column in the select list, which run in lockstep
// one value at a time (FROM unnest(a, b, …) first copies every array into a tuplestore of its
// own: 290 ms against 120 ms for 200k routes).
const unnestOf = (cols: ReadonlyArray<string>, prefix: string) =>
  `SELECT ${cols.map((c) => `unnest(${prefix}${c}) AS ${c}`).join(", ")}`

// As `insert`, over column arrays; skipped outright when there are none (most commits create
// nothing). A row whose id an earlier row of the same change set took is not written either:
// it is reported too (schema 4's function let it pass, dropping the row). The search for the
// first row not written runs only when fewer rows were written than given.
const arrayInsert = (table: string, cols: ReadonlyArray<string>, prefix: string) => `
  IF cardinality(${prefix}id) > 0 THEN
    WITH x AS (${unnestOf(cols, prefix)}, generate_series(1, cardinality(${prefix}id)) AS ord),
         done AS (INSERT INTO ${table} (${cols.join(", ")}) SELECT ${cols.join(", ")} FROM x
                  ON CONFLICT (id) DO NOTHING RETURNING id)
    SELECT w.id::text INTO missing
      FROM (SELECT id, ord, row_number() OVER (PARTITION BY id ORDER BY ord) AS k FROM x) AS w
     WHERE (SELECT count(*) FROM done) < (SELECT count(*) FROM x)
       AND (w.k > 1 OR NOT EXISTS (SELECT 1 FROM done WHERE done.id = w.id))
     ORDER BY w.ord LIMIT 1;
  END IF;`

/**
 * Created routes at or above which an insert into an empty `routes` table
 * goes set-based: the secondary indexes and the foreign key are dropped, the
 * rows inserted in one statement, then the indexes built (one sort each
 * instead of a B-tree descent per row) and the foreign key added back
 * (checked by one join instead of a trigger per row). The SQLite adapter
 * rebuilds its indexes from the same size.
 */
export const bulkInsertFrom = 10_000

/**
 * The set-based load, opportunistic: it takes its locks without waiting (a
 * session reading `routes` or writing `nodes` sends the commit down the exact
 * path instead), and any constraint it trips undoes the block, so the exact
 * pass runs and names the first row that fails, as it always has. The index
 * and foreign-key definitions come from the catalog, so they stay whatever
 * the migrations made them.
 */
const bulkRouteInsert = (exact: string) => `
  IF cardinality(${routeInsertPrefix}id) >= ${bulkInsertFrom} AND NOT EXISTS (SELECT 1 FROM routes) THEN
    BEGIN
      LOCK TABLE routes IN ACCESS EXCLUSIVE MODE NOWAIT;
      LOCK TABLE nodes IN SHARE ROW EXCLUSIVE MODE NOWAIT;
      SELECT coalesce(array_agg(indexrelid::regclass::text), '{}'), coalesce(array_agg(pg_get_indexdef(indexrelid)), '{}')
        INTO index_names, index_defs FROM pg_index WHERE indrelid = 'routes'::regclass AND NOT indisprimary;
      SELECT coalesce(array_agg(quote_ident(conname)), '{}'), coalesce(array_agg(pg_get_constraintdef(oid)), '{}')
        INTO fk_names, fk_defs FROM pg_constraint WHERE conrelid = 'routes'::regclass AND contype = 'f';
      FOR i IN 1 .. cardinality(index_names) LOOP EXECUTE 'DROP INDEX ' || index_names[i]; END LOOP;
      FOR i IN 1 .. cardinality(fk_names) LOOP EXECUTE 'ALTER TABLE routes DROP CONSTRAINT ' || fk_names[i]; END LOOP;
      INSERT INTO routes (${routeColumns.join(", ")}) ${unnestOf(routeColumns, routeInsertPrefix)};
      FOR i IN 1 .. cardinality(index_defs) LOOP EXECUTE index_defs[i]; END LOOP;
      FOR i IN 1 .. cardinality(fk_names) LOOP
        EXECUTE 'ALTER TABLE routes ADD CONSTRAINT ' || fk_names[i] || ' ' || fk_defs[i];
      END LOOP;
      bulk_done := true;
    EXCEPTION WHEN unique_violation OR foreign_key_violation OR check_violation OR not_null_violation
                 OR lock_not_available THEN
      bulk_done := false;
    END;
  END IF;
  IF NOT bulk_done THEN
    ${exact}
  END IF;`

const arrayRowParams = `
  counter_expected integer, counter_next integer,
  ${arrayDefs(nodeColumns, nodeTypes, nodeInsertPrefix)}, node_updates jsonb,
  route_clears jsonb, route_promotions jsonb,
  ${arrayDefs(routeColumns, routeTypes, routeInsertPrefix)},
  new_policy text`

/**
 * Migration 5's function: migration 4's, with created rows as column arrays
 * (bound in binary, no JSON to build or parse: at 200k routes that was most of
 * a cold load) and the set-based load into an empty `routes` table. Updates
 * stay JSON: steady-state commits carry a few rows, and a compare-and-set
 * needs every column twice.
 */
export const createBulkCommitFunction = `
CREATE FUNCTION ${commitSignature(arrayRowParams)} RETURNS bigint LANGUAGE plpgsql AS $fn$${commitBody(
  `
  bulk_done boolean := false;
  index_names text[];
  index_defs text[];
  fk_names text[];
  fk_defs text[];`,
  {
    nodes: arrayInsert("nodes", nodeColumns, nodeInsertPrefix),
    routes: bulkRouteInsert(arrayInsert("routes", routeColumns, routeInsertPrefix)),
  },
)}
$fn$`
