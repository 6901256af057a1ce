/**
 * Random inputs for the codec agreement properties: values that look like the
 * wire shapes, then sometimes broken one way (a key dropped, set to garbage or
 * to `undefined`, an extra key, the whole value swapped for a non-object or an
 * exotic object). Each field draws mostly valid values so that accepts and
 * rejects both happen often; the properties check that they do.
 */
import fc from "fast-check"
import { anyPrefix } from "../domain/prefixArbitraries.js"

type Rec = Record<string, unknown>

/** Values that are wrong for almost every field, or right in a surprising way. */
export const garbage: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  undefined,
  null,
  "",
  "x",
  0,
  -0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 53,
  true,
  false,
  [],
  {},
  ["tag:a"],
  "tag:",
  "tag:a b",
  "10.0.0.0/8",
  new Date(0),
)

/** Mostly `valid`, sometimes one of `invalid`, sometimes garbage. */
const mostly = <A>(valid: fc.Arbitrary<A>, ...invalid: ReadonlyArray<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 80, arbitrary: valid as fc.Arbitrary<unknown> },
    ...(invalid.length > 0 ? [{ weight: 1, arbitrary: fc.constantFrom(...invalid) }] : []),
    { weight: 1, arbitrary: garbage },
  )

/** Non-empty strings, sometimes the empty one. */
export const idish: fc.Arbitrary<unknown> = mostly(fc.string({ minLength: 1, maxLength: 6 }), "")

/** Epoch milliseconds, or near misses. */
export const epochish: fc.Arbitrary<unknown> = mostly(
  fc.nat({ max: 4_000_000_000_000 }),
  -1,
  0.5,
  2 ** 53,
  "5",
  Number.MAX_SAFE_INTEGER,
)

const nullableEpochish: fc.Arbitrary<unknown> = fc.oneof(fc.constant(null), epochish)

const boolish: fc.Arbitrary<unknown> = mostly(fc.boolean(), "true", 0)

const tagish: fc.Arbitrary<unknown> = mostly(
  fc.constantFrom("tag:a", "tag:router", "tag:exit-1", "tag:ü"),
  "tag:",
  "tag: x",
  "router",
  "TAG:a",
  "tag:x\n",
)

/** Prefix text: canonical, non-canonical spellings, host bits set, broken, or not a string. */
export const prefixish: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: anyPrefix.map((p) => p.text) },
  { weight: 2, arbitrary: fc.tuple(fc.ipV4(), fc.nat(32)).map(([a, l]) => `${a}/${l}`) },
  { weight: 2, arbitrary: fc.tuple(fc.ipV6(), fc.nat(128)).map(([a, l]) => `${a}/${l}`) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(anyPrefix, fc.nat(), fc.constantFrom("", "0", ":", "/", " ", "%", "1"))
      .map(([p, i, c]) => {
        const at = i % (p.text.length + 1)
        return p.text.slice(0, at) + c + p.text.slice(at + (c === "" ? 1 : 0))
      }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "",
      "10.0.0.0",
      "10.0.0.0/08",
      "010.0.0.0/8",
      "fe80::%eth0/64",
      " 10.0.0.0/8",
      "10.0.0.0/33",
      "::/129",
      "::ffff:10.0.0.0/104",
      "1.2.3.4/32",
      "10.0.0.1/24",
      "FD7A:115C::/32",
    ),
  },
  { weight: 1, arbitrary: garbage },
)

/**
 * Breaks a record one way, or not at all (most often). Some breaks keep it
 * valid for both decoders: an extra key, a null-prototype copy, a Date or a
 * class instance carrying the fields, fields inherited from a prototype.
 */
export const mutated = (base: fc.Arbitrary<Rec>): fc.Arbitrary<unknown> =>
  fc.tuple(base, fc.nat(), garbage, fc.nat(11)).map(([v, i, g, op]): unknown => {
    const keys = Object.keys(v)
    const key = keys.length > 0 ? keys[i % keys.length]! : "id"
    switch (op) {
      case 0: {
        const { [key]: _dropped, ...rest } = v
        return rest
      }
      case 1:
        return { ...v, [key]: g }
      case 2:
        return { ...v, [key]: undefined }
      case 3:
        return { ...v, extra: g }
      case 4:
        return g
      case 5:
        return Object.assign(Object.create(null) as Rec, v)
      case 6:
        return Object.assign(new Date(0), v)
      case 7:
        return Object.create(v) as unknown
      case 8:
        return Object.assign([], v)
      default:
        return v
    }
  })

