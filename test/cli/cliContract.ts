/**
 * The CLI contract, run as a subprocess against one kind of store: output,
 * `--json` shapes, exit codes, and bad input that changes nothing. Called by
 * the SQLite and the Postgres test files with a factory of fresh, seeded
 * `--db` values.
 */
import { writeFileSync } from "node:fs"
import path from "node:path"
import { beforeEach, describe, expect, it } from "vitest"
import type { ChangeJson, NodeSummaryJson, RouteJson } from "../../src/facade/toJson.js"
import { buildSqlite } from "../import/support/headscaleFixtures.js"
import { type CliResult, cli, T0, tempDir } from "./support.js"

/** Seeded step `seconds` as epoch ms: the JSON dialect's times. */
const at = (seconds: number): number => T0 + seconds * 1000

type Row = [
  id: number,
  node: string,
  prefix: string,
  enabled: boolean,
  primary: boolean,
  created: number,
  updated: number,
]
const row = ([id, nodeId, prefix, enabled, isPrimary, created, updated]: Row): RouteJson => ({
  id,
  nodeId,
  prefix,
  advertised: true,
  enabled,
  isPrimary,
  approvedBy: enabled ? "manual" : null,
  priority: 0,
  healthy: true,
  createdAt: at(created),
  updatedAt: at(updated),
  deletedAt: null,
})

/** The seeded routes (see `seed` in support.ts) as `routes list --json` prints them. */
export const seededRoutes: ReadonlyArray<RouteJson> = (
  [
    [1, "router-a", "10.0.0.0/24", true, true, 4, 13],
    [2, "router-a", "192.168.0.0/16", false, false, 4, 4],
    [3, "router-b", "10.0.0.0/24", true, false, 5, 13],
    [4, "router-b", "192.168.1.0/24", false, false, 5, 5],
    [5, "router-c", "10.0.0.0/24", true, false, 6, 13],
    [6, "router-c", "100.64.0.0/10", false, false, 6, 6],
    [7, "exit-1", "0.0.0.0/0", false, false, 7, 7],
    [8, "exit-1", "::/0", false, false, 7, 7],
  ] satisfies Row[]
).map(row)

const seededTable = `ID  NODE      PREFIX          ADVERTISED  ENABLED  PRIMARY  APPROVED BY  PRIORITY  UPDATED
 1  router-a  10.0.0.0/24     yes         yes      yes      manual              0  2026-01-01T00:00:13Z
 2  router-a  192.168.0.0/16  yes         no       no       -                   0  2026-01-01T00:00:04Z
 3  router-b  10.0.0.0/24     yes         yes      no       manual              0  2026-01-01T00:00:13Z
 4  router-b  192.168.1.0/24  yes         no       no       -                   0  2026-01-01T00:00:05Z
 5  router-c  10.0.0.0/24     yes         yes      no       manual              0  2026-01-01T00:00:13Z
 6  router-c  100.64.0.0/10   yes         no       no       -                   0  2026-01-01T00:00:06Z
 7  exit-1    0.0.0.0/0       yes         no       exit     -                   0  2026-01-01T00:00:07Z
 8  exit-1    ::/0            yes         no       exit     -                   0  2026-01-01T00:00:07Z
`

const ok = (stdout: string): CliResult => ({ code: 0, stdout, stderr: "" })
const failed = (code: number, stderr: string): CliResult => ({ code, stdout: "", stderr })

/** Stands for "written by the command just run" in `updatedAt` (see `settle`). */
const NOW = -1

/** A row changed by a command now: its `updatedAt` is wall-clock time, checked to be recent, then pinned to `NOW`. */
const settle = (routes: ReadonlyArray<RouteJson>, since: number): ReadonlyArray<RouteJson> =>
  routes.map((r) => {
    if (r.updatedAt < T0 + 86_400_000) return r
    expect(r.updatedAt).toBeGreaterThanOrEqual(since - 1000)
    expect(r.updatedAt).toBeLessThanOrEqual(Date.now() + 1000)
    return { ...r, updatedAt: NOW }
  })

/** The change JSON of a command that changed nothing. */
const noChange: ChangeJson = {
  nodes: [],
  routes: [],
  primaries: [],
  affectedPrefixes: [],
  affectedNodes: [],
  reroutedPrefixes: [],
  rejected: [],
  policy: null,
}

const patch = (id: number, over: Partial<RouteJson>) => (r: RouteJson) =>
  r.id === id ? { ...r, ...over } : r

