import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { KanryuStack } from './stacks/kanryu-stack';
import { acknowledgeReviewedFindings } from './nag-acknowledgements';

const app = new App();
const stack = new KanryuStack(app, 'Kanryu', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'ap-northeast-1' },
  description: 'kanryu: skills matching for regional digital talent',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
acknowledgeReviewedFindings(stack);
