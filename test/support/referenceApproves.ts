/**
 * autoApprovers (DESIGN §4) restated for the reference model, with its own
 * containment on prefix text, so that a bug in the production policy lookup
 * (its trie, its group expansion, its exit rule) shows up as a disagreement
 * in the model-based tests instead of being copied into the model.
 * Slow and plain on purpose: it reads the policy afresh on every call.
 */
import type { Node } from "../../src/domain/Node.js"
import type { Policy } from "../../src/domain/Policy.js"

/** An address's bits, most significant first: 32 for IPv4 text, 128 for IPv6 text (dotted tail allowed). */
const addressBits = (address: string): string => {
  const bits = (value: number, width: number) => value.toString(2).padStart(width, "0")
  if (!address.includes(":"))
    return address
      .split(".")
      .map((octet) => bits(Number(octet), 8))
      .join("")
  const groupsOf = (part: string): string[] => {
    if (part === "") return []
    const groups = part.split(":")
    const last = groups.at(-1)!
    if (!last.includes(".")) return groups
    // A dotted IPv4 tail stands for the last two groups.
    const [a, b, c, d] = last.split(".").map(Number) as [number, number, number, number]
    return [...groups.slice(0, -1), ((a << 8) | b).toString(16), ((c << 8) | d).toString(16)]
  }
  const [head, tail] = address.split("::") as [string, string | undefined]
  const before = groupsOf(head)
  const after = tail === undefined ? [] : groupsOf(tail)
  const zeros = tail === undefined ? [] : Array<string>(8 - before.length - after.length).fill("0")
  return [...before, ...zeros, ...after].map((g) => bits(Number.parseInt(g, 16), 16)).join("")
}

/** `outer` contains `inner` (both prefix texts): same family, no longer, and the same leading bits. */
export const containsText = (outer: string, inner: string): boolean => {
  const [outerAddress, outerLength] = outer.split("/") as [string, string]
  const [innerAddress, innerLength] = inner.split("/") as [string, string]
  const a = addressBits(outerAddress)
  const b = addressBits(innerAddress)
  const length = Number(outerLength)
  return a.length === b.length && length <= Number(innerLength) && a.slice(0, length) === b.slice(0, length)
}

/** A tagged node matches only tag approvers; an untagged one its user and the groups that hold it. */
const matches = (policy: Policy, approvers: ReadonlyArray<string>, node: Node): boolean =>
  approvers.some((a) => {
    if (node.tags.length > 0) return a.startsWith("tag:") && node.tags.includes(a)
    if (a.startsWith("group:"))
      return Object.hasOwn(policy.groups ?? {}, a) && policy.groups![a]!.includes(node.user)
    return !a.startsWith("tag:") && a === node.user
  })

/**
 * Whether the policy approves `prefix` (canonical text) advertised by `node`:
 * an exit route only through `exitNode`; a subnet through any `routes` entry
 * that contains it (a /0 entry covers its whole family, the exit pair aside).
 */
export const referenceApproves = (policy: Policy, node: Node, prefix: string): boolean => {
  if (prefix === "0.0.0.0/0" || prefix === "::/0")
    return matches(policy, policy.autoApprovers?.exitNode ?? [], node)
  return Object.entries(policy.autoApprovers?.routes ?? {}).some(
    ([entry, approvers]) => containsText(entry, prefix) && matches(policy, approvers, node),
  )
}
