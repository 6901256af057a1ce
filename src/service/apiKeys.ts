/**
 * API keys: `trk_<lookup>_<secret>`. The store keeps the lookup part and a
 * scrypt hash of the secret under a random salt; a presented key is found by
 * its lookup part and its hash compared in constant time. scrypt is slow on
 * purpose, so a key verified once is remembered (by a SHA-256 of the whole
 * key, matched against the stored hash it verified): the next request costs
 * a hash, and at most one store read a second, so `apikeys expire` takes
 * effect within a second.
 */
import { createHash, randomBytes, scryptSync, timingSafeEqual } from "node:crypto"
import { Effect } from "effect"
import { type ApiKeyRecord, ApiKeyStore } from "../ports/ApiKeyStore.js"
import type { StorageError } from "../ports/RouteRepository.js"

const keyPattern = /^trk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/
const hashBytes = 32

const hashSecret = (secret: string, salt: string): string =>
  scryptSync(secret, Buffer.from(salt, "hex"), hashBytes).toString("hex")

/** A new key (printed once) and the record the store keeps of it. @category constructors */
export const newApiKey = (
  now: number,
  expiresAt: number | null,
): { readonly key: string; readonly record: ApiKeyRecord } => {
  const lookup = randomBytes(6).toString("hex")
  const secret = randomBytes(32).toString("base64url")
  const salt = randomBytes(16).toString("hex")
  return {
    key: `trk_${lookup}_${secret}`,
    record: { prefix: `trk_${lookup}`, salt, hash: hashSecret(secret, salt), createdAt: now, expiresAt },
  }
}

/** Creates a key in the store; the key itself exists only in the result. @category constructors */
export const createApiKey = (
  now: number,
  expiresAt: number | null,
): Effect.Effect<{ readonly key: string; readonly record: ApiKeyRecord }, StorageError, ApiKeyStore> =>
  Effect.flatMap(ApiKeyStore, (store) => {
    const made = newApiKey(now, expiresAt)
    return Effect.as(store.insert(made.record), made)
  })

/** Why a key was refused (for the 401's detail). @category models */
export type KeyRefusal = "missing" | "malformed" | "unknown" | "expired"

/** A checker of presented keys with its memory of keys verified before. @category models */
export interface KeyChecker {
  readonly check: (presented: string, now: number) => Effect.Effect<KeyRefusal | ApiKeyRecord, StorageError>
}

const sameHex = (a: string, b: string): boolean => {
  const x = Buffer.from(a, "hex")
  const y = Buffer.from(b, "hex")
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * A checker over `store`. A record read from the store is reused for
 * `freshMs` (default 1 s; one store read per key per second under load), so
 * `apikeys expire` from another process takes effect within that.
 *
 * @category constructors
 */
export const makeKeyChecker = (
  store: ApiKeyStore["Service"],
  options: { readonly freshMs?: number; readonly remember?: number } = {},
): KeyChecker => {
  const freshMs = options.freshMs ?? 1_000
  const remember = options.remember ?? 10_000
  // SHA-256 of a verified key → the stored hash it matched.
  const verified = new Map<string, string>()
  // Lookup prefix → the record as last read, and when.
  const records = new Map<string, { readonly record: ApiKeyRecord; readonly at: number }>()
  const judge = (presented: string, secret: string, record: ApiKeyRecord | undefined, now: number) => {
    if (record === undefined) return "unknown" as const
    const digest = createHash("sha256").update(presented).digest("hex")
    const known = verified.get(digest)
    const ok =
      known !== undefined
        ? sameHex(known, record.hash)
        : sameHex(hashSecret(secret, record.salt), record.hash)
    if (!ok) return "unknown" as const
    if (known === undefined) {
      if (verified.size >= remember) verified.clear()
      verified.set(digest, record.hash)
    }
    if (record.expiresAt !== null && record.expiresAt <= now) return "expired" as const
    return record
  }
  return {
    check: (presented, now) =>
      Effect.suspend(() => {
        if (presented === "") return Effect.succeed<KeyRefusal>("missing")
        const m = keyPattern.exec(presented)
        if (m === null) return Effect.succeed<KeyRefusal>("malformed")
        const prefix = `trk_${m[1]}`
        const cached = records.get(prefix)
        if (cached !== undefined && now - cached.at < freshMs) {
          return Effect.succeed(judge(presented, m[2]!, cached.record, now))
        }
        return Effect.map(store.find(prefix), (record): KeyRefusal | ApiKeyRecord => {
          if (record !== undefined) {
            if (records.size >= remember) records.clear()
            records.set(prefix, { record, at: now })
          } else records.delete(prefix)
          return judge(presented, m[2]!, record, now)
        })
      }),
  }
}
