/**
 * Named operations for the repository contract's property: each one is what
 * a writer of the store does (a node connects, a route is advertised, the
 * primary moves, a stale writer comes late…), drawn by fast-check as data so a
 * counterexample reads as a story. `changeFor` turns one into the change set a
 * writer would compute from the store as the oracle holds it.
 */
import fc from "fast-check"
import type { ChangeSet } from "../../src/domain/ChangeSet.js"
import type { Node, Presence } from "../../src/domain/Node.js"
import type { Route } from "../../src/domain/Route.js"
import { changeSet, create, node, route, update } from "../support/builders.js"
import type { StoreOracle } from "./storeOracle.js"

const nodeNames = ["n0", "n1", "n2", "n3"] as const
const prefixes = ["10.0.0.0/24", "10.0.0.0/8", "fd00::/64", "0.0.0.0/0", "::/0", "192.168.1.0/24"]
const subnets = prefixes.filter((p) => !p.endsWith("/0"))
const replicas = ["", "a", "b"] as const

/** One operation; those under "refused" each break exactly one rule of the store. */
export type StoreOp =
  | { readonly op: "connect" | "disconnect"; readonly node: string; readonly replica: string }
  | { readonly op: "setTags"; readonly node: string; readonly tags: ReadonlyArray<string> }
  | { readonly op: "expire"; readonly node: string; readonly at: number | null }
  | { readonly op: "deleteNode"; readonly node: string }
  | { readonly op: "advertise"; readonly node: string; readonly prefix: string }
  | { readonly op: "advertiseOnNodes"; readonly prefix: string; readonly count: number }
  | {
      readonly op: "movePrimary"
      readonly prefix: string
      readonly pick: number
      readonly demoteFirst: boolean
    }
  | { readonly op: "edit"; readonly pick: number; readonly priority: number; readonly healthy: boolean }
  | { readonly op: "deleteRoute"; readonly pick: number }
  | { readonly op: "setPolicy"; readonly user: string }
  // refused:
  | { readonly op: "staleRoute"; readonly pick: number }
  | { readonly op: "staleNode"; readonly node: string }
  | { readonly op: "createNodeAgain"; readonly node: string }
  | { readonly op: "duplicateRow"; readonly pick: number }
  | { readonly op: "secondPrimary" }
  | { readonly op: "exitPrimary"; readonly pick: number }
  | { readonly op: "counterSkew"; readonly skew: 1 | -1 }
  | { readonly op: "pastCounter" }
  | { readonly op: "behind" }

/** Where every run starts, so the random operations find nodes, routes and a primary to work on. */
export const prologue: ReadonlyArray<StoreOp> = [
  { op: "connect", node: "n0", replica: "" },
  { op: "connect", node: "n1", replica: "a" },
  { op: "connect", node: "n2", replica: "b" },
  { op: "advertise", node: "n0", prefix: "10.0.0.0/24" },
  { op: "advertise", node: "n1", prefix: "10.0.0.0/24" },
  { op: "advertise", node: "n0", prefix: "0.0.0.0/0" },
  { op: "advertise", node: "n0", prefix: "::/0" },
  { op: "movePrimary", prefix: "10.0.0.0/24", pick: 0, demoteFirst: false },
  { op: "setPolicy", user: "alice@" },
]

const name = fc.constantFrom(...nodeNames)
const pick = fc.nat(20)

