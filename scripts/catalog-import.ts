import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { catalogVersionId } from '../shared/catalog/terms';
import { parseImportanceCsv } from '../shared/catalog/matrix-csv';
import { useDataTarget } from './lib/data-target';
import { getCatalogVersion, getCurrentCatalogVersion } from '../shared/data/catalog';
import { installCatalog } from '../shared/domain/catalog';

/**
 * `npm run catalog:import -- importance.csv --version 1.2-ipa [--base 1.2] [--official]
 * [--current]`: validates a role x skill importance matrix (IPA's official one, exported
 * as CSV) against the structure of a base version and installs it as a new version.
 */
const usage =
  'usage: npm run catalog:import -- <matrix.csv> --version <new id> [--base <installed version, default: current>] [--label <text>] [--official] [--current] [--check]';

function fail(message: string, code = 2): never {
  console.error(`${message}\n${usage}`);
  process.exit(code);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        version: { type: 'string' },
        base: { type: 'string' },
        label: { type: 'string' },
        official: { type: 'boolean', default: false },
        current: { type: 'boolean', default: false },
        check: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
})();

const [file] = positionals;
if (!file || positionals.length > 1) fail('give exactly one CSV file');
if (!values.check && !values.version) fail('--version is required (a new, unused id such as 1.2-ipa)');
if (values.version && !catalogVersionId.safeParse(values.version).success) fail(`--version "${values.version}" is not a valid version id`);

let bytes: Uint8Array;
try {
  bytes = readFileSync(file);
} catch {
  fail(`cannot read ${file}`);
}

const target = await useDataTarget().catch((error: Error) => fail(error.message, 1));

const baseVersion = values.base ?? (await getCurrentCatalogVersion());
if (!baseVersion) fail('no --base given and no current version installed');
const base = await getCatalogVersion(baseVersion);
if (!base) fail(`base version ${baseVersion} is not installed in ${target}`);

const parsed = parseImportanceCsv(bytes, base.promotion);
if (!parsed.ok) {
  for (const error of parsed.errors) console.error(`${file}: row ${error.row}, column ${error.column}: ${error.message}`);
  console.error(`${parsed.errors.length} error(s); nothing installed.`);
  process.exit(2);
}
const roles = base.promotion.roles.length;
const skills = base.promotion.skills.length;
if (values.check) {
  console.error(`${file}: valid ${roles} x ${skills} matrix for base ${baseVersion}`);
  process.exit(0);
}

const catalog = {
  ...base,
  version: values.version!,
  label: values.label ?? `${base.label} with the importance matrix from ${file}`,
  provisional: !values.official,
  ...(values.official ? { provisionalReason: undefined } : {}),
  promotion: { ...base.promotion, importance: parsed.importance },
};
if (values.official) delete (catalog as { provisionalReason?: string }).provisionalReason;

try {
  const { created, summary } = await installCatalog(catalog, values.current, new Date());
  console.error(
    `${created ? 'installed' : 'already installed'}: ${summary.version} (${roles} roles x ${skills} skills) in ${target}${values.current ? ', now current' : ''}`,
  );
} catch (error) {
  fail(error instanceof Error ? error.message : String(error), 1);
}
