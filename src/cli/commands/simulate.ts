/** `simulate`: a synthetic tailnet played in the store. */
import { CommandError } from "../CliError.js"
import type { CommandRun } from "../CommandContext.js"

/** `simulate`. @category constructors */
export const simulate: CommandRun = async () => {
  throw new CommandError("simulate is not available yet")
}
