/** autoApprovers evaluation (DESIGN §4): does the policy approve a prefix a node advertises? */
import ipaddr from "ipaddr.js"
import type { Node } from "./Node.js"
import type { Policy } from "./Policy.js"
import type { Prefix } from "./Prefix.js"

interface ApproverSet {
  readonly users: Set<string>
  readonly tags: Set<string>
}

interface Entry {
  readonly family: 4 | 6
  readonly length: number
  readonly words: readonly [number, number, number, number]
  readonly approvers: ApproverSet
}

interface Compiled {
  readonly exit: ApproverSet
  readonly entries: ReadonlyArray<Entry>
}

const cache = new WeakMap<Policy, Compiled>()

const approverSet = (policy: Policy, approvers: ReadonlyArray<string> | undefined): ApproverSet => {
  const users = new Set<string>()
  const tags = new Set<string>()
  for (const a of approvers ?? []) {
    if (a.startsWith("tag:")) tags.add(a)
    else if (a.startsWith("group:")) for (const m of policy.groups?.[a] ?? []) users.add(m)
    else users.add(a)
  }
  return { users, tags }
}

// First version: ipaddr.js until the strict Prefix parser lands.
const parseKey = (text: string): Omit<Entry, "approvers"> | undefined => {
  try {
    const [addr, length] = ipaddr.parseCIDR(text)
    const b = addr.toByteArray()
    const w = [0, 0, 0, 0] as [number, number, number, number]
    for (let i = 0; i < b.length; i++) w[i >> 2] = ((w[i >> 2]! << 8) | b[i]!) >>> 0
    return { family: addr.kind() === "ipv4" ? 4 : 6, length, words: w }
  } catch {
    return undefined
  }
}

const compile = (policy: Policy): Compiled => {
  const entries: Entry[] = []
  for (const [key, approvers] of Object.entries(policy.autoApprovers?.routes ?? {})) {
    const p = parseKey(key)
    if (p) entries.push({ ...p, approvers: approverSet(policy, approvers) })
  }
  return { exit: approverSet(policy, policy.autoApprovers?.exitNode), entries }
}

const matches = (set: ApproverSet, node: Node): boolean => {
  if (node.tags.length > 0) {
    for (const t of node.tags) if (set.tags.has(t)) return true
    return false
  }
  return set.users.has(node.user)
}

const maskedEqual = (a: number, b: number, bits: number): boolean =>
  bits <= 0 ? true : bits >= 32 ? a === b : (a ^ b) >>> (32 - bits) === 0

const containsWords = (e: Entry, p: Prefix): boolean => {
  if (e.family !== p.family || e.length > p.length) return false
  const pw = [p.w0, p.w1, p.w2, p.w3]
  for (let i = 0; i < 4; i++) if (!maskedEqual(e.words[i]!, pw[i]!, e.length - 32 * i)) return false
  return true
}

/** True when the policy auto-approves `prefix` advertised by `node` (exit routes consult `exitNode`, subnets `routes`). @category predicates */
export const approves = (policy: Policy, node: Node, prefix: Prefix): boolean => {
  let c = cache.get(policy)
  if (c === undefined) {
    c = compile(policy)
    cache.set(policy, c)
  }
  if (prefix.length === 0) return matches(c.exit, node)
  for (const e of c.entries) if (containsWords(e, prefix) && matches(e.approvers, node)) return true
  return false
}
