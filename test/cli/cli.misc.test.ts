/** The CLI without a store (help, 4via6, usage errors), and the executable itself as a subprocess. */
import { execFile } from "node:child_process"
import { readFileSync } from "node:fs"
import path from "node:path"
import { describe, expect, it } from "vitest"
import { findCommand } from "../../src/cli/args.js"
import { commandHelp, mainHelp } from "../../src/cli/help.js"
import { cli, cliProcess, root, tempDir } from "./support.js"

/** Runs the CLI on a pseudo-terminal (util-linux `script`), so stdout and stderr are TTYs. */
const onTerminal = (args: string, env: Record<string, string> = {}): Promise<string> =>
  new Promise((resolve, reject) => {
    const { NO_COLOR: _, ...rest } = process.env
    execFile(
      "script",
      ["-qec", `${process.execPath} --import tsx src/cli/main.ts ${args}`, "/dev/null"],
      { cwd: root, env: { ...rest, ...env }, timeout: 60_000 },
      (error, stdout) => (error === null ? resolve(stdout) : reject(error)),
    )
  })

const usage = (command: string, synopsis: string, message: string) => ({
  code: 2,
  stdout: "",
  stderr: `error: ${message}\nusage: tailnet-routes ${synopsis}\nrun 'tailnet-routes ${command} --help' for more\n`,
})

describe("CLI help", () => {
  it("prints help on stdout with exit 0, for the program and for each command", async () => {
    const [main, list, viaHelp, helpWord] = await Promise.all([
      cli(["--help"]),
      cli(["routes", "list", "--help"]),
      cli(["via", "-h"]),
      cli(["help", "simulate"]),
    ])
    expect(main).toEqual({ code: 0, stdout: mainHelp(), stderr: "" })
    expect(list).toEqual({ code: 0, stdout: commandHelp(findCommand("routes list")!), stderr: "" })
    expect(viaHelp).toEqual({ code: 0, stdout: commandHelp(findCommand("via")!), stderr: "" })
    expect(helpWord).toEqual({ code: 0, stdout: commandHelp(findCommand("simulate")!), stderr: "" })
  })

  it("prints the package version with --version", async () => {
    const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"))
    expect(await cli(["--version"])).toEqual({ code: 0, stdout: `tailnet-routes ${version}\n`, stderr: "" })
  })

  it("suggests the command or option meant", async () => {
    expect(await cli(["explian", "10.0.0.0/24"])).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "error: unknown command 'explian'; did you mean 'explain'?\nrun 'tailnet-routes --help' for the commands\n",
    })
    expect(await cli(["overlaps", "--jsno"])).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "error: unknown option --jsno; did you mean '--json'?\nrun 'tailnet-routes --help' for the commands\n",
    })
  })

  it("with no command, says so on stderr and exits 2", async () => {
    expect(await cli([])).toEqual({
      code: 2,
      stdout: "",
      stderr: "error: no command given\nrun 'tailnet-routes --help' for the commands\n",
    })
  })
})

