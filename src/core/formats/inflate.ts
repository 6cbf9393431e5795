import { Inflate } from 'pako';

/**
 * zlib inflate without node:zlib, failing as `zlib.inflateSync` does: the same zlib messages
 * ("incorrect header check", "invalid distance too far back", ...), "unexpected end of file"
 * for a stream cut short (pako returns what it has) and "Missing dictionary" for a preset
 * dictionary (pako says "need dictionary"). Bytes after the end of the stream are ignored.
 */
export function inflate(data: Uint8Array): Uint8Array {
  const inflator = new Inflate();
  // Not Z_FINISH: with it pako ends a truncated stream without an error; without it `ended`
  // says whether the stream's end was reached.
  inflator.push(data, false);
  if (inflator.err === Z_NEED_DICT) throw new Error('Missing dictionary');
  // Z_BUF_ERROR: no input at all.
  if (!inflator.ended || inflator.err === Z_BUF_ERROR) throw new Error('unexpected end of file');
  if (inflator.err) throw new Error(inflator.msg || `zlib error ${inflator.err}`);
  return inflator.result;
}

const Z_NEED_DICT = 2;
const Z_BUF_ERROR = -5;
