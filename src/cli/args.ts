/**
 * Command-line parsing with `node:util` `parseArgs`: global options anywhere,
 * the command's words first among the positionals, and every option checked
 * against the command that was chosen.
 */
import { parseArgs } from "node:util"
import { Result } from "effect"
import { checkOptions } from "../domain/inputRules.js"
import { makeOptions, type Options } from "../domain/Options.js"
import { UsageError } from "./CliError.js"
import { type CommandSpec, commandSpecs, families, globalOptions, type OptionSpec } from "./commandSpecs.js"
import { closest } from "./suggest.js"

/** Option values by name: a string, `true`, or absent. @category models */
export type OptionValues = Readonly<Record<string, string | boolean | undefined>>

/** What the command line asks for. @category models */
export type Invocation =
  | {
      readonly _tag: "Run"
      readonly command: CommandSpec
      readonly args: ReadonlyArray<string>
      readonly options: OptionValues
    }
  /** `--help`, `help ...`, or a family name alone; `topic` is a command, a family, or null for everything. */
  | { readonly _tag: "Help"; readonly topic: string | null }
  /** `--version`, with or without a command. */
  | { readonly _tag: "Version" }

// parseArgs reads `-5` as a short option; a bare negative integer is always an argument here.
const NEGATIVE = "\u0000"

const allOptions = (): Map<string, OptionSpec> => {
  const all = new Map<string, OptionSpec>()
  for (const o of globalOptions) all.set(o.name, o)
  for (const c of commandSpecs) for (const o of c.options) all.set(o.name, o)
  return all
}

/** Finds a command by its words, e.g. `routes list`. @category getters */
export const findCommand = (name: string): CommandSpec | undefined =>
  commandSpecs.find((c) => c.name === name)

const subcommandList = (family: string): string[] =>
  commandSpecs.filter((c) => c.name.startsWith(`${family} `)).map((c) => c.name.slice(family.length + 1))

const subcommands = (family: string): string => subcommandList(family).join(", ")

// The first words a command line can start with.
const firstWords = (): string[] => [...new Set(["help", ...commandSpecs.map((c) => c.name.split(" ")[0]!)])]

const didYouMean = (suggestion: string | null): string =>
  suggestion === null ? "" : `; did you mean '${suggestion}'?`

/**
 * Parses argv (without `node` and the script). Throws `UsageError` for an
 * unknown command or option, a missing option value, or a wrong number of
 * arguments.
 *
 * @category constructors
 */
export const parseCommandLine = (argv: ReadonlyArray<string>): Invocation => {
  const known = allOptions()
  const config: Record<string, { type: "string" | "boolean"; short?: string }> = {}
  for (const o of known.values())
    config[o.name] = o.short === undefined ? { type: o.type } : { type: o.type, short: o.short }
  let parsed: ReturnType<typeof parseArgs<{ options: typeof config; allowPositionals: true; tokens: true }>>
  try {
    parsed = parseArgs({
      args: argv.map((a) => (/^-\d+$/.test(a) ? NEGATIVE + a : a)),
      options: config,
      allowPositionals: true,
      strict: true,
      tokens: true,
    })
  } catch (e) {
    throw new UsageError(describeParseError(e, [...known.keys()]))
  }
  const positionals = parsed.positionals.map((p) => (p.startsWith(NEGATIVE) ? p.slice(1) : p))
  const help = parsed.values.help === true
  if (parsed.values.version === true) return { _tag: "Version" }

  let words = positionals.slice(0, 1)
  if (words[0] === "help") return { _tag: "Help", topic: positionals.slice(1).join(" ") || null }
  if (words.length === 0) {
    if (help) return { _tag: "Help", topic: null }
    throw new UsageError("no command given")
  }
  const first = words[0]!
  if (families.includes(first)) {
    const second = positionals[1]
    if (second === undefined) {
      if (help) return { _tag: "Help", topic: first }
      throw new UsageError(`'${first}' needs a subcommand: ${subcommands(first)}`, first)
    }
    words = [first, second]
  }
  const name = words.join(" ")
  const command = findCommand(name)
  if (command === undefined) {
    if (families.includes(first)) {
      const guess = closest(words[1]!, subcommandList(first))
      const hint =
        guess === null ? `; '${first}' has: ${subcommands(first)}` : didYouMean(`${first} ${guess}`)
      throw new UsageError(`unknown command '${name}'${hint}`, first)
    }
    throw new UsageError(`unknown command '${name}'${didYouMean(closest(first, firstWords()))}`)
  }
  if (help) return { _tag: "Help", topic: command.name }

  const allowed = new Set([...globalOptions, ...command.options].map((o) => o.name))
  for (const t of parsed.tokens) {
    if (t.kind === "option" && !allowed.has(t.name)) {
      throw new UsageError(`option --${t.name} is not valid for '${command.name}'`, command.name)
    }
  }
  const args = positionals.slice(words.length)
  if (args.length < command.minArgs || args.length > command.maxArgs) {
    const expected =
      command.maxArgs === 0
        ? "no arguments"
        : command.minArgs === command.maxArgs
          ? `${command.minArgs} argument${command.minArgs === 1 ? "" : "s"} (${command.args})`
          : command.maxArgs === Number.POSITIVE_INFINITY
            ? `at least ${command.minArgs} argument${command.minArgs === 1 ? "" : "s"} (${command.args})`
            : `${command.minArgs} to ${command.maxArgs} arguments (${command.args})`
    throw new UsageError(`'${command.name}' takes ${expected}, got ${args.length}`, command.name)
  }
  const options: Record<string, string | boolean | undefined> = {}
  // An option's value may be a marked negative number too (`--grace-ms -5`): unmark it, so
  // the value checked and named in an error is what was typed (it printed a NUL byte).
  for (const [k, v] of Object.entries(parsed.values))
    if (typeof v === "string") options[k] = v.startsWith(NEGATIVE) ? v.slice(1) : v
    else if (typeof v === "boolean") options[k] = v
  return { _tag: "Run", command, args, options }
}

