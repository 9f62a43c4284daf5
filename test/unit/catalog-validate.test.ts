import { describe, expect, it } from 'vitest';
import { bundledCatalogVersions } from '../../shared/catalog/bundled';
import type { CatalogVersion } from '../../shared/catalog/model';
import { catalogVersionFromFiles, validateCatalogVersion } from '../../shared/catalog/validate';

const fresh = (): CatalogVersion => structuredClone(bundledCatalogVersions()[0]!);
const errorsOf = (input: unknown) => {
  const result = validateCatalogVersion(input);
  if (result.ok) throw new Error('expected the catalog to be rejected');
  return result.errors;
};

describe('validateCatalogVersion', () => {
  it('accepts the bundled catalog and returns it unchanged', () => {
    const catalog = fresh();
    expect(validateCatalogVersion(catalog)).toEqual({ ok: true, catalog });
  });

  it('reports schema errors with a path that names the entry', () => {
    const catalog = fresh();
    catalog.promotion.roles[8]!.id = 'Data Engineer';
    expect(errorsOf(catalog)).toEqual(['promotion.roles[8] (id "Data Engineer").id: ids are lower-case slugs like "data-engineer"']);
  });

  it('reports duplicate ids', () => {
    const catalog = fresh();
    catalog.literacy.items[1]!.id = 'why-society';
    expect(errorsOf(catalog)).toEqual(['literacy.items: id "why-society" appears at positions 0 and 1; ids must be unique within a list']);
  });

  it('reports references to ids that do not exist', () => {
    const catalog = fresh();
    catalog.literacy.items[0]!.partId = 'who';
    catalog.promotion.roles[0]!.typeId = 'architect';
    catalog.promotion.subcategories[0]!.categoryId = 'business';
    catalog.promotion.skills[0]!.subcategoryId = 'strategy';
    expect(errorsOf(catalog)).toEqual([
      'literacy.items[0] (id "why-society"): partId "who" is not an id in literacy.parts',
      'promotion.roles[0] (id "ba-new-business"): typeId "architect" is not an id in promotion.types',
      'promotion.subcategories[0] (id "strategy-management-system"): categoryId "business" is not an id in promotion.categories',
      'promotion.skills[0] (id "business-strategy"): subcategoryId "strategy" is not an id in promotion.subcategories',
    ]);
  });

  it('requires every role x every skill in the matrix, and nothing else', () => {
    const catalog = fresh();
    const { importance } = catalog.promotion;
    delete importance['data-engineer']!['machine-learning'];
    importance['data-engineer']!.ml = 'a';
    delete importance['backend-engineer'];
    importance['web-designer'] = {};
    expect(errorsOf(catalog)).toEqual([
      'promotion.importance["data-engineer"]: not skills in promotion.skills: "ml"',
      'promotion.importance["data-engineer"]: no rating (use null for "not rated") for "machine-learning"',
      'promotion.importance: "web-designer" is not a role in promotion.roles; remove its row',
      'promotion.importance: no row for "backend-engineer"; every role needs a rating for every skill',
    ]);
  });

  it('checks that mappings point at ids of this version', () => {
    const catalog = fresh();
    catalog.mappings = [
      { from: '1.1', skills: { 'old-skill': ['machine-learning', 'deep-learning'] }, roles: { 'old-role': ['data-engineer'] } },
      { from: '1.2', literacy: { 'old-item': ['nowhere'] } },
      { from: '1.1' },
    ];
    expect(errorsOf(catalog)).toEqual([
      'mappings[0] (from "1.1"): skills["old-skill"] maps to "deep-learning", not skills of version 1.2',
      'mappings[1] (from "1.2"): maps version 1.2 onto itself',
      'mappings[1] (from "1.2"): literacy["old-item"] maps to "nowhere", not literacy items of version 1.2',
      'mappings[2] (from "1.1"): a second mapping from the same version; merge them',
    ]);
  });
});

describe('catalogVersionFromFiles', () => {
  const { promotion, ...rest } = fresh();
  const { importance: _matrix, ...structure } = promotion;
  const catalogJson = { ...rest, promotion: structure };
  const csv = (text: string) => new TextEncoder().encode(text);

  it('prefixes catalog.json schema errors', () => {
    const result = catalogVersionFromFiles({ ...catalogJson, provisional: 'yes' }, csv(''));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual(['catalog.json: provisional: Invalid input: expected boolean, received string']);
  });

  it('reports CSV errors with row and column', () => {
    const result = catalogVersionFromFiles(catalogJson, csv('role,business-strategy\nba-new-business,q\n'));
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors[0]).toBe(
      'importance.csv row 2, column 2: invalid value "q" for role "ba-new-business" × skill "business-strategy": expected a, b, c, d, z or - (not rated)',
    );
    expect(errors.length).toBeGreaterThan(1); // the other roles and skills are missing
  });
});
