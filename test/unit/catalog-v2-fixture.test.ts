import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundledCatalogVersions } from '../../shared/catalog/bundled';
import type { CatalogVersion } from '../../shared/catalog/model';
import { catalogVersionFromFiles } from '../../shared/catalog/validate';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/catalog/2.0/${name}`, import.meta.url));
const result = catalogVersionFromFiles(JSON.parse(fixture('catalog.json').toString('utf8')), fixture('importance.csv'));
const v2 = (result.ok ? result.catalog : undefined) as CatalogVersion;
const v12 = bundledCatalogVersions().find((c) => c.version === '1.2')!;
const unchangedCategories = ['technology', 'security', 'personal'];

describe('DSS-P ver.2.0 fixture', () => {
  it('validates', () => {
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('has 5 categories, 13 sub-categories and 67 skills with the published sub-category sizes', () => {
    const { categories, subcategories, skills } = v2.promotion;
    expect(categories).toHaveLength(5);
    expect(subcategories).toHaveLength(13);
    expect(skills).toHaveLength(67);
    const sizes = Object.fromEntries(subcategories.map((s) => [s.ja, skills.filter((k) => k.subcategoryId === s.id).length]));
    expect(sizes).toMatchObject({
      戦略の理解とアーキテクチャ設計: 5,
      プロダクトのマネジメント: 7,
      変革活動のマネジメント: 7,
      デザイン: 9,
      'データ・AIの戦略的活用': 6,
      'AI・データサイエンス': 2,
      データマネジメント: 6,
    });
    expect(categories.find((c) => c.id === 'data-preparation-utilisation')?.ja).toBe('データ整備・活用');
  });

  it('has 6 talent types, so no code may assume 5', () => {
    expect(v2.promotion.types).toHaveLength(6);
    expect(v2.promotion.roles).toHaveLength(17);
    expect(Object.keys(v2.promotion.importance)).toHaveLength(17);
    expect(Object.values(v2.promotion.importance).every((row) => Object.keys(row).length === 67)).toBe(true);
  });

  it('keeps the 25 technology, security and personal items of 1.2 with the same ids and names', () => {
    const kept = (c: CatalogVersion) => {
      const subs = new Set(c.promotion.subcategories.filter((s) => unchangedCategories.includes(s.categoryId)).map((s) => s.id));
      return c.promotion.skills.filter((k) => subs.has(k.subcategoryId)).map(({ id, ja }) => ({ id, ja }));
    };
    expect(kept(v12)).toHaveLength(25);
    expect(kept(v2)).toEqual(kept(v12));
  });

  it('marks every new item name as a placeholder', () => {
    const v12Ids = new Set(v12.promotion.skills.map((s) => s.id));
    const added = v2.promotion.skills.filter((s) => !v12Ids.has(s.id));
    expect(added).toHaveLength(67 - 27);
    expect(added.every((s) => s.ja.startsWith('（仮）') && s.en.startsWith('(placeholder)'))).toBe(true);
    expect(v2.provisional).toBe(true);
  });

  it('maps every 1.2 skill that is gone onto existing 2.0 successors', () => {
    const mapping = v2.mappings?.find((m) => m.from === '1.2')?.skills ?? {};
    const v2Ids = new Set(v2.promotion.skills.map((s) => s.id));
    const gone = v12.promotion.skills.map((s) => s.id).filter((id) => !v2Ids.has(id));
    expect(gone).toHaveLength(22);
    expect(Object.keys(mapping).sort()).toEqual([...gone].sort());
    expect(mapping['product-management']).toEqual(['tbd-managing-products-1', 'tbd-managing-products-2']);
    for (const targets of Object.values(mapping)) {
      expect(targets.length).toBeGreaterThan(0);
      for (const id of targets) expect(v2Ids.has(id), id).toBe(true);
    }
  });

  it('keeps a learner tagged under 1.2 explainable: every 1.2 skill resolves to 2.0 skills', () => {
    const mapping = v2.mappings?.[0]?.skills ?? {};
    const v2Ids = new Set(v2.promotion.skills.map((s) => s.id));
    const successors = (id: string) => (v2Ids.has(id) ? [id] : (mapping[id] ?? []));
    expect(v12.promotion.skills.filter((s) => successors(s.id).length === 0)).toEqual([]);
  });
});
