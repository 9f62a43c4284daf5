import type { CatalogVersion } from '../../shared/catalog/model';
import type { Course } from '../../shared/data/courses';

/**
 * Bench data built like scripts/seed-demo.ts: one course per DSS-P role attaining that
 * role's a and b rated items (every fifth a certification), plus literacy-only courses.
 * Pure: the caller stores them (putCourse) after the environment is ready.
 */
export const BENCH_PROVIDER = 'bench-provider';

export function benchCourses(catalog: CatalogVersion, count: number, createdAt: string): { course: Course; roles: string[] }[] {
  const result: { course: Course; roles: string[] }[] = [];
  const roles = catalog.promotion.roles;
  for (let i = 0; i < count; i++) {
    const role = roles[i % roles.length]!;
    const literacy = catalog.literacy.items;
    const rated = i < roles.length ? Object.entries(catalog.promotion.importance[role.id] ?? {}).filter(([, level]) => level === 'a' || level === 'b') : [];
    result.push({
      course: {
        courseId: `crs_${(i + 1).toString(16).padStart(20, '0')}`,
        providerId: BENCH_PROVIDER,
        title: i < roles.length ? `${role.ja} 実践講座` : `DX リテラシー ${i - roles.length + 1}`,
        delivery: 'online',
        hours: 40,
        catalogVersion: catalog.version,
        literacyItems: literacy.slice((i * 5) % literacy.length, ((i * 5) % literacy.length) + 5).map((item) => ({ item: item.id, level: 'c' as const })),
        skills: rated.map(([skill, level]) => ({ skill, level: level as 'a' | 'b' })),
        certification: i % 5 === 0,
        createdAt,
      },
      roles: i < roles.length ? [role.id] : [],
    });
  }
  return result;
}

export { openingBody, profileBody } from '../../test/support/bodies';
