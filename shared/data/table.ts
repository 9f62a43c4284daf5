/**
 * The one DynamoDB table, declared as data so the CDK stack and the local host create
 * the same thing. Single-table design: each entity module of shared/data/ declares its own
 * keys and access patterns (on the table or these indexes, through entity.ts).
 */
export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
  /** ALL copies every attribute into the index (and bills every write for it); KEYS_ONLY only the keys. */
  projection: 'ALL' | 'KEYS_ONLY';
}

export const mainTable = {
  /** Appended to the configured prefix locally; CDK names the table itself in AWS. */
  suffix: 'main',
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [
    /** Second access path of an entity: e.g. courses by provider, openings by prefecture. */
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'ALL' },
    /** Third access path: e.g. courses by skill item, candidates by prefecture. */
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: 'ALL' },
    /**
     * Sparse: records whose contribution to the progress aggregates is not yet applied.
     * Keys only: the aggregation reads the records themselves, consistently.
     */
    { name: 'pending', partitionKey: 'pendingShard', sortKey: 'pendingSince', projection: 'KEYS_ONLY' },
  ] satisfies IndexDefinition[],
  /** Epoch seconds after which an item may be deleted (idempotency records). */
  timeToLiveAttribute: 'expiresAt',
} as const;

export type IndexName = (typeof mainTable.indexes)[number]['name'];

/** CreateTable input for the local host and tests (on-demand, like the stack). */
export function createTableInput(tableName: string) {
  const keyAttributes = new Set<string>([mainTable.partitionKey, mainTable.sortKey]);
  for (const index of mainTable.indexes) {
    keyAttributes.add(index.partitionKey);
    keyAttributes.add(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...keyAttributes].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: mainTable.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: mainTable.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: mainTable.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: index.projection },
    })),
  };
}
