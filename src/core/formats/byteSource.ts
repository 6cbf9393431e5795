/** Bytes of one input file, delivered in chunks (a file stream, or one Uint8Array in tests). */
export type ByteSource = AsyncIterable<Uint8Array>;
