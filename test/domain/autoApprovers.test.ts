import { Result, Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  approves,
  isPolicyError,
  PolicyError,
  PolicySchema,
  validatePolicy,
} from "../../src/domain/autoApprovers.js"
import type { Node } from "../../src/domain/Node.js"
import type { Policy } from "../../src/domain/Policy.js"
import { Prefix, parsePrefix, parsePrefixUnsafe } from "../../src/domain/Prefix.js"
import { node } from "../support/builders.js"

/** A node of `user` with `tags`, named after both. */
const owner = (user: string, tags: ReadonlyArray<string> = []): Node =>
  node(`${user}${tags.join(",")}`, { user, tags, createdAt: 0 })

const policy: Policy = {
  groups: { "group:eng": ["bob@", "carol@example.com"], "group:empty": [] },
  autoApprovers: {
    routes: {
      "10.0.0.0/8": ["alice@"],
      "192.168.1.0/24": ["carol@example.com"],
      "172.16.0.0/12": ["group:eng"],
      "100.64.5.0/24": ["tag:router"],
      "10.20.0.0/16": ["dave@"],
      "2001:db8::/32": ["alice@"],
      "fd00:1::/64": ["tag:router"],
    },
    exitNode: ["erin@", "group:eng", "tag:exit"],
  },
}

const alice = owner("alice@")
const bob = owner("bob@")
const carol = owner("carol@example.com")
const dave = owner("dave@")
const erin = owner("erin@")
const router = owner("alice@", ["tag:router"])
const exitTagged = owner("mallory@", ["tag:exit"])

describe("approves", () => {
  // [why, policy, node, prefix, expected]
  const table: ReadonlyArray<readonly [string, Policy, Node, string, boolean]> = [
    ["user approver, equal entry", policy, alice, "10.0.0.0/8", true],
    ["user approver, more specific route inside the entry", policy, alice, "10.1.2.0/24", true],
    ["user approver, host route inside the entry", policy, alice, "10.255.255.255/32", true],
    ["user approver does not approve another user", policy, bob, "10.0.0.0/8", false],
    ["user@domain approver", policy, carol, "192.168.1.0/24", true],
    ["user@domain approver, more specific", policy, carol, "192.168.1.128/25", true],
    ["user@domain does not match the bare user", policy, owner("carol@"), "192.168.1.0/24", false],
    ["group member approved", policy, bob, "172.16.0.0/12", true],
    ["other group member approved", policy, carol, "172.20.0.0/16", true],
    ["non-member not approved by group", policy, alice, "172.16.0.0/12", false],
    ["tag approver approves a node with the tag", policy, router, "100.64.5.0/24", true],
    ["tag approver approves IPv6 inside its entry", policy, router, "fd00:1::/80", true],
    ["tag approver does not approve an untagged node", policy, alice, "100.64.5.0/24", false],
    ["nested entries: inner entry's approver", policy, dave, "10.20.1.0/24", true],
    ["nested entries: outer entry's approver still applies", policy, alice, "10.20.1.0/24", true],
    ["nested entries: inner approver outside the inner entry", policy, dave, "10.21.0.0/16", false],
    ["less specific route not approved by a more specific entry", policy, carol, "192.168.0.0/16", false],
    ["no aggregation: /8 is not inside the /16 entry", policy, dave, "10.0.0.0/8", false],
    ["sibling outside the entry", policy, alice, "11.0.0.0/8", false],
    ["family mismatch: IPv4 entry does not approve IPv6", policy, alice, "::ffff:10.0.0.0/104", false],
    [
      "family mismatch: IPv6 entry does not approve IPv4 with the same bits",
      { autoApprovers: { routes: { "::/8": ["alice@"] } } },
      alice,
      "0.0.0.0/16",
      false,
    ],
    [
      "family mismatch: IPv4 entry does not approve IPv6 with the same bits",
      { autoApprovers: { routes: { "0.0.0.0/8": ["alice@"] } } },
      alice,
      "::/16",
      false,
    ],
    ["IPv6 user entry", policy, alice, "2001:db8:1::/48", true],
    ["IPv6 outside entry", policy, alice, "2001:db9::/32", false],
    ["exitNode by user, IPv4 half", policy, erin, "0.0.0.0/0", true],
    ["exitNode by user, IPv6 half", policy, erin, "::/0", true],
    ["exitNode by group", policy, bob, "0.0.0.0/0", true],
    ["exitNode by tag", policy, exitTagged, "::/0", true],
    ["exitNode: routes approvers don't approve the exit pair", policy, alice, "0.0.0.0/0", false],
    ["exitNode approver does not approve subnets", policy, erin, "10.0.0.0/8", false],
    ["empty policy approves no subnet", {}, alice, "10.0.0.0/8", false],
    ["empty policy approves no exit route", {}, alice, "0.0.0.0/0", false],
    ["empty autoApprovers approves nothing", { autoApprovers: {} }, alice, "::/0", false],
    ["empty group approves nobody", { autoApprovers: { exitNode: ["group:empty"] } }, alice, "::/0", false],
  ]
  it.each(table)("%s", (_why, pol, n, prefix, expected) => {
    expect(approves(pol, n, parsePrefixUnsafe(prefix))).toBe(expected)
  })

  it("regression: tagged node is not approved by its owner's user or group approver", () => {
    const owned: Policy = {
      groups: { "group:eng": ["alice@"] },
      autoApprovers: { routes: { "10.0.0.0/8": ["alice@", "group:eng"] }, exitNode: ["alice@", "group:eng"] },
    }
    const tagged = owner("alice@", ["tag:server"])
    expect(
      ["10.0.0.0/8", "10.1.0.0/16", "0.0.0.0/0", "::/0"].map((p) =>
        approves(owned, tagged, parsePrefixUnsafe(p)),
      ),
    ).toEqual([false, false, false, false])
    expect(approves(owned, owner("alice@"), parsePrefixUnsafe("10.1.0.0/16"))).toBe(true)
  })

  it("regression: 0.0.0.0/0 under routes approves IPv4 subnets but not the exit pair", () => {
    const all: Policy = { autoApprovers: { routes: { "0.0.0.0/0": ["alice@"] } } }
    expect(
      ["1.2.3.4/32", "10.0.0.0/8", "128.0.0.0/1", "0.0.0.0/1", "0.0.0.0/0", "::/0", "2001:db8::/32"].map(
        (p) => approves(all, alice, parsePrefixUnsafe(p)),
      ),
    ).toEqual([true, true, true, true, false, false, false])
  })

  it("regression: ::/0 under routes approves IPv6 subnets but not the exit pair", () => {
    const all: Policy = { autoApprovers: { routes: { "::/0": ["tag:r"] } } }
    const r = owner("x@", ["tag:r"])
    expect(
      ["2001:db8::/32", "::/1", "8000::/1", "::1/128", "::/0", "0.0.0.0/0", "10.0.0.0/8"].map((p) =>
        approves(all, r, parsePrefixUnsafe(p)),
      ),
    ).toEqual([true, true, true, true, false, false, false])
  })

  it("a node with several tags matches any of them", () => {
    const pol: Policy = { autoApprovers: { routes: { "10.0.0.0/8": ["tag:b"] } } }
    expect(approves(pol, owner("x@", ["tag:a", "tag:b"]), parsePrefixUnsafe("10.0.0.0/8"))).toBe(true)
  })

  it("an unvalidated policy with a malformed key skips that key instead of throwing", () => {
    const pol: Policy = {
      autoApprovers: { routes: { "10.0.0.1/8": ["alice@"], nonsense: ["alice@"], "11.0.0.0/8": ["alice@"] } },
    }
    expect(["10.0.0.0/8", "11.0.0.0/8"].map((p) => approves(pol, alice, parsePrefixUnsafe(p)))).toEqual([
      false,
      true,
    ])
  })
})

