/** What a command gets: its arguments, output streams, palette, clock and a way to open the store. */
import type { Options } from "../domain/Options.js"
import type { OptionValues } from "./args.js"
import type { Palette } from "./colour.js"
import type { CommandSpec } from "./commandSpecs.js"
import type { Session } from "./session.js"

/** A writable text stream; `isTTY` decides colour and progress bars. @category models */
export interface OutStream {
  readonly write: (text: string) => unknown
  readonly isTTY?: boolean | undefined
}

/** The process as the CLI sees it, so tests can run it in-process too. @category models */
export interface CliIo {
  readonly stdout: OutStream
  readonly stderr: OutStream
  readonly env: Readonly<Record<string, string | undefined>>
  readonly readStdin: () => Promise<string>
  /** Wall-clock epoch milliseconds. */
  readonly now: () => number
}

/** @category models */
export interface CommandContext {
  readonly command: CommandSpec
  readonly args: ReadonlyArray<string>
  readonly options: OptionValues
  readonly json: boolean
  /** Election and withdrawal options from the global flags (defaults: DESIGN's). */
  readonly routeOptions: Options
  readonly io: CliIo
  /** Colours for stdout. */
  readonly palette: Palette
  /** Writes to stdout. */
  readonly out: (text: string) => void
  /** Opens the store chosen by `--db` / `DATABASE_URL`; `create` allows a new SQLite file. */
  readonly openStore: (create: boolean) => Promise<Session>
  /** Whether that store exists already (nothing is created to find out). */
  readonly storeExists: () => Promise<boolean>
}

/** A command's body. @category models */
export type CommandRun = (ctx: CommandContext) => Promise<void>

/**
 * Opens the store (`create` as for `openStore`), runs `f` on it and closes
 * it, whether `f` succeeds or throws.
 *
 * @category constructors
 */
export const withStore = async <A>(
  ctx: CommandContext,
  create: boolean,
  f: (session: Session) => Promise<A>,
): Promise<A> => {
  const session = await ctx.openStore(create)
  try {
    return await f(session)
  } finally {
    await session.close()
  }
}
