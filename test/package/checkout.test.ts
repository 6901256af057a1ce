// A checkout is a usable package: `npm install` builds dist (the `prepare`
// script), the `bin` then runs through npx, the package imports by its own
// name, and the demo's closing hint runs as printed. It all happens in a temp
// copy of the checkout (sources, configs, package.json; node_modules linked),
// so the test never touches this checkout's dist.
import { execFile } from "node:child_process"
import { cpSync, mkdtempSync, readFileSync, statSync, symlinkSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { beforeAll, describe, expect, it } from "vitest"

const root = path.resolve(import.meta.dirname, "../..")
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"))

interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

const run = (
  file: string,
  args: ReadonlyArray<string>,
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<Run> =>
  new Promise((resolve) => {
    const { NO_COLOR: _, DATABASE_URL: __, ...rest } = process.env
    execFile(file, args, { cwd, env: { ...rest, ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({
        code: error === null ? 0 : typeof error.code === "number" ? error.code : -1,
        stdout,
        stderr,
      }),
    )
  })

describe("the checkout as a package", () => {
  it("builds on npm install and maps the bin to the built CLI", () => {
    expect(pkg.scripts.prepare).toBe("npm run build")
    expect(pkg.scripts.build).toContain("tsc -p tsconfig.build.json")
    expect(pkg.bin).toEqual({ "tailnet-routes": "./dist/cli/main.js" })
    expect(readFileSync(path.join(root, "src/cli/main.ts"), "utf8").startsWith("#!/usr/bin/env node\n")).toBe(
      true,
    )
  })

  it("states the users' Node floor apart from the developers', and the README says both", () => {
    expect(pkg.engines).toEqual({ node: ">=20" })
    expect(pkg.devEngines.runtime).toEqual({ name: "node", version: "^20.19.0 || >=22.12.0", onFail: "warn" })
    const readme = readFileSync(path.join(root, "README.md"), "utf8")
    expect(readme).toContain("Using the package needs Node ≥ 20 (`engines`)")
    expect(readme).toContain("Developing it needs Node ^20.19 or ≥ 22.12")
    // The suite runs on the Node this machine has: 20.x, with the polyfills in vitest.config.ts.
    const [major, minor] = process.versions.node.split(".").map(Number) as [number, number]
    expect(major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19)).toBe(true)
  })

  describe("built into a temp copy", () => {
    let dir = ""
    // npx records the local package in its cache: keep that inside the temp copy, not in ~/.npm.
    const npmCache = () => ({ npm_config_cache: path.join(dir, ".npm-cache") })
    beforeAll(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), "tailnet-routes-pkg-"))
      for (const file of ["package.json", "tsconfig.json", "tsconfig.build.json", "src"])
        cpSync(path.join(root, file), path.join(dir, file), { recursive: true })
      symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir")
      // What `npm install` runs last in a checkout.
      const prepared = await run("npm", ["run", "prepare"], dir)
      expect({ code: prepared.code, stderr: prepared.stderr }).toEqual({ code: 0, stderr: "" })
    })

    it("npx tailnet-routes runs the bin, also after a rebuild", async () => {
      const version = { code: 0, stdout: `tailnet-routes ${pkg.version}\n`, stderr: "" }
      expect(await run("npx", ["--no-install", "tailnet-routes", "--version"], dir, npmCache())).toEqual(
        version,
      )
      // Regression: npx links the bin once and makes it executable then; tsc writes a plain file, so
      // without the build's chmod the next `npm run build` left "tailnet-routes: Permission denied".
      expect((await run("npm", ["run", "build"], dir)).code).toBe(0)
      expect(statSync(path.join(dir, "dist/cli/main.js")).mode & 0o111).toBe(0o111)
      expect(await run("npx", ["--no-install", "tailnet-routes", "--version"], dir, npmCache())).toEqual(
        version,
      )
    })

    it("imports by its own name", async () => {
      const script = 'const m = await import("tailnet-routes"); console.log(typeof m.createRouteManager)'
      expect(await run(process.execPath, ["--input-type=module", "-e", script], dir)).toEqual({
        code: 0,
        stdout: "function\n",
        stderr: "",
      })
    })

    it("the demo's closing hint runs as printed", async () => {
      const demo = await run(process.execPath, ["--import", "tsx", path.join(root, "demo/demo.ts")], root, {
        KEEP_DEMO_DB: "1",
      })
      expect({ code: demo.code, stderr: demo.stderr }).toEqual({ code: 0, stderr: "" })
      const hint = /^done: try (.+)$/m.exec(demo.stdout)?.[1]
      expect(hint).toMatch(/^npx tailnet-routes --db sqlite:\S+demo\.db explain 10\.0\.0\.0\/24$/)
      const tried = await run("sh", ["-c", hint!], dir, npmCache())
      expect({ code: tried.code, stderr: tried.stderr }).toEqual({ code: 0, stderr: "" })
      expect(tried.stdout.startsWith("10.0.0.0/24: ")).toBe(true)
    })
  })
})
