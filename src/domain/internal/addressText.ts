/**
 * Hand-written IP address text machinery for `Prefix`: strict parsers that
 * follow Go's `net/netip` (no octal, hex or short IPv4 forms; RFC 4291 IPv6
 * with embedded dotted IPv4 only in the last 32 bits) and RFC 5952
 * formatters. Hot path: no allocation while parsing, results go to a
 * module-level scratch buffer and failures are small negative codes whose
 * text is looked up only when an error is built.
 */

/** Why an address failed to parse; `addressProblem` turns a code into text. */
export const AddressCode = {
  Ok: 0,
  V4LeadingZero: -1,
  V4FieldTooBig: -2,
  V4EmptyField: -3,
  V4TooManyFields: -4,
  V4TooFewFields: -5,
  V4BadChar: -6,
  V6GroupTooLong: -7,
  V6EmptyGroup: -8,
  V6EmbeddedV4Misplaced: -9,
  V6EmbeddedV4NoRoom: -10,
  V6BadChar: -11,
  V6TrailingColon: -12,
  V6MultipleEllipsis: -13,
  V6TooManyGroups: -14,
  V6TooShort: -15,
  V6EllipsisEmpty: -16,
} as const

const problems: Record<number, string> = {
  [AddressCode.V4LeadingZero]: "IPv4 field has octet with leading zero",
  [AddressCode.V4FieldTooBig]: "IPv4 field has value >255",
  [AddressCode.V4EmptyField]: "IPv4 field must have at least one digit",
  [AddressCode.V4TooManyFields]: "IPv4 address has more than four fields",
  [AddressCode.V4TooFewFields]: "IPv4 address must have four dotted decimal fields",
  [AddressCode.V4BadChar]: "unexpected character in IPv4 address",
  [AddressCode.V6GroupTooLong]: "each IPv6 group must have 4 or fewer hex digits",
  [AddressCode.V6EmptyGroup]: "each colon-separated IPv6 group must have at least one hex digit",
  [AddressCode.V6EmbeddedV4Misplaced]: "embedded IPv4 address must replace the final 2 groups of the address",
  [AddressCode.V6EmbeddedV4NoRoom]: "too many hex groups to fit an embedded IPv4 address at the end",
  [AddressCode.V6BadChar]: "unexpected character in IPv6 address, want colon",
  [AddressCode.V6TrailingColon]: "colon must be followed by more characters",
  [AddressCode.V6MultipleEllipsis]: "multiple :: in IPv6 address",
  [AddressCode.V6TooManyGroups]: "IPv6 address has more than 8 groups",
  [AddressCode.V6TooShort]: "IPv6 address has fewer than 8 groups and no ::",
  [AddressCode.V6EllipsisEmpty]: "the :: must expand to at least one group of zeros",
}

/** Human text for a negative `AddressCode`. */
export const addressProblem = (code: number): string => problems[code] ?? "invalid address"

/** Parsed IPv6 address words (big-endian uint32), valid after `parseIPv6` returns `Ok`. */
export const words = new Float64Array(4)
const groups = new Uint16Array(8)

/** Parses dotted-quad `s[start, end)`; returns the address as a uint32 (>= 0) or a negative `AddressCode`. */
export const parseIPv4 = (s: string, start: number, end: number): number => {
  let acc = 0
  let fields = 0
  let digits = 0
  let value = 0
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i)
    if (c >= 48 && c <= 57) {
      if (digits === 1 && value === 0) return AddressCode.V4LeadingZero
      value = value * 10 + (c - 48)
      // No leading zeros, so a fourth digit always overflows: no unbounded loop on long fields.
      if (value > 255) return AddressCode.V4FieldTooBig
      digits++
    } else if (c === 46) {
      if (digits === 0) return AddressCode.V4EmptyField
      if (fields === 3) return AddressCode.V4TooManyFields
      acc = acc * 256 + value
      fields++
      digits = 0
      value = 0
    } else {
      return AddressCode.V4BadChar
    }
  }
  if (digits === 0) return AddressCode.V4EmptyField
  if (fields !== 3) return AddressCode.V4TooFewFields
  return acc * 256 + value
}

