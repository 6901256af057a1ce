/** Headscale's stored datetimes → epoch milliseconds. */

// Go/GORM text (`2023-01-20 15:24:32.036023546+00:00`) and ISO (`…T…Z`, what the Postgres reader yields).
const pattern =
  /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/

/**
 * Epoch milliseconds of a Headscale datetime, truncated to the millisecond;
 * null for NULL, Go's zero time (year 1, Headscale's "never expires"), or text
 * that is not a datetime. A missing offset means UTC.
 *
 * @category constructors
 */
export const parseHeadscaleTime = (text: string | null): number | null => {
  if (text === null) return null
  const m = pattern.exec(text.trim())
  if (m === null) return null
  const year = Number(m[1])
  if (year <= 1) return null
  const d = new Date(0)
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  d.setUTCFullYear(year, Number(m[2]) - 1, Number(m[3]))
  d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), Number((m[7] ?? "").padEnd(3, "0").slice(0, 3)))
  let ms = d.getTime()
  const zone = m[8]
  if (zone !== undefined && zone !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1
    const digits = zone.slice(1).replace(":", "")
    const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0")
    ms -= sign * minutes * 60_000
  }
  return Number.isNaN(ms) ? null : ms
}
