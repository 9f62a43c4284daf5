import { describe, expect, it } from 'vitest';
import { bundledCatalogVersions, currentBundledVersion } from '../../shared/catalog/bundled';

const catalog = bundledCatalogVersions().find((c) => c.version === '1.2')!;
const countBy = <T>(list: T[], key: (t: T) => string) => {
  const counts: Record<string, number> = {};
  for (const t of list) counts[key(t)] = (counts[key(t)] ?? 0) + 1;
  return counts;
};

describe('bundled catalog 1.2', () => {
  it('is the current bundled version and the only one shipped', () => {
    expect(currentBundledVersion).toBe('1.2');
    expect(bundledCatalogVersions().map((c) => c.version)).toEqual(['1.2']);
  });

  it('has the DSS-L structure: 4 parts, 23 items', () => {
    const { literacy } = catalog;
    expect(literacy.standard).toBe('DSS-L ver.1.1');
    expect(literacy.parts.map((p) => p.id)).toEqual(['why', 'what', 'how', 'mind']);
    expect(literacy.items).toHaveLength(23);
    expect(countBy(literacy.items, (i) => i.partId)).toEqual({ why: 3, what: 8, how: 5, mind: 7 });
    expect(
      countBy(
        literacy.items.filter((i) => i.partId === 'what'),
        (i) => i.group ?? 'none',
      ),
    ).toEqual({ data: 4, technology: 4 });
    expect(literacy.items.find((i) => i.id === 'mind-fact-based')?.ja).toBe('事実に基づく判断');
  });

  it('has the DSS-P structure: 5 types, 15 roles, 5 categories, 12 sub-categories, 49 skills', () => {
    const { promotion } = catalog;
    expect(promotion.standard).toBe('DSS-P ver.1.2');
    expect(promotion.types.map((t) => t.id)).toEqual(['business-architect', 'designer', 'data-scientist', 'software-engineer', 'cybersecurity']);
    expect(promotion.roles).toHaveLength(15);
    expect(countBy(promotion.roles, (r) => r.typeId)).toEqual({
      'business-architect': 3,
      designer: 3,
      'data-scientist': 3,
      'software-engineer': 4,
      cybersecurity: 2,
    });
    expect(promotion.categories).toHaveLength(5);
    expect(promotion.subcategories).toHaveLength(12);
    expect(promotion.skills).toHaveLength(49);
    expect(promotion.subcategories.map((s) => promotion.skills.filter((k) => k.subcategoryId === s.id).length)).toEqual([6, 6, 5, 3, 2, 2, 10, 3, 4, 2, 2, 4]);
    expect(promotion.roles.find((r) => r.id === 'cloud-engineer-sre')?.ja).toBe('クラウドエンジニア/SRE');
    expect(promotion.skills.find((s) => s.id === 'incident-response')?.ja).toBe('インシデント対応と事業継続');
  });

  it('has a full 15 x 49 matrix: personal skills not rated, everything else rated', () => {
    const { roles, skills, importance } = catalog.promotion;
    const personal = new Set(catalog.promotion.subcategories.filter((s) => s.categoryId === 'personal').map((s) => s.id));
    expect(Object.keys(importance)).toEqual(roles.map((r) => r.id));
    for (const role of roles) {
      const row = importance[role.id]!;
      expect(Object.keys(row)).toEqual(skills.map((s) => s.id));
      for (const skill of skills) expect(row[skill.id] === null, `${role.id} x ${skill.id}`).toBe(personal.has(skill.subcategoryId));
    }
    expect(importance['data-engineer']!['data-platform-design']).toBe('a');
    expect(importance['graphic-designer']!['backend-development']).toBe('z');
    expect(importance['cybersecurity-manager']!.leadership).toBeNull();
  });

  it('gives every role at least one a-rated specialty', () => {
    for (const role of catalog.promotion.roles) {
      expect(Object.values(catalog.promotion.importance[role.id]!), role.id).toContain('a');
    }
  });

  it('is marked provisional, saying why', () => {
    expect(catalog.provisional).toBe(true);
    expect(catalog.provisionalReason).toContain('[S]');
    expect(catalog.provisionalReason).toContain('provisional estimate');
    expect(catalog.provisionalReason).toContain("not IPA's official matrix");
  });
});
