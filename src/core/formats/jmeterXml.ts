import { InputError, quote } from '../errors';
import { LatencyHistogram } from '../histograms/latencyHistogram';
import { fromHistogram, type Series } from '../series';
import { MAX_LATENCY_MS, MAX_LINE_BYTES, readLines } from './lines';
import type { ByteSource, ReadOptions, Reader } from './reader';
import { SeriesLimit } from './seriesLimit';

/**
 * JMeter JTL in XML (`jmeter.save.saveservice.output_format=xml`):
 *   <testResults version="1.2">
 *     <httpSample t="494" lt="473" ts="1309735429539" s="true" lb="Home Page" rc="200" …>
 *       <httpSample t="120" … lb="http://host/style.css"/>      (a sub-result: redirect, embedded resource)
 *     </httpSample>
 *     <sample t="14256" … lb="Checkout" rm="Number of samples in transaction : 3, …">  (a transaction controller)
 *       <httpSample … lb="/cart"/> …
 *     </sample>
 *   </testResults>
 *
 * Streamed line by line; only the `<httpSample>` and `<sample>` tags are parsed (a start tag may
 * span lines; every other element, such as responseData or assertionResult, is skipped), their
 * attribute values entity-decoded (&amp; &lt; &gt; &quot; &apos; &#N; &#xH;).
 *
 * One series per label (`lb`): `t` (elapsed, ms) into a histogram (within 0.1% of nearest rank,
 * `exact: false`), `s="false"` → errors (no `s` anywhere → errors null), duration and start from
 * `ts` (epoch ms) as in the CSV reader: max(ts + t) − min(ts). A sample without `t` (JMeter's own
 * test files strip timings) is counted, with no latency.
 *
 * Nesting: an element inside another is a sub-sample of it (a sub-result of a sampler, or a child
 * of a transaction controller with "Generate parent sample"): its series has `parent` = the
 * enclosing element's series name, and it is never counted in the parent's numbers (the parent's
 * own `t` already spans it). A child label that also occurs at the top level or under another
 * parent is named `<parent> › <label>`, so the same URL under two pages stays two series.
 * A missing `</testResults>` is allowed (a test still running); an unclosed or stray sample tag is
 * an InputError at its line.
 */

const TAG = /<(\/?)(httpSample|sample)(?=[\s/>])([^>]*?)(\/?)>/g;
const OPEN_START = /<(httpSample|sample)(?=[\s/>]|$)[^>]*$/;
const ATTR = /([A-Za-z_:][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/g;

interface Stats {
  label: string;
  parent: string | undefined;
  h: LatencyHistogram;
  count: number;
  errors: number;
  start: number;
  end: number;
}

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
    }
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e]!;
  });
}

function attributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(ATTR)) out.set(m[1]!, decodeEntities(m[3] ?? m[4] ?? ''));
  return out;
}

