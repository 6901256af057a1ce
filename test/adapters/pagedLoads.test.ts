import { expect } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import * as Memory from "../../src/adapters/memory/MemoryRouteRepository.js"
import type { ChangeSet } from "../../src/domain/ChangeSet.js"
import { RouteRepository } from "../../src/ports/RouteRepository.js"
import { changeSet, create, node, route, update } from "../support/builders.js"
import { commit, onBothSqlStores } from "./fixtures.js"

const page = 8_192
const routeCount = 2 * page + 7
// Node ids chosen so their text order differs from their insertion order.
const nodeId = (i: number) => `n${(i * 7_919) % (page + 3)}`
const nodeCount = page + 3

const created: ChangeSet = changeSet(routeCount + 1, {
  nodes: Array.from({ length: nodeCount }, (_, i) => create(node(nodeId(i)))),
  routes: Array.from({ length: routeCount }, (_, k) =>
    create(route(k + 1, nodeId(k % nodeCount), `10.${(k >> 8) & 255}.${k & 255}.0/24`)),
  ),
})
// Rows deleted on both sides of each page boundary, and the very last one; two live rows
// updated, which moves them to the end of Postgres's heap, out of id order.
const deletedIds = [1, page - 1, page, page + 1, 2 * page, 2 * page + 1, routeCount]
const updatedIds = [2, page + 5]
const deleted: ChangeSet = changeSet(routeCount + 1, {
  routes: [
    ...deletedIds.map((id) => update(created.routes[id - 1]!.after, { deletedAt: 5_000 })),
    ...updatedIds.map((id) => update(created.routes[id - 1]!.after, { priority: 3, updatedAt: 5_000 })),
  ],
})

const loadsAsMemory = (layer: Layer.Layer<RouteRepository, unknown>) =>
  Effect.gen(function* () {
    const reference = yield* Memory.make()
    yield* commit(reference, created)
    yield* commit(reference, deleted)
    const all = yield* Effect.provide(
      RouteRepository.use((repo) =>
        Effect.gen(function* () {
          yield* commit(repo, created)
          yield* commit(repo, deleted)
          return yield* repo.loadAll
        }),
      ),
      layer,
    )
    expect(all.routes).toHaveLength(routeCount - deletedIds.length)
    expect(all).toEqual(yield* reference.loadAll)
  })

onBothSqlStores("loadAll across pages", loadsAsMemory)
