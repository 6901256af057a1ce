/**
 * `apikeys create [--expires 90d]`, `apikeys list`, `apikeys expire PREFIX`:
 * the HTTP service's keys, kept in the store's database as a lookup prefix
 * and a salted hash. `create` prints the key once, on the last line of stdout.
 */
import { existsSync } from "node:fs"
import { Cause, type Effect, Exit, ManagedRuntime } from "effect"
import type { ApiKeyRecord, ApiKeyStore } from "../../ports/ApiKeyStore.js"
import { ApiKeyStore as Keys } from "../../ports/ApiKeyStore.js"
import { createApiKey } from "../../service/apiKeys.js"
import { stringOption } from "../args.js"
import { CommandError, UsageError } from "../CliError.js"
import type { CommandContext, CommandRun } from "../CommandContext.js"
import { storeFailure } from "../session.js"
import { describeStore, resolveStoreSpec } from "../storeSpec.js"
import { apiKeyStoreLayer } from "./serveStores.js"

const units: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** `90d`, `12h`, `30m`, `45s` in ms; anything else is a usage error naming it. @category constructors */
export const parseExpiry = (text: string, command: string): number => {
  const m = /^([1-9][0-9]{0,5})([smhd])$/.exec(text)
  if (m === null) {
    throw new UsageError(
      `--expires '${text}' is not a duration; expected N followed by s, m, h or d (90d)`,
      command,
    )
  }
  return Number(m[1]) * units[m[2]!]!
}

const withKeys = async <A>(
  ctx: CommandContext,
  mustExist: boolean,
  effect: Effect.Effect<A, unknown, ApiKeyStore>,
): Promise<A> => {
  const spec = resolveStoreSpec(stringOption(ctx.options, "db"), ctx.io.env)
  const label = describeStore(spec)
  if (mustExist && spec.kind === "sqlite" && !existsSync(spec.path)) {
    throw new CommandError(`${label}: no such database file; check --db`, "STORE_NOT_FOUND", { store: label })
  }
  const runtime = ManagedRuntime.make(apiKeyStoreLayer(spec))
  try {
    const exit = await runtime.runPromiseExit(effect)
    if (Exit.isSuccess(exit)) return exit.value
    const failure = Cause.squash(exit.cause)
    if (failure instanceof CommandError) throw failure
    throw storeFailure(label, failure)
  } finally {
    await runtime.dispose()
  }
}

const when = (ms: number | null): string => (ms === null ? "never" : new Date(ms).toISOString())

const status = (r: ApiKeyRecord, now: number): string =>
  r.expiresAt !== null && r.expiresAt <= now ? "expired" : "active"

/** `apikeys create`. @category constructors */
export const apikeysCreate: CommandRun = async (ctx) => {
  const expires = stringOption(ctx.options, "expires")
  const now = ctx.io.now()
  const expiresAt = expires === undefined ? null : now + parseExpiry(expires, ctx.command.name)
  const { key, record } = await withKeys(ctx, false, createApiKey(now, expiresAt))
  if (ctx.json) {
    ctx.out(`${JSON.stringify({ prefix: record.prefix, createdAt: now, expiresAt, key })}\n`)
    return
  }
  ctx.out(`created API key ${record.prefix} (expires ${when(expiresAt)}); it is shown once, below:\n${key}\n`)
}

/** `apikeys list`. @category constructors */
export const apikeysList: CommandRun = async (ctx) => {
  const now = ctx.io.now()
  const keys = await withKeys(
    ctx,
    true,
    Keys.use((s) => s.list),
  )
  if (ctx.json) {
    const rows = keys.map((r) => ({
      prefix: r.prefix,
      createdAt: r.createdAt,
      expiresAt: r.expiresAt,
      status: status(r, now),
    }))
    ctx.out(`${JSON.stringify(rows, null, 2)}\n`)
    return
  }
  if (keys.length === 0) {
    ctx.out("no API keys; create one with tailnet-routes apikeys create\n")
    return
  }
  const lines = keys.map(
    (r) => `${r.prefix}  created ${when(r.createdAt)}  expires ${when(r.expiresAt)}  ${status(r, now)}`,
  )
  ctx.out(`${lines.join("\n")}\n`)
}

/** `apikeys expire PREFIX`: the key stops working now. @category constructors */
export const apikeysExpire: CommandRun = async (ctx) => {
  const prefix = ctx.args[0]!
  const now = ctx.io.now()
  const found = await withKeys(
    ctx,
    true,
    Keys.use((s) => s.expire(prefix, now)),
  )
  if (!found) {
    throw new CommandError(
      `no API key has the prefix ${JSON.stringify(prefix)}; see apikeys list`,
      "FAILED",
      {
        prefix,
      },
    )
  }
  ctx.out(ctx.json ? `${JSON.stringify({ prefix, expiresAt: now })}\n` : `expired API key ${prefix}\n`)
}
