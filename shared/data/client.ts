import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadDataConfig } from '../config';

/**
 * One document client per process, created at cold start. Against a local endpoint
 * (dynalite) credentials are a placeholder; against AWS the default chain applies.
 */
const { dynamoEndpoint, region, tableName } = loadDataConfig(process.env);

const isLocalEndpoint = !!dynamoEndpoint && /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?/.test(dynamoEndpoint);

export const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    region,
    ...(dynamoEndpoint ? { endpoint: dynamoEndpoint } : {}),
    ...(isLocalEndpoint && !process.env.AWS_ACCESS_KEY_ID ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    maxAttempts: 4,
    // Without timeouts a connection that never answers would hold a request until the
    // Lambda times out; with them it fails over to the SDK's retries.
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 5_000, throwOnRequestTimeout: true },
  }),
  { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } },
);

export const table = tableName;