export const jmeterXmlReader: Reader = {
  id: 'jmeter-xml',
  detect(head: string): boolean {
    const t = head.trimStart();
    return (/^<\?xml[^>]*>\s*(<!--[\s\S]*?-->\s*)*<testResults\b/.test(t) || /^<testResults\b/.test(t));
  },

  async read(source: ByteSource, options: ReadOptions): Promise<Series[]> {
    const file = options.fileName;
    const limit = SeriesLimit.of(options);
    const stats = new Map<string, Stats>();
    // Open samples: their label and the key of their series.
    const stack: Array<{ label: string; key: string; line: number }> = [];
    let sawSuccess = false;
    let sawRoot = false;
    let pending = '';
    let pendingLine = 0;

    const sample = (attrText: string, no: number): string => {
      const a = attributes(attrText);
      const label = a.get('lb');
      if (label === undefined) throw new InputError(file, 'a sample has no label (lb attribute)', no);
      const parent = stack.at(-1);
      const key = `${parent?.key ?? ''}\u0000${label}`;
      let st = stats.get(key);
      if (!st) {
        if (!limit.admits(stats.size, key)) return key;
        st = { label, parent: parent?.key, h: LatencyHistogram.create(), count: 0, errors: 0, start: Infinity, end: -Infinity };
        stats.set(key, st);
      }
      st.count++;
      const s = a.get('s');
      if (s !== undefined) {
        sawSuccess = true;
        if (s !== 'true' && s !== 'false') throw new InputError(file, `s (success) is not true or false: ${quote(s)}`, no);
        if (s === 'false') st.errors++;
      }
      const t = a.get('t');
      if (t !== undefined) {
        if (!/^\d+(\.\d+)?$/.test(t)) throw new InputError(file, `t (elapsed) is not a number of ms: ${quote(t)}`, no);
        const ms = Number(t);
        if (ms > MAX_LATENCY_MS) throw new InputError(file, `t (elapsed) ${t} out of range`, no);
        st.h.recordMs(ms);
        const ts = a.get('ts');
        if (ts !== undefined) {
          if (!/^\d+$/.test(ts)) throw new InputError(file, `ts (timestamp) is not epoch milliseconds: ${quote(ts)}`, no);
          const at = Number(ts);
          if (at < st.start) st.start = at;
          if (at + ms > st.end) st.end = at + ms;
        }
      }
      return key;
    };

    const scan = (text: string, no: number) => {
      if (!sawRoot && /<testResults\b/.test(text)) sawRoot = true;
      for (const m of text.matchAll(TAG)) {
        const [, close, , attrText, selfClosing] = m;
        if (close) {
          const top = stack.pop();
          if (!top) throw new InputError(file, `</${m[2]}> closes no open sample`, no);
          continue;
        }
        const key = sample(attrText!, no);
        if (!selfClosing) stack.push({ label: stats.get(key)?.label ?? '', key, line: no });
      }
    };

    for await (const { text, no } of readLines(source, file, options.signal)) {
      if (pending !== '') {
        pending += `\n${text}`;
        if (pending.length > MAX_LINE_BYTES) throw new InputError(file, 'a sample tag is not closed with ">"', pendingLine);
        if (!OPEN_START.test(pending)) {
          const rec = pending;
          pending = '';
          scan(rec, pendingLine);
        }
        continue;
      }
      if (OPEN_START.test(text)) {
        // A start tag whose attributes go on on the next lines.
        pending = text;
        pendingLine = no;
        continue;
      }
      scan(text, no);
    }
    if (pending !== '') throw new InputError(file, 'a sample tag is not closed with ">" (truncated file?)', pendingLine);
    if (stack.length > 0) {
      const open = stack.at(-1)!;
      throw new InputError(file, `sample ${quote(open.label)} is not closed (truncated file?)`, open.line);
    }
    if (!sawRoot) throw new InputError(file, 'not a JMeter XML JTL: no <testResults>');
    if (stats.size === 0) throw new InputError(file, 'no samples in JMeter XML JTL');

    // A child label seen under more than one parent (or also at the top level) is qualified.
    const parentsOf = new Map<string, Set<string>>();
    for (const st of stats.values()) {
      const set = parentsOf.get(st.label) ?? new Set<string>();
      set.add(st.parent ?? '');
      parentsOf.set(st.label, set);
    }
    const nameOf = new Map<string, string>();
    const name = (key: string): string => {
      const known = nameOf.get(key);
      if (known !== undefined) return known;
      const st = stats.get(key)!;
      const n = st.parent !== undefined && parentsOf.get(st.label)!.size > 1 ? `${name(st.parent)} › ${st.label}` : st.label;
      nameOf.set(key, n);
      return n;
    };
    const out: Series[] = [];
    for (const [key, st] of stats) {
      const span = st.end - st.start;
      const parent = st.parent !== undefined && stats.has(st.parent) ? name(st.parent) : undefined;
      out.push(
        fromHistogram({
          name: name(key),
          ...(parent !== undefined ? { parent } : {}),
          format: 'jmeter-xml',
          source: file,
          count: st.count,
          errors: sawSuccess ? st.errors : null,
          durationSec: Number.isFinite(span) && span > 0 ? span / 1000 : null,
          histogram: st.h,
          startedAt: Number.isFinite(st.start) ? st.start : null,
        }),
      );
    }
    limit.report(options);
    return out;
  },
};
