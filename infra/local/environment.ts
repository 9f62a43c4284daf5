import { join } from 'node:path';
import { mainTable } from '../../shared/data/table';
import { ensureTable } from '../../shared/data/table-admin';
import { localAuthEnvironment, loadOrCreateDevKey, loadOrCreateServiceKeyring, type DevKey } from './dev-key';
import { startEmbeddedDynamo, type EmbeddedDynamo } from './embedded-dynamo';
import { loadOrCreateCredentialKeys } from './credential-keys';

/** Settings of the local host and the local commands, from flags and environment. */
export interface LocalSettings {
  dataDir: string;
  /** Throwaway in-memory store instead of .data/dynamodb. */
  memory: boolean;
  port: number;
  /** Where the embedded DynamoDB listens, so other local commands can reach it. */
  dynamoPort: number;
  tablePrefix: string;
  /** An external DynamoDB (or compatible) endpoint: then nothing embedded is started. */
  externalEndpoint: string | undefined;
}

export function readLocalSettings(argv: readonly string[], env: NodeJS.ProcessEnv): LocalSettings {
  const number = (name: string, fallback: number) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new Error(`${name} must be a port number, got "${value}"`);
    return parsed;
  };
  const tablePrefix = env.TABLE_PREFIX ?? 'kanryu-';
  if (!/^[A-Za-z0-9_.-]{0,200}$/.test(tablePrefix)) throw new Error('TABLE_PREFIX may hold only letters, digits, _ . -');
  return {
    dataDir: env.KANRYU_DATA_DIR ?? join(process.cwd(), '.data'),
    memory: argv.includes('--memory'),
    port: number('PORT', 3000),
    dynamoPort: number('LOCAL_DYNAMODB_PORT', 4567),
    tablePrefix,
    externalEndpoint: env.DYNAMODB_ENDPOINT || undefined,
  };
}

export const localTableName = (settings: Pick<LocalSettings, 'tablePrefix'>) => `${settings.tablePrefix}${mainTable.suffix}`;

// The table is created through the data layer (shared/data/table-admin.ts); tests and benchmarks import it from here.
export { dropTable, ensureTable } from '../../shared/data/table-admin';

export interface LocalEnvironment {
  endpoint: string | undefined;
  tableName: string;
  key: DevKey;
  close(): Promise<void>;
}

/**
 * Starts (or connects to) DynamoDB, creates the table from the stack's definition and
 * exports the configuration the product reads on first use. Call before the first request
 * or data access (handler and data modules may be imported before).
 */
export async function prepareLocalEnvironment(settings: LocalSettings): Promise<LocalEnvironment> {
  // The SDK is pinned to a release that supports Node 20 (see package.json); its notice
  // about later releases is noise on every local start.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let embedded: EmbeddedDynamo | undefined;
  if (!settings.externalEndpoint) {
    embedded = await startEmbeddedDynamo({
      ...(settings.memory ? {} : { path: join(settings.dataDir, 'dynamodb') }),
      port: settings.dynamoPort,
    });
  }
  const endpoint = settings.externalEndpoint ?? embedded?.endpoint;
  const tableName = localTableName(settings);
  const key = await loadOrCreateDevKey(join(settings.dataDir, 'dev-signing-key.json'));
  process.env.AWS_REGION ??= 'ap-northeast-1';
  process.env.TABLE_NAME = tableName;
  if (endpoint) process.env.DYNAMODB_ENDPOINT = endpoint;
  Object.assign(process.env, localAuthEnvironment(key));
  process.env.KANRYU_SERVICE_KEYS = loadOrCreateServiceKeyring(join(settings.dataDir, 'service-keys.json'));
  process.env.KANRYU_CREDENTIAL_KEYS = loadOrCreateCredentialKeys(join(settings.dataDir, 'credential-signing-keys.json'));
  await ensureTable(endpoint, tableName, process.env.AWS_REGION);
  return { endpoint, tableName, key, close: async () => embedded?.close() };
}
