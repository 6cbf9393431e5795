import { en } from 'zod/locales';
import { config } from 'zod/mini';

/**
 * The one import of zod for src/core (`import * as z from '../zod'`): zod/mini, the tree-shakable
 * API (functions and `.check()` instead of methods), which keeps the bundles small.
 *
 * zod/mini loads no locale: without one every issue says "Invalid input". Full zod registers
 * English on first use; registering it here keeps the messages users see (and tests assert)
 * exactly those of full zod. Only `en` is bundled (zod's locales are side-effect free).
 */
config(en());

export * from 'zod/mini';
