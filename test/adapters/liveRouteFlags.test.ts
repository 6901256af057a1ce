import { expect } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import * as Memory from "../../src/adapters/memory/MemoryRouteRepository.js"
import type { ChangeSet } from "../../src/domain/ChangeSet.js"
import type { ApprovedBy, Route } from "../../src/domain/Route.js"
import { RouteRepository } from "../../src/ports/RouteRepository.js"
import { changeSet, create, node, route } from "../support/builders.js"
import { commit, onBothSqlStores } from "./fixtures.js"

const approvals: ReadonlyArray<ApprovedBy | null> = [null, "manual", "policy", "migration"]
// 16 boolean combinations x 4 approvals, each on a prefix of its own (one primary per prefix),
// with a priority and times beyond int4 so the wide columns are read back too.
const routes: Array<Route> = Array.from({ length: 64 }, (_, k) =>
  route(k + 1, `n${k % 3}`, `10.0.${k}.0/24`, {
    advertised: (k & 1) !== 0,
    enabled: (k & 2) !== 0,
    isPrimary: (k & 4) !== 0,
    healthy: (k & 8) !== 0,
    approvedBy: approvals[k >> 4]!,
    priority: k % 5 === 0 ? -(2 ** 40) : k,
    createdAt: 1_700_000_000_000 + k,
    updatedAt: 1_700_000_000_000 + 2 * k,
  }),
)
// A quote, a backslash, a control character, a non-ASCII letter and one outside the BMP.
const oddText = 'q"b\\c\u0001é🙂'
const odd = node(`n${oddText}`, { user: `u${oddText}@`, tags: [`tag:${oddText}`] })
routes.push(route(65, odd.id, "10.1.0.0/24"))
const created: ChangeSet = changeSet(66, {
  nodes: [...["n2", "n0", "n1"].map((id) => create(node(id))), create(odd)],
  routes: routes.map(create),
})

const loadsAsWritten = (layer: Layer.Layer<RouteRepository, unknown>) =>
  Effect.gen(function* () {
    const reference = yield* Memory.make()
    yield* commit(reference, created)
    const all = yield* Effect.provide(
      RouteRepository.use((repo) => Effect.andThen(commit(repo, created), repo.loadAll)),
      layer,
    )
    expect(all.routes).toEqual(routes)
    expect(all).toEqual(yield* reference.loadAll)
  })

onBothSqlStores("loadAll reads every flag combination and escaped texts", loadsAsWritten)
