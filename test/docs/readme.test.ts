/**
 * The README's TypeScript snippets, read from README.md at test time and run
 * for real, so the first code a user copies cannot drift from the API.
 *
 * Convention in README.md: the line before every ```ts fence is an HTML comment
 * (GitHub renders it as nothing) saying what this test does with the block:
 *   <!-- snippet: run -->              typecheck it and run it;
 *   <!-- snippet: skip (reason) -->   leave it alone, for the reason given.
 * A ```ts fence with neither fails the test, so a new snippet is a decision.
 * Other fences (sh, plain) are not TypeScript and are not run.
 *
 * A run snippet is written as a user would write it:
 * - it imports the package by its published names (`tailnet-routes`,
 *   `tailnet-routes/effect`, …); here they resolve to `src/` (package.json's
 *   `exports`, dist/x.js read as src/x.ts), and it is typechecked as rewritten;
 * - it runs in a child process (tsx) whose working directory is an empty
 *   temporary directory, so a relative store path such as `./routes.db` lands there;
 * - it may call `pushNetmaps(...)`, which this test provides (it does nothing
 *   and returns an Effect, so it fits a listener and `Stream.runForEach`);
 * - a line `expression // [literal] prose` (or `{literal}`) states a value: the
 *   literal becomes an assertion that the expression deep-equals it.
 */
import { execFile } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import path from "node:path"
import { promisify } from "node:util"
import { afterAll, describe, expect, it } from "vitest"
import { createManualClock, createRouteManager } from "../../src/index.js"

const root = path.resolve(import.meta.dirname, "../..")
const readme = readFileSync(path.join(root, "README.md"), "utf8")
const run = promisify(execFile)

interface Snippet {
  /** 1-based README line of the snippet's first code line. */
  readonly line: number
  /** The `##` heading the snippet sits under. */
  readonly section: string
  readonly mode: "run" | "skip" | "unmarked"
  readonly code: string
}

/** Every ```ts / ```typescript block of the README, with its marker. */
const extractSnippets = (text: string): ReadonlyArray<Snippet> => {
  const lines = text.split("\n")
  const out: Snippet[] = []
  let section = ""
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (line.startsWith("## ")) section = line.slice(3).trim()
    if (!/^```(ts|typescript)\s*$/.test(line)) continue
    const end = lines.findIndex((l, j) => j > i && l.startsWith("```"))
    if (end < 0) throw new Error(`README.md line ${i + 1}: unterminated code block`)
    let before = i - 1
    while (before >= 0 && lines[before]!.trim() === "") before--
    const marker = before >= 0 ? /^<!-- snippet: (run|skip)\b.*-->$/.exec(lines[before]!.trim()) : null
    out.push({
      line: i + 2,
      section,
      mode: (marker?.[1] as "run" | "skip" | undefined) ?? "unmarked",
      code: lines.slice(i + 1, end).join("\n"),
    })
    i = end
  }
  return out
}

/** The package's entries, as src modules: `exports["./x"].default = "./dist/y.js"` → `src/y.js` (tsx and tsc read src/y.ts). */
const entries = (): ReadonlyMap<string, string> => {
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"))
  const map = new Map<string, string>()
  for (const [key, value] of Object.entries<any>(pkg.exports)) {
    const target: unknown = typeof value === "string" ? value : value.default
    if (typeof target !== "string" || !target.startsWith("./dist/")) continue
    const name = key === "." ? pkg.name : `${pkg.name}/${key.slice(2)}`
    map.set(name, path.join(root, "src", target.slice("./dist/".length)))
  }
  return map
}

/** The balanced `[...]` or `{...}` at the start of `text` (strings respected), or null. */
const leadingLiteral = (text: string): string | null => {
  let depth = 0
  let quote: string | null = null
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quote !== null) {
      if (c === "\\") i++
      else if (c === quote) quote = null
    } else if (c === '"' || c === "'" || c === "`") quote = c
    else if (c === "[" || c === "{") depth++
    else if (c === "]" || c === "}") {
      depth--
      if (depth === 0) return text.slice(0, i + 1)
    }
  }
  return null
}

/** Rewrites the package imports to src and every `expression // literal` line into a checked statement. */
const prepare = (code: string, resolve: ReadonlyMap<string, string>, file: string): string =>
  code
    .split("\n")
    .map((line) => {
      let out = line.replace(/from "([^"]+)"/g, (whole, name: string) => {
        const target = resolve.get(name)
        if (target === undefined) return whole
        const relative = path.relative(path.dirname(file), target).split(path.sep).join("/")
        return `from "${relative.startsWith(".") ? relative : `./${relative}`}"`
      })
      const stated = /^(\s*)([^/]+?)\s*\/\/\s*([[{].*)$/.exec(out)
      if (stated !== null && !/^(const|let|var|import|export|return)\b/.test(stated[2]!.trim())) {
        const literal = leadingLiteral(stated[3]!)
        if (literal !== null) {
          out = `${stated[1]}expectValue(${stated[2]}, ${literal}, ${JSON.stringify(line.trim())})`
        }
      }
      return out
    })
    .join("\n")

