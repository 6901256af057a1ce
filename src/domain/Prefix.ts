/**
 * A canonical IP prefix: the masked network address and its length.
 *
 * PLACEHOLDER SHAPE — the prefix toolkit (parsing, formatting, ordering,
 * containment) is being written in this file; the fields below are the
 * contract the rest of the domain relies on.
 *
 * @category models
 */
export class Prefix {
  /** Use `parsePrefix` / `normalisePrefix`; this constructor trusts its arguments. */
  constructor(
    /** 4 or 6. */
    readonly family: 4 | 6,
    /** Prefix length: 0–32 for IPv4, 0–128 for IPv6. */
    readonly length: number,
    /** Masked address as four big-endian unsigned 32-bit words; IPv4 uses `w0` only. */
    readonly w0: number,
    readonly w1: number,
    readonly w2: number,
    readonly w3: number,
    /** Canonical text (IPv4 dotted, IPv6 RFC 5952), e.g. `10.0.0.0/24`; the Map key everywhere. */
    readonly text: string,
  ) {}

  toString(): string {
    return this.text
  }

  toJSON(): string {
    return this.text
  }
}
