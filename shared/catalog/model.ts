import * as z from 'zod/mini';
import { catalogVersionId, importanceLevels } from './terms';

/**
 * The Digital Skill Standards as data. Everything countable here (parts, items, types,
 * roles, sub-categories, skills) is data: ver.2.0 changes the counts, so code never
 * assumes them.
 */

export { attainmentLevels, catalogVersionId, importanceLevels, type AttainmentLevel, type Importance } from './terms';

const slug = z.string().check(z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'ids are lower-case slugs like "data-engineer"'));

/** A named thing: Japanese name as published, English gloss for non-Japanese readers. */
const named = { id: slug, ja: z.string().check(z.minLength(1)), en: z.string().check(z.minLength(1)) };

export const literacyPart = z.strictObject({ ...named });
export const literacyItem = z.strictObject({
  ...named,
  partId: slug,
  /** Optional grouping inside a part (the "What" part splits into data and technology). */
  group: z.optional(z.string()),
});

export const talentType = z.strictObject({ ...named });
export const role = z.strictObject({
  ...named,
  typeId: slug,
  /** Other names in use for the role (a matrix may label it by its short name); importers accept them. */
  aliases: z.optional(z.array(z.string().check(z.minLength(1)))),
});
export const category = z.strictObject({ ...named });
export const subcategory = z.strictObject({ ...named, categoryId: slug });
export const skill = z.strictObject({ ...named, subcategoryId: slug });

export const importanceMatrix = z.record(z.string(), z.record(z.string(), z.nullable(z.enum(importanceLevels))));

/**
 * How items of an older version map onto this one: old id -> new id(s). Identity for
 * unchanged items is implied and need not be listed; an empty array means "no successor".
 */
export const versionMapping = z.strictObject({
  from: catalogVersionId,
  literacy: z.optional(z.record(z.string(), z.array(slug))),
  skills: z.optional(z.record(z.string(), z.array(slug))),
  roles: z.optional(z.record(z.string(), z.array(slug))),
});

export const catalogVersion = z.strictObject({
  version: catalogVersionId,
  label: z.string(),
  /** True while any part (typically the role x item matrix) is not IPA's official data. */
  provisional: z.boolean(),
  provisionalReason: z.optional(z.string()),
  literacy: z.strictObject({
    standard: z.string(),
    parts: z.array(literacyPart),
    items: z.array(literacyItem),
  }),
  promotion: z.strictObject({
    standard: z.string(),
    types: z.array(talentType),
    roles: z.array(role),
    categories: z.array(category),
    subcategories: z.array(subcategory),
    skills: z.array(skill),
    /** importance[roleId][skillId]; every role has every skill (null when not rated). */
    importance: importanceMatrix,
  }),
  mappings: z.optional(z.array(versionMapping)),
});

export type CatalogVersion = z.infer<typeof catalogVersion>;
export type VersionMapping = z.infer<typeof versionMapping>;
export type Role = z.infer<typeof role>;
export type Skill = z.infer<typeof skill>;
export type LiteracyItem = z.infer<typeof literacyItem>;
