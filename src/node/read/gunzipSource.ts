/**
 * Gzip result files (`k6 run --out json=results.gz`, or any result file gzipped by hand), read
 * as a stream: the file is inflated by node:zlib while the format's reader consumes the output,
 * so memory stays a few chunks whatever the file's size. Inflate runs on libuv's thread pool,
 * the reader on the calling thread: the two overlap (zlib inflates the next chunk while the
 * reader scans this one).
 *
 * Truth rules: a file is gzip when its first two bytes are the gzip magic 1f 8b (whatever its
 * name); its format is detected on the first HEAD_BYTES of the inflated bytes and its name
 * without ".gz"; members written one after another (`cat a.gz b.gz`) are read as one file, as
 * zcat reads them; a truncated or corrupt stream is an InputError naming the file and how much
 * was inflated before it, never a partial result.
 */
import type { ReadStream } from 'node:fs';
import { createGunzip, type Gunzip } from 'node:zlib';
import { InputError } from '../../core/errors';
import { decodeHead, HEAD_BYTES } from '../../core/formats/index';
import type { ByteSource } from '../../core/formats/reader';
import { formatBytes } from '../../core/units';
import { openRegularFile } from '../safeFs';

/** Compressed bytes per file read; inflated bytes per zlib output (fewer round trips to the thread pool). */
const READ_BYTES = 1 << 20;
const INFLATED_CHUNK_BYTES = 1 << 18;
/**
 * Bytes per chunk the reader sees (views into zlib's output, not copies): 64 KiB, as a plain
 * file's stream (readJob.ts), so that a text reader's decoded chunk stays a small string.
 */
const READER_CHUNK_BYTES = 1 << 16;

/** True when `bytes` start with the gzip magic (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The name a gzip file's format is detected by: its own without ".gz" ("results.json.gz" → "results.json"). */
export function inflatedName(fileName: string): string {
  return fileName.replace(/\.gz$/i, '');
}

export interface GunzipRead {
  /** The inflated file's first bytes, decoded as decodeHead does (for detectFormat). */
  head: string;
  /** The inflated bytes, from the first: one pass only. */
  source: ByteSource;
  /** The compressed file's stream (its `bytesRead` is the progress of the read). */
  file: ReadStream;
  /** Stops reading and frees the streams; safe to call more than once. */
  close(): void;
}

/**
 * Opens `file` (a regular file: see openRegularFile) and inflates it as it is consumed. Resolves
 * once the head is inflated: a stream broken before that rejects with the InputError at once.
 */
export async function openGunzip(file: string, fileName: string, signal?: AbortSignal): Promise<GunzipRead> {
  const stream = (await openRegularFile(file, fileName)).createReadStream({ highWaterMark: READ_BYTES, ...(signal ? { signal } : {}) });
  const gunzip = createGunzip({ chunkSize: INFLATED_CHUNK_BYTES });
  stream.on('error', (e) => gunzip.destroy(e));
  stream.pipe(gunzip);
  const close = () => {
    stream.destroy();
    gunzip.destroy();
  };
  try {
    const chunks = inflatedChunks(gunzip, fileName)[Symbol.asyncIterator]();
    const first: Buffer[] = [];
    let headLength = 0;
    while (headLength < HEAD_BYTES) {
      const next = await chunks.next();
      if (next.done) break;
      first.push(next.value);
      headLength += next.value.length;
    }
    const head = decodeHead(Buffer.concat(first, headLength));
    return { head, source: replay(first, chunks), file: stream, close };
  } catch (e) {
    close();
    throw e;
  }
}

/** The chunks already taken for the head, then the rest. */
async function* replay(first: Buffer[], rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield* first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/** The inflated chunks; a zlib failure becomes the one-line InputError naming the file. */
async function* inflatedChunks(gunzip: Gunzip, fileName: string): AsyncGenerator<Buffer> {
  let inflated = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      inflated += chunk.length;
      for (let at = 0; at < chunk.length; at += READER_CHUNK_BYTES) yield chunk.subarray(at, at + READER_CHUNK_BYTES);
    }
  } catch (e) {
    throw gzipError(e, fileName, inflated);
  }
}

/** zlib's failure as InputError: "truncated gzip data (unexpected end of file) after 12.3 MB". Aborts and I/O errors pass as they are. */
function gzipError(e: unknown, fileName: string, inflated: number): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || !code.startsWith('Z_')) return e;
  const what = code === 'Z_BUF_ERROR' ? 'truncated gzip data' : 'corrupt gzip data';
  return new InputError(fileName, `${what} (${(e as Error).message}) after ${formatBytes(inflated)}`);
}
