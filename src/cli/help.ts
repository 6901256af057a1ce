/** Help text, rendered from the command catalogue. */
import { type CommandSpec, commandSpecs, families, globalOptions, type OptionSpec } from "./commandSpecs.js"

const BIN = "tailnet-routes"

const optionLine = (o: OptionSpec): string => {
  const flag = `${o.short === undefined ? "    " : `-${o.short}, `}--${o.name}${o.value === undefined ? "" : ` ${o.value}`}`
  return `  ${flag.padEnd(26)} ${o.description}`
}

/** The one-line usage of a command, e.g. `tailnet-routes routes enable ID... [options]`. @category getters */
export const usageLine = (c: CommandSpec): string => {
  const required = c.options.filter((o) => o.description.endsWith("(required)"))
  const parts = [BIN, c.name, ...required.map((o) => `--${o.name} ${o.value ?? ""}`.trim())]
  if (c.args !== "") parts.push(c.args)
  parts.push("[options]")
  return parts.join(" ")
}

/** Full help of one command. @category getters */
export const commandHelp = (c: CommandSpec): string => {
  const lines = [`Usage: ${usageLine(c)}`, "", c.summary]
  if (c.details.length > 0) lines.push("", ...c.details)
  if (c.options.length > 0) lines.push("", "Options:", ...c.options.map(optionLine))
  lines.push("", "Global options:", ...globalOptions.map(optionLine))
  if (c.examples.length > 0) lines.push("", "Examples:", ...c.examples.map((e) => `  ${e}`))
  return `${lines.join("\n")}\n`
}

const commandList = (specs: ReadonlyArray<CommandSpec>): string[] => {
  const width = Math.max(...specs.map((c) => `${c.name} ${c.args}`.trim().length))
  return specs.map((c) => `  ${`${c.name} ${c.args}`.trim().padEnd(width)}  ${c.summary}`)
}

/** Help of a family (`routes`): its subcommands. @category getters */
export const familyHelp = (family: string): string => {
  const specs = commandSpecs.filter((c) => c.name.startsWith(`${family} `))
  const lines = [
    `Usage: ${BIN} ${family} <command> [options]`,
    "",
    "Commands:",
    ...commandList(specs),
    "",
    `Run '${BIN} ${family} <command> --help' for a command's options.`,
  ]
  return `${lines.join("\n")}\n`
}

/** The top-level help: every command and the global options. @category getters */
export const mainHelp = (): string => {
  const lines = [
    `Usage: ${BIN} <command> [options]`,
    "",
    "See and steer the subnet routes, exit nodes and primary routers of a tailnet.",
    "",
    "Commands:",
    ...commandList(commandSpecs),
    "",
    "Global options:",
    ...globalOptions.map(optionLine),
    "",
    `Run '${BIN} <command> --help' for details. Exit codes: 0 ok, 1 failed, 2 usage error.`,
  ]
  return `${lines.join("\n")}\n`
}

/** Help for a topic (a command or family name), or null when there is no such topic. @category getters */
export const helpFor = (topic: string | null): string | null => {
  if (topic === null) return mainHelp()
  if (families.includes(topic)) return familyHelp(topic)
  const c = commandSpecs.find((s) => s.name === topic)
  return c === undefined ? null : commandHelp(c)
}
