import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { createTableInput } from './table';
import { endpointOptions } from './client';

/**
 * Creating and dropping the table, for the local host, tests and benchmarks (in AWS the
 * stack creates it). A client of its own, made for the call: the table is created before
 * the data configuration the product's client reads exists.
 */
function adminClient(endpoint: string | undefined, region: string) {
  return new DynamoDBClient({ region, ...endpointOptions(endpoint) });
}

/** Creates the table from the stack's definition (shared/data/table.ts) unless it exists. */
export async function ensureTable(endpoint: string | undefined, tableName: string, region: string): Promise<void> {
  const client = adminClient(endpoint, region);
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: tableName });
  } finally {
    client.destroy();
  }
}

/** Tests against an external endpoint clean up after themselves. */
export async function dropTable(endpoint: string | undefined, tableName: string, region: string): Promise<void> {
  const client = adminClient(endpoint, region);
  try {
    await client.send(new DeleteTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  } finally {
    client.destroy();
  }
}