describe("CLI via", () => {
  it("maps 4via6 both ways, as text and JSON", async () => {
    const results = await Promise.all([
      cli(["via", "7", "10.1.1.0/24"]),
      cli(["via", "0x7", "10.1.1.0/24", "--json"]),
      cli(["via", "fd7a:115c:a1e0:b1a:0:7:a01:100/120"]),
      cli(["via", "fd7a:115c:a1e0:b1a:0:7:a01:100/120", "--json"]),
    ])
    const json = { site: 7, v4: "10.1.1.0/24", v6: "fd7a:115c:a1e0:b1a:0:7:a01:100/120" }
    expect(results).toEqual([
      { code: 0, stdout: "fd7a:115c:a1e0:b1a:0:7:a01:100/120\n", stderr: "" },
      { code: 0, stdout: `${JSON.stringify(json, null, 2)}\n`, stderr: "" },
      { code: 0, stdout: "site 7 10.1.1.0/24\n", stderr: "" },
      { code: 0, stdout: `${JSON.stringify(json, null, 2)}\n`, stderr: "" },
    ])
  })

  it("unmaps an address as Tailscale's UnmapVia does: a 4via6 one to site and IPv4, any other unchanged", async () => {
    const results = await Promise.all([
      cli(["via", "fd7a:115c:a1e0:b1a:0:7:a01:105"]),
      cli(["via", "fd7a:115c:a1e0:b1a:0:7:a01:105", "--json"]),
      cli(["via", "10.1.1.5"]),
      cli(["via", "10.1.1.5", "--json"]),
      cli(["via", "10.1"]),
    ])
    expect(results).toEqual([
      { code: 0, stdout: "site 7 10.1.1.5\n", stderr: "" },
      {
        code: 0,
        stdout: `${JSON.stringify({ address: "fd7a:115c:a1e0:b1a:0:7:a01:105", site: 7, ipv4: "10.1.1.5" }, null, 2)}\n`,
        stderr: "",
      },
      { code: 0, stdout: "10.1.1.5\n", stderr: "" },
      {
        code: 0,
        stdout: `${JSON.stringify({ address: "10.1.1.5", site: null, ipv4: null }, null, 2)}\n`,
        stderr: "",
      },
      usage(
        "via",
        "via SITE V4CIDR | V6CIDR | ADDRESS [options]",
        '"10.1" is not a valid IP address: IPv4 address must have four dotted decimal fields',
      ),
    ])
  })

  it("refuses bad site IDs and prefixes with the library's messages", async () => {
    const v = (message: string) => usage("via", "via SITE V4CIDR | V6CIDR | ADDRESS [options]", message)
    const results = await Promise.all([
      cli(["via", "65536", "10.0.0.0/8"]),
      cli(["via", "seven", "10.0.0.0/8"]),
      cli(["via", "7", "10.0.0.1/8"]),
      cli(["via", "7", "fd00::/8"]),
      cli(["via", "fd7a:115c:a1e0:b1a::/64"]),
      cli(["via", "fd00::/120"]),
      cli(["via", "fd7a:115c:a1e0:b1a:1:0:a00:0/104"]),
    ])
    expect(results).toEqual([
      v("site ID 65536 is out of range; must be 0xffff (65535) or less"),
      v("site ID 'seven' is not a number"),
      v("10.0.0.1/8 has non-address bits set; expected 10.0.0.0/8"),
      v("fd00::/8 is not an IPv4 prefix; only IPv4 prefixes map into 4via6"),
      v("fd7a:115c:a1e0:b1a::/64 4-in-6 prefix must be at least a /96"),
      v("fd00::/120 is not a 4-in-6 prefix"),
      v("route fd7a:115c:a1e0:b1a:1:0:a00:0/104 contains invalid site ID 00010000; must be 0xffff or less"),
    ])
  })
})

describe("CLI on a terminal", () => {
  it("colours output and draws the simulate progress bar; NO_COLOR turns colour off", async () => {
    const db = `sqlite:${path.join(tempDir(), "tty.db")}`
    const sim = await onTerminal(`--db ${db} simulate --nodes 20 --seconds 3`)
    expect(sim).toContain("\r\u001b[2K[##############################] 100%  3/3 s")
    expect(sim).toContain("simulated 3 s of a tailnet of 20 nodes")
    const [coloured, plain] = await Promise.all([
      onTerminal(`--db ${db} routes list --node router-01`),
      onTerminal(`--db ${db} routes list --node router-01`, { NO_COLOR: "1" }),
    ])
    expect(coloured.startsWith("\u001b[1mID  NODE")).toBe(true)
    expect(plain.startsWith("ID  NODE")).toBe(true)
    expect(plain.includes("\u001b[")).toBe(false)
  })
})

describe("the executable (a real process)", () => {
  it("exits 0, 1 and 2, reads stdin and writes stdout and stderr like the in-process runs", async () => {
    const db = `sqlite:${path.join(tempDir(), "bin.db")}`
    const policy = '{ "autoApprovers": { "routes": { "10.0.0.0/8": ["alice@"] } } }'
    const [help, usage, missing] = await Promise.all([
      cliProcess(["--help"]),
      cliProcess(["routes", "frobnicate"]),
      cliProcess(["--db", db, "routes", "list"]),
    ])
    expect(help).toEqual({ code: 0, stdout: mainHelp(), stderr: "" })
    expect(usage).toEqual(await cli(["routes", "frobnicate"]))
    expect(usage.code).toBe(2)
    expect(missing).toEqual(await cli(["--db", db, "routes", "list"]))
    expect(missing.code).toBe(1)
    expect(await cliProcess(["--db", db, "policy", "set", "-"], {}, policy)).toEqual({
      code: 0,
      stdout: "policy replaced\n",
      stderr: "",
    })
    expect(await cli(["--db", db, "policy", "show"])).toEqual({
      code: 0,
      stdout: `${JSON.stringify(JSON.parse(policy), null, 2)}\n`,
      stderr: "",
    })
  })
})
