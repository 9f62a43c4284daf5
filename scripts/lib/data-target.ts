import { localTableName, readLocalSettings } from '../../infra/local/environment';

/**
 * Points a command-line tool at the data: the running local host's embedded DynamoDB by
 * default; DYNAMODB_ENDPOINT for another server; KANRYU_TARGET=aws with TABLE_NAME for
 * the deployed table (credentials from the usual AWS chain). Call before the first data
 * access: the data client reads its configuration then (data modules may be imported before).
 */
export async function useDataTarget(): Promise<string> {
  const env = process.env;
  // The SDK is pinned to a release that supports Node 20 (see package.json); its notice
  // about later releases is noise on every local start.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (env.KANRYU_TARGET === 'aws') {
    if (!env.TABLE_NAME) throw new Error('KANRYU_TARGET=aws needs TABLE_NAME (the stack output TableName)');
    delete env.DYNAMODB_ENDPOINT;
    return `AWS table ${env.TABLE_NAME}`;
  }
  const settings = readLocalSettings([], env);
  env.TABLE_NAME ??= localTableName(settings);
  env.DYNAMODB_ENDPOINT ??= `http://127.0.0.1:${settings.dynamoPort}`;
  try {
    await fetch(env.DYNAMODB_ENDPOINT, { method: 'GET', signal: AbortSignal.timeout(2000) });
  } catch {
    throw new Error(`No DynamoDB at ${env.DYNAMODB_ENDPOINT}: start the local host (npm start) or set DYNAMODB_ENDPOINT.`);
  }
  return `table ${env.TABLE_NAME} at ${env.DYNAMODB_ENDPOINT}`;
}
