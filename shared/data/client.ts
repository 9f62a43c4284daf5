import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadDataConfig, type DataConfig } from '../config';

/**
 * One document client per process, created on first use (not at import): a tool, test or
 * benchmark may import data modules first and set the environment afterwards, and a
 * function that never touches the table never reads its settings. Against a local
 * endpoint (dynalite) credentials are a placeholder; against AWS the default chain applies.
 */
let config: DataConfig | undefined;
let client: DynamoDBDocumentClient | undefined;

const dataConfig = (): DataConfig => (config ??= loadDataConfig(process.env));

/** Where to reach DynamoDB: a local endpoint (dynalite) takes placeholder credentials; in AWS the default chain applies. */
export function endpointOptions(endpoint: string | undefined) {
  const local = !!endpoint && /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?/.test(endpoint);
  return {
    ...(endpoint ? { endpoint } : {}),
    ...(local && !process.env.AWS_ACCESS_KEY_ID ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  };
}

function createClient({ dynamoEndpoint, region }: DataConfig): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region,
      ...endpointOptions(dynamoEndpoint),
      maxAttempts: 4,
      // Without timeouts a connection that never answers would hold a request until the
      // Lambda times out; with them it fails over to the SDK's retries.
      requestHandler: { connectionTimeout: 1_000, requestTimeout: 5_000, throwOnRequestTimeout: true },
    }),
    { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } },
  );
}

/** The real document client, created (and the data configuration read and validated) on the first call. */
export const documentClient = (): DynamoDBDocumentClient => (client ??= createClient(dataConfig()));

const send = ((...args: Parameters<DynamoDBDocumentClient['send']>) => documentClient().send(...args)) as DynamoDBDocumentClient['send'];

/** `db.send(command)` as on a DocumentClient; the client behind it is made on the first send. */
export const db = {
  send,
  /** For SDK middleware (the benchmarks' capacity meter); creates the client. */
  get middlewareStack(): DynamoDBDocumentClient['middlewareStack'] {
    return documentClient().middlewareStack;
  },
};

/** The table's name (`TableName: table()`), from the data configuration, read on the first call. */
export const table = (): string => dataConfig().tableName;
