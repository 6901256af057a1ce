/**
 * The CLI as a function: argv and an `CliIo` in, an exit code out. Usage
 * errors exit 2 with the command's usage line; command failures exit 1; every
 * error goes to stderr and leaves the store as it was.
 */
import { findCommand, parseCommandLine, routeOptionsFrom, stringOption } from "./args.js"
import { type CliErrorCode, CommandError, isCommandError, isUsageError } from "./CliError.js"
import type { CliIo, CommandContext, CommandRun } from "./CommandContext.js"
import { colourWanted, makePalette } from "./colour.js"
import type { CommandName } from "./commandSpecs.js"
import { apikeysCreate, apikeysExpire, apikeysList } from "./commands/apikeys.js"
import { explain } from "./commands/explain.js"
import { migrate } from "./commands/migrate.js"
import { nodesList } from "./commands/nodes.js"
import { overlaps } from "./commands/overlaps.js"
import { policySet, policyShow } from "./commands/policy.js"
import { reconcile } from "./commands/reconcile.js"
import {
  routesApprove,
  routesDelete,
  routesDisable,
  routesEnable,
  routesList,
  routesPriority,
} from "./commands/routes.js"
import { simulate } from "./commands/simulate.js"
import { via } from "./commands/via.js"
import { helpFor, usageLine } from "./help.js"
import { openSession, storeExists } from "./session.js"
import { resolveStoreSpec } from "./storeSpec.js"
import { packageVersion } from "./version.js"

// The HTTP stack is an optional peer dependency (@effect/platform-node), as the drivers are.
const loadServe = async (): Promise<typeof import("./commands/serve.js")> => {
  try {
    return await import("./commands/serve.js")
  } catch (e) {
    if (
      (e as { code?: string }).code !== "ERR_MODULE_NOT_FOUND" ||
      !String(e).includes("@effect/platform-node")
    )
      throw e
    throw new CommandError(
      "serve needs the @effect/platform-node package; install it next to tailnet-routes",
      "DRIVER_MISSING",
      { driver: "@effect/platform-node" },
    )
  }
}

// One handler per catalogued command: a command without one (or a handler
// without a command) is a compile error.
const runs: { readonly [Name in CommandName]: CommandRun } = {
  "routes list": routesList,
  "routes enable": routesEnable,
  "routes disable": routesDisable,
  "routes delete": routesDelete,
  "routes approve": routesApprove,
  "routes priority": routesPriority,
  "nodes list": nodesList,
  explain,
  overlaps,
  via,
  "policy set": policySet,
  "policy show": policyShow,
  migrate,
  reconcile,
  simulate,
  // The HTTP stack loads only for serve, not for every command.
  serve: async (ctx) => (await loadServe()).serve(ctx),
  "apikeys create": apikeysCreate,
  "apikeys list": apikeysList,
  "apikeys expire": apikeysExpire,
}

// `--json` anywhere before a `--` terminator: known even when the command line does not parse.
const wantsJson = (argv: ReadonlyArray<string>): boolean => {
  const end = argv.indexOf("--")
  return (end < 0 ? argv : argv.slice(0, end)).includes("--json")
}

/**
 * Runs one command line; resolves to the process exit code. Errors go to
 * stderr: as text, or with `--json` as one line of the dialect's error JSON,
 * `{ "code": …, "message": …, … }` (a usage error adds `command` and `usage`).
 *
 * @category constructors
 */
export const runCli = async (argv: ReadonlyArray<string>, io: CliIo): Promise<number> => {
  const errPalette = makePalette(colourWanted(io.stderr.isTTY, io.env))
  const json = wantsJson(argv)
  const fail = (
    error: { readonly code: CliErrorCode; readonly message: string } & Record<string, unknown>,
    hint: string | null,
    exit: number,
  ): number => {
    io.stderr.write(
      json
        ? `${JSON.stringify(error)}\n`
        : `${errPalette.red("error")}: ${error.message}\n${hint === null ? "" : `${hint}\n`}`,
    )
    return exit
  }
  try {
    const inv = parseCommandLine(argv)
    if (inv._tag === "Version") {
      io.stdout.write(
        json
          ? `${JSON.stringify({ name: "tailnet-routes", version: packageVersion() }, null, 2)}\n`
          : `tailnet-routes ${packageVersion()}\n`,
      )
      return 0
    }
    if (inv._tag === "Help") {
      const text = helpFor(inv.topic)
      if (text === null)
        return fail(
          { code: "USAGE", message: `no help for unknown command '${inv.topic}'` },
          "run 'tailnet-routes --help'",
          2,
        )
      io.stdout.write(text)
      return 0
    }
    // The store is resolved up front so a bad --db is a usage error before anything runs.
    const spec = resolveStoreSpec(stringOption(inv.options, "db"), io.env)
    const palette = makePalette(colourWanted(io.stdout.isTTY, io.env))
    const ctx: CommandContext = {
      command: inv.command,
      args: inv.args,
      options: inv.options,
      json: inv.options.json === true,
      routeOptions: routeOptionsFrom(inv.options, inv.command.name),
      io,
      palette,
      out: (text) => {
        io.stdout.write(text)
      },
      openStore: (create) => openSession(spec, create),
      storeExists: () => storeExists(spec),
    }
    await runs[inv.command.name as CommandName](ctx)
    return 0
  } catch (e) {
    if (isUsageError(e)) {
      const command = e.command === null ? undefined : findCommand(e.command)
      const hint =
        command !== undefined
          ? `usage: ${usageLine(command)}\nrun 'tailnet-routes ${command.name} --help' for more`
          : e.command !== null
            ? `run 'tailnet-routes ${e.command} --help' for more`
            : "run 'tailnet-routes --help' for the commands"
      const where =
        e.command === null
          ? {}
          : { command: e.command, ...(command === undefined ? {} : { usage: usageLine(command) }) }
      return fail({ code: e.code, message: e.message, ...where }, hint, 2)
    }
    if (isCommandError(e)) return fail({ code: e.code, message: e.message, ...e.details }, null, 1)
    // A bug, not bad input: show the stack so it can be reported.
    return fail(
      { code: "INTERNAL", message: e instanceof Error ? (e.stack ?? e.message) : String(e) },
      null,
      1,
    )
  }
}
