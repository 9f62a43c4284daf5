import * as z from 'zod/mini';
import '../zod-messages';
import { catalogVersion, type CatalogVersion } from './model';
import { parseImportanceCsv } from './matrix-csv';

export type CatalogValidation = { ok: true; catalog: CatalogVersion } | { ok: false; errors: string[] };

/** Schema plus the cross-references a schema cannot express. */
export function validateCatalogVersion(input: unknown): CatalogValidation {
  const parsed = z.safeParse(catalogVersion, input);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((issue) => describeIssue(issue, input)) };
  const errors = semanticErrors(parsed.data);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, catalog: parsed.data };
}

/** What a catalog directory holds: catalog.json is a catalog version minus the matrix, which lives in importance.csv. */
export const catalogStructure = z.extend(catalogVersion, {
  promotion: z.omit(catalogVersion.shape.promotion, { importance: true }),
});

/** Builds and validates a catalog version from a catalog.json document and importance.csv bytes. */
export function catalogVersionFromFiles(structure: unknown, importanceCsv: Uint8Array): CatalogValidation {
  const parsed = z.safeParse(catalogStructure, structure);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((issue) => `catalog.json: ${describeIssue(issue, structure)}`) };
  }
  const matrix = parseImportanceCsv(importanceCsv, parsed.data.promotion);
  if (!matrix.ok) {
    return { ok: false, errors: matrix.errors.map((e) => `importance.csv row ${e.row}, column ${e.column}: ${e.message}`) };
  }
  const { promotion, ...rest } = parsed.data;
  return validateCatalogVersion({ ...rest, promotion: { ...promotion, importance: matrix.importance } });
}

/** "promotion.roles[3] (id "data-engineer").typeId: ..." so the reader can find the entry without counting. */
function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  let path = '';
  let node: unknown = input;
  for (const key of issue.path) {
    node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      const id = node !== null && typeof node === 'object' ? (node as { id?: unknown }).id : undefined;
      path += typeof id === 'string' ? `[${key}] (id "${id}")` : `[${key}]`;
    } else {
      path += path === '' ? String(key) : `.${String(key)}`;
    }
  }
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}

type Entry = { id: string };

function semanticErrors(catalog: CatalogVersion): string[] {
  const errors: string[] = [];
  const { literacy, promotion } = catalog;
  const parts = uniqueIds('literacy.parts', literacy.parts, errors);
  const items = uniqueIds('literacy.items', literacy.items, errors);
  const types = uniqueIds('promotion.types', promotion.types, errors);
  const roles = uniqueIds('promotion.roles', promotion.roles, errors);
  const categories = uniqueIds('promotion.categories', promotion.categories, errors);
  const subcategories = uniqueIds('promotion.subcategories', promotion.subcategories, errors);
  const skills = uniqueIds('promotion.skills', promotion.skills, errors);

  const refs = <T extends Entry>(list: string, entries: T[], field: keyof T & string, targets: Set<string>, targetList: string) =>
    entries.forEach((entry, i) => {
      const target = entry[field];
      if (typeof target === 'string' && !targets.has(target)) {
        errors.push(`${list}[${i}] (id "${entry.id}"): ${field} "${target}" is not an id in ${targetList}`);
      }
    });
  refs('literacy.items', literacy.items, 'partId', parts, 'literacy.parts');
  refs('promotion.roles', promotion.roles, 'typeId', types, 'promotion.types');
  refs('promotion.subcategories', promotion.subcategories, 'categoryId', categories, 'promotion.categories');
  refs('promotion.skills', promotion.skills, 'subcategoryId', subcategories, 'promotion.subcategories');

  errors.push(...matrixErrors(promotion.importance, roles, skills));
  errors.push(...mappingErrors(catalog, { literacy: items, skills, roles }));
  return errors;
}

function uniqueIds(list: string, entries: Entry[], errors: string[]): Set<string> {
  const firstAt = new Map<string, number>();
  entries.forEach(({ id }, i) => {
    const first = firstAt.get(id);
    if (first === undefined) firstAt.set(id, i);
    else errors.push(`${list}: id "${id}" appears at positions ${first} and ${i}; ids must be unique within a list`);
  });
  return new Set(firstAt.keys());
}

function matrixErrors(importance: CatalogVersion['promotion']['importance'], roles: Set<string>, skills: Set<string>): string[] {
  const errors: string[] = [];
  for (const [roleId, row] of Object.entries(importance)) {
    if (!roles.has(roleId)) {
      errors.push(`promotion.importance: "${roleId}" is not a role in promotion.roles; remove its row`);
      continue;
    }
    const unknown = Object.keys(row).filter((skillId) => !skills.has(skillId));
    if (unknown.length > 0) errors.push(`promotion.importance["${roleId}"]: not skills in promotion.skills: ${listed(unknown)}`);
    const missing = [...skills].filter((skillId) => !Object.hasOwn(row, skillId));
    if (missing.length > 0) errors.push(`promotion.importance["${roleId}"]: no rating (use null for "not rated") for ${listed(missing)}`);
  }
  const missingRoles = [...roles].filter((roleId) => !Object.hasOwn(importance, roleId));
  if (missingRoles.length > 0) {
    errors.push(`promotion.importance: no row for ${listed(missingRoles)}; every role needs a rating for every skill`);
  }
  return errors;
}

type Known = { literacy: Set<string>; skills: Set<string>; roles: Set<string> };

/** Only targets can be checked here: the sources belong to the older version, which may not be loaded. */
function mappingErrors(catalog: CatalogVersion, known: Known): string[] {
  const errors: string[] = [];
  const seenFrom = new Set<string>();
  (catalog.mappings ?? []).forEach((mapping, i) => {
    const at = `mappings[${i}] (from "${mapping.from}")`;
    if (mapping.from === catalog.version) errors.push(`${at}: maps version ${catalog.version} onto itself`);
    if (seenFrom.has(mapping.from)) errors.push(`${at}: a second mapping from the same version; merge them`);
    seenFrom.add(mapping.from);
    for (const kind of ['literacy', 'skills', 'roles'] as const) {
      for (const [oldId, newIds] of Object.entries(mapping[kind] ?? {})) {
        const unknown = newIds.filter((id) => !known[kind].has(id));
        const what = kind === 'literacy' ? 'literacy items' : kind;
        if (unknown.length > 0) errors.push(`${at}: ${kind}["${oldId}"] maps to ${listed(unknown)}, not ${what} of version ${catalog.version}`);
      }
    }
  });
  return errors;
}

function listed(ids: string[]): string {
  const shown = ids
    .slice(0, 5)
    .map((id) => `"${id}"`)
    .join(', ');
  return ids.length > 5 ? `${shown} and ${ids.length - 5} more` : shown;
}
