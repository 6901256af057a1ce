/**
 * `RouteIndex.from` keeps one copy of each user name and tag list among the
 * nodes it loads (`nodeSharer`): the records it holds equal the ones given,
 * and nodes with equal tag lists hold the same array.
 */
import { describe, expect, it } from "vitest"
import { nodeSharer } from "../../src/domain/internal/nodeSharer.js"
import type { Node } from "../../src/domain/Node.js"
import { offline } from "../../src/domain/Node.js"
import { RouteIndex } from "../../src/domain/RouteIndex.js"

const node = (id: string, user: string, tags: ReadonlyArray<string>): Node => ({
  id,
  user,
  tags: [...tags],
  ephemeral: false,
  createdAt: 1_700_000_000_000,
  expiresAt: null,
  presence: offline,
  deletedAt: null,
})

describe("nodeSharer", () => {
  it("gives records equal to those given, sharing equal tag lists and the empty one", () => {
    const share = nodeSharer()
    const given = [
      node("a", "alice@", []),
      node("b", "bob@", ["tag:router"]),
      node("c", "alice@", []),
      node("d", "bob@", ["tag:router"]),
      node("e", "carol@", ["tag:exit", "tag:router"]),
      node("f", "carol@", ["tag:exit", "tag:router"]),
      node("g", "carol@", ["tag:exit"]),
    ]
    const held = given.map(share)
    expect(held).toEqual(given)
    expect(held[0]!.tags).toBe(held[2]!.tags)
    expect(held[1]!.tags).toBe(held[3]!.tags)
    expect(held[4]!.tags).toBe(held[5]!.tags)
    expect(held[6]!.tags).not.toBe(held[4]!.tags)
    expect(held[6]!.tags).toEqual(["tag:exit"])
  })

  it("is what RouteIndex.from holds: the loaded nodes, equal, with shared tag lists", () => {
    const nodes = [node("a", "alice@", ["tag:router"]), node("b", "alice@", ["tag:router"])]
    const index = RouteIndex.from({ nodes, routes: [], policy: {}, nextRouteId: 1 })
    expect(index.node("a")).toEqual(nodes[0])
    expect(index.node("b")).toEqual(nodes[1])
    expect(index.node("a")!.tags).toBe(index.node("b")!.tags)
  })
})
