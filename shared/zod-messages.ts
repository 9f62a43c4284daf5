import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * zod/mini ships without error messages ("Invalid input"). Import this module for its
 * effect wherever issues are shown to people. The locale is imported by file because
 * `z.locales.en()` makes esbuild bundle every locale (~360 kB).
 */
z.config(en());
