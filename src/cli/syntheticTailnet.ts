/**
 * A small deterministic synthetic tailnet for `simulate`: nodes, the routers
 * among them in HA groups of two or three per `/24`, a few exit nodes, and a
 * policy that auto-approves the routers' prefixes. Seeded, so a run can be
 * repeated.
 */
import type { Policy } from "../domain/Policy.js"

/** One generated node. @category models */
export interface SyntheticNode {
  readonly id: string
  readonly user: string
  readonly tags: ReadonlyArray<string>
  /** What it advertises at start; empty for plain clients. */
  readonly routes: ReadonlyArray<string>
}

/** @category models */
export interface SyntheticTailnet {
  readonly nodes: ReadonlyArray<SyntheticNode>
  /** Ids of the nodes that advertise routes. */
  readonly routers: ReadonlyArray<string>
  /** Distinct subnet prefixes advertised. */
  readonly prefixes: number
  readonly policy: Policy
}

/** The `/24` of HA group `g`: `10.a.b.0/24`. @category getters */
export const groupPrefix = (g: number): string => `10.${(g >> 8) & 255}.${g & 255}.0/24`

/**
 * Builds `nodes` nodes of which `routersPct` percent (at least one when the
 * percentage is positive) are routers; routers form groups of two or three
 * sharing a prefix, and every twentieth router is also an exit node.
 *
 * @category constructors
 */
export const syntheticTailnet = (
  nodes: number,
  routersPct: number,
  random: () => number,
): SyntheticTailnet => {
  const routerCount =
    routersPct <= 0 ? 0 : Math.max(1, Math.min(nodes, Math.round((nodes * routersPct) / 100)))
  const width = String(nodes).length
  const out: SyntheticNode[] = []
  const routers: string[] = []
  let group = 0
  let left = 0
  for (let i = 0; i < routerCount; i++) {
    if (left === 0) {
      group++
      left = random() < 0.5 ? 2 : 3
    }
    left--
    const id = `router-${String(i + 1).padStart(width, "0")}`
    const routes = [groupPrefix(group)]
    if ((i + 1) % 20 === 0) routes.push("0.0.0.0/0", "::/0")
    out.push({ id, user: "ops@", tags: ["tag:router"], routes })
    routers.push(id)
  }
  for (let i = routerCount; i < nodes; i++) {
    out.push({
      id: `node-${String(i + 1).padStart(width, "0")}`,
      user: `user${i % 50}@`,
      tags: [],
      routes: [],
    })
  }
  return {
    nodes: out,
    routers,
    prefixes: group,
    policy: { autoApprovers: { routes: { "10.0.0.0/8": ["tag:router"] }, exitNode: ["tag:router"] } },
  }
}
