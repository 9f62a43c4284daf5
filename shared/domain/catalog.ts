import { validateCatalogVersion } from '../catalog/validate';
import {
  getCatalogSummary,
  getCurrentCatalogVersion,
  installCatalogVersion,
  listCatalogVersions,
  setCurrentCatalogVersion,
  type CatalogVersionSummary,
} from '../data/catalog';
import { bodyFieldErrors, conflict, invalid, notFound } from '../errors';
import { requireCatalog } from './catalog-lookup';

export { catalogNamedIn, requireCatalog } from './catalog-lookup';

/** A version is stored as one item (DynamoDB's limit is 400 KB, attribute names included). */
export const MAX_CATALOG_BYTES = 380_000;

const publicSummary = ({ contentHash: _hash, ...summary }: CatalogVersionSummary) => summary;

export async function catalogOverview() {
  const [current, versions] = await Promise.all([getCurrentCatalogVersion(), listCatalogVersions()]);
  return { current: current ?? null, versions: versions.map(publicSummary) };
}

export async function catalogRole(version: string, roleId: string) {
  const catalog = await requireCatalog(version);
  const { promotion } = catalog;
  const role = promotion.roles.find((r) => r.id === roleId);
  if (!role) throw notFound(`Role "${roleId}" does not exist in catalog version ${version}.`);
  const type = promotion.types.find((t) => t.id === role.typeId)!;
  const subcategories = new Map(promotion.subcategories.map((s) => [s.id, s]));
  return {
    version: catalog.version,
    provisional: catalog.provisional,
    role,
    type,
    items: promotion.skills.map((skill) => ({
      skillId: skill.id,
      ja: skill.ja,
      en: skill.en,
      subcategoryId: skill.subcategoryId,
      categoryId: subcategories.get(skill.subcategoryId)!.categoryId,
      importance: promotion.importance[role.id]?.[skill.id] ?? null,
    })),
  };
}

/** Validates and installs a version; the same content twice is a no-op, different content a conflict. */
export async function installCatalog(input: unknown, makeCurrent: boolean, now: Date) {
  const checked = validateCatalogVersion(input);
  if (!checked.ok) {
    throw invalid(`The catalog is inconsistent: ${checked.errors.slice(0, 3).join('; ')}`, { errors: bodyFieldErrors(checked.errors, 'catalog') });
  }
  const bytes = Buffer.byteLength(JSON.stringify(checked.catalog));
  if (bytes > MAX_CATALOG_BYTES) throw invalid(`The catalog is ${bytes} bytes; a version holds at most ${MAX_CATALOG_BYTES} (one DynamoDB item).`);
  const outcome = await installCatalogVersion(checked.catalog, now);
  if (outcome === 'conflict') {
    throw conflict(
      `Catalog version "${checked.catalog.version}" is already installed with different content; versions are immutable, install it under a new version id.`,
    );
  }
  if (makeCurrent) await setCurrentCatalogVersion(checked.catalog.version, now);
  const summary = await getCatalogSummary(checked.catalog.version);
  return { created: outcome === 'installed', summary: publicSummary(summary!) };
}
