import { describe, expect, it } from "vitest"
import { findCommand, integerArg, parseCommandLine, routeOptionsFrom } from "../../src/cli/args.js"
import { UsageError } from "../../src/cli/CliError.js"
import { commandSpecs } from "../../src/cli/commandSpecs.js"
import { helpFor, usageLine } from "../../src/cli/help.js"
import { parseStoreSpec, resolveStoreSpec } from "../../src/cli/storeSpec.js"
import { closest, editDistance } from "../../src/cli/suggest.js"
import { defaultOptions } from "../../src/domain/Options.js"

const usage = (argv: ReadonlyArray<string>): { message: string; command: string | null } => {
  try {
    parseCommandLine(argv)
  } catch (e) {
    if (e instanceof UsageError) return { message: e.message, command: e.command }
    throw e
  }
  throw new Error(`expected a usage error for ${argv.join(" ")}`)
}

describe("parseCommandLine", () => {
  it("reads the command words, its arguments and options, globals anywhere", () => {
    expect(parseCommandLine(["--db", "sqlite:x.db", "routes", "list", "--node", "a", "--json"])).toEqual({
      _tag: "Run",
      command: findCommand("routes list"),
      args: [],
      options: { db: "sqlite:x.db", node: "a", json: true },
    })
    expect(parseCommandLine(["routes", "enable", "3", "4"])).toEqual({
      _tag: "Run",
      command: findCommand("routes enable"),
      args: ["3", "4"],
      options: {},
    })
  })

  // parseArgs would read `-5` as a short option; here it is the priority.
  it("takes a negative integer as an argument", () => {
    expect(parseCommandLine(["routes", "priority", "3", "-5"])).toEqual({
      _tag: "Run",
      command: findCommand("routes priority"),
      args: ["3", "-5"],
      options: {},
    })
  })

  it("answers help requests", () => {
    expect(parseCommandLine(["--help"])).toEqual({ _tag: "Help", topic: null })
    expect(parseCommandLine(["routes", "--help"])).toEqual({ _tag: "Help", topic: "routes" })
    expect(parseCommandLine(["routes", "list", "-h"])).toEqual({ _tag: "Help", topic: "routes list" })
    expect(parseCommandLine(["help", "policy", "set"])).toEqual({ _tag: "Help", topic: "policy set" })
    expect(parseCommandLine(["help"])).toEqual({ _tag: "Help", topic: null })
  })

  it("answers --version, with or without a command", () => {
    expect(parseCommandLine(["--version"])).toEqual({ _tag: "Version" })
    expect(parseCommandLine(["routes", "list", "--version"])).toEqual({ _tag: "Version" })
  })

  it.each([
    { argv: [], message: "no command given", command: null },
    { argv: ["frobnicate"], message: "unknown command 'frobnicate'", command: null },
    {
      argv: ["routes"],
      message: "'routes' needs a subcommand: list, enable, disable, delete, approve, priority",
      command: "routes",
    },
    { argv: ["nodes"], message: "'nodes' needs a subcommand: list", command: "nodes" },
    {
      argv: ["routes", "show"],
      message:
        "unknown command 'routes show'; 'routes' has: list, enable, disable, delete, approve, priority",
      command: "routes",
    },
    { argv: ["routes", "list", "--bogus"], message: "unknown option --bogus", command: null },
    {
      argv: ["explian", "10.0.0.0/24"],
      message: "unknown command 'explian'; did you mean 'explain'?",
      command: null,
    },
    { argv: ["rout", "list"], message: "unknown command 'rout'; did you mean 'routes'?", command: null },
    {
      argv: ["routes", "lsit"],
      message: "unknown command 'routes lsit'; did you mean 'routes list'?",
      command: "routes",
    },
    {
      argv: ["routes", "list", "--nod", "a"],
      message: "unknown option --nod; did you mean '--node'?",
      command: null,
    },
    {
      argv: ["reconcile", "--dryrun"],
      message: "unknown option --dryrun; did you mean '--dry-run'?",
      command: null,
    },
    { argv: ["--jsno", "overlaps"], message: "unknown option --jsno; did you mean '--json'?", command: null },
    { argv: ["routes", "list", "--db"], message: "option --db needs a value", command: null },
    {
      argv: ["overlaps", "--node", "a"],
      message: "option --node is not valid for 'overlaps'",
      command: "overlaps",
    },
    {
      argv: ["routes", "enable"],
      message: "'routes enable' takes at least 1 argument (ID...), got 0",
      command: "routes enable",
    },
    {
      argv: ["routes", "priority", "1"],
      message: "'routes priority' takes 2 arguments (ID N), got 1",
      command: "routes priority",
    },
    { argv: ["overlaps", "x"], message: "'overlaps' takes no arguments, got 1", command: "overlaps" },
    {
      argv: ["via", "1", "2", "3"],
      message: "'via' takes 1 to 2 arguments (SITE V4CIDR | V6CIDR | ADDRESS), got 3",
      command: "via",
    },
  ])("refuses $argv", ({ argv, message, command }) => {
    expect(usage(argv)).toEqual({ message, command })
  })
})