/** Parses RFC 4291 text `s[start, end)` into `words`; returns `AddressCode.Ok` or a negative code. */
export const parseIPv6 = (s: string, start: number, end: number): number => {
  let p = start
  let ellipsis = -1
  let n = 0
  if (end - p >= 2 && s.charCodeAt(p) === 58 && s.charCodeAt(p + 1) === 58) {
    ellipsis = 0
    p += 2
  }
  while (n < 8 && p < end) {
    let q = p
    let acc = 0
    for (; q < end; q++) {
      const c = s.charCodeAt(q)
      let d: number
      if (c >= 48 && c <= 57) d = c - 48
      else if (c >= 97 && c <= 102) d = c - 87
      else if (c >= 65 && c <= 70) d = c - 55
      else break
      if (q - p >= 4) return AddressCode.V6GroupTooLong
      acc = acc * 16 + d
    }
    if (q === p) return AddressCode.V6EmptyGroup
    if (q < end && s.charCodeAt(q) === 46) {
      if (ellipsis < 0 && n !== 6) return AddressCode.V6EmbeddedV4Misplaced
      if (n + 2 > 8) return AddressCode.V6EmbeddedV4NoRoom
      const v4 = parseIPv4(s, p, end)
      if (v4 < 0) return v4
      groups[n] = v4 >>> 16
      groups[n + 1] = v4 & 0xffff
      n += 2
      p = end
      break
    }
    groups[n++] = acc
    p = q
    if (p === end) break
    if (s.charCodeAt(p) !== 58) return AddressCode.V6BadChar
    if (p + 1 === end) return AddressCode.V6TrailingColon
    p++
    if (s.charCodeAt(p) === 58) {
      if (ellipsis >= 0) return AddressCode.V6MultipleEllipsis
      ellipsis = n
      p++
    }
  }
  if (p !== end) return AddressCode.V6TooManyGroups
  if (n < 8) {
    if (ellipsis < 0) return AddressCode.V6TooShort
    const gap = 8 - n
    for (let j = n - 1; j >= ellipsis; j--) groups[j + gap] = groups[j]!
    for (let j = ellipsis; j < ellipsis + gap; j++) groups[j] = 0
  } else if (ellipsis >= 0) {
    return AddressCode.V6EllipsisEmpty
  }
  words[0] = groups[0]! * 65536 + groups[1]!
  words[1] = groups[2]! * 65536 + groups[3]!
  words[2] = groups[4]! * 65536 + groups[5]!
  words[3] = groups[6]! * 65536 + groups[7]!
  return AddressCode.Ok
}

/** Dotted-quad text of a uint32. */
export const formatIPv4 = (w: number): string =>
  `${w >>> 24}.${(w >>> 16) & 255}.${(w >>> 8) & 255}.${w & 255}`

/** RFC 5952 text: lowercase, longest run (>= 2) of zero groups compressed, first on ties, `::ffff:a.b.c.d` when IPv4-mapped. */
export const formatIPv6 = (w0: number, w1: number, w2: number, w3: number): string => {
  if (w0 === 0 && w1 === 0 && w2 === 0xffff) return `::ffff:${formatIPv4(w3)}`
  groups[0] = w0 >>> 16
  groups[1] = w0 & 0xffff
  groups[2] = w1 >>> 16
  groups[3] = w1 & 0xffff
  groups[4] = w2 >>> 16
  groups[5] = w2 & 0xffff
  groups[6] = w3 >>> 16
  groups[7] = w3 & 0xffff
  let bestStart = -1
  let bestLen = 1
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLen) {
      bestStart = i
      bestLen = j - i
    }
    i = j
  }
  let out = ""
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += "::"
      i += bestLen - 1
      continue
    }
    if (out.length > 0 && out.charCodeAt(out.length - 1) !== 58) out += ":"
    out += groups[i]!.toString(16)
  }
  return out
}

/** The network mask of the top `bits` (clamped to 0–32) of a 32-bit word. */
export const maskOf = (bits: number): number =>
  bits <= 0 ? 0 : bits >= 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0
