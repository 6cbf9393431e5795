// pako 1.x ships no types (its own start with 2.x, which hdr-histogram-js does not use, and one
// copy of pako is enough); this declares the one class src/core/formats/inflate.ts uses.
declare module 'pako' {
  export class Inflate {
    constructor(options?: { chunkSize?: number; windowBits?: number; raw?: boolean });
    /** `mode` true or 4 (Z_FINISH) ends the stream; false keeps it open. */
    push(data: Uint8Array | ArrayBuffer, mode?: boolean | number): boolean;
    /** zlib status of the failure, 0 when none. */
    readonly err: number;
    readonly msg: string;
    /** True once the stream's end was reached (or an error stopped it). */
    readonly ended: boolean;
    readonly result: Uint8Array;
  }
}
