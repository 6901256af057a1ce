/**
 * The scaling chart: advertisement-change latency against tailnet size (routes,
 * 10k to 1M) for the incremental path and the naive baseline, with the targets
 * drawn beside the measurements, as hand-written SVG.
 */
import { formatMs } from "./format.js"
import type { SuiteReport } from "./suiteReport.js"

export interface Point {
  readonly routes: number
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
      .filter((m) => m.name.startsWith(prefix) && m.sizes.nodes !== undefined && m.sizes.routes !== undefined)
      .map((m) => ({ routes: m.sizes.routes!, nodes: m.sizes.nodes!, medianMs: m.medianMs, p99Ms: m.p99Ms }))
      .sort((a, b) => a.routes - b.routes)
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

/** `1000000` → `1M`, `49867` → `50k`, `900` → `900`. */
const sizeLabel = (n: number): string =>
  n >= 999_500 ? `${Number((n / 1e6).toPrecision(2))}M` : n >= 1000 ? `${Math.round(n / 1000)}k` : String(n)

/** The flat-latency target: the median at the smallest size, times 1.5. */
const FLAT = 1.5

/**
 * Hand-written SVG: median latency (log y) against routes in the tailnet (log
 * x) for both paths, p99 as hollow markers, and the targets as dashed lines:
 * 20 µs (set at 50k nodes) and 1.5× the smallest tailnet's median (set for
 * 100k nodes and for 1M routes).
 */
export const renderSvg = (series: ChartSeries, subtitle: string): string => {
  const W = 760
  const H = 500
  const left = 84
  const right = 24
  const top = 64
  const bottom = 152
  const pw = W - left - right
  const ph = H - top - bottom
  const all = [...series.incremental, ...series.naive]
  const base = series.incremental[0]?.medianMs
  const flat = base === undefined ? undefined : base * FLAT
  const ys = [...all.flatMap((p) => [p.medianMs, p.p99Ms]), 0.02].filter((v) => v > 0)
  const lo = Math.floor(Math.log10(Math.min(...ys)))
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...ys))))
  // The measured sizes with a margin of a tenth of a decade, so edge labels fit.
  const xlo = Math.log10(Math.max(1, Math.min(...all.map((p) => p.routes)))) - 0.1
  const xhi = Math.max(xlo + 1, Math.log10(Math.max(1, ...all.map((p) => p.routes))) + 0.1)
  const x = (n: number) => left + ((Math.log10(n) - xlo) / (xhi - xlo)) * pw
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
  // One vertical line per measured size, labelled with its routes and nodes.
  const sizes = [...new Map(all.map((p) => [p.routes, p] as const)).values()].sort(
    (a, b) => a.routes - b.routes,
  )
  for (const p of sizes) {
    out.push(
      `<line x1="${f(x(p.routes))}" y1="${top}" x2="${f(x(p.routes))}" y2="${top + ph}" stroke="#f0f0f0"/>`,
      `<text x="${f(x(p.routes))}" y="${top + ph + 16}" text-anchor="middle">${sizeLabel(p.routes)}</text>`,
      `<text x="${f(x(p.routes))}" y="${top + ph + 29}" text-anchor="middle" font-size="10" fill="#666">${sizeLabel(p.nodes)} nodes</text>`,
    )
  }
  out.push(
    `<line x1="${left}" y1="${top + ph}" x2="${W - right}" y2="${top + ph}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + ph}" stroke="#333"/>`,
    `<text x="${left + pw / 2}" y="${top + ph + 46}" text-anchor="middle" font-size="13">routes in the tailnet (log scale)</text>`,
    `<text transform="translate(20 ${top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="13">latency per change (log scale)</text>`,
  )
  // The targets, each beside the measurement it bounds.
  // Short labels at the left end; the legend says what each target is.
  const target = (ms: number, label: string) => {
    const ty = f(y(ms))
    out.push(
      `<line x1="${left}" y1="${ty}" x2="${W - right}" y2="${ty}" stroke="#2a9d8f" stroke-dasharray="6 4"/>`,
      `<text x="${left + 4}" y="${f(y(ms) - 5)}" fill="#2a9d8f" font-size="11">${esc(label)}</text>`,
    )
  }
  target(0.02, "≤ 20 µs")
  if (flat !== undefined) target(flat, `≤ ${FLAT}× ${sizeLabel(series.incremental[0]!.routes)}`)
  const draw = (points: ReadonlyArray<Point>, colour: string, labelBelow: boolean) => {
    if (points.length === 0) return
    out.push(
      `<polyline fill="none" stroke="${colour}" stroke-width="2.5" points="${points.map((p) => `${f(x(p.routes))},${f(y(p.medianMs))}`).join(" ")}"/>`,
    )
    for (const p of points) {
      out.push(
        `<circle cx="${f(x(p.routes))}" cy="${f(y(p.medianMs))}" r="4.5" fill="${colour}"/>`,
        `<circle cx="${f(x(p.routes))}" cy="${f(y(p.p99Ms))}" r="4" fill="#ffffff" stroke="${colour}" stroke-width="1.5"/>`,
        `<text x="${f(x(p.routes) - 8)}" y="${f(y(p.medianMs) + (labelBelow ? 18 : -10))}" text-anchor="end" fill="${colour}">${esc(formatMs(p.medianMs))}</text>`,
      )
    }
  }
  draw(series.naive, "#d62828", false)
  draw(series.incremental, "#1d4ed8", true)
  // Legend, below the axis title.
  const ly = top + ph + 70
  const legend: Array<[string, string, "line" | "hollow" | "dashed"]> = [
    ["#1d4ed8", "incremental path (advertise + apply), median", "line"],
    ["#d62828", "naive baseline (re-elect every prefix after the change), median", "line"],
    ["#555555", "p99 (hollow marker, same colour)", "hollow"],
    [
      "#2a9d8f",
      `targets: median ≤ 20 µs at 50k nodes; median ≤ ${FLAT}× the smallest tailnet's${base === undefined ? "" : ` (${formatMs(base)})`} at 100k nodes and at 1M routes`,
      "dashed",
    ],
  ]
  legend.forEach(([colour, label, mark], i) => {
    const lx = left
    const yy = ly + i * 18
    out.push(
      mark === "line"
        ? `<line x1="${lx}" y1="${yy}" x2="${lx + 24}" y2="${yy}" stroke="${colour}" stroke-width="2.5"/><circle cx="${lx + 12}" cy="${yy}" r="4.5" fill="${colour}"/>`
        : mark === "dashed"
          ? `<line x1="${lx}" y1="${yy}" x2="${lx + 24}" y2="${yy}" stroke="${colour}" stroke-dasharray="6 4"/>`
          : `<circle cx="${lx + 12}" cy="${yy}" r="4" fill="#ffffff" stroke="${colour}" stroke-width="1.5"/>`,
      `<text x="${lx + 32}" y="${yy}" dominant-baseline="middle">${esc(label)}</text>`,
    )
  })
  out.push("</svg>")
  return `${out.join("\n")}\n`
}