// ---- property: agrees with a brute-force BigInt reference ----

interface GenEntry {
  readonly family: 4 | 6
  readonly addr: bigint
  readonly length: number
}

const bitsOf = (f: 4 | 6) => (f === 4 ? 32 : 128)
const mask = (f: 4 | 6, addr: bigint, length: number): bigint => {
  const hostBits = BigInt(bitsOf(f) - length)
  return (addr >> hostBits) << hostBits
}
const toPrefix = (e: GenEntry): Prefix => {
  if (e.family === 4) return Prefix.makeUnsafe(4, e.length, Number(e.addr))
  const w = (i: number) => Number((e.addr >> BigInt(96 - 32 * i)) & 0xffffffffn)
  return Prefix.makeUnsafe(6, e.length, w(0), w(1), w(2), w(3))
}

// A few seeds per family, with occasional flipped bits, so entries and routes overlap often.
const seeds4 = [0x0a000000n, 0x0a140000n, 0xc0a80100n, 0xffffffffn]
const seeds6 = [0x20010db8n << 96n, (0x20010db8n << 96n) | (1n << 80n), 0xfd7a115cn << 96n, (1n << 128n) - 1n]
const genPrefix: fc.Arbitrary<GenEntry> = fc
  .tuple(fc.constantFrom<4 | 6>(4, 6), fc.nat(3), fc.nat(128), fc.option(fc.nat(127), { freq: 3 }))
  .map(([family, seed, len, flip]) => {
    const bits = bitsOf(family)
    const length = len % (bits + 1)
    let addr = family === 4 ? seeds4[seed]! : seeds6[seed]!
    if (flip !== null) addr ^= 1n << BigInt(flip % bits)
    return { family, addr: mask(family, addr, length), length }
  })

