/** Headscale's JSON text columns: prefix lists, Hostinfo's RoutableIPs, tag lists. */

/** A column that held something other than the JSON it should. @category models */
export interface Malformed {
  readonly input: string
  readonly reason: string
}

/** Elements of a JSON list column; `null`/empty text is an empty list; anything else is malformed. @category models */
export type ListColumn =
  | { readonly _tag: "List"; readonly items: ReadonlyArray<unknown> }
  | { readonly _tag: "Malformed"; readonly problem: Malformed }

const parse = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}

/** Reads a JSON list column (`enabled_routes`, `approved_routes`, `forced_tags`). @category constructors */
export const listColumn = (text: string | null): ListColumn => {
  if (text === null || text.trim() === "") return { _tag: "List", items: [] }
  const p = parse(text)
  if (p.ok && p.value === null) return { _tag: "List", items: [] }
  if (p.ok && Array.isArray(p.value)) return { _tag: "List", items: p.value }
  return { _tag: "Malformed", problem: { input: text, reason: "not a JSON list" } }
}

/** What a stored Hostinfo says about advertised routes. @category models */
export type HostinfoRoutes =
  | { readonly _tag: "Known"; readonly items: ReadonlyArray<unknown> }
  | { readonly _tag: "Unknown" }
  | { readonly _tag: "Malformed"; readonly problem: Malformed }

/**
 * The advertised set a stored Hostinfo names. Unknown when there is no
 * Hostinfo or it has no `RoutableIPs` key: Go omits an empty `RoutableIPs`,
 * but anonymised and truncated Hostinfos omit it too, and "unknown" (advertised
 * = true) is the safe reading, since the node's next Hostinfo corrects it.
 *
 * @category getters
 */
export const hostinfoRoutes = (hostInfo: string | null): HostinfoRoutes => {
  if (hostInfo === null || hostInfo.trim() === "") return { _tag: "Unknown" }
  const p = parse(hostInfo)
  if (!p.ok || typeof p.value !== "object" || Array.isArray(p.value)) {
    return { _tag: "Malformed", problem: { input: hostInfo, reason: "not a JSON object" } }
  }
  if (p.value === null) return { _tag: "Unknown" }
  const ips = (p.value as Record<string, unknown>).RoutableIPs
  if (ips === undefined || ips === null) return { _tag: "Unknown" }
  if (!Array.isArray(ips)) {
    return { _tag: "Malformed", problem: { input: hostInfo, reason: "RoutableIPs is not a list" } }
  }
  return { _tag: "Known", items: ips }
}