// parseArgs messages are long and mention `--` tricks; keep the part that names the input.
const describeParseError = (e: unknown, optionNames: ReadonlyArray<string>): string => {
  const code = (e as { code?: string }).code
  const message = e instanceof Error ? e.message : String(e)
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1]
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      if (option === undefined) return `unknown option ${message}`
      const guess = closest(option.replace(/^-{1,2}/, "").split("=")[0]!, optionNames)
      return `unknown option ${option}${guess === null ? "" : `; did you mean '--${guess}'?`}`
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return option !== undefined && /argument missing/.test(message)
        ? `option ${option} needs a value`
        : option !== undefined
          ? `option ${option} takes no value`
          : message
    default:
      return message
  }
}

/** A string option, or undefined when absent. @category getters */
export const stringOption = (options: OptionValues, name: string): string | undefined => {
  const v = options[name]
  return typeof v === "string" ? v : undefined
}

/**
 * Parses a whole decimal integer argument within bounds, or throws a
 * `UsageError` naming it: `route id 'abc' is not an integer`.
 *
 * @category constructors
 */
export const integerArg = (text: string, what: string, min: number, max: number, command: string): number => {
  if (!/^-?(0|[1-9][0-9]*)$/.test(text)) throw new UsageError(`${what} '${text}' is not an integer`, command)
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${what} ${text} is out of range; expected ${min} to ${max}`, command)
  }
  return n
}

/**
 * The election and withdrawal options from the global flags, so the CLI judges
 * routes the way the server that owns the store does. Bad values are usage errors.
 *
 * @category constructors
 */
export const routeOptionsFrom = (options: OptionValues, command: string): Options => {
  const grace = stringOption(options, "grace-ms")
  const onWithdraw = stringOption(options, "on-withdraw")
  const whenNone = stringOption(options, "when-none-eligible")
  const preempt = stringOption(options, "preempt-after-ms")
  // Text to number here; the ranges and the allowed words are the API's rules (checkOptions), checked once.
  const int = (text: string, flag: string): number => {
    if (!/^-?(0|[1-9][0-9]*)$/.test(text))
      throw new UsageError(`${flag} '${text}' is not an integer`, command)
    return Number(text)
  }
  const partial = {
    ...(grace === undefined ? {} : { gracePeriodMs: int(grace, "--grace-ms") }),
    ...(onWithdraw === undefined ? {} : { onWithdraw }),
    ...(whenNone === undefined ? {} : { whenNoneEligible: whenNone }),
    ...(preempt === undefined
      ? {}
      : { preemption: true, preemptDelayMs: int(preempt, "--preempt-after-ms") }),
  }
  const checked = checkOptions(partial)
  if (Result.isFailure(checked)) {
    const { field, message } = checked.failure
    const flag = flagOfOption[field.replace(/^options\./, "")]
    throw new UsageError(flag === undefined ? message : message.replace(field, flag), command)
  }
  return makeOptions(checked.success)
}

const flagOfOption: Readonly<Record<string, string>> = {
  gracePeriodMs: "--grace-ms",
  onWithdraw: "--on-withdraw",
  whenNoneEligible: "--when-none-eligible",
  preemptDelayMs: "--preempt-after-ms",
}