/**
 * Runs the contract against stores made by `freshDb` (which seeds them) and
 * `emptyDb` (a store that does not exist yet, or an empty database).
 */
export const cliContract = (
  name: string,
  freshDb: () => Promise<string>,
  emptyDb: () => Promise<string>,
): void => {
  describe(`CLI on ${name}`, () => {
    let db = ""
    const run = (...args: string[]): Promise<CliResult> => cli(["--db", db, ...args])
    const list = async (): Promise<ReadonlyArray<RouteJson>> => {
      const r = await run("routes", "list", "--json")
      expect(r.code).toBe(0)
      return JSON.parse(r.stdout)
    }

    beforeEach(async () => {
      db = await freshDb()
    })

    it("lists routes as a table and as JSON, filtered by node or prefix", async () => {
      const [table, json, byNode, byPrefix, nothing] = await Promise.all([
        run("routes", "list"),
        run("routes", "list", "--json"),
        run("routes", "list", "--node", "router-b", "--json"),
        run("routes", "list", "--prefix", "10.0.0.0/24", "--json"),
        run("routes", "list", "--node", "nobody"),
      ])
      expect(table).toEqual(ok(seededTable))
      expect(JSON.parse(json.stdout)).toEqual(seededRoutes)
      expect(JSON.parse(byNode.stdout)).toEqual(seededRoutes.filter((r) => r.nodeId === "router-b"))
      expect(JSON.parse(byPrefix.stdout)).toEqual(seededRoutes.filter((r) => r.prefix === "10.0.0.0/24"))
      expect(nothing).toEqual(ok("no routes\n"))
    })

    it("lists nodes with user, tags, presence since when, expiry and route count, as a table and as JSON", async () => {
      const [table, json] = await Promise.all([run("nodes", "list"), run("nodes", "list", "--json")])
      expect(table).toEqual(
        ok(`ID        USER    TAGS        STATUS                              EXPIRES  ROUTES
exit-1    bob@    -           online since 2026-01-01T00:00:10Z   never         2
router-a  alice@  -           online since 2026-01-01T00:00:08Z   never         2
router-b  alice@  -           online since 2026-01-01T00:00:09Z   never         2
router-c  bob@    tag:router  offline since 2026-01-01T00:00:12Z  never         2
`),
      )
      const listed: NodeSummaryJson[] = JSON.parse(json.stdout)
      expect(
        listed.map((n) => [n.node.id, n.node.user, n.node.tags, n.online, n.since, n.expired, n.routes]),
      ).toEqual([
        ["exit-1", "bob@", [], true, at(10), false, 2],
        ["router-a", "alice@", [], true, at(8), false, 2],
        ["router-b", "alice@", [], true, at(9), false, 2],
        ["router-c", "bob@", ["tag:router"], false, at(12), false, 2],
      ])
      expect(listed[3]!.node).toMatchObject({ expiresAt: null, deletedAt: null, presence: { sessions: 0 } })
    })

    it("explains a prefix: candidates, eligibility with reasons, and why the primary is primary", async () => {
      const [text, json] = await Promise.all([
        run("explain", "10.0.0.0/24"),
        run("explain", "10.0.0.0/24", "--json"),
      ])
      expect(text).toEqual(
        ok(`10.0.0.0/24: primary router-a (route 1)

ROUTE  NODE      PRIORITY  CREATED               STANDING
    1  router-a         0  2026-01-01T00:00:04Z  primary: it was primary and is still eligible (sticky)
    3  router-b         0  2026-01-01T00:00:05Z  standby: younger than the primary
    5  router-c         0  2026-01-01T00:00:06Z  not eligible: offline since 2026-01-01T00:00:12.000Z

why: route 1 on router-a is primary: it was primary and is still eligible (sticky)
`),
      )
      expect(JSON.parse(json.stdout)).toEqual({
        prefix: "10.0.0.0/24",
        exit: false,
        primary: 1,
        storedPrimary: 1,
        candidates: [
          {
            route: seededRoutes[0],
            status: "primary",
            reason: "Sticky",
            eligible: true,
            at: null,
            graceUntil: null,
            text: "primary: it was primary and is still eligible (sticky)",
          },
          {
            route: seededRoutes[2],
            status: "standby",
            reason: "Younger",
            eligible: true,
            at: null,
            graceUntil: null,
            text: "standby: younger than the primary",
          },
          {
            route: seededRoutes[4],
            status: "ineligible",
            reason: "Offline",
            eligible: false,
            at: at(12),
            graceUntil: null,
            text: "not eligible: offline since 2026-01-01T00:00:12.000Z",
          },
        ],
        verdict: ["route 1 on router-a is primary: it was primary and is still eligible (sticky)"],
      })
    })

    it("reports overlaps and reserved ranges as warnings", async () => {
      const [text, json] = await Promise.all([run("overlaps"), run("overlaps", "--json")])
      expect(text).toEqual(
        ok(`warning: 192.168.0.0/16 (route 2 on router-a) contains 192.168.1.0/24 (route 4 on router-b)
warning: 100.64.0.0/10 (route 6 on router-c) covers 100.64.0.0/10, the tailnet's IPv4 addresses (CGNAT range)
warning: 100.64.0.0/10 (route 6 on router-c) covers 100.100.100.100/32, MagicDNS (IPv4)
`),
      )
      expect(JSON.parse(json.stdout)).toEqual({
        overlaps: [{ a: seededRoutes[1], b: seededRoutes[3] }],
        reserved: [
          { route: seededRoutes[5], range: "100.64.0.0/10" },
          { route: seededRoutes[5], range: "100.100.100.100/32" },
        ],
      })
    })

    it("disabling the primary hands the prefix to the standby", async () => {
      const since = Date.now()
      expect(await run("routes", "disable", "1")).toEqual(
        ok(
          "route 1 10.0.0.0/24 on router-a: disabled, no longer primary\n10.0.0.0/24: primary router-a (route 1) → router-b (route 3)\n",
        ),
      )
      expect(settle(await list(), since)).toEqual(
        seededRoutes
          .map(patch(1, { enabled: false, approvedBy: null, isPrimary: false, updatedAt: NOW }))
          .map(patch(3, { isPrimary: true, updatedAt: NOW })),
      )
    })

    it("enables an exit pair, approves by node and prefix, sets priority and deletes, with --json results", async () => {
      const since = Date.now()
      expect(await run("routes", "enable", "7")).toEqual(
        ok("route 7 0.0.0.0/0 on exit-1: enabled (manual)\nroute 8 ::/0 on exit-1: enabled (manual)\n"),
      )
      const approved = await run("routes", "approve", "router-a", "192.168.0.0/16", "--json")
      expect(approved.code).toBe(0)
      expect(JSON.parse(approved.stdout)).toEqual({
        ...noChange,
        routes: [
          {
            before: seededRoutes[1],
            after: {
              ...seededRoutes[1],
              enabled: true,
              isPrimary: true,
              approvedBy: "manual",
              updatedAt: expect.any(Number),
            },
          },
        ],
        primaries: [{ prefix: "192.168.0.0/16", before: null, after: 2 }],
        affectedPrefixes: ["192.168.0.0/16"],
        affectedNodes: ["router-a"],
        reroutedPrefixes: ["192.168.0.0/16"],
      })
      expect(await run("routes", "priority", "5", "-3")).toEqual(
        ok("route 5 10.0.0.0/24 on router-c: priority 0 → -3\n"),
      )
      expect(await run("routes", "delete", "4")).toEqual(ok("route 4 192.168.1.0/24 on router-b: deleted\n"))
      expect(await run("routes", "enable", "1")).toEqual(ok("nothing changed\n"))
      expect(settle(await list(), since)).toEqual(
        seededRoutes
          .filter((r) => r.id !== 4)
          .map(patch(2, { enabled: true, isPrimary: true, approvedBy: "manual", updatedAt: NOW }))
          .map(patch(5, { priority: -3, updatedAt: NOW }))
          .map(patch(7, { enabled: true, approvedBy: "manual", updatedAt: NOW }))
          .map(patch(8, { enabled: true, approvedBy: "manual", updatedAt: NOW })),
      )
    })

    it("refuses bad input with a clear message, the right exit code, and nothing changed", async () => {
      const usage = (command: string, message: string): CliResult =>
        failed(
          2,
          `error: ${message}\nusage: tailnet-routes ${command}\nrun 'tailnet-routes ${command.split(" [")[0]!.replace(/ [A-Z].*$/, "")} --help' for more\n`,
        )
      const results = await Promise.all([
        run("routes", "enable", "99"),
        run("routes", "enable", "2", "99"),
        run("routes", "disable", "42"),
        run("routes", "approve", "router-a", "10.0.0.1/24"),
        run("routes", "approve", "router-a", "10.9.0.0/24"),
        run("routes", "approve", "ghost", "10.0.0.0/24"),
        run("routes", "priority", "abc", "1"),
        run("routes", "delete", "1", "x"),
        run("explain", "10.0.0.1/24"),
        run("routes", "list", "--prefix", "300.0.0.0/8"),
        run("routes", "enable", "6", "--bogus"),
      ])
      expect(results).toEqual([
        failed(1, "error: unknown route 99\n"),
        failed(1, "error: unknown route 99\n"),
        failed(1, "error: unknown route 42\n"),
        usage(
          "routes approve NODE PREFIX... [options]",
          "10.0.0.1/24 has non-address bits set; expected 10.0.0.0/24",
        ),
        failed(1, "error: node router-a has no route 10.9.0.0/24\n"),
        failed(1, "error: unknown node ghost\n"),
        usage("routes priority ID N [options]", "route id 'abc' is not an integer"),
        usage("routes delete ID... [options]", "route id 'x' is not an integer"),
        usage("explain PREFIX [options]", "10.0.0.1/24 has non-address bits set; expected 10.0.0.0/24"),
        usage("routes list [options]", '"300.0.0.0/8" is not a valid prefix: IPv4 field has value >255'),
        failed(2, "error: unknown option --bogus\nrun 'tailnet-routes --help' for the commands\n"),
      ])
      expect(await list()).toEqual(seededRoutes)
    })

    it("with --json, errors are one line of JSON on stderr: { code, message, … }", async () => {
      const results = await Promise.all([
        run("routes", "enable", "99", "--json"),
        run("routes", "approve", "ghost", "10.0.0.0/24", "--json"),
        run("routes", "approve", "router-a", "10.9.0.0/24", "--json"),
        run("routes", "priority", "abc", "1", "--json"),
        run("routes", "list", "--bogus", "--json"),
        run("explain", "10.0.0.1/24", "--json"),
        run("simulate", "--nodes", "5", "--json"),
      ])
      // One line each, parsed to compare.
      for (const r of results)
        expect(r.stderr.endsWith("}\n") && r.stderr.indexOf("\n") === r.stderr.length - 1).toBe(true)
      const json = (code: number, error: object) => ({ code, stdout: "", stderr: error })
      expect(results.map((r) => ({ ...r, stderr: JSON.parse(r.stderr) }))).toEqual([
        json(1, { code: "UNKNOWN_ROUTE", message: "unknown route 99", routeId: 99 }),
        json(1, { code: "UNKNOWN_NODE", message: "unknown node ghost", nodeId: "ghost" }),
        json(1, {
          code: "NO_SUCH_ROUTE",
          message: "node router-a has no route 10.9.0.0/24",
          nodeId: "router-a",
          prefix: "10.9.0.0/24",
        }),
        json(2, {
          code: "USAGE",
          message: "route id 'abc' is not an integer",
          command: "routes priority",
          usage: "tailnet-routes routes priority ID N [options]",
        }),
        json(2, { code: "USAGE", message: "unknown option --bogus" }),
        json(2, {
          code: "USAGE",
          message: "10.0.0.1/24 has non-address bits set; expected 10.0.0.0/24",
          command: "explain",
          usage: "tailnet-routes explain PREFIX [options]",
        }),
        json(1, {
          code: "STORE_NOT_EMPTY",
          message: expect.stringMatching(
            / already holds 4 nodes; simulate builds its tailnet in an empty store/,
          ),
          store: expect.stringMatching(/^(sqlite|postgres)/),
        }),
      ])
      expect(await list()).toEqual(seededRoutes)
    })

    it("sets and shows the autoApprovers policy from HuJSON; a bad file changes nothing", async () => {
      const dir = tempDir()
      const good = path.join(dir, "policy.hujson")
      writeFileSync(
        good,
        '// office LANs\n{\n  "autoApprovers": {\n    "routes": { "192.168.0.0/16": ["alice@"], },\n  },\n}\n',
      )
      const bad = path.join(dir, "bad.json")
      writeFileSync(bad, '{ "autoApprovers":\n  { "routes": [ } }')
      const since = Date.now()
      expect(await run("policy", "set", good)).toEqual(
        ok(`policy replaced
route 2 192.168.0.0/16 on router-a: enabled (policy), now primary
route 4 192.168.1.0/24 on router-b: enabled (policy), now primary
192.168.0.0/16: primary none → router-a (route 2)
192.168.1.0/24: primary none → router-b (route 4)
`),
      )
      const policy = { autoApprovers: { routes: { "192.168.0.0/16": ["alice@"] } } }
      expect(await run("policy", "show")).toEqual(ok(`${JSON.stringify(policy, null, 2)}\n`))
      const after = await list()
      expect(await run("policy", "set", bad)).toEqual(
        failed(1, `error: ${bad}: line 2, column 17: unexpected '}'; expected a value\n`),
      )
      expect(await run("policy", "set", path.join(dir, "missing.json"))).toEqual(
        failed(1, `error: ${path.join(dir, "missing.json")}: no such file\n`),
      )
      expect(await run("policy", "show")).toEqual(ok(`${JSON.stringify(policy, null, 2)}\n`))
      expect(await list()).toEqual(after)
      expect(settle(after, since)).toEqual(
        seededRoutes
          .map(patch(2, { enabled: true, isPrimary: true, approvedBy: "policy", updatedAt: NOW }))
          .map(patch(4, { enabled: true, isPrimary: true, approvedBy: "policy", updatedAt: NOW })),
      )
    })

    it("reconciles a healthy store without changes, as text and JSON", async () => {
      const [dry, json] = await Promise.all([
        run("reconcile", "--dry-run"),
        run("reconcile", "--dry-run", "--json"),
      ])
      expect(dry).toEqual(ok("no repairs needed\n"))
      expect(JSON.parse(json.stdout)).toEqual({ dryRun: true, repairs: [], changes: noChange })
      expect(await run("reconcile")).toEqual(ok("no repairs needed\n"))
      expect(await list()).toEqual(seededRoutes)
    })

    it("simulate refuses a store that already holds a tailnet", async () => {
      const r = await run("simulate", "--nodes", "10")
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/already holds 4 nodes; simulate builds its tailnet in an empty store/)
      expect(await list()).toEqual(seededRoutes)
    })
  })

  describe(`CLI on an empty ${name} store`, () => {
    it("simulate builds and plays a seeded tailnet, the same story for the same seed", async () => {
      const db = await emptyDb()
      const r = await cli([
        "--db",
        db,
        "simulate",
        "--nodes",
        "40",
        "--routers-pct",
        "25",
        "--seconds",
        "20",
        "--json",
      ])
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" })
      expect(JSON.parse(r.stdout)).toEqual({
        nodes: 40,
        routers: 10,
        prefixes: 4,
        simulatedSeconds: 20,
        operations: { total: 175, connects: 53, disconnects: 31, advertisements: 30, ticks: 20 },
        elections: 5,
        failovers: 7,
        lost: 1,
        primariesAtEnd: 4,
        timings: {
          setupMs: expect.any(Number),
          playMs: expect.any(Number),
          p50Ms: expect.any(Number),
          p95Ms: expect.any(Number),
          maxMs: expect.any(Number),
        },
      })
      const listed = await cli(["--db", db, "routes", "list", "--json"])
      const routes: RouteJson[] = JSON.parse(listed.stdout)
      // Every router advertises its group's /24 (one in twenty also the exit pair); churn withdrew some.
      expect(new Set(routes.filter((x) => x.isPrimary).map((x) => x.prefix)).size).toBe(4)
      expect(routes.every((x) => x.nodeId.startsWith("router-"))).toBe(true)
    })

    it("simulate refuses bad numbers before touching the store", async () => {
      const db = await emptyDb()
      const results = await Promise.all([
        cli(["--db", db, "simulate"]),
        cli(["--db", db, "simulate", "--nodes", "0"]),
        cli(["--db", db, "simulate", "--nodes", "5", "--routers-pct", "101"]),
      ])
      const usage = (message: string) => ({
        code: 2,
        stdout: "",
        stderr: `error: ${message}\nusage: tailnet-routes simulate --nodes N [options]\nrun 'tailnet-routes simulate --help' for more\n`,
      })
      expect(results).toEqual([
        usage("'simulate' needs --nodes N"),
        usage("--nodes 0 is out of range; expected 1 to 100000"),
        usage("--routers-pct 101 is out of range; expected 0 to 100"),
      ])
    })

    it("migrate --dry-run writes nothing; migrate imports a Headscale 0.26 database, prints the report, and a second run writes nothing", async () => {
      const db = await emptyDb()
      const source = buildSqlite("0.26")
      const dry = await cli(["--db", db, "migrate", "--from-headscale", source, "--dry-run"])
      expect({ code: dry.code, stderr: dry.stderr }).toEqual({ code: 0, stderr: "" })
      expect(dry.stdout.split("\n").slice(0, 3)).toEqual([
        "Headscale era detected: 0.26+",
        "Nodes: 22 read, 22 imported, 0 already present, 0 deleted in Headscale (skipped)",
        "Routes: 24 imported, 0 already present, 0 deleted in Headscale (skipped)",
      ])
      // Nothing written: a SQLite target that did not exist still does not (STORE_NOT_FOUND), a database lists nothing.
      const after = await cli(["--db", db, "routes", "list", "--json"])
      if (after.code === 0) expect(JSON.parse(after.stdout)).toEqual([])
      else expect(JSON.parse(after.stderr)).toMatchObject({ code: "STORE_NOT_FOUND" })
      const first = await cli(["--db", db, "migrate", "--from-headscale", source])
      expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: "" })
      expect(first.stdout.split("\n").slice(0, 3)).toEqual([
        "Headscale era detected: 0.26+",
        "Nodes: 22 read, 22 imported, 0 already present, 0 deleted in Headscale (skipped)",
        "Routes: 24 imported, 0 already present, 0 deleted in Headscale (skipped)",
      ])
      const routes: RouteJson[] = JSON.parse((await cli(["--db", db, "routes", "list", "--json"])).stdout)
      expect(routes.length).toBe(24)
      expect(routes.every((x) => x.approvedBy === "migration" && x.enabled && x.isPrimary)).toBe(true)
      const again = await cli(["--db", db, "migrate", "--from-headscale", source])
      expect(again.code).toBe(0)
      expect(again.stdout.split("\n").slice(1, 3)).toEqual([
        "Nodes: 22 read, 0 imported, 22 already present, 0 deleted in Headscale (skipped)",
        "Routes: 0 imported, 24 already present, 0 deleted in Headscale (skipped)",
      ])
      expect(again.stdout.endsWith("Up to date: nothing to write.\n")).toBe(true)
      expect(JSON.parse((await cli(["--db", db, "routes", "list", "--json"])).stdout)).toEqual(routes)
    })

    it("migrate from a missing file is an error", async () => {
      const db = await emptyDb()
      const missing = path.join(tempDir(), "nope.sqlite")
      expect(await cli(["--db", db, "migrate", "--from-headscale", missing])).toEqual(
        failed(1, `error: ${missing}: no such Headscale database file\n`),
      )
    })
  })
}

