// Arrows point inward: the domain imports nothing of ours outside the domain,
// ports only the domain, and the application layer never an adapter. Only the
// composition points (facade, CLI, package entries) and tests wire adapters in.
import { readdirSync, readFileSync } from "node:fs"
import path from "node:path"
import { describe, expect, it } from "vitest"

const src = path.resolve(import.meta.dirname, "../../src")
const importSpec = /^\s*(?:import|export)\s+(?:type\s+)?(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/gm

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => path.join(e.parentPath, e.name))

/** Every relative import of the files under `layer` that lands in `src/<top>/…`, as `file -> target`. */
const crossings = (layer: string, allowed: ReadonlyArray<string>): string[] => {
  const out: string[] = []
  for (const file of filesUnder(path.join(src, layer))) {
    for (const m of readFileSync(file, "utf8").matchAll(importSpec)) {
      const spec = m[1]!
      if (!spec.startsWith(".")) continue
      const target = path.relative(src, path.resolve(path.dirname(file), spec))
      const top = target.split(path.sep)[0]!
      if (!allowed.includes(top)) out.push(`${path.relative(src, file)} -> ${target}`)
    }
  }
  return out
}

/** Imports of an `internal/` folder from another top-level layer, as `file -> target`. */
const internalReaches = (): string[] => {
  const out: string[] = []
  for (const file of filesUnder(src)) {
    const from = path.relative(src, file).split(path.sep)[0]!
    for (const m of readFileSync(file, "utf8").matchAll(importSpec)) {
      const spec = m[1]!
      if (!spec.startsWith(".")) continue
      const target = path.relative(src, path.resolve(path.dirname(file), spec))
      const parts = target.split(path.sep)
      // `src/internal` is the package's shared toolbox; every other `internal/` belongs to its layer.
      if (parts[0] !== "internal" && parts.includes("internal") && parts[0] !== from)
        out.push(`${path.relative(src, file)} -> ${target}`)
    }
  }
  return out
}

describe("hexagonal layering", () => {
  it("no layer imports another layer's internal/ modules", () => {
    expect(internalReaches()).toEqual([])
  })
  it("the domain imports only the domain", () => {
    expect(crossings("domain", ["domain"])).toEqual([])
  })
  it("ports import only the domain", () => {
    expect(crossings("ports", ["domain", "ports"])).toEqual([])
  })
  it("the application layer imports the domain and ports, never an adapter", () => {
    expect(crossings("app", ["domain", "ports", "app"])).toEqual([])
  })
  it("adapters implement ports and never reach into the application or its faces", () => {
    expect(crossings("adapters", ["domain", "ports", "adapters"])).toEqual([])
  })
  it("the detector sees real crossings (so the checks above can fail)", () => {
    expect(crossings("adapters", ["adapters"])).toContain("adapters/internal/rows.ts -> domain/Node.js")
    expect(crossings("facade", ["facade"])).toContain("facade/createRouteManager.ts -> app/RouteManager.js")
  })
})