export const storeOp: fc.Arbitrary<StoreOp> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("connect" as const),
      node: name,
      replica: fc.constantFrom(...replicas),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("disconnect" as const),
      node: name,
      replica: fc.constantFrom(...replicas),
    }),
  },
  fc.record({
    op: fc.constant("setTags" as const),
    node: name,
    tags: fc.subarray(["tag:b", "tag:a", "tag:c"]),
  }),
  fc.record({ op: fc.constant("expire" as const), node: name, at: fc.option(fc.nat(100), { nil: null }) }),
  fc.record({ op: fc.constant("deleteNode" as const), node: name }),
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant("advertise" as const),
      node: name,
      prefix: fc.constantFrom(...prefixes),
    }),
  },
  fc.record({
    op: fc.constant("advertiseOnNodes" as const),
    prefix: fc.tuple(fc.nat(2), fc.nat(2)).map(([a, b]) => `10.${a}.${b}.0/24`),
    count: fc.integer({ min: 1, max: 3 }),
  }),
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("movePrimary" as const),
      prefix: fc.constantFrom(...subnets),
      pick,
      demoteFirst: fc.boolean(),
    }),
  },
  fc.record({
    op: fc.constant("edit" as const),
    pick,
    priority: fc.integer({ min: -3, max: 3 }),
    healthy: fc.boolean(),
  }),
  fc.record({ op: fc.constant("deleteRoute" as const), pick }),
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("setPolicy" as const),
      user: fc.constantFrom("alice@", "bob@example.com"),
    }),
  },
  fc.record({ op: fc.constant("staleRoute" as const), pick }),
  fc.record({ op: fc.constant("staleNode" as const), node: name }),
  fc.record({ op: fc.constant("createNodeAgain" as const), node: name }),
  fc.record({ op: fc.constant("duplicateRow" as const), pick }),
  fc.record({ op: fc.constant("secondPrimary" as const) }),
  fc.record({ op: fc.constant("exitPrimary" as const), pick }),
  fc.record({ op: fc.constant("counterSkew" as const), skew: fc.constantFrom(1 as const, -1 as const) }),
  fc.record({ op: fc.constant("pastCounter" as const) }),
  fc.record({ op: fc.constant("behind" as const) }),
)

/** A presence whose session count is the sum of its holders' (as the store keeps it). */
const presenceWith = (p: Presence, holders: Record<string, number>, at: number): Presence => {
  const sessions = Object.values(holders).reduce((a, b) => a + b, 0)
  return sessions === 0
    ? { sessions: 0, replicas: {}, connectedAt: null, lastSeen: at, disconnectedAt: at }
    : { sessions, replicas: holders, connectedAt: p.connectedAt ?? at, lastSeen: at, disconnectedAt: null }
}

/** A change set and the version it states it was computed from. */
export interface Write {
  readonly changes: ChangeSet
  readonly base: number
}

