import { NestedStack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/**
 * The family of a route: the first segment of its path after `/v1` (`/v1/learners/me` →
 * learners, `/xapi/statements` → xapi, `/health` → health).
 */
export function routeFamily(path: string): string {
  const [first, second] = path.split('/').filter(Boolean);
  const family = (first === 'v1' ? second : first) ?? 'root';
  return family.replace(/[^A-Za-z0-9-]/g, '') || 'root';
}

/**
 * The nested stacks that hold the routes' resources (function, role, integration, route,
 * invoke permission), one per route family, so no template nears CloudFormation's 500
 * resources however many routes the table gains: a family of 20 routes is about 100.
 *
 * A route stays in its family's stack for life: its family is its path's, and a route
 * that moved to another nested stack would be created there (its route key taken) before
 * being deleted from the old one, which API Gateway refuses. A new path family gets a new
 * nested stack, one resource of the parent.
 */
export class RouteGroups {
  private readonly groups = new Map<string, NestedStack>();

  constructor(private readonly scope: Construct) {}

  /** The nested stack of routes of this path's family. */
  of(path: string): NestedStack {
    const family = routeFamily(path);
    let group = this.groups.get(family);
    if (!group) {
      group = new NestedStack(this.scope, `Routes-${family}`, { description: `kanryu: the routes under ${family} (shared/http/routes.ts)` });
      this.groups.set(family, group);
    }
    return group;
  }

  get all(): NestedStack[] {
    return [...this.groups.values()];
  }
}
