/** Structural policy equality, so reopening a store with the policy it already holds writes nothing. */
import type { Policy } from "../../domain/Policy.js"

const canonical = (u: unknown): unknown => {
  if (Array.isArray(u)) return u.map(canonical)
  if (u !== null && typeof u === "object") {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(u).sort()) {
      const v = (u as Record<string, unknown>)[k]
      if (v !== undefined) out[k] = canonical(v)
    }
    return out
  }
  return u
}

/** True when the two policies hold the same data (key order ignored, array order kept). @category predicates */
export const samePolicy = (a: Policy, b: Policy): boolean =>
  JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))