/** The change set a writer computes for `op` from the store the oracle describes, at time `step`. */
export const changeFor = (op: StoreOp, store: StoreOracle, step: number): Write => {
  const state = store.snapshot()
  const next = state.nextRouteId
  const write = (changes: ChangeSet): Write => ({ changes, base: state.version })
  const nothing = write(changeSet(next))
  const found: Node | undefined = "node" in op ? state.nodes.find((n) => n.id === op.node) : undefined
  const at = <A>(xs: ReadonlyArray<A>, i: number): A | undefined => xs[i % Math.max(xs.length, 1)]
  const picked: Route | undefined = "pick" in op ? at(state.routes, op.pick) : undefined
  const touch = (r: Route, patch: Partial<Route>) => update(r, { ...patch, updatedAt: step })
  // A fresh row on the first node, for the counter cases (nothing else about it is wrong).
  const freshRow = (id: number) => route(id, state.nodes[0]!.id, `172.16.${next}.0/24`, { createdAt: step })

  switch (op.op) {
    case "connect": {
      if (!found) {
        return write(
          changeSet(next, {
            nodes: [
              create(
                node(op.node, {
                  createdAt: step,
                  presence: presenceWith(node(op.node).presence, { [op.replica]: 1 }, step),
                }),
              ),
            ],
          }),
        )
      }
      const holders = {
        ...found.presence.replicas,
        [op.replica]: (found.presence.replicas[op.replica] ?? 0) + 1,
      }
      return write(
        changeSet(next, {
          nodes: [update(found, { presence: presenceWith(found.presence, holders, step) })],
        }),
      )
    }
    case "disconnect": {
      const held = found?.presence.replicas[op.replica] ?? 0
      if (!found || held === 0) return nothing
      const holders: Record<string, number> = { ...found.presence.replicas, [op.replica]: held - 1 }
      if (held === 1) delete holders[op.replica]
      return write(
        changeSet(next, {
          nodes: [update(found, { presence: presenceWith(found.presence, holders, step) })],
        }),
      )
    }
    case "setTags":
      return found ? write(changeSet(next, { nodes: [update(found, { tags: op.tags })] })) : nothing
    case "expire":
      return found ? write(changeSet(next, { nodes: [update(found, { expiresAt: op.at })] })) : nothing
    case "deleteNode": {
      if (!found || found.deletedAt !== null) return nothing
      const rows = state.routes.filter((r) => r.nodeId === op.node)
      return write(
        changeSet(next, {
          nodes: [update(found, { deletedAt: step, presence: presenceWith(found.presence, {}, step) })],
          routes: rows.map((r) => touch(r, { deletedAt: step, isPrimary: false })),
        }),
      )
    }
    case "advertise": {
      // A known row flips its approval (losing the primary); a new one is created from the counter.
      // On a node the store does not know, the new row breaks the foreign key.
      const mine = state.routes.find((r) => r.nodeId === op.node && r.prefix.text === op.prefix)
      if (mine) {
        const enabled = !mine.enabled
        return write(
          changeSet(next, {
            routes: [touch(mine, { enabled, approvedBy: enabled ? "manual" : null, isPrimary: false })],
          }),
        )
      }
      const row = route(next, op.node, op.prefix, {
        enabled: false,
        approvedBy: null,
        createdAt: step,
        updatedAt: step,
      })
      return write(changeSet(next + 1, { routes: [create(row)] }))
    }
    case "advertiseOnNodes": {
      // Several rows from the counter in one change set; a node that already has the prefix breaks it.
      const rows = state.nodes
        .slice(0, op.count)
        .map((n, i) => route(next + i, n.id, op.prefix, { createdAt: step, updatedAt: step }))
      return rows.length === 0 ? nothing : write(changeSet(next + rows.length, { routes: rows.map(create) }))
    }
    case "movePrimary": {
      const rows = state.routes.filter((r) => r.prefix.text === op.prefix)
      const target = at(rows, op.pick)
      if (!target || target.isPrimary) return nothing
      const promote = touch(target, { isPrimary: true })
      const current = rows.find((r) => r.isPrimary)
      if (!current) return write(changeSet(next, { routes: [promote] }))
      const demote = touch(current, { isPrimary: false })
      return write(changeSet(next, { routes: op.demoteFirst ? [demote, promote] : [promote, demote] }))
    }
    case "edit":
      return picked
        ? write(changeSet(next, { routes: [touch(picked, { priority: op.priority, healthy: op.healthy })] }))
        : nothing
    case "deleteRoute":
      return picked
        ? write(changeSet(next, { routes: [touch(picked, { deletedAt: step, isPrimary: false })] }))
        : nothing
    case "setPolicy":
      return write(
        changeSet(next, {
          policy: {
            groups: { "group:ops": [op.user] },
            autoApprovers: { routes: { "10.0.0.0/8": ["group:ops"] }, exitNode: [op.user] },
          },
        }),
      )
    case "staleRoute":
      return picked
        ? write(
            changeSet(next, {
              routes: [
                { before: { ...picked, priority: picked.priority + 1 }, after: { ...picked, priority: 9 } },
              ],
            }),
          )
        : nothing
    case "staleNode":
      return found
        ? write(
            changeSet(next, {
              nodes: [{ before: { ...found, user: "mallory@" }, after: { ...found, ephemeral: true } }],
            }),
          )
        : nothing
    case "createNodeAgain":
      return write(changeSet(next, { nodes: [create(node(op.node, { createdAt: step }))] }))
    case "duplicateRow":
      return picked
        ? write(
            changeSet(next + 1, {
              routes: [create(route(next, picked.nodeId, picked.prefix.text, { createdAt: step }))],
            }),
          )
        : nothing
    case "secondPrimary": {
      const other = state.routes.find(
        (r) => !r.isPrimary && state.routes.some((p) => p.isPrimary && p.prefix.text === r.prefix.text),
      )
      return other ? write(changeSet(next, { routes: [update(other, { isPrimary: true })] })) : nothing
    }
    case "exitPrimary": {
      const exit = at(
        state.routes.filter((r) => r.prefix.text.endsWith("/0")),
        op.pick,
      )
      return exit ? write(changeSet(next, { routes: [update(exit, { isPrimary: true })] })) : nothing
    }
    case "counterSkew":
      return state.nodes.length === 0
        ? nothing
        : write(changeSet(next + op.skew + 1, { routes: [create(freshRow(next + op.skew))] }))
    case "pastCounter":
      return state.nodes.length === 0 ? nothing : write(changeSet(next, { routes: [create(freshRow(next))] }))
    case "behind":
      // Computed from the version before the head: a write some other writer has overtaken.
      return {
        changes: changeSet(next, { nodes: [create(node("late", { createdAt: step }))] }),
        base: state.version - 1,
      }
  }
}
