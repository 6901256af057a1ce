/**
 * Prefix parsing: strict parse and lenient normalise over a realistic mix of
 * IPv4 and IPv6 prefix text (some compressed, mapped and 4via6 IPv6, some
 * inputs with host bits set, as Hostinfo sends them).
 */
import { normalisePrefix, parsePrefix } from "../src/domain/Prefix.js"
import { type BenchSuite, measure, prng } from "./harness.js"

const hex = (n: number): string => n.toString(16)

/** `count` prefix strings, about 70% IPv4, 30% IPv6, `hostBitsShare` of them with host bits set. */
const workload = (count: number, hostBitsShare: number): Array<string> => {
  const rnd = prng(42)
  const int = (n: number) => Math.floor(rnd() * n)
  const out: Array<string> = []
  for (let i = 0; i < count; i++) {
    const dirty = rnd() < hostBitsShare
    if (rnd() < 0.7) {
      const len = [8, 12, 16, 20, 22, 24, 24, 24, 28, 32][int(10)]!
      const a = [10, int(256), int(256), int(256)]
      const w = ((a[0]! << 24) | (a[1]! << 16) | (a[2]! << 8) | a[3]!) >>> 0
      const m = len === 0 ? 0 : ((0xffffffff << (32 - len)) >>> 0) & w
      const v = dirty && len < 32 ? (m | 1) >>> 0 : m
      out.push(`${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}/${len}`)
    } else {
      switch (int(4)) {
        case 0:
          out.push(`2001:db8:${hex(int(65536))}:${hex(int(65536))}::${dirty ? "1" : ""}/64`)
          break
        case 1:
          out.push(`fd7a:115c:a1e0:b1a:0:${hex(int(65536))}:a01:${dirty ? "101" : "100"}/120`)
          break
        case 2:
          out.push(`::ffff:10.${int(256)}.${int(256)}.${dirty ? "1" : "0"}/120`)
          break
        default:
          out.push(`2001:0DB8:${hex(int(65536))}:0:0:0:0:${dirty ? "1" : "0"}/48`)
      }
    }
  }
  return out
}

export const suite: BenchSuite = {
  name: "prefix",
  run(scale) {
    const count = scale === "full" ? 200_000 : 5_000
    const samples = scale === "full" ? 15 : 3
    const inputs = workload(count, 0.1)
    const clean = workload(count, 0)
    return [
      measure({
        name: "parse+normalise mixed IPv4/IPv6 (parsePrefix and normalisePrefix on each, 10% host bits)",
        sizes: { prefixes: count },
        samples,
        warmup: 2,
        ...(scale === "full" ? { targetMs: 150 } : {}),
        setup: () => inputs,
        body: (xs) => {
          let ok = 0
          for (let i = 0; i < xs.length; i++) {
            if (parsePrefix(xs[i]!)._tag === "Success") ok++
            if (normalisePrefix(xs[i]!)._tag === "Success") ok++
          }
          return ok
        },
      }),
      measure({
        name: "parsePrefix mixed IPv4/IPv6, all valid",
        sizes: { prefixes: count },
        samples,
        warmup: 2,
        setup: () => clean,
        body: (xs) => {
          let ok = 0
          for (let i = 0; i < xs.length; i++) if (parsePrefix(xs[i]!)._tag === "Success") ok++
          return ok
        },
      }),
      measure({
        name: "normalisePrefix mixed IPv4/IPv6, 10% host bits",
        sizes: { prefixes: count },
        samples,
        warmup: 2,
        setup: () => inputs,
        body: (xs) => {
          let ok = 0
          for (let i = 0; i < xs.length; i++) if (normalisePrefix(xs[i]!)._tag === "Success") ok++
          return ok
        },
      }),
    ]
  },
}
