/**
 * The few web-standard globals src/core uses, which every runtime it is meant for has (Node,
 * browsers, the webview, workers) but lib ES2022 does not declare: the core's own tsconfig
 * (src/core/tsconfig.json) has no Node or DOM types, so that a Node API (Buffer, process, fs)
 * in the core is a compile error there. Only the members the core calls are declared; add one
 * here when the core needs it. The root tsconfig, whose Node types declare these in full,
 * excludes this file.
 */

interface TextDecoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
declare var TextDecoder: {
  new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoder;
};

interface TextEncoder {
  encode(input?: string): Uint8Array;
}
declare var TextEncoder: {
  new (): TextEncoder;
};

interface URL {
  readonly href: string;
  readonly hostname: string;
  readonly username: string;
  readonly password: string;
  readonly search: string;
  readonly hash: string;
  toString(): string;
}
declare var URL: {
  new (url: string, base?: string): URL;
};

interface AbortSignal {
  throwIfAborted(): void;
}
