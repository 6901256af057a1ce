/** The repository tests' seed tailnet, and how to commit to and check a store. */

import { mkdtempSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { describe, it } from "@effect/vitest"
import { Effect, type Layer, type Scope } from "effect"
import { expect } from "vitest"
import * as Postgres from "../../src/adapters/postgres/index.js"
import * as Sqlite from "../../src/adapters/sqlite/index.js"
import type { ChangeSet } from "../../src/domain/ChangeSet.js"
import type { RouteRepository, Snapshot } from "../../src/ports/RouteRepository.js"
import { changeSet, create, node, route } from "../support/builders.js"
import { freshDatabaseUrl, postgresAdminUrl } from "../support/postgres.js"
import { dropDatabase } from "../support/postgresCluster.js"

/** A small tailnet: two routers for one subnet (1 primary), an exit pair, an IPv6 subnet. */
export const seed = {
  nodes: [
    node("n1", {
      tags: ["tag:router"],
      presence: { sessions: 1, replicas: { "": 1 }, connectedAt: 5, lastSeen: 6, disconnectedAt: null },
    }),
    node("n2", { user: "bob@example.com", expiresAt: 99_000 }),
    node("n3", { ephemeral: true }),
  ],
  routes: [
    route(1, "n1", "10.0.0.0/24", { isPrimary: true, approvedBy: "policy", priority: 5 }),
    route(2, "n2", "10.0.0.0/24", { enabled: false, approvedBy: null }),
    route(3, "n1", "0.0.0.0/0"),
    route(4, "n1", "::/0"),
    route(5, "n3", "fd7a:115c:a1e0:b1a:0:7:a01:100/120", { isPrimary: true, healthy: false }),
  ],
  policy: { groups: { "group:ops": ["alice@"] }, autoApprovers: { routes: { "10.0.0.0/8": ["group:ops"] } } },
  nextRouteId: 6,
}

/** The change set that writes `seed` into an empty store. */
export const seedChanges: ChangeSet = changeSet(seed.nextRouteId, {
  nodes: seed.nodes.map(create),
  routes: seed.routes.map(create),
  policy: seed.policy,
})

/** Applies `changes` at the store's current version, as a writer that is up to date would. */
export const commit = (repo: RouteRepository["Service"], changes: ChangeSet) =>
  Effect.flatMap(repo.head, (base) => repo.apply(changes, { base, origin: "test", at: 0 }))

/**
 * What the store written before replicas (node n1 with 2 sessions, routes 1
 * and 2, counter 3; each adapter's migration test inserts it) reads as after
 * the upgrade: version 0, and the old sessions held by the anonymous holder,
 * which no lease covers.
 */
export const expectUpgraded = (all: Snapshot): void => {
  expect(all.routes).toEqual([
    route(1, "n1", "10.0.0.0/24", { isPrimary: true }),
    route(2, "n1", "10.0.0.0/8"),
  ])
  expect(all.nextRouteId).toBe(3)
  expect(all.version).toBe(0)
  expect(all.nodes[0]!.presence).toEqual({
    sessions: 2,
    replicas: { "": 2 },
    connectedAt: 900,
    lastSeen: 950,
    disconnectedAt: null,
  })
}

/**
 * `check` on a fresh SQLite file and a fresh Postgres database, one test each
 * under `title`; the file and the database are removed after.
 */
export const onBothSqlStores = (
  title: string,
  check: (layer: Layer.Layer<RouteRepository, unknown>) => Effect.Effect<void, unknown, Scope.Scope>,
): void => {
  describe(title, () => {
    it.effect("sqlite", () =>
      Effect.gen(function* () {
        const dir = mkdtempSync(path.join(os.tmpdir(), "tailnet-routes-sql-"))
        yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
        yield* check(Sqlite.layer({ filename: path.join(dir, "store.db") }))
      }),
    )
    it.effect("postgres", () =>
      Effect.gen(function* () {
        const url = yield* Effect.promise(freshDatabaseUrl)
        yield* Effect.addFinalizer(() => Effect.promise(() => dropDatabase(postgresAdminUrl(), url)))
        yield* check(Postgres.layer({ url, maxConnections: 2 }))
      }),
    )
  })
}
