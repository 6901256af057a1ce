/**
 * The scaling chart: advertisement-change latency against tailnet size for the
 * incremental path and the naive baseline, as hand-written SVG.
 */
import { formatMs } from "./format.js"
import type { SuiteReport } from "./suiteReport.js"

export interface Point {
  readonly nodes: number
  readonly medianMs: number
  readonly p99Ms: number
}

export interface ChartSeries {
  readonly incremental: ReadonlyArray<Point>
  readonly naive: ReadonlyArray<Point>
}

/** The advertisement-change measurements of the core suite, by tailnet size. */
export const chartSeries = (reports: ReadonlyArray<SuiteReport>): ChartSeries => {
  const core = reports.find((r) => r.suite === "core")?.results ?? []
  const pick = (prefix: string) =>
    core
      .filter((m) => m.name.startsWith(prefix) && typeof m.sizes.nodes === "number")
      .map((m) => ({ nodes: m.sizes.nodes!, medianMs: m.medianMs, p99Ms: m.p99Ms }))
      .sort((a, b) => a.nodes - b.nodes)
  return {
    incremental: pick("advertisement change, "),
    naive: pick("advertisement change + naive"),
  }
}

/** `10^d` milliseconds as a round label: `1 µs`, `10 ms`, `1 s`. */
const decade = (d: number): string =>
  d < 0 ? `${10 ** (d + 3)} µs` : d < 3 ? `${10 ** d} ms` : `${10 ** (d - 3)} s`

const esc = (s: string): string =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;")

const sizeLabel = (n: number): string => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n))

/**
 * Hand-written SVG: median latency (log y) against tailnet size (linear x) for
 * both paths, p99 as hollow markers, the 20 µs target as a dashed line.
 */
export const renderSvg = (series: ChartSeries, subtitle: string): string => {
  const W = 760
  const H = 460
  const left = 84
  const right = 24
  const top = 64
  const bottom = 112
  const pw = W - left - right
  const ph = H - top - bottom
  const all = [...series.incremental, ...series.naive]
  const ys = [...all.flatMap((p) => [p.medianMs, p.p99Ms]), 0.02].filter((v) => v > 0)
  const lo = Math.floor(Math.log10(Math.min(...ys)))
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...ys))))
  const maxNodes = Math.max(1, ...all.map((p) => p.nodes))
  const x = (n: number) => left + (n / maxNodes) * pw
  const y = (ms: number) => top + ph - ((Math.log10(ms) - lo) / (hi - lo)) * ph
  const f = (v: number) => v.toFixed(1)
  const out: string[] = []
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>Advertisement change latency against tailnet size: incremental path and naive full re-election</title>`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">One node's advertisement change: latency against tailnet size</text>`,
    `<text x="${W / 2}" y="44" text-anchor="middle" fill="#555">${esc(subtitle)}</text>`,
  )
  // Grid and y axis: one line per decade, labelled in µs / ms / s.
  for (let d = lo; d <= hi; d++) {
    const yy = f(y(10 ** d))
    out.push(
      `<line x1="${left}" y1="${yy}" x2="${W - right}" y2="${yy}" stroke="#e3e3e3"/>`,
      `<text x="${left - 8}" y="${yy}" text-anchor="end" dominant-baseline="middle">${decade(d)}</text>`,
    )
  }
  const sizes = [...new Set(all.map((p) => p.nodes))].sort((a, b) => a - b)
  for (const n of sizes) {
    out.push(
      `<line x1="${f(x(n))}" y1="${top}" x2="${f(x(n))}" y2="${top + ph}" stroke="#f0f0f0"/>`,
      `<text x="${f(x(n))}" y="${top + ph + 18}" text-anchor="middle">${sizeLabel(n)}</text>`,
    )
  }
  out.push(
    `<line x1="${left}" y1="${top + ph}" x2="${W - right}" y2="${top + ph}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + ph}" stroke="#333"/>`,
    `<text x="${left}" y="${top + ph + 18}" text-anchor="middle">0</text>`,
    `<text x="${left + pw / 2}" y="${top + ph + 40}" text-anchor="middle" font-size="13">tailnet size (nodes)</text>`,
    `<text transform="translate(20 ${top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="13">latency per change (log scale)</text>`,
  )
  // The 20 µs target.
  const ty = f(y(0.02))
  out.push(
    `<line x1="${left}" y1="${ty}" x2="${W - right}" y2="${ty}" stroke="#2a9d8f" stroke-dasharray="6 4"/>`,
    `<text x="${W - right - 4}" y="${f(y(0.02) - 6)}" text-anchor="end" fill="#2a9d8f">target: median ≤ 20 µs at 50k nodes</text>`,
  )
  const draw = (points: ReadonlyArray<Point>, colour: string, labelBelow: boolean) => {
    if (points.length === 0) return
    out.push(
      `<polyline fill="none" stroke="${colour}" stroke-width="2.5" points="${points.map((p) => `${f(x(p.nodes))},${f(y(p.medianMs))}`).join(" ")}"/>`,
    )
    for (const p of points) {
      out.push(
        `<circle cx="${f(x(p.nodes))}" cy="${f(y(p.medianMs))}" r="4.5" fill="${colour}"/>`,
        `<circle cx="${f(x(p.nodes))}" cy="${f(y(p.p99Ms))}" r="4" fill="#ffffff" stroke="${colour}" stroke-width="1.5"/>`,
        `<text x="${f(x(p.nodes) - 8)}" y="${f(y(p.medianMs) + (labelBelow ? 18 : -10))}" text-anchor="end" fill="${colour}">${esc(formatMs(p.medianMs))}</text>`,
      )
    }
  }
  draw(series.naive, "#d62828", false)
  draw(series.incremental, "#1d4ed8", true)
  // Legend, below the axis title.
  const ly = top + ph + 66
  const legend: Array<[string, string, boolean]> = [
    ["#1d4ed8", "incremental path (advertise + apply), median", true],
    ["#d62828", "naive baseline (re-elect every prefix after the change), median", true],
    ["#555555", "p99 (hollow marker, same colour)", false],
  ]
  legend.forEach(([colour, label, filled], i) => {
    const lx = left
    const yy = ly + i * 18
    out.push(
      filled
        ? `<line x1="${lx}" y1="${yy}" x2="${lx + 24}" y2="${yy}" stroke="${colour}" stroke-width="2.5"/><circle cx="${lx + 12}" cy="${yy}" r="4.5" fill="${colour}"/>`
        : `<circle cx="${lx + 12}" cy="${yy}" r="4" fill="#ffffff" stroke="${colour}" stroke-width="1.5"/>`,
      `<text x="${lx + 32}" y="${yy}" dominant-baseline="middle">${esc(label)}</text>`,
    )
  })
  out.push("</svg>")
  return `${out.join("\n")}\n`
}