const users = ["alice@", "bob@", "carol@example.com"]
const tags = ["tag:a", "tag:b"]
const groupNames = ["group:x", "group:y"]
const genApprovers = fc.array(fc.constantFrom(...users, ...tags, ...groupNames), { maxLength: 3 })

interface GenPolicy {
  readonly policy: Policy
  readonly entries: ReadonlyArray<readonly [GenEntry, ReadonlyArray<string>]>
}

const genPolicy: fc.Arbitrary<GenPolicy> = fc
  .record({
    groups: fc.record({ "group:x": fc.subarray(users), "group:y": fc.subarray(users) }),
    routes: fc.array(fc.tuple(genPrefix, genApprovers), { maxLength: 12 }),
    exitNode: genApprovers,
  })
  .map(({ groups, routes, exitNode }) => {
    // Last write wins per key, as in the policy object.
    const byKey = new Map<string, readonly [GenEntry, ReadonlyArray<string>]>()
    for (const [e, a] of routes) byKey.set(toPrefix(e).text, [e, a])
    const entries = [...byKey.values()]
    return {
      policy: {
        groups,
        autoApprovers: { routes: Object.fromEntries([...byKey].map(([k, [, a]]) => [k, a])), exitNode },
      },
      entries,
    }
  })

const genNode = fc
  .tuple(fc.constantFrom(...users), fc.oneof(fc.constant([]), fc.subarray(tags)))
  .map(([u, t]) => owner(u, t))

const refMatches = (pol: Policy, approvers: ReadonlyArray<string>, n: Node): boolean =>
  approvers.some((a) => {
    if (n.tags.length > 0) return a.startsWith("tag:") && n.tags.includes(a)
    if (a.startsWith("group:")) return (pol.groups?.[a] ?? []).includes(n.user)
    return !a.startsWith("tag:") && a === n.user
  })

const reference = (g: GenPolicy, n: Node, p: GenEntry): boolean => {
  if (p.length === 0) return refMatches(g.policy, g.policy.autoApprovers?.exitNode ?? [], n)
  return g.entries.some(
    ([e, a]) =>
      e.family === p.family &&
      e.length <= p.length &&
      mask(p.family, p.addr, e.length) === e.addr &&
      refMatches(g.policy, a, n),
  )
}

describe("approves (property)", () => {
  it("agrees with a brute-force reference on random policies, nodes and prefixes", () => {
    fc.assert(
      fc.property(
        genPolicy,
        fc.array(fc.tuple(genNode, genPrefix), { minLength: 1, maxLength: 20 }),
        (g, cases) => {
          for (const [n, p] of cases) expect(approves(g.policy, n, toPrefix(p))).toBe(reference(g, n, p))
        },
      ),
      { numRuns: 500 },
    )
  })

  it("generated policies are valid and validation keeps their meaning", () => {
    fc.assert(
      fc.property(genPolicy, genNode, genPrefix, (g, n, p) => {
        const v = validatePolicy(g.policy)
        expect(v).toEqual(Result.succeed(g.policy))
        if (Result.isSuccess(v)) expect(approves(v.success, n, toPrefix(p))).toBe(reference(g, n, p))
      }),
      { numRuns: 300 },
    )
  })
})

// ---- validation ----

const parseFailure = (text: string): string => {
  const r = parsePrefix(text)
  return Result.isFailure(r) ? r.failure.message : "parsed"
}

const fail = (path: string, input: unknown, reason: string) =>
  Result.fail(new PolicyError({ path, input, reason }))

