import { createApp } from './environments';

// `npx cdk synth|deploy [-c env=staging]`: the environment, its region and its stack name
// come from CDK context (cdk.json), whatever CDK_DEFAULT_REGION says (infra/environments.ts).
createApp();
