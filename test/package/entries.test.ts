// A consumer who never touches SQLite or Postgres must never load their
// drivers: walk the static import graph of each entry (dynamic `import()`
// is how the facade and the effect layers defer a driver) and list the
// bare packages it reaches.
import { existsSync, readFileSync } from "node:fs"
import path from "node:path"
import { describe, expect, it } from "vitest"

const src = path.resolve(import.meta.dirname, "../../src")
const staticSpecifier = /^\s*(?:import|export)\s+(?:type\s+)?(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/gm

const staticPackages = (entry: string): ReadonlySet<string> => {
  const seen = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    const text = readFileSync(file, "utf8")
    for (const match of text.matchAll(staticSpecifier)) {
      const statement = match[0]
      const spec = match[1]!
      // `import type` / `export type` vanish at compile time.
      if (/^\s*(import|export)\s+type\s/.test(statement)) continue
      if (spec.startsWith(".")) {
        const target = path.resolve(path.dirname(file), spec.replace(/\.js$/, ".ts"))
        if (!existsSync(target)) throw new Error(`${file}: unresolved import ${spec}`)
        visit(target)
      } else {
        packages.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!)
      }
    }
  }
  visit(path.join(src, entry))
  return packages
}

// Drivers, and the HTTP server stack only the service entry may load.
const drivers = ["better-sqlite3", "@effect/sql-pg", "fp-ts", "io-ts", "@effect/platform-node"]

describe("package entries load only what they need", () => {
  it.each([
    ["index.ts", []],
    ["effect.ts", []],
    ["adapters/sqlite/index.ts", ["better-sqlite3"]],
    ["adapters/postgres/index.ts", ["@effect/sql-pg"]],
    ["fp-ts/index.ts", ["fp-ts", "io-ts"]],
    ["headscale.ts", ["better-sqlite3", "@effect/sql-pg"]],
    ["service/index.ts", ["@effect/platform-node"]],
  ])("%s statically reaches exactly the drivers %j", (entry, expected) => {
    const reached = drivers.filter((d) => staticPackages(entry).has(d))
    expect(reached).toEqual(expected)
  })
})
