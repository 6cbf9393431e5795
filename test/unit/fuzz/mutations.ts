/**
 * Byte-level and structure-aware mutations of seed files, drawn by fast-check from a seed so a
 * case is reproducible from (seed, index). A case is a seed plus 1-4 mutations, or a document
 * fast-check builds from scratch (random bytes, random text, the seed's header + random lines),
 * or one of the few huge cases (a 10 MB single line).
 */
import fc from 'fast-check';


export type Mutation =
  | { op: 'truncate'; at: number }
  | { op: 'bitflip'; at: number; bit: number; times: number }
  | { op: 'nul'; at: number; times: number }
  | { op: 'insertBytes'; at: number; bytes: number[] }
  | { op: 'invalidUtf8'; at: number; kind: number }
  | { op: 'number'; which: number; value: string }
  | { op: 'field'; line: number; field: number; value: string }
  | { op: 'jsonValue'; path: number[]; value: unknown }
  | { op: 'encoding'; enc: 'utf16le' | 'utf16be' | 'latin1' | 'utf16le-bom' }
  | { op: 'crlf' }
  | { op: 'cr' }
  | { op: 'bom'; times: number }
  | { op: 'deleteLine'; at: number }
  | { op: 'duplicateLine'; at: number; times: number }
  | { op: 'swapLines'; a: number; b: number }
  | { op: 'insertLine'; at: number; line: string }
  | { op: 'splice'; other: number; at: number; len: number }
  | { op: 'trailingGarbage'; text: string };

export type FuzzCase =
  | { kind: 'mutate'; seed: number; chunk: number; opts: number; mutations: Mutation[] }
  | { kind: 'bytes'; seed: number; chunk: number; opts: number; bytes: number[] }
  | { kind: 'text'; seed: number; chunk: number; opts: number; text: string }
  | { kind: 'headerLines'; seed: number; chunk: number; opts: number; lines: string[] }
  | { kind: 'hugeLine'; seed: number; chunk: number; opts: number; shape: 'digits' | 'field' | 'json' | 'noNewline'; mb: number };

/** Numbers a tool never writes but a file may hold. */
const WEIRD_NUMBERS = [
  'NaN', '-NaN', 'nan', 'Infinity', '-Infinity', 'inf', '-inf', '1e309', '-1e309', '1e308', '9007199254740993', '18446744073709551616',
  '1e-400', '-0', '0', '-1', '-0.5', '0x1F', '1_000', '1,5', '.', '-', '+', '1e', '12ms', '١٢', '９', '1.7976931348623157e308', '5e-324',
  '99999999999999999999999999999999999999999999', '-99999999999999999999', '0.000000000000000000001', '', ' ', '"1"', 'null', 'true',
];
/** Any code points (lone surrogates included); fc.string's 'binary' unit costs seconds to build. */
const anyText = (maxLength: number) => fc.array(fc.integer({ min: 0, max: 0x10ffff }), { maxLength }).map((cps) => String.fromCodePoint(...cps));
/** Text of graphemes that trip naive code: combining marks, emoji with modifiers, flags, RTL override, zero-width. */
const GRAPHEMES = ['é', 'e\u0301', '👍🏽', '🇫🇷', '\u200b', '\u202e', 'ß', 'İ', '\ufffd', '\u0000', '中文', 'Ω', '\ud800', '\udfff', '\u2028', '\u00a0'];
const graphemeText = (maxLength: number) => fc.array(fc.constantFrom(...GRAPHEMES), { maxLength }).map((g) => g.join(''));
const weirdNumber = fc.oneof(
  fc.constantFrom(...WEIRD_NUMBERS),
  fc.double().map(String),
  fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }).map(String),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
);
const fieldValue = fc.oneof(weirdNumber, fc.string({ maxLength: 12 }), anyText(8), fc.constantFrom(',', '"', '""', '\t', ' ', '\\', '{', '}', '[', ']', 'GET', 'Tag=', '#'));
const at = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('truncate' as const), at }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('bitflip' as const), at, bit: fc.nat(7), times: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('nul' as const), at, times: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('insertBytes' as const), at, bytes: fc.array(fc.nat(255), { minLength: 1, maxLength: 24 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('invalidUtf8' as const), at, kind: fc.nat(6) }) },
  { weight: 8, arbitrary: fc.record({ op: fc.constant('number' as const), which: fc.nat(), value: weirdNumber }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('field' as const), line: fc.nat(), field: fc.nat(40), value: fieldValue }) },
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('jsonValue' as const),
      path: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
      value: fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.constantFrom<unknown>(null, -1, 0, 1e308, -1e308, 1e-320, 2 ** 53 + 2, 'NaN', '', [], {}, [[]], { count: -5 }, true, 'p(95)'),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('encoding' as const), enc: fc.constantFrom('utf16le' as const, 'utf16be' as const, 'latin1' as const, 'utf16le-bom' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('crlf' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cr' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('bom' as const), times: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('deleteLine' as const), at }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('duplicateLine' as const), at, times: fc.integer({ min: 1, max: 50 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('swapLines' as const), a: at, b: at }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('insertLine' as const), at, line: fc.oneof(fc.string({ maxLength: 60 }), graphemeText(20), fc.array(fieldValue, { maxLength: 14 }).map((f) => f.join(','))) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('splice' as const), other: fc.nat(), at, len: fc.integer({ min: 1, max: 2000 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('trailingGarbage' as const), text: fc.string({ maxLength: 40 }) }) },
);

/** Chunk sizes the reader receives its bytes in (boundaries inside CRLF, UTF-8 sequences, numbers). */
const CHUNK = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(1, 2, 3, 7) },
  { weight: 2, arbitrary: fc.constant(64) },
  { weight: 7, arbitrary: fc.constantFrom(4096, 1 << 20) },
);

