/**
 * Timestamps as written by load tools, to epoch milliseconds:
 *  - numbers: unix seconds, ms, µs or ns, told apart by magnitude (any date after 1973);
 *  - RFC 3339 / ISO 8601 with optional fraction (any precision) and zone (none → UTC);
 *  - JMeter date formats `yyyy/MM/dd HH:mm:ss[.SSS]`, `yyyy-MM-dd HH:mm:ss[.SSS]`, `MM/dd/yy HH:mm:ss`
 *    (no zone in the file: read as UTC, which keeps spans exact).
 * Returns null for anything else.
 */
export interface ParsedTime {
  ms: number;
  /** 1000 when the value is whole seconds (too coarse for spans: callers add it), else 0. */
  resolutionMs: number;
}

export function parseTimestamp(text: string): ParsedTime | null {
  const s = text.trim();
  if (s === '') return null;
  if (/^[-+]?\d+(\.\d*)?([eE][-+]?\d+)?$/.test(s)) {
    const v = Number(s);
    if (!Number.isFinite(v)) return null;
    const a = Math.abs(v);
    const integral = Number.isInteger(v);
    if (a < 1e11) return { ms: v * 1000, resolutionMs: integral ? 1000 : 0 };
    if (a < 1e14) return { ms: v, resolutionMs: 0 };
    if (a < 1e17) return { ms: v / 1e3, resolutionMs: 0 };
    return { ms: v / 1e6, resolutionMs: 0 };
  }
  let m = /^(\d{4})[-/](\d\d)[-/](\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?\s*(Z|[+-]\d\d:?\d\d)?$/i.exec(s);
  if (m) {
    const base = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
    if (!Number.isFinite(base)) return null;
    const frac = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
    let offsetMin = 0;
    const z = m[8];
    if (z && z.toUpperCase() !== 'Z') {
      const zz = z.replace(':', '');
      offsetMin = (zz[0] === '-' ? -1 : 1) * (Number(zz.slice(1, 3)) * 60 + Number(zz.slice(3, 5)));
    }
    return { ms: base + frac - offsetMin * 60000, resolutionMs: m[7] ? 0 : 1000 };
  }
  m = /^(\d\d)\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)$/.exec(s);
  if (m) {
    return { ms: Date.UTC(2000 + +m[3]!, +m[1]! - 1, +m[2]!, +m[4]!, +m[5]!, +m[6]!), resolutionMs: 1000 };
  }
  return null;
}
