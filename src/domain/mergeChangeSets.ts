/**
 * Merges two change sets made one after the other (`b` computed on the state
 * `a` produced) into one that goes from the state before `a` to the state
 * after `b`. Every field has its own merger in a table typed over
 * `keyof ChangeSet`, so a field added to `ChangeSet` fails to compile here
 * until it is merged.
 */
import type { Change, ChangeSet, PrimaryChange, Rejection } from "./ChangeSet.js"

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const mergeChanges = <A, K extends string | number>(
  a: ReadonlyArray<Change<A>>,
  b: ReadonlyArray<Change<A>>,
  key: (x: A) => K,
  order: (x: K, y: K) => number,
): ReadonlyArray<Change<A>> => {
  const out = new Map<K, Change<A>>()
  for (const c of a) out.set(key(c.after), c)
  for (const c of b) {
    const k = key(c.after)
    const first = out.get(k)
    out.set(k, { before: first === undefined ? c.before : first.before, after: c.after })
  }
  return Array.from(out.keys())
    .sort(order)
    .map((k) => out.get(k)!)
}

const union = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): ReadonlyArray<string> =>
  Array.from(new Set([...a, ...b])).sort(byText)

const mergePrimaries = (
  a: ReadonlyArray<PrimaryChange>,
  b: ReadonlyArray<PrimaryChange>,
): ReadonlyArray<PrimaryChange> => {
  const out = new Map<string, PrimaryChange>()
  for (const c of a) out.set(c.prefix, c)
  for (const c of b) {
    const first = out.get(c.prefix)
    out.set(c.prefix, {
      prefix: c.prefix,
      before: first === undefined ? c.before : first.before,
      after: c.after,
    })
  }
  return Array.from(out.values())
    .filter((c) => c.before !== c.after)
    .sort((x, y) => byText(x.prefix, y.prefix))
}

const mergeRejected = (a: ReadonlyArray<Rejection>, b: ReadonlyArray<Rejection>): ReadonlyArray<Rejection> =>
  [...a, ...b].sort((x, y) => byText(x.input, y.input) || byText(x.reason, y.reason))

const mergers: { readonly [K in keyof ChangeSet]: (a: ChangeSet, b: ChangeSet) => ChangeSet[K] } = {
  nodes: (a, b) =>
    mergeChanges(
      a.nodes,
      b.nodes,
      (n) => n.id,
      (x, y) => byText(x, y),
    ),
  routes: (a, b) =>
    mergeChanges(
      a.routes,
      b.routes,
      (r) => r.id,
      (x, y) => x - y,
    ),
  primaries: (a, b) => mergePrimaries(a.primaries, b.primaries),
  affectedPrefixes: (a, b) => union(a.affectedPrefixes, b.affectedPrefixes),
  affectedNodes: (a, b) => union(a.affectedNodes, b.affectedNodes),
  rejected: (a, b) => mergeRejected(a.rejected, b.rejected),
  policy: (a, b) => b.policy ?? a.policy,
  nextRouteId: (a, b) => Math.max(a.nextRouteId, b.nextRouteId),
}

/** The keys `mergeChangeSets` merges (every key of `ChangeSet`). @category getters */
export const mergedKeys: ReadonlyArray<keyof ChangeSet> = Object.keys(mergers) as Array<keyof ChangeSet>

/** `a` then `b` as one change set. @category constructors */
export const mergeChangeSets = (a: ChangeSet, b: ChangeSet): ChangeSet => {
  const out: Record<string, unknown> = {}
  for (const k of mergedKeys) out[k] = mergers[k](a, b)
  return out as unknown as ChangeSet
}