/** The arbitrary of an ordinary (small) case. */
export function caseArbitrary(): fc.Arbitrary<FuzzCase> {
  const common = { seed: fc.nat(), chunk: CHUNK, opts: fc.nat() };
  return fc.oneof(
    { weight: 70, arbitrary: fc.record({ kind: fc.constant('mutate' as const), ...common, mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }) }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('bytes' as const), ...common, bytes: fc.array(fc.nat(255), { maxLength: 300 }) }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('text' as const), ...common, text: fc.oneof(fc.string({ maxLength: 300 }), graphemeText(80), fc.json({ maxDepth: 3 })) }) },
    {
      weight: 20,
      arbitrary: fc.record({
        kind: fc.constant('headerLines' as const),
        ...common,
        lines: fc.array(fc.oneof(fc.tuple(fc.array(fieldValue, { maxLength: 14 }), fc.constantFrom(',', '\t', ' ')).map(([f, sep]) => f.join(sep)), fc.string({ maxLength: 40 })), { maxLength: 20 }),
      }),
    },
  );
}

export function hugeArbitrary(): fc.Arbitrary<FuzzCase> {
  return fc.record({
    kind: fc.constant('hugeLine' as const),
    seed: fc.nat(),
    chunk: fc.constantFrom(1 << 16, 1 << 20),
    opts: fc.nat(),
    shape: fc.constantFrom('digits' as const, 'field' as const, 'json' as const, 'noNewline' as const),
    mb: fc.constant(10),
  });
}

// ---------- applying

function pos(len: number, at: number): number {
  return Math.min(len, Math.floor(at * (len + 1)));
}

function splitLines(text: string): string[] {
  return text.split('\n');
}

/** Replaces the `which`-th number token (mod count) of the text. */
function replaceNumber(text: string, which: number, value: string): string {
  const re = /-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g;
  const spans: Array<[number, number]> = [];
  for (let m = re.exec(text); m && spans.length < 5000; m = re.exec(text)) spans.push([m.index, m.index + m[0].length]);
  if (spans.length === 0) return text + value;
  const [s, e] = spans[which % spans.length]!;
  return text.slice(0, s) + value + text.slice(e);
}

function replaceField(text: string, lineNo: number, field: number, value: string): string {
  const lines = splitLines(text);
  const i = lineNo % lines.length;
  const line = lines[i]!;
  const sep = line.includes(',') ? ',' : line.includes('\t') ? '\t' : ' ';
  const fields = line.split(sep);
  fields[field % Math.max(1, fields.length)] = value;
  lines[i] = fields.join(sep);
  return lines.join('\n');
}

/** Replaces a node of a JSON document (whole file, or the line it lands on for NDJSON). */
function replaceJson(text: string, pathIdx: number[], value: unknown): string {
  const tryDoc = (src: string): string | null => {
    let doc: unknown;
    try {
      doc = JSON.parse(src);
    } catch {
      return null;
    }
    if (doc === null || typeof doc !== 'object') return JSON.stringify(value);
    let node = doc as Record<string, unknown>;
    for (let d = 0; d < pathIdx.length; d++) {
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const k = keys[pathIdx[d]! % keys.length]!;
      const child = node[k];
      if (d === pathIdx.length - 1 || child === null || typeof child !== 'object') {
        node[k] = value;
        break;
      }
      node = child as Record<string, unknown>;
    }
    return JSON.stringify(doc);
  };
  const whole = tryDoc(text);
  if (whole !== null) return whole;
  const lines = splitLines(text);
  const i = (pathIdx[0] ?? 0) % lines.length;
  const done = tryDoc(lines[i]!);
  if (done !== null) lines[i] = done;
  return lines.join('\n');
}

const INVALID_UTF8 = [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x98], [0xe2, 0x82], [0xc0, 0xaf], [0xfe, 0xff]];

