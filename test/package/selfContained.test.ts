// A clone must pass its tests anywhere: nothing in the repository reads a path
// outside the checkout (the project's notes folder exists only beside the
// original checkout), and the fixtures the tests load are committed here.
import { existsSync, readdirSync, readFileSync } from "node:fs"
import path from "node:path"
import { describe, expect, it } from "vitest"
import { dumps } from "../import/support/headscaleFixtures.js"

const root = path.resolve(import.meta.dirname, "../..")
// The project's notes folder, by its absolute path (a clone elsewhere has no such folder).
const notes = path.join(path.dirname(root), "shared")

const sourceFiles = (): string[] =>
  ["src", "test", "bench", "demo"].flatMap((top) =>
    readdirSync(path.join(root, top), { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && /\.(ts|js|json|sql)$/.test(e.name))
      .map((e) => path.join(e.parentPath, e.name)),
  )

/** Every string literal that starts with `../`, resolved from its file, that lands outside the checkout. */
const escapes = (file: string, text: string): string[] =>
  Array.from(text.matchAll(/["'`]((?:\.\.\/)+[^"'`\s]*)["'`]/g))
    .map((m) => m[1]!)
    .filter((rel) => {
      const target = path.resolve(path.dirname(file), rel)
      return target !== root && !target.startsWith(`${root}${path.sep}`)
    })
    .map((rel) => `${path.relative(root, file)}: ${rel}`)

describe("a clone is self-contained", () => {
  it("no source, test, benchmark or demo file names a path outside the checkout", () => {
    const found: string[] = []
    for (const file of [...sourceFiles(), path.join(root, "vitest.config.ts")]) {
      const text = readFileSync(file, "utf8")
      found.push(...escapes(file, text))
      if (text.includes(notes)) found.push(`${path.relative(root, file)}: ${notes}`)
    }
    expect(found).toEqual([])
  })

  it("the detector sees an escaping path (so the check above can fail)", () => {
    const file = path.join(root, "test/import/support/headscaleFixtures.ts")
    // Built, so this file does not trip the check itself.
    const outside = `${"../".repeat(4)}elsewhere/data`
    expect(escapes(file, `resolve(import.meta.dirname, "${outside}")`)).toEqual([
      `test/import/support/headscaleFixtures.ts: ${outside}`,
    ])
    expect(escapes(file, 'resolve(import.meta.dirname, "../../fixtures/headscale")')).toEqual([])
  })

  it("the Headscale dumps the import tests load are committed, with their licence note", () => {
    const dir = path.join(root, "test/fixtures/headscale")
    for (const file of Object.values(dumps)) expect(existsSync(path.join(dir, file))).toBe(true)
    const readme = readFileSync(path.join(dir, "README.md"), "utf8")
    expect(readme).toContain("BSD 3-Clause")
    expect(readme).toContain("github.com/juanfont/headscale")
  })
})
