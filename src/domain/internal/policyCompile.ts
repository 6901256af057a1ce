/**
 * The compiled form of a policy, built once per Policy object: groups expanded
 * into per-approver user/tag sets, route entries parsed once into one binary
 * trie per family. A lookup walks at most `prefix.length` trie levels along the
 * prefix's own bits and sees exactly the entries that contain it, so its cost
 * is independent of the entry count (a linear scan would be O(entries) per
 * advertisement, and real policies reach hundreds of entries). Nothing is
 * allocated per lookup.
 */
import type { Node } from "../Node.js"
import type { Policy } from "../Policy.js"
import { isExitRoute, type Prefix, parsePrefix } from "../Prefix.js"

/** Who an entry approves: users (groups already expanded) for untagged nodes, tags for tagged ones. @category models */
export interface ApproverSet {
  readonly users: Set<string>
  readonly tags: Set<string>
}

interface TrieNode {
  zero: TrieNode | undefined
  one: TrieNode | undefined
  /** Set when a routes entry ends exactly here. */
  approvers: ApproverSet | undefined
}

/** A policy compiled for lookups: exit approvers and one trie per family. @category models */
export interface Compiled {
  readonly exit: ApproverSet
  readonly v4: TrieNode
  readonly v6: TrieNode
}

const trieNode = (): TrieNode => ({ zero: undefined, one: undefined, approvers: undefined })

const addApprovers = (
  into: ApproverSet,
  policy: Policy,
  approvers: ReadonlyArray<string> | undefined,
): void => {
  if (approvers === undefined) return
  for (const a of approvers) {
    if (a.startsWith("tag:")) into.tags.add(a)
    else if (a.startsWith("group:")) {
      const members =
        policy.groups !== undefined && Object.hasOwn(policy.groups, a) ? policy.groups[a] : undefined
      if (members !== undefined) for (const m of members) into.users.add(m)
    } else into.users.add(a)
  }
}

const bitAt = (p: Prefix, i: number): number => {
  const w = i < 32 ? p.w0 : i < 64 ? p.w1 : i < 96 ? p.w2 : p.w3
  return (w >>> (31 - (i & 31))) & 1
}

/**
 * Compiles a policy. Route keys that don't parse strictly are skipped: a
 * policy from `validatePolicy` has none, and a hand-built one should not make
 * the hot path throw.
 *
 * @category constructors
 */
export const compile = (policy: Policy): Compiled => {
  const exit: ApproverSet = { users: new Set(), tags: new Set() }
  addApprovers(exit, policy, policy.autoApprovers?.exitNode)
  const v4 = trieNode()
  const v6 = trieNode()
  for (const [key, approvers] of Object.entries(policy.autoApprovers?.routes ?? {})) {
    const parsed = parsePrefix(key)
    if (parsed._tag === "Failure") continue
    const p = parsed.success
    let n = p.family === 4 ? v4 : v6
    for (let i = 0; i < p.length; i++) {
      if (bitAt(p, i) === 0) n = n.zero ??= trieNode()
      else n = n.one ??= trieNode()
    }
    // Two spellings of one prefix share the node: either entry's approvers approve.
    n.approvers ??= { users: new Set(), tags: new Set() }
    addApprovers(n.approvers, policy, approvers)
  }
  return { exit, v4, v6 }
}

/** A tagged node matches only tag approvers; an untagged one its user (and so its groups). @category predicates */
export const matches = (set: ApproverSet, node: Node): boolean => {
  const tags = node.tags
  if (tags.length > 0) {
    if (set.tags.size === 0) return false
    for (let i = 0; i < tags.length; i++) if (set.tags.has(tags[i]!)) return true
    return false
  }
  return set.users.has(node.user)
}

/** The compiled-policy lookup behind `approves`. @category predicates */
export const lookup = (c: Compiled, node: Node, prefix: Prefix): boolean => {
  // Exit routes are approved through exitNode only, never by a /0 routes entry.
  if (isExitRoute(prefix)) return matches(c.exit, node)
  let n: TrieNode | undefined = prefix.family === 4 ? c.v4 : c.v6
  const length = prefix.length
  for (let i = 0; ; i++) {
    if (n.approvers !== undefined && matches(n.approvers, node)) return true
    if (i === length) return false
    n = bitAt(prefix, i) === 0 ? n.zero : n.one
    if (n === undefined) return false
  }
}