const presenceish: fc.Arbitrary<unknown> = mutated(
  fc.record({
    sessions: mostly(fc.nat(3), -1, 1.5),
    replicas: mostly(
      fc.dictionary(fc.constantFrom("", "a", "b"), fc.integer({ min: 1, max: 3 }), { noNullPrototype: true }),
      { a: 0 },
      [1],
    ),
    connectedAt: nullableEpochish,
    lastSeen: nullableEpochish,
    disconnectedAt: nullableEpochish,
  }),
)

/** Node records. */
export const nodeish: fc.Arbitrary<unknown> = mutated(
  fc.record({
    id: idish,
    user: mostly(fc.constantFrom("alice@", "bob@example.com", "carol"), ""),
    tags: mostly(fc.array(tagish, { maxLength: 3 }), "tag:a", [undefined]),
    ephemeral: boolish,
    createdAt: epochish,
    expiresAt: nullableEpochish,
    presence: fc.oneof(
      { weight: 4, arbitrary: presenceish.filter((p) => p !== undefined) },
      { weight: 1, arbitrary: garbage },
    ),
    deletedAt: nullableEpochish,
  }),
)

/** Node inputs (upsertNode), optional keys present or not. */
export const nodeInputish: fc.Arbitrary<unknown> = mutated(
  fc.record(
    {
      id: idish,
      user: mostly(fc.constantFrom("alice@", "bob@example.com"), ""),
      tags: mostly(fc.array(tagish, { maxLength: 3 })),
      ephemeral: boolish,
      expiresAt: nullableEpochish,
    },
    { requiredKeys: ["id", "user"] },
  ),
)

/** Route rows, prefix as text. */
export const routeish: fc.Arbitrary<unknown> = mutated(
  fc.record({
    id: mostly(fc.integer({ min: 1, max: 1000 }), 0, -3, 2.5),
    nodeId: idish,
    prefix: prefixish,
    advertised: boolish,
    enabled: boolish,
    isPrimary: boolish,
    approvedBy: mostly(
      fc.constantFrom(null, "manual", "policy", "migration"),
      "admin",
      "",
      "toString",
      "__proto__",
    ),
    priority: mostly(fc.integer({ min: -5, max: 5 }), 0.5, Number.MAX_SAFE_INTEGER + 1),
    healthy: boolish,
    createdAt: epochish,
    updatedAt: epochish,
    deletedAt: nullableEpochish,
  }),
)

/** Hostinfo advertisements: raw elements, mostly strings (valid prefixes or not). */
export const advertisementish: fc.Arbitrary<unknown> = mutated(
  fc.record({
    nodeId: idish,
    routes: mostly(
      fc.array(
        fc.oneof(
          { weight: 20, arbitrary: prefixish.filter((p) => typeof p === "string") },
          { weight: 1, arbitrary: garbage },
        ),
        { maxLength: 4 },
      ),
    ),
  }),
)

const approverish: fc.Arbitrary<unknown> = mostly(
  fc.constantFrom("alice@", "bob@example.com", "tag:router", "group:eng"),
  "group:missing",
  "tag:",
  "bob",
  "a b@",
)

const routeKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: anyPrefix.map((p) => p.text) },
  { weight: 1, arbitrary: prefixish.filter((p): p is string => typeof p === "string") },
)

/** Policies: groups, autoApprovers routes and exitNode, with unknown keys sometimes. */
export const policyish: fc.Arbitrary<unknown> = mutated(
  fc.record(
    {
      groups: mostly(
        fc
          .dictionary(
            fc.oneof(
              { weight: 10, arbitrary: fc.constantFrom("group:ops", "group:dev") },
              { weight: 1, arbitrary: fc.constantFrom("ops", "group:", "group:a b") },
            ),
            fc.array(mostly(fc.constantFrom("alice@", "carol@example.com"), "carol", "@x"), { maxLength: 2 }),
            { maxKeys: 2 },
          )
          .map((g) => ({ "group:eng": ["bob@"], ...g })),
      ),
      autoApprovers: mutated(
        fc.record(
          {
            routes: mostly(fc.dictionary(routeKey, fc.array(approverish, { maxLength: 2 }), { maxKeys: 3 })),
            exitNode: mostly(fc.array(approverish, { maxLength: 2 })),
          },
          { requiredKeys: [] },
        ),
      ),
      acls: fc.constant([]),
    },
    { requiredKeys: [] },
  ),
)
