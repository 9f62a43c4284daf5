import { CfnOutput, Fn, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { type IUserPool, type IUserPoolClient, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, type ITableV2, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IKey, Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { mainTable } from '../../shared/data/table';
import { Identity } from '../constructs/identity';
import type { EnvironmentSettings } from '../environments';

export interface KanryuDataStackProps extends StackProps {
  settings?: Pick<EnvironmentSettings, 'email'>;
}

/**
 * What the stateless stack reads of this one, each as a named export of this stack
 * (`<stack>-<name>`). Declared here rather than left to CDK's generated exports: CDK drops
 * a generated export as soon as its last consumer does, and CloudFormation refuses to
 * remove an export still imported, so the producer's deploy would fail first. Named here,
 * an export stays until removed on purpose (README, Deploy).
 */
const exported = [
  'TableName',
  'ServiceKeysArn',
  'CredentialSigningKeyArn',
  'LearnerPoolId',
  'LearnerPoolProviderUrl',
  'LearnerPoolClientId',
  'StaffPoolId',
  'StaffPoolProviderUrl',
  'StaffPoolClientId',
] as const;
type Exported = (typeof exported)[number];

const exportName = (dataStackName: string, name: Exported) => `${dataStackName}-${name}`;

/**
 * kanryu's state, in a stack of its own: the DynamoDB table, the service keyring, the
 * credential signing key and the two Cognito user pools (accounts, passwords, MFA
 * secrets). Each is retained if removed, the table also deletion protected, and the stack
 * termination protected. Everything that can be rebuilt from the code (API, functions,
 * workflows, queues, edge, alarms) is in the stateless stack (kanryu-stack.ts), which can be
 * replaced freely. Construct ids are those of the single stack this split from, so an
 * environment deployed before keeps these resources where they are.
 *
 * The table's definition is here (its keys and indexes come from shared/data/table.ts).
 */
export class KanryuDataStack extends Stack {
  readonly table: TableV2;
  readonly identity: Identity;

  constructor(scope: Construct, id: string, props: KanryuDataStackProps = {}) {
    super(scope, id, { terminationProtection: true, ...props });

    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: mainTable.partitionKey, type: AttributeType.STRING },
      sortKey: { name: mainTable.sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: mainTable.indexes.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType[index.projection],
      })),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: mainTable.timeToLiveAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Seals cursors and keys candidate handles. Rotate by adding a key and making it
    // current (shared/service-keys.ts): values under older keys stay readable.
    const serviceKeys = new Secret(this, 'ServiceKeys', {
      description: 'kanryu keyring: { current, <keyId>: <material> }',
      generateSecretString: { secretStringTemplate: JSON.stringify({ current: 'k1' }), generateStringKey: 'k1', passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(serviceKeys).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason:
        'A keyring rotated by adding a key and switching "current" (old keys stay readable until removed); a rotation Lambda replacing the value would break open cursors and proposals.',
    });

    // Signs Open Badges credentials (ES256); the private key never leaves KMS
    // (shared/credentials/signing-keys.ts). Asymmetric keys have no automatic rotation:
    // rotate by adding a key and listing it first in KANRYU_CREDENTIAL_KMS_KEYS; the old
    // key stays listed (its public key published) while credentials it signed are valid.
    const credentialKey = new Key(this, 'CredentialSigningKey', {
      description: 'kanryu: signs Open Badges 3.0 credentials and status lists (ES256)',
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(credentialKey).acknowledge({
      id: 'AwsSolutions::AwsSolutions-KMS5',
      reason:
        'KMS rotates only symmetric keys; this signing key is rotated by adding a new key first in the list the functions read (old keys stay published so issued credentials keep verifying).',
    });

    this.identity = new Identity(this, 'Identity', { email: props.settings?.email });

    const values: Record<Exported, string> = {
      TableName: this.table.tableName,
      ServiceKeysArn: serviceKeys.secretArn,
      CredentialSigningKeyArn: credentialKey.keyArn,
      LearnerPoolId: this.identity.learnerPool.userPoolId,
      LearnerPoolProviderUrl: this.identity.learnerPool.userPoolProviderUrl,
      LearnerPoolClientId: this.identity.learnerClient.userPoolClientId,
      StaffPoolId: this.identity.staffPool.userPoolId,
      StaffPoolProviderUrl: this.identity.staffPool.userPoolProviderUrl,
      StaffPoolClientId: this.identity.staffClient.userPoolClientId,
    };
    for (const name of exported) new CfnOutput(this, name, { value: values[name], exportName: exportName(this.stackName, name) });
  }
}

/** This stack's state as the stateless stacks see it: handles on the named exports, for grants and settings. */
export interface DataHandles {
  table: ITableV2;
  serviceKeys: ISecret;
  credentialKey: IKey;
  learnerPool: IUserPool;
  learnerClient: IUserPoolClient;
  staffPool: IUserPool;
  staffClient: IUserPoolClient;
  /** The settings every function verifying tokens reads (shared/config.ts). */
  authEnvironment: Record<string, string>;
}

/** Handles, in `scope`'s stack, on the state of the data stack named `dataStackName`. */
export function importData(scope: Construct, dataStackName: string): DataHandles {
  const value = (name: Exported) => Fn.importValue(exportName(dataStackName, name));
  const learnerPool = UserPool.fromUserPoolId(scope, 'LearnerPool', value('LearnerPoolId'));
  const staffPool = UserPool.fromUserPoolId(scope, 'StaffPool', value('StaffPoolId'));
  return {
    // Its ARN follows from the name, region and account (arn:…:table/<name>).
    table: TableV2.fromTableAttributes(scope, 'Table', { tableName: value('TableName'), grantIndexPermissions: true }),
    serviceKeys: Secret.fromSecretCompleteArn(scope, 'ServiceKeys', value('ServiceKeysArn')),
    credentialKey: Key.fromKeyArn(scope, 'CredentialSigningKey', value('CredentialSigningKeyArn')),
    learnerPool,
    learnerClient: UserPoolClient.fromUserPoolClientId(scope, 'LearnerClient', value('LearnerPoolClientId')),
    staffPool,
    staffClient: UserPoolClient.fromUserPoolClientId(scope, 'StaffClient', value('StaffPoolClientId')),
    authEnvironment: {
      AUTH_LEARNER_ISSUER: value('LearnerPoolProviderUrl'),
      AUTH_LEARNER_AUDIENCE: value('LearnerPoolClientId'),
      AUTH_STAFF_ISSUER: value('StaffPoolProviderUrl'),
      AUTH_STAFF_AUDIENCE: value('StaffPoolClientId'),
    },
  };
}
