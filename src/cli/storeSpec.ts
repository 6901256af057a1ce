/** Which store a command uses: `--db`, else `DATABASE_URL`, else `sqlite:./tailnet-routes.db`. */
import { UsageError } from "./CliError.js"

/** A parsed `--db` value. @category models */
export type StoreSpec =
  | { readonly kind: "sqlite"; readonly path: string }
  | { readonly kind: "postgres"; readonly url: string }

/** The store used when neither `--db` nor `DATABASE_URL` is given. @category constructors */
export const defaultStore: StoreSpec = { kind: "sqlite", path: "./tailnet-routes.db" }

/**
 * Parses `sqlite:PATH` (also `sqlite://PATH`) or `postgres://…` /
 * `postgresql://…`; anything else is a usage error naming the input.
 *
 * @category constructors
 */
export const parseStoreSpec = (text: string): StoreSpec => {
  if (text.startsWith("sqlite:")) {
    const path = text.startsWith("sqlite://") ? text.slice("sqlite://".length) : text.slice("sqlite:".length)
    if (path === "") throw new UsageError(`--db ${text} names no file; expected sqlite:PATH`)
    return { kind: "sqlite", path }
  }
  if (text.startsWith("postgres://") || text.startsWith("postgresql://")) {
    try {
      new URL(text)
    } catch {
      throw new UsageError(`--db ${redact(text)} is not a valid postgres URL`)
    }
    return { kind: "postgres", url: text }
  }
  throw new UsageError(`--db ${redact(text)} is not a store; expected sqlite:PATH or postgres://...`)
}

/** The store for this run: `--db`, else a non-empty `DATABASE_URL`, else the default file. @category constructors */
export const resolveStoreSpec = (
  option: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): StoreSpec => {
  if (option !== undefined) return parseStoreSpec(option)
  const url = env.DATABASE_URL
  if (url !== undefined && url !== "") return parseStoreSpec(url)
  return defaultStore
}

/** Text with any URL password replaced by `***`, for messages. @category getters */
export const redact = (text: string): string => {
  try {
    const u = new URL(text)
    if (u.password !== "") u.password = "***"
    return u.protocol === "sqlite:" ? text : u.toString()
  } catch {
    return text.replace(/\/\/[^@/]*@/, "//***@")
  }
}

/** How a store is named in messages: `sqlite:PATH` or the URL without its password. @category getters */
export const describeStore = (spec: StoreSpec): string =>
  spec.kind === "sqlite" ? `sqlite:${spec.path}` : redact(spec.url)
