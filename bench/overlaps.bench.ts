/**
 * The overlap index over a realistic-ish tailnet: many /24s under shared /16s
 * (each /16 announced by two routers) under one /8, spread over 16 nodes, HA
 * duplicates of the same /24, some IPv6 /48s and /64s and 4via6 routes, a few
 * routes into the CGNAT range and exit routes.
 */
import { findOverlaps, type OverlapInput } from "../src/domain/overlaps.js"
import { parsePrefixUnsafe } from "../src/domain/Prefix.js"
import { type BenchSuite, measure, prng } from "./harness.js"

export const workload = (count: number): Array<OverlapInput> => {
  const rnd = prng(7)
  const int = (n: number) => Math.floor(rnd() * n)
  const node = () => `node-${int(16)}`
  const routes: Array<OverlapInput> = []
  const add = (text: string, nodeId = node()) =>
    routes.push({ id: routes.length + 1, nodeId, prefix: parsePrefixUnsafe(text) })
  add("10.0.0.0/8", "node-0")
  add("0.0.0.0/0", "node-1")
  add("::/0", "node-1")
  for (let k = 0; k < 200; k++) {
    add(`10.${k}.0.0/16`)
    add(`10.${k}.0.0/16`)
  }
  while (routes.length < count) {
    const r = rnd()
    if (r < 0.88) add(`10.${int(200)}.${int(256)}.0/24`)
    else if (r < 0.9) add(`100.${64 + int(64)}.${int(256)}.0/24`)
    else if (r < 0.95) add(`2001:db8:${int(4096).toString(16)}::/48`)
    else if (r < 0.98) add(`2001:db8:${int(4096).toString(16)}:${int(65536).toString(16)}::/64`)
    else add(`fd7a:115c:a1e0:b1a:0:${int(64).toString(16)}:a${int(16).toString(16)}:0/112`)
  }
  return routes
}

export const suite: BenchSuite = {
  name: "overlaps",
  run(scale) {
    const count = scale === "full" ? 200_000 : 5_000
    const routes = workload(count)
    const report = findOverlaps(routes)
    return [
      measure({
        name: "findOverlaps, /24s under shared /16s on 16 nodes, ~10% IPv6",
        sizes: { routes: count },
        samples: scale === "full" ? 10 : 3,
        warmup: 2,
        ...(scale === "full" ? { targetMs: 300 } : {}),
        setup: () => routes,
        body: (rs) => findOverlaps(rs),
        extra: { pairs: report.overlaps.length, reservedHits: report.reserved.length },
      }),
    ]
  },
}