function applyOne(bytes: Buffer, m: Mutation, others: readonly Buffer[]): Buffer {
  switch (m.op) {
    case 'truncate':
      return bytes.subarray(0, pos(bytes.length, m.at));
    case 'bitflip': {
      const out = Buffer.from(bytes);
      if (out.length === 0) return out;
      for (let t = 0; t < m.times; t++) {
        const i = (pos(out.length - 1, m.at) + t * 7919) % out.length;
        out[i] = out[i]! ^ (1 << ((m.bit + t) % 8));
      }
      return out;
    }
    case 'nul': {
      let out = bytes;
      for (let t = 0; t < m.times; t++) {
        const i = (pos(out.length, m.at) + t * 131) % (out.length + 1);
        out = Buffer.concat([out.subarray(0, i), Buffer.from([0]), out.subarray(i)]);
      }
      return out;
    }
    case 'insertBytes': {
      const i = pos(bytes.length, m.at);
      return Buffer.concat([bytes.subarray(0, i), Buffer.from(m.bytes), bytes.subarray(i)]);
    }
    case 'invalidUtf8': {
      const i = pos(bytes.length, m.at);
      return Buffer.concat([bytes.subarray(0, i), Buffer.from(INVALID_UTF8[m.kind % INVALID_UTF8.length]!), bytes.subarray(i)]);
    }
    case 'encoding': {
      const text = bytes.toString('utf8');
      if (m.enc === 'latin1') return Buffer.from(text, 'latin1');
      const le = Buffer.from(m.enc === 'utf16le-bom' ? `\ufeff${text}` : text, 'utf16le');
      if (m.enc !== 'utf16be') return le;
      const be = Buffer.from(le);
      be.swap16();
      return be;
    }
    case 'crlf':
      return Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
    case 'cr':
      return Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, '\r'), 'latin1');
    case 'bom':
      return Buffer.concat([...Array.from({ length: m.times }, () => Buffer.from([0xef, 0xbb, 0xbf])), bytes]);
    case 'splice': {
      const other = others.length ? others[m.other % others.length]! : bytes;
      const from = pos(Math.max(0, other.length - 1), m.at);
      const i = pos(bytes.length, m.at);
      return Buffer.concat([bytes.subarray(0, i), other.subarray(from, from + m.len), bytes.subarray(i)]);
    }
    case 'trailingGarbage':
      return Buffer.concat([bytes, Buffer.from(m.text)]);
    default:
      break;
  }
  // Text-level mutations (UTF-8 round trip; invalid bytes become U+FFFD, which is also a mutation).
  const text = bytes.toString('utf8');
  switch (m.op) {
    case 'number':
      return Buffer.from(replaceNumber(text, m.which, m.value));
    case 'field':
      return Buffer.from(replaceField(text, m.line, m.field, m.value));
    case 'jsonValue':
      return Buffer.from(replaceJson(text, m.path, m.value));
    case 'deleteLine': {
      const lines = splitLines(text);
      lines.splice(pos(lines.length - 1, m.at), 1);
      return Buffer.from(lines.join('\n'));
    }
    case 'duplicateLine': {
      const lines = splitLines(text);
      const i = pos(lines.length - 1, m.at);
      lines.splice(i, 0, ...Array.from({ length: m.times }, () => lines[i]!));
      return Buffer.from(lines.join('\n'));
    }
    case 'swapLines': {
      const lines = splitLines(text);
      const a = pos(lines.length - 1, m.a);
      const b = pos(lines.length - 1, m.b);
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return Buffer.from(lines.join('\n'));
    }
    case 'insertLine': {
      const lines = splitLines(text);
      lines.splice(pos(lines.length, m.at), 0, m.line);
      return Buffer.from(lines.join('\n'));
    }
  }
  return bytes;
}

/** Bytes of a 10 MB-line case (built from the seed: its first line, then one huge line). */
function hugeLine(seed: Buffer, shape: 'digits' | 'field' | 'json' | 'noNewline', mb: number): Buffer {
  const size = mb * 1024 * 1024;
  const text = seed.toString('utf8');
  const nl = text.indexOf('\n');
  const first = nl >= 0 ? text.slice(0, nl + 1) : '';
  let body: Buffer;
  if (shape === 'digits') body = Buffer.alloc(size, '9');
  else if (shape === 'json') body = Buffer.concat([Buffer.from('{"type":"Point","data":{"value":1,"tags":{"name":"'), Buffer.alloc(size, 'a'), Buffer.from('"}},"metric":"http_req_duration"}')]);
  else {
    // A real line repeated without its newlines: fields and separators, no end.
    const line = (text.split('\n')[1] ?? text).replace(/\r/g, '') || '1,2,3';
    body = Buffer.alloc(size, `${line},`);
  }
  return shape === 'noNewline' ? Buffer.concat([Buffer.from(first), body]) : Buffer.concat([Buffer.from(first), body, Buffer.from(`\n${text.slice(nl + 1)}`)]);
}

/** The input bytes of a case. */
export function materialize(c: FuzzCase, seed: Buffer, others: readonly Buffer[]): Buffer {
  switch (c.kind) {
    case 'mutate': {
      let b = seed;
      for (const m of c.mutations) b = applyOne(b, m, others);
      return b;
    }
    case 'bytes':
      return Buffer.from(c.bytes);
    case 'text':
      return Buffer.from(c.text);
    case 'headerLines': {
      const text = seed.toString('utf8');
      const nl = text.indexOf('\n');
      return Buffer.from(`${nl >= 0 ? text.slice(0, nl + 1) : text}${c.lines.join('\n')}`);
    }
    case 'hugeLine':
      return hugeLine(seed, c.shape, c.mb);
  }
}
