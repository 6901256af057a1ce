/**
 * Well-formedness of a generated report, what `bench:ci` checks (never the
 * speed): balanced SVG, no non-numbers, every target resolved, every
 * benchmark in the table.
 */
import type { Scale } from "../harness.js"
import { cell } from "./benchmarksMarkdown.js"
import { ciResolvableTargets, evaluateTargets } from "./evaluateTargets.js"
import type { SuiteReport } from "./suiteReport.js"

/** Problems with a generated SVG: unbalanced tags, non-numbers, a missing series or label. */
export const svgProblems = (svg: string): Array<string> => {
  const problems: string[] = []
  if (!svg.startsWith("<svg ") || !svg.trimEnd().endsWith("</svg>"))
    problems.push("not a single <svg> element")
  const stack: string[] = []
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, closing, tag, selfClosing] = m
    if (selfClosing === "/") continue
    if (closing === "/") {
      if (stack.pop() !== tag) problems.push(`unbalanced </${tag}>`)
    } else stack.push(tag!)
  }
  if (stack.length > 0) problems.push(`unclosed <${stack.join(">, <")}>`)
  if (/NaN|undefined|Infinity/.test(svg)) problems.push("NaN, undefined or Infinity in the SVG")
  for (const needle of ["routes in the tailnet", "incremental path", "naive baseline", "<polyline"])
    if (!svg.includes(needle)) problems.push(`missing ${JSON.stringify(needle)}`)
  return problems
}

/** Problems with a generated BENCHMARKS.md: a target not resolved, non-numbers, no chart link. */
export const markdownProblems = (
  md: string,
  reports: ReadonlyArray<SuiteReport>,
  scale: Scale,
  chartPath: string,
): Array<string> => {
  const problems: string[] = []
  if (/NaN|undefined|Infinity/.test(md)) problems.push("NaN, undefined or Infinity in the report")
  if (!md.includes(`](${chartPath})`)) problems.push("no link to the chart")
  const suites = new Set(reports.map((r) => r.suite))
  const rows = evaluateTargets(reports, scale)
  for (const id of ciResolvableTargets()) {
    const row = rows.find((r) => r.id === id)!
    // A target is checked when its suite ran; a suite name filter may leave some out.
    if (suites.has(row.suite) && row.measurement === undefined)
      problems.push(`target ${id}: no ${row.suite} measurement matches it (renamed benchmark?)`)
  }
  for (const r of reports)
    for (const m of r.results)
      if (!md.includes(cell(m.name))) problems.push(`${m.name} missing from the table`)
  return problems
}
