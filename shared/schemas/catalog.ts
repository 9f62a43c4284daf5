import * as z from 'zod/mini';
import { catalogVersion, catalogVersionId } from '../catalog/model';

// Bodies and views are z.lazy, built on first use: a function builds only the schemas its
// own route parses, and views only the OpenAPI document (docs/benchmarks.md, cold start).

export const versionParams = z.strictObject({ version: catalogVersionId });

export const roleParams = z.strictObject({
  version: catalogVersionId,
  roleId: z.string().check(z.regex(/^[a-z0-9-]{1,64}$/, 'a role id is a lower-case slug like "data-engineer"')),
});

export const installCatalogBody = z.lazy(() =>
  z.strictObject({
    catalog: catalogVersion,
    /** Make this the version new courses and openings default to. */
    makeCurrent: z.optional(z.boolean()),
  }),
);

export const catalogSummary = z.lazy(() =>
  z.object({
    version: z.string(),
    label: z.string(),
    provisional: z.boolean(),
    installedAt: z.string(),
    counts: z.object({ literacyItems: z.number(), roles: z.number(), skills: z.number(), types: z.number() }),
  }),
);

export const catalogList = z.lazy(() => z.object({ current: z.nullable(z.string()), versions: z.array(catalogSummary) }));

export const roleView = z.lazy(() =>
  z.object({
    version: z.string(),
    provisional: z.boolean(),
    role: z.object({ id: z.string(), ja: z.string(), en: z.string(), typeId: z.string() }),
    type: z.object({ id: z.string(), ja: z.string(), en: z.string() }),
    items: z.array(
      z.object({
        skillId: z.string(),
        ja: z.string(),
        en: z.string(),
        subcategoryId: z.string(),
        categoryId: z.string(),
        importance: z.nullable(z.enum(['a', 'b', 'c', 'd', 'z'])),
      }),
    ),
  }),
);

export { catalogVersion };
