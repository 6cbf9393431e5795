import * as z from 'zod/mini';
import type { FromWebview } from '../core/protocol';

/**
 * Every message from the panel's webview is validated before use: a compromised or confused
 * webview can only ask for the few actions below, never name a file or a command.
 */
const Message = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('openHandler'), handler: z.string().check(z.minLength(1), z.maxLength(2000)) }),
  z.strictObject({ type: z.literal('updateBaseline') }),
  z.strictObject({ type: z.literal('runAgain') }),
  z.strictObject({ type: z.literal('exportReport') }),
  z.strictObject({ type: z.literal('pickBaseline') }),
]);

export function parseWebviewMessage(raw: unknown): FromWebview | undefined {
  const r = Message.safeParse(raw);
  return r.success ? (r.data as FromWebview) : undefined;
}
