/** The CLI's rendering of an import report: every count and every exception, and what happened to the target. */
import { describe, expect, it } from "vitest"
import { formatImportReport } from "../../src/app/formatImportReport.js"
import type { ImportReport } from "../../src/domain/legacyImport/ImportReport.js"
import { expectedReport017 } from "./support/expected017.js"
import { expectedReport022 } from "./support/expected022.js"

const report017 = expectedReport017 as ImportReport

describe("formatImportReport", () => {
  it("prints the whole 0.17 report on a dry run", () => {
    expect(formatImportReport(report017, { dryRun: true, written: false })).toBe(
      [
        "Headscale era detected: 0.17",
        "Nodes: 7 read, 6 imported, 0 already present, 1 deleted in Headscale (skipped)",
        "  deleted in Headscale: 6",
        "  node 7: user 99 not found; imported with no user",
        "Routes: 10 imported, 0 already present, 0 deleted in Headscale (skipped)",
        "Duplicates collapsed: 1",
        "  node 1 10.1.0.0/16: kept enabled_routes[0], collapsed enabled_routes[2]",
        "Orphans skipped: 0",
        "Invalid prefixes skipped: 1",
        '  node 2 enabled_routes[2]: "10.300.0.0/16" is not a valid prefix: IPv4 field has value >255',
        "Host bits masked: 1",
        "  node 2 enabled_routes[3]: 192.168.77.1/24 → 192.168.77.0/24",
        "Unreadable columns: 0",
        "Approved by the target's autoApprovers: 0",
        "Approvals dropped (no longer advertised): 1",
        "  node 2 172.16.5.0/24",
        "Exit pairs completed: 1",
        "  node 3: 0.0.0.0/0 was enabled, ::/0 enabled with it",
        "Exit pairs left half (imported disabled): 1",
        "  node 4: ::/0 enabled, 0.0.0.0/0 not advertised",
        "Primaries: 0 kept, 0 stored primaries dropped, 4 elected",
        "  elected 10.1.0.0/16: node 1 (route 1)",
        "  elected 192.168.10.0/24: node 1 (route 2)",
        "  elected 192.168.77.0/24: node 2 (route 6)",
        "  elected 10.5.0.0/24: node 5 (route 10)",
        "Dry run: nothing written.",
        "",
      ].join("\n"),
    )
  })

  it("says whether the import wrote, or found the target up to date", () => {
    const r = expectedReport022 as ImportReport
    const last = (text: string): string => text.trimEnd().split("\n").at(-1)!
    expect(last(formatImportReport(r, { dryRun: false, written: true }))).toBe("Written.")
    expect(last(formatImportReport({ ...r, upToDate: true }, { dryRun: false, written: false }))).toBe(
      "Up to date: nothing to write.",
    )
    expect(formatImportReport(r, { dryRun: false, written: true })).toContain(
      "Primaries: 3 kept, 0 stored primaries dropped, 0 elected\n  kept 10.9.110.0/24: node 1 (route 3)\n",
    )
  })
})
