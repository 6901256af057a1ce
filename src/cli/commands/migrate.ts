/** `migrate --from-headscale PATH_OR_URL [--dry-run]`: the legacy Headscale import, printing its report. */
import { existsSync } from "node:fs"
import { formatImportReport } from "../../app/formatImportReport.js"
import { changeToJson } from "../../facade/toJson.js"
import { importHeadscale } from "../../headscale.js"
import { isPostgresUrl } from "../../ports/HeadscaleSource.js"
import { stringOption } from "../args.js"
import { CommandError, UsageError } from "../CliError.js"
import type { CommandRun } from "../CommandContext.js"
import { openSession, type Session } from "../session.js"

/** `migrate`. @category constructors */
export const migrate: CommandRun = async (ctx) => {
  const from = stringOption(ctx.options, "from-headscale")
  if (from === undefined)
    throw new UsageError("'migrate' needs --from-headscale PATH_OR_URL", ctx.command.name)
  const dryRun = ctx.options["dry-run"] === true
  // Checked before the target is opened, so a typo never creates an empty store.
  if (!isPostgresUrl(from) && !existsSync(from))
    throw new CommandError(`${from}: no such Headscale database file`, "HEADSCALE_SOURCE", { source: from })
  // A dry run never creates the target: a store that does not exist yet (no SQLite file, no
  // store of ours in the Postgres database) is an empty one, so the report is computed against
  // an empty in-memory store.
  const open = async (): Promise<Session> =>
    !dryRun || (await ctx.storeExists())
      ? ctx.openStore(!dryRun)
      : openSession({ kind: "sqlite", path: ":memory:" }, true)
  const session = await open()
  try {
    const result = await session.run(importHeadscale(from, { dryRun, options: ctx.routeOptions }), (e) =>
      e._tag === "HeadscaleSourceError"
        ? new CommandError(e.message, "HEADSCALE_SOURCE", { source: from })
        : null,
    )
    if (ctx.json) {
      ctx.out(
        `${JSON.stringify({ source: result.source, written: result.written, report: result.report, changes: changeToJson(result.changes) }, null, 2)}\n`,
      )
    } else {
      ctx.out(formatImportReport(result.report, result))
    }
  } finally {
    await session.close()
  }
}
