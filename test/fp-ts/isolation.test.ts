import { readdirSync, readFileSync } from "node:fs"
import { join, relative, sep } from "node:path"
import { describe, expect, it } from "vitest"

const root = join(import.meta.dirname, "..", "..")
const src = join(root, "src")

const sourceFiles = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    return e.isDirectory() ? sourceFiles(path) : /\.(c|m)?tsx?$/.test(e.name) ? [path] : []
  })

// Static imports, re-exports, dynamic import() and require() of fp-ts or io-ts (subpaths too).
const fpImport = /(?:from\s*|import\s*\(\s*|require\s*\(\s*|import\s+)["'](?:fp-ts|io-ts)(?:\/[^"']*)?["']/

/** Files (relative to src, `/`-separated) that load fp-ts or io-ts. */
const importers = (files: ReadonlyArray<string>): Array<string> =>
  files
    .filter((f) => fpImport.test(readFileSync(f, "utf8")))
    .map((f) => relative(src, f).split(sep).join("/"))
    .sort()

describe("fp-ts and io-ts stay behind tailnet-routes/fp-ts", () => {
  it("no file outside src/fp-ts imports them", () => {
    expect(importers(sourceFiles(src)).filter((f) => !f.startsWith("fp-ts/"))).toStrictEqual([])
  })

  it("the detector sees the fp-ts entry's own imports (so it can fail)", () => {
    expect(importers(sourceFiles(join(src, "fp-ts")))).toStrictEqual([
      "fp-ts/codecs.ts",
      "fp-ts/fromResult.ts",
      "fp-ts/internal/combinators.ts",
      "fp-ts/wrappers.ts",
    ])
  })

  it("the pattern covers every import form", () => {
    const forms = [
      'import * as t from "io-ts"',
      "import { right } from 'fp-ts/lib/Either.js'",
      'import type { Either } from "fp-ts/Either"',
      'export { left } from "fp-ts/lib/Either.js"',
      'const t = await import("io-ts")',
      'const E = require("fp-ts/lib/Either")',
      'import "io-ts"',
    ]
    expect(forms.filter((f) => !fpImport.test(f))).toStrictEqual([])
    expect(fpImport.test('import { Schema } from "effect"')).toBe(false)
    expect(fpImport.test('import { x } from "./fp-ts/index.js"')).toBe(false)
  })
})