describe("validatePolicy", () => {
  it("accepts a full policy and drops unknown keys at every level", () => {
    expect(
      validatePolicy({
        acls: [{ action: "accept" }],
        tagOwners: { "tag:r": ["alice@"] },
        groups: { "group:eng": ["bob@"] },
        autoApprovers: {
          routes: { "10.0.0.0/8": ["group:eng", "tag:r"] },
          exitNode: ["alice@"],
          services: {},
        },
      }),
    ).toEqual(
      Result.succeed({
        groups: { "group:eng": ["bob@"] },
        autoApprovers: { routes: { "10.0.0.0/8": ["group:eng", "tag:r"] }, exitNode: ["alice@"] },
      }),
    )
  })

  it("accepts the empty policy", () => {
    expect(validatePolicy({})).toEqual(Result.succeed({}))
  })

  const why = "is not an approver; expected user@, user@domain, group:name or tag:name"
  const table: ReadonlyArray<readonly [string, unknown, Result.Result<Policy, PolicyError>]> = [
    [
      "route key with host bits",
      { autoApprovers: { routes: { "10.0.0.1/24": ["alice@"] } } },
      fail(
        'autoApprovers.routes["10.0.0.1/24"]',
        "10.0.0.1/24",
        "10.0.0.1/24 has non-address bits set; expected 10.0.0.0/24",
      ),
    ],
    [
      "IPv6 route key with host bits",
      { autoApprovers: { routes: { "2001:db8::1/32": ["alice@"] } } },
      fail(
        'autoApprovers.routes["2001:db8::1/32"]',
        "2001:db8::1/32",
        "2001:db8::1/32 has non-address bits set; expected 2001:db8::/32",
      ),
    ],
    [
      "route key that is no prefix carries the parser's message",
      { autoApprovers: { routes: { "10.0.0.0": ["alice@"] } } },
      fail('autoApprovers.routes["10.0.0.0"]', "10.0.0.0", parseFailure("10.0.0.0")),
    ],
    [
      "bare user name without @",
      { autoApprovers: { routes: { "10.0.0.0/8": ["alice@", "bob"] } } },
      fail('autoApprovers.routes["10.0.0.0/8"][1]', "bob", `"bob" ${why}`),
    ],
    [
      "empty approver",
      { autoApprovers: { exitNode: [""] } },
      fail("autoApprovers.exitNode[0]", "", `"" ${why}`),
    ],
    [
      "tag without a name",
      { autoApprovers: { exitNode: ["tag:"] } },
      fail("autoApprovers.exitNode[0]", "tag:", `"tag:" ${why}`),
    ],
    [
      "autogroup is not an approver here",
      { autoApprovers: { exitNode: ["autogroup:member"] } },
      fail("autoApprovers.exitNode[0]", "autogroup:member", `"autogroup:member" ${why}`),
    ],
    [
      "undefined group under routes",
      { autoApprovers: { routes: { "10.0.0.0/8": ["group:ops"] } } },
      fail('autoApprovers.routes["10.0.0.0/8"][0]', "group:ops", "group:ops is not defined in groups"),
    ],
    [
      "undefined group under exitNode",
      { groups: { "group:eng": [] }, autoApprovers: { exitNode: ["group:ops"] } },
      fail("autoApprovers.exitNode[0]", "group:ops", "group:ops is not defined in groups"),
    ],
    [
      "group name without the group: prefix",
      { groups: { eng: ["bob@"] } },
      fail("groups.eng", "eng", '"eng" is not a group name; expected group:name'),
    ],
    [
      "group member that is not a user",
      { groups: { "group:eng": ["bob@", "tag:x"] } },
      fail('groups["group:eng"][1]', "tag:x", '"tag:x" is not a user; expected user@ or user@domain'),
    ],
    ["not an object", [], fail("", [], "Expected object")],
    ["null", null, fail("", null, "Expected object")],
    [
      "exitNode not an array",
      { autoApprovers: { exitNode: "alice@" } },
      fail("autoApprovers.exitNode", "alice@", "Expected array"),
    ],
    [
      "approver not a string",
      { autoApprovers: { routes: { "10.0.0.0/8": ["alice@", 7] } } },
      fail('autoApprovers.routes["10.0.0.0/8"][1]', 7, "Expected string"),
    ],
    [
      "first error in document order: groups before routes before exitNode",
      { groups: { "group:a": ["x"] }, autoApprovers: { routes: { "1.1.1.1/8": [] }, exitNode: ["?"] } },
      fail('groups["group:a"][0]', "x", '"x" is not a user; expected user@ or user@domain'),
    ],
  ]
  it.each(table)("%s", (_why, input, expected) => {
    expect(validatePolicy(input)).toEqual(expected)
  })

  it("the error message names the offending entry", () => {
    const r = validatePolicy({ autoApprovers: { routes: { "10.0.0.1/24": ["alice@"] } } })
    expect(Result.isFailure(r) && [isPolicyError(r.failure), r.failure.message]).toEqual([
      true,
      'autoApprovers.routes["10.0.0.1/24"]: 10.0.0.1/24 has non-address bits set; expected 10.0.0.0/24',
    ])
  })

  it("isPolicyError rejects other values", () => {
    expect([
      isPolicyError(new Error("x")),
      isPolicyError({ _tag: "PolicyError" }),
      isPolicyError(null),
    ]).toEqual([false, false, false])
  })
})

describe("PolicySchema", () => {
  it("decodes a valid policy and rejects an invalid one with the validation message", () => {
    const decodeUnknownResult = Schema.decodeUnknownResult(PolicySchema)
    const ok = decodeUnknownResult({ autoApprovers: { exitNode: ["alice@"] }, acls: [] })
    const bad = decodeUnknownResult({ autoApprovers: { routes: { "10.0.0.1/24": [] } } })
    expect([ok, Result.isFailure(bad) && bad.failure.message]).toEqual([
      Result.succeed({ autoApprovers: { exitNode: ["alice@"] } }),
      'autoApprovers.routes["10.0.0.1/24"]: 10.0.0.1/24 has non-address bits set; expected 10.0.0.0/24',
    ])
  })
})
