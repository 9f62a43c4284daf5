import { Validations } from 'aws-cdk-lib';
import { CfnRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { servedMethods } from '../shared/http/route';
import { routeList } from '../shared/http/routes';
import type { KanryuStack } from './stacks/kanryu-stack';

/**
 * cdk-nag findings reviewed and accepted, each with the reason it does not apply. Fixable
 * findings are fixed in the stack instead (own IAM roles, access logs, PITR, throttling).
 */
export function acknowledgeReviewedFindings(stack: KanryuStack): void {
  const openRoutes = new Set(routeList.filter((r) => r.access.kind !== 'roles').flatMap((r) => servedMethods(r).map((method) => `${method} ${r.path}`)));
  // The routes are in the route families' nested stacks, under the stack.
  for (const child of stack.node.findAll()) {
    if (child instanceof CfnRoute && openRoutes.has(child.routeKey)) {
      Validations.of(child).acknowledge({
        id: 'AwsSolutions::AwsSolutions-APIG4',
        reason: `${child.routeKey} is public by the route table's declaration (health, OpenAPI, catalog reads, public progress); a token, when sent, is still verified in the handler.`,
      });
    }
  }
}