/**
 * Asserts that `reconcile` repairs a store whose route 3 was withdrawn behind
 * the library's back while still enabled: the dry run reports and writes
 * nothing, the real run repairs, and a second run finds nothing to do.
 */
export const assertReconcileRepairs = async (db: string): Promise<void> => {
  const run = (...args: string[]): Promise<CliResult> => cli(["--db", db, ...args])
  const listed = async (): Promise<ReadonlyArray<RouteJson>> =>
    JSON.parse((await run("routes", "list", "--json")).stdout)
  const broken = seededRoutes.map(patch(3, { advertised: false }))
  expect(await listed()).toEqual(broken)
  expect(await run("reconcile", "--dry-run")).toEqual(
    ok(
      "would repair: route 3 was enabled but not advertised; disabled\nwould change: route 3 10.0.0.0/24 on router-b: disabled\n",
    ),
  )
  expect(await listed()).toEqual(broken)
  const since = Date.now()
  const fixed = await run("reconcile", "--json")
  expect(fixed.code).toBe(0)
  expect(JSON.parse(fixed.stdout)).toEqual({
    dryRun: false,
    repairs: [
      {
        kind: "WithdrawnButEnabled",
        nodeId: "router-b",
        prefix: "10.0.0.0/24",
        routeIds: [3],
        message: "route 3 was enabled but not advertised; disabled",
      },
    ],
    changes: {
      ...noChange,
      routes: [
        {
          before: broken[2],
          after: { ...broken[2], enabled: false, approvedBy: null, updatedAt: expect.any(Number) },
        },
      ],
      affectedPrefixes: ["10.0.0.0/24"],
    },
  })
  expect(settle(await listed(), since)).toEqual(
    broken.map(patch(3, { enabled: false, approvedBy: null, updatedAt: NOW })),
  )
  expect(await run("reconcile")).toEqual(ok("no repairs needed\n"))
}
