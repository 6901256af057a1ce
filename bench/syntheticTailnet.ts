/**
 * Deterministic synthetic tailnets for benchmarks (seeded PRNG from the
 * harness), in a sound state: every router online, every route advertised
 * and enabled, the oldest router of each HA group primary.
 *
 * - `realistic`: 20% of nodes are subnet routers in HA groups of 1–3 routers
 *   sharing 1–8 prefixes; 5% are exit nodes (both exit routes enabled).
 * - `stress`: every node advertises 4 routes, in HA pairs (200k routes at 50k
 *   nodes, 1M at 250k); with an odd node count the last node is a lone router.
 *
 * Prefixes come from `nthPrefix`, distinct at any size, so every group's
 * prefixes are its own and the stated group sizes hold at every node count.
 */
import type { Node, NodeId } from "../src/domain/Node.js"
import type { Policy } from "../src/domain/Policy.js"
import { exitV4, exitV6, type Prefix, parsePrefixUnsafe } from "../src/domain/Prefix.js"
import type { Route } from "../src/domain/Route.js"
import { prng } from "./harness.js"

/** `realistic` (routers, HA groups, exit nodes) or `stress` (4 routes on every node). */
export type TailnetShape = "realistic" | "stress"

/** Plain state, ready for `RouteIndex.from` or a repository. */
export interface SyntheticTailnet {
  readonly nodes: Array<Node>
  readonly routes: Array<Route>
  readonly policy: Policy
  readonly nextRouteId: number
  /** Node ids of subnet routers, by HA group (each group shares its prefixes). */
  readonly groups: ReadonlyArray<ReadonlyArray<NodeId>>
}

/** IPv4 /28s inside 10.0.0.0/8. */
const V4_SLOTS = 2 ** 20

const v4Prefix = (k: number): Prefix =>
  parsePrefixUnsafe(`10.${(k >>> 12) & 255}.${(k >>> 4) & 255}.${(k & 15) * 16}/28`)

/**
 * The /64 numbered `k` inside 2001:db8::/32, the documentation range (2^32 of them).
 * A global-unicast first word stays a small integer in `Prefix`; a ULA's (fd00::/8)
 * would be a boxed heap number, ~16 B more per prefix than most real tailnets pay.
 */
const v6Prefix = (k: number): Prefix =>
  parsePrefixUnsafe(`2001:db8:${((k >>> 16) & 0xffff).toString(16)}:${(k & 0xffff).toString(16)}::/64`)

/**
 * The i-th distinct prefix, for any i below 2^32: three IPv4 /28s (inside
 * 10.0.0.0/8) for every IPv6 /64 (inside 2001:db8::/32) until the 1,048,576 /28s
 * run out (at i ≈ 1.4M), IPv6 /64s after that. Distinct i give distinct
 * prefixes, none containing another.
 */
export const nthPrefix = (i: number): Prefix => {
  const v4 = 3 * Math.floor(i / 4) + (i % 4)
  // The fourth of every four is IPv6; its number is i itself, so no two i share one.
  return i % 4 !== 3 && v4 < V4_SLOTS ? v4Prefix(v4) : v6Prefix(i)
}

/** Builds a tailnet of `nodeCount` nodes; the same arguments always give the same state. */
// Every node holds one session of one replica: one shared (immutable) holders object, as a store load interns them.
const oneSession = { "": 1 }

export const syntheticTailnet = (
  nodeCount: number,
  shape: TailnetShape = "realistic",
  seed = 42,
): SyntheticTailnet => {
  const rnd = prng(seed)
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1))
  const t0 = 1_700_000_000_000
  const nodes: Node[] = []
  for (let i = 0; i < nodeCount; i++) {
    nodes.push({
      id: `node-${String(i).padStart(6, "0")}`,
      user: `user${i % 97}@`,
      tags: i % 5 === 0 ? ["tag:router"] : [],
      ephemeral: false,
      createdAt: t0 + i,
      expiresAt: null,
      presence: {
        sessions: 1,
        replicas: oneSession,
        connectedAt: t0 + i,
        lastSeen: t0 + i,
        disconnectedAt: null,
      },
      deletedAt: null,
    })
  }
  const routes: Route[] = []
  const add = (nodeId: NodeId, prefix: Prefix, isPrimary: boolean, at: number): void => {
    routes.push({
      id: routes.length + 1,
      nodeId,
      prefix,
      advertised: true,
      enabled: true,
      isPrimary,
      approvedBy: "manual",
      priority: 0,
      healthy: true,
      createdAt: at,
      updatedAt: at,
      deletedAt: null,
    })
  }
  const groups: NodeId[][] = []
  let nextPrefix = 0
  const routers = shape === "stress" ? nodeCount : Math.floor(nodeCount * 0.2)
  let i = 0
  while (i < routers) {
    const size = shape === "stress" ? 2 : int(1, 3)
    const members = nodes.slice(i, Math.min(routers, i + size)).map((n) => n.id)
    const count = shape === "stress" ? 4 : int(1, 8)
    const prefixes = Array.from({ length: count }, () => nthPrefix(nextPrefix++))
    members.forEach((id, k) => {
      for (const p of prefixes) add(id, p, k === 0, t0 + nodeCount + routes.length)
    })
    groups.push(members)
    i += members.length
  }
  if (shape === "realistic") {
    const exits = Math.floor(nodeCount * 0.05)
    for (let e = 0; e < exits; e++) {
      const id = nodes[routers + e]!.id
      add(id, exitV4, false, t0 + nodeCount + routes.length)
      add(id, exitV6, false, t0 + nodeCount + routes.length)
    }
  }
  return { nodes, routes, policy: {}, nextRouteId: routes.length + 1, groups }
}
