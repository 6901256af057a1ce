/**
 * The overlap index: for a set of routes, every pair on different nodes whose
 * prefixes overlap without being equal, and every reserved range a route
 * covers. Reported as warnings, never enforced.
 *
 * Two prefixes overlap iff one contains the other, and in `compare` order a
 * prefix sorts before everything it contains. So one sort plus a sweep that
 * keeps a stack of the open (containing) prefixes finds every pair: the
 * stack is a chain of strictly nested prefixes, at most 33 (IPv4) or 129
 * (IPv6) deep, and routes with equal prefixes share one stack entry. Cost:
 * O(n log n) for the sort plus O(n · depth) plus the size of the output.
 */

import { sortByPrefix } from "./internal/sortByPrefix.js"
import { contains, equals, isExitRoute, type Prefix } from "./Prefix.js"
import { coversReserved, reservedRanges } from "./reserved.js"

/** What the index needs of a route; `Route` fits. @category models */
export interface OverlapInput {
  readonly id: number
  readonly nodeId: string
  readonly prefix: Prefix
}

/** Two routes on different nodes whose prefixes overlap without being equal; `a.id < b.id`. @category models */
export interface OverlapPair<R> {
  readonly a: R
  readonly b: R
}

/** A route covering (overlapping) one of `reservedRanges`. @category models */
export interface ReservedHit<R> {
  readonly route: R
  readonly range: Prefix
}

/** @category models */
export interface OverlapReport<R> {
  readonly overlaps: Array<OverlapPair<R>>
  readonly reserved: Array<ReservedHit<R>>
}

/**
 * Finds overlapping routes on different nodes and reserved-range hits.
 *
 * Exit routes (`0.0.0.0/0`, `::/0`) are left out of both lists: they overlap
 * everything by definition and are a different concept from subnet routes.
 * Equal prefixes on different nodes are not reported either: that is the
 * normal HA case the election handles.
 *
 * Order is deterministic whatever the input order: routes are swept in
 * `compare` order of their prefix (ties by id); each route's pairs list its
 * containers outermost first. Inside a pair the lower id is `a`.
 *
 * @category getters
 */
export const findOverlaps = <R extends OverlapInput>(routes: ReadonlyArray<R>): OverlapReport<R> => {
  const subnets: Array<R> = []
  for (let i = 0; i < routes.length; i++) {
    const r = routes[i]!
    if (!isExitRoute(r.prefix)) subnets.push(r)
  }
  const order = sortByPrefix(subnets)

  const overlaps: Array<OverlapPair<R>> = []
  const reserved: Array<ReservedHit<R>> = []
  // The stack of open groups: group k is order[stackStart[k], stackEnd[k]), all with prefix stackPrefix[k].
  const stackStart: Array<number> = []
  const stackEnd: Array<number> = []
  const stackPrefix: Array<Prefix> = []
  let top = -1

  for (let g = 0; g < order.length; ) {
    const p = order[g]!.prefix
    let e = g + 1
    while (e < order.length && equals(order[e]!.prefix, p)) e++

    while (top >= 0 && !contains(stackPrefix[top]!, p)) top--
    for (let k = 0; k <= top; k++) {
      const end = stackEnd[k]!
      for (let i = stackStart[k]!; i < end; i++) {
        const outer = order[i]!
        for (let j = g; j < e; j++) {
          const inner = order[j]!
          if (outer.nodeId === inner.nodeId) continue
          overlaps.push(outer.id < inner.id ? { a: outer, b: inner } : { a: inner, b: outer })
        }
      }
    }
    top++
    stackStart[top] = g
    stackEnd[top] = e
    stackPrefix[top] = p

    for (let r = 0; r < reservedRanges.length; r++) {
      const range = reservedRanges[r]!
      if (!coversReserved(p, range)) continue
      for (let j = g; j < e; j++) reserved.push({ route: order[j]!, range })
    }
    g = e
  }
  return { overlaps, reserved }
}