/** What every snippet file imports first: pushNetmaps and expectValue, and a report on exit. */
const prelude = `import { writeSync } from "node:fs"
import { isDeepStrictEqual, inspect } from "node:util"
import { Effect } from "effect"

const stated: Array<string> = []

/** Stands in for the server's push; an Effect, so it fits a listener and Stream.runForEach alike. */
export const pushNetmaps = (..._: ReadonlyArray<unknown>) => Effect.void

/** The README says \`line\` shows \`expected\`. */
export const expectValue = (actual: unknown, expected: unknown, line: string): void => {
  if (!isDeepStrictEqual(actual, expected))
    throw new Error(\`README states \${line}\\n  but the value is \${inspect(actual, { depth: 6 })}\`)
  stated.push(line)
}

process.on("exit", (code) => {
  if (code === 0) writeSync(1, JSON.stringify({ stated }))
})
`

const snippets = extractSnippets(readme)
const runnable = snippets.filter((s) => s.mode === "run")

const workDir = path.join(root, ".tmp")
mkdirSync(workDir, { recursive: true })
const scratch = mkdtempSync(path.join(workDir, "readme-snippets-"))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** Writes the snippet as `<dir>/snippet.ts` beside the prelude; each snippet gets a directory (its cwd). */
const writeSnippet = (s: Snippet): string => {
  const dir = path.join(scratch, `line-${s.line}`)
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, "snippet.ts")
  writeFileSync(path.join(dir, "prelude.ts"), prelude)
  // One line of prelude import, so a stack trace's line is the README line + (line - 2).
  writeFileSync(
    file,
    `import { expectValue, pushNetmaps } from "./prelude.js"; void expectValue; void pushNetmaps\n${prepare(s.code, entries(), file)}\n`,
  )
  return file
}

const files = new Map(runnable.map((s) => [s, writeSnippet(s)]))

interface Report {
  /** The `expression // literal` lines that were checked. */
  readonly stated: ReadonlyArray<string>
}

const runSnippet = async (s: Snippet): Promise<Report> => {
  const file = files.get(s)!
  try {
    const { stdout } = await run(process.execPath, ["--import", "tsx", file], {
      cwd: path.dirname(file),
      timeout: 60_000,
    })
    return JSON.parse(stdout) as Report
  } catch (e: any) {
    throw new Error(
      `README snippet at line ${s.line} (${s.section}) failed: exit ${e.code}\n${e.stderr ?? e.message}`,
    )
  }
}

describe("README snippets", () => {
  it("every ```ts block says whether it runs, and the API sections' snippets do", () => {
    expect(snippets.filter((s) => s.mode === "unmarked").map((s) => `line ${s.line} (${s.section})`)).toEqual(
      [],
    )
    expect(runnable.map((s) => s.section)).toEqual(
      expect.arrayContaining(["Promise API", "Effect API", "The pure core"]),
    )
  })

  it("typecheck against src (errors in the snippets themselves)", async () => {
    // A file that must fail proves the check looked at this directory at all.
    writeFileSync(path.join(scratch, "sentinel.ts"), 'export const sentinel: number = "not a number"\n')
    const tsconfig = {
      extends: path.join(root, "tsconfig.json"),
      compilerOptions: { noEmit: true },
      include: ["**/*.ts"],
    }
    writeFileSync(path.join(scratch, "tsconfig.json"), JSON.stringify(tsconfig))
    const tsc = path.join(root, "node_modules", ".bin", "tsc")
    const output = await run(tsc, ["--noEmit", "-p", path.join(scratch, "tsconfig.json")], {
      cwd: scratch,
    }).then(
      (r) => r.stdout,
      (e) => String(e.stdout),
    )
    // Only the snippets' own diagnostics: the rest of src is typechecked by `npm run typecheck`.
    const lines = output.split("\n")
    expect(lines.filter((l) => l.startsWith("sentinel.ts(")).map((l) => l.replace(/\(.*?\)/, ""))).toEqual([
      "sentinel.ts: error TS2322: Type 'string' is not assignable to type 'number'.",
    ])
    expect(lines.filter((l) => l.includes("snippet.ts(") || l.includes("prelude.ts("))).toEqual([])
  })

  for (const s of runnable) {
    it(`runs the snippet at README line ${s.line} (${s.section})`, async () => {
      const report = await runSnippet(s)
      // The Promise API snippet states three values (primaries, affectedNodes, reroutedPrefixes).
      if (s.section === "Promise API") expect(report.stated).toHaveLength(3)
    })
  }
})

describe("README text", () => {
  it("names every method of the Promise facade", async () => {
    const list = readme.slice(readme.indexOf("- Every method:"), readme.indexOf("- Restart:"))
    const routes = await createRouteManager({ store: "memory", clock: createManualClock(0) })
    const methods = Object.keys(routes).sort()
    await routes.close()
    expect(methods.length).toBeGreaterThan(20)
    expect(methods.filter((name) => !list.includes(`\`${name}(`))).toEqual([])
  })
})
