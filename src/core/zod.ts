/**
 * zod, set up for a short-lived CLI. Every module imports it from here as a namespace
 * (`import * as z from '…/core/zod.js'`, never from 'zod'; lint enforces it), so this runs before
 * any schema is built, and the bundler keeps only the parts of zod that are used (zod's own `z`
 * object would keep all of it).
 *
 * jitless: on the first parse with each object schema, zod compiles a fast parser for it with
 * `new Function`. That pays off over many parses in a long-lived process; an adctl run parses
 * each schema a handful of times, so the compiling cost more CPU than it saved (about 0.5–1 ms per
 * object schema). Parse results are the same either way.
 */
import { config } from 'zod';

config({ jitless: true });

export * from 'zod';