describe("did you mean", () => {
  it("counts edits, a swap of neighbours as one", () => {
    expect(editDistance("explain", "explain")).toBe(0)
    expect(editDistance("explian", "explain")).toBe(1)
    expect(editDistance("lst", "list")).toBe(1)
    expect(editDistance("", "via")).toBe(3)
    expect(editDistance("kitten", "sitting")).toBe(3)
  })
  it("suggests a close word or the only one a prefix names, and nothing for a far one", () => {
    const words = ["routes", "explain", "overlaps", "via", "policy", "reconcile"]
    expect(closest("explian", words)).toBe("explain")
    expect(closest("recon", words)).toBe("reconcile")
    expect(closest("polcy", words)).toBe("policy")
    expect(closest("frobnicate", words)).toBeNull()
    expect(closest("x", words)).toBeNull()
    expect(closest("", words)).toBeNull()
  })
})

describe("integerArg", () => {
  it("reads whole decimal integers within bounds", () => {
    expect(integerArg("42", "route id", 1, 100, "c")).toBe(42)
    expect(integerArg("-3", "priority", -10, 10, "c")).toBe(-3)
  })
  it.each([
    ["abc", "route id 'abc' is not an integer"],
    ["1.5", "route id '1.5' is not an integer"],
    ["07", "route id '07' is not an integer"],
    ["0", "route id 0 is out of range; expected 1 to 100"],
    ["101", "route id 101 is out of range; expected 1 to 100"],
  ])("refuses %s", (text, message) => {
    expect(() => integerArg(text, "route id", 1, 100, "c")).toThrow(new UsageError(message, "c"))
  })
})

describe("route options from the global flags", () => {
  it("defaults to DESIGN's options, and takes each flag", () => {
    expect(routeOptionsFrom({}, "c")).toEqual(defaultOptions)
    expect(
      routeOptionsFrom(
        {
          "grace-ms": "0",
          "on-withdraw": "retain",
          "when-none-eligible": "clear",
          "preempt-after-ms": "5000",
        },
        "c",
      ),
    ).toEqual({
      ...defaultOptions,
      onWithdraw: "retain",
      whenNoneEligible: "clear",
      gracePeriodMs: 0,
      preemption: true,
      preemptDelayMs: 5000,
    })
  })
  it.each([
    [{ "grace-ms": "-1" }, "--grace-ms: expected an integer from 0 to 31536000000; got -1"],
    [{ "grace-ms": "15s" }, "--grace-ms '15s' is not an integer"],
    [{ "on-withdraw": "keep" }, '--on-withdraw: expected "disable" | "retain"; got "keep"'],
    [{ "when-none-eligible": "none" }, '--when-none-eligible: expected "keep-last" | "clear"; got "none"'],
    [{ "preempt-after-ms": "x" }, "--preempt-after-ms 'x' is not an integer"],
  ])("refuses %j", (flags, message) => {
    expect(() => routeOptionsFrom(flags, "c")).toThrow(new UsageError(message, "c"))
  })
})

describe("store spec", () => {
  it("parses sqlite and postgres stores", () => {
    expect(parseStoreSpec("sqlite:./a.db")).toEqual({ kind: "sqlite", path: "./a.db" })
    expect(parseStoreSpec("sqlite:///tmp/a.db")).toEqual({ kind: "sqlite", path: "/tmp/a.db" })
    expect(parseStoreSpec("postgres://u:p@127.0.0.1:5432/db")).toEqual({
      kind: "postgres",
      url: "postgres://u:p@127.0.0.1:5432/db",
    })
  })
  it("refuses anything else, hiding a password", () => {
    expect(() => parseStoreSpec("mysql://u:secret@127.0.0.1/x")).toThrow(
      "--db mysql://u:***@127.0.0.1/x is not a store; expected sqlite:PATH or postgres://...",
    )
    expect(() => parseStoreSpec("sqlite:")).toThrow("--db sqlite: names no file; expected sqlite:PATH")
  })
  it("prefers --db, then DATABASE_URL, then the default file", () => {
    const env = { DATABASE_URL: "postgres://127.0.0.1/x" }
    expect(resolveStoreSpec("sqlite:a.db", env)).toEqual({ kind: "sqlite", path: "a.db" })
    expect(resolveStoreSpec(undefined, env)).toEqual({ kind: "postgres", url: "postgres://127.0.0.1/x" })
    expect(resolveStoreSpec(undefined, { DATABASE_URL: "" })).toEqual({
      kind: "sqlite",
      path: "./tailnet-routes.db",
    })
  })
})

describe("help", () => {
  it("has a page for every command, naming its usage and global options", () => {
    for (const c of commandSpecs) {
      const text = helpFor(c.name)!
      expect(text.startsWith(`Usage: ${usageLine(c)}\n\n${c.summary}\n`)).toBe(true)
      expect(text).toContain("--db URL")
    }
  })
  it("lists every command on the main page and a family's on its page", () => {
    const main = helpFor(null)!
    for (const c of commandSpecs) expect(main).toContain(`  ${c.name}`)
    expect(helpFor("routes")).toContain("  routes priority ID N")
    expect(helpFor("nope")).toBeNull()
  })
  it("shows required options in the usage line", () => {
    expect(usageLine(findCommand("migrate")!)).toBe(
      "tailnet-routes migrate --from-headscale PATH_OR_URL [options]",
    )
    expect(usageLine(findCommand("simulate")!)).toBe("tailnet-routes simulate --nodes N [options]")
  })
})
