/**
 * UTF-8 without Node's Buffer. `decodeUtf8` reads as `buffer.toString('utf8', start, end)`
 * does: invalid sequences become U+FFFD and a leading BOM is kept (TextDecoder drops it unless
 * told `ignoreBOM`). For slow paths (headers, errors, odd lines): the kernels' hot loops read
 * bytes by index and never decode.
 */
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return decoder.decode(bytes.subarray(start, end));
}

/** Text as an editor shows it: without a leading byte order mark. */
export function withoutBom(text: string): string {
  return text.replace(/^\uFEFF/, '');
}

export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}
