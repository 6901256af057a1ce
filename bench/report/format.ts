/** How figures read in the report: times, bytes, counts and tailnet sizes. */

/** `x` to `digits` significant digits, without exponent notation or trailing zeros of it. */
export const trim = (x: number, digits: number): string => {
  const s = x.toPrecision(digits)
  return s.includes("e") ? String(Number(s)) : s
}

/** `0.0054` → `5.4 µs`, `444.4` → `444 ms`, `2418` → `2.42 s`. */
export const formatMs = (ms: number): string => {
  if (ms < 1) return `${trim(ms * 1000, 3)} µs`
  if (ms < 1000) return `${trim(ms, 3)} ms`
  return `${trim(ms / 1000, 3)} s`
}

export const formatBytes = (b: number): string => {
  if (b < 1024) return `${Math.round(b)} B`
  if (b < 1024 * 1024) return `${trim(b / 1024, 3)} KiB`
  if (b < 1024 ** 3) return `${trim(b / 1024 ** 2, 3)} MiB`
  return `${trim(b / 1024 ** 3, 3)} GiB`
}

/** `12345.6` → `12,346`. */
export const formatCount = (n: number): string => Math.round(n).toLocaleString("en-US")

/** `{ nodes: 50000, routes: 200000 }` → `50k nodes, 200k routes`. */
export const formatSizes = (sizes: Readonly<Record<string, number>>): string =>
  Object.entries(sizes)
    .map(([k, v]) => `${v >= 10_000 && v % 1000 === 0 ? `${v / 1000}k` : formatCount(v)} ${k}`)
    .join(", ")
