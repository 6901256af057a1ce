/**
 * Node records that share their user names and tag lists: a load hands every
 * node its own copies (a store parses each row, a generator writes literals),
 * yet a tailnet has few users and few distinct tag lists, and most nodes have
 * no tags. An empty array is 32 B, a one-tag list 56 B and a short user name
 * ~24 B on 64-bit Node, so at 4 routes a node sharing them saves ~14 B of heap
 * a route (50k stress nodes: 399 → 385 B a route retained, as generated and as
 * a SQL store loads them; `bench/memory.bench.ts`). Both are immutable, so
 * sharing is safe. A string's identity cannot be read in JavaScript, so every
 * record is copied (one allocation a node, at load only).
 */
import type { Node } from "../Node.js"

const noTags: ReadonlyArray<string> = Object.freeze([])

/** Shares user names and tag lists among the nodes it is given; one per load, dropped with it. */
export const nodeSharer = (): ((n: Node) => Node) => {
  const users = new Map<string, string>()
  const lists = new Map<string, ReadonlyArray<string>>()
  return (n) => {
    let user = users.get(n.user)
    if (user === undefined) {
      user = n.user
      users.set(user, user)
    }
    let tags = noTags
    if (n.tags.length > 0) {
      // Tags are `tag:` and a name without whitespace: a newline cannot occur in one.
      const key = n.tags.length === 1 ? n.tags[0]! : n.tags.join("\n")
      const held = lists.get(key)
      if (held === undefined) lists.set(key, n.tags)
      tags = held ?? n.tags
    }
    return {
      id: n.id,
      user,
      tags,
      ephemeral: n.ephemeral,
      createdAt: n.createdAt,
      expiresAt: n.expiresAt,
      presence: n.presence,
      deletedAt: n.deletedAt,
    }
  }
}
