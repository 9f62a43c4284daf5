import { NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

export type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };

interface View {
  name: string;
  template: {
    Resources: Record<string, Resource>;
    Outputs?: Record<string, { Value: unknown; Export?: { Name: string } }>;
    Parameters?: Record<string, unknown>;
  };
  /** For a nested stack: its parent's view and its AWS::CloudFormation::Stack resource there. */
  parent?: { view: View; logicalId: string };
}

/**
 * Every resource of the app's stacks, nested ones included, as one map keyed
 * `<stack path>/<logical id>`, each reference followed to what it names: a nested stack's
 * parameter to the parent's value, a nested output to the child's, an import to the
 * export's value, and a Ref or GetAtt of a resource to that resource's key. Assertions
 * can follow a route to its function and role whichever template each is in.
 */
export function allResources(root: IConstruct): Record<string, Resource> {
  const stacks = root.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  const views = new Map<Stack, View>();
  for (const stack of stacks) views.set(stack, { name: stack.node.path, template: Template.fromStack(stack).toJSON() as View['template'] });
  for (const stack of stacks) {
    if (!NestedStack.isNestedStack(stack)) continue;
    const resource = stack.nestedStackResource!;
    const parent = Stack.of(resource);
    views.get(stack)!.parent = { view: views.get(parent)!, logicalId: parent.resolve((resource as unknown as { logicalId: string }).logicalId) };
  }
  const all = [...views.values()];
  const childOf = (view: View, logicalId: string) => all.find((v) => v.parent?.view === view && v.parent.logicalId === logicalId);

  const resolve = (view: View, value: unknown): unknown => {
    if (Array.isArray(value)) return value.map((v) => resolve(view, v));
    if (value === null || typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    if (keys.length === 1 && keys[0] === 'Ref' && typeof object.Ref === 'string') {
      const name = object.Ref;
      if (view.template.Parameters?.[name] !== undefined && view.parent) {
        const { view: parent, logicalId } = view.parent;
        return resolve(parent, parent.template.Resources[logicalId]!.Properties.Parameters[name]);
      }
      return view.template.Resources[name] ? { Ref: `${view.name}/${name}` } : object;
    }
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      const [id, attribute] = object['Fn::GetAtt'] as [string, string];
      const child = childOf(view, id);
      if (child && attribute.startsWith('Outputs.')) return resolve(child, child.template.Outputs![attribute.slice('Outputs.'.length)]!.Value);
      return view.template.Resources[id] ? { 'Fn::GetAtt': [`${view.name}/${id}`, attribute] } : object;
    }
    if (keys.length === 1 && keys[0] === 'Fn::ImportValue' && typeof object['Fn::ImportValue'] === 'string') {
      for (const producer of all) {
        const output = Object.values(producer.template.Outputs ?? {}).find((o) => o.Export?.Name === object['Fn::ImportValue']);
        if (output) return resolve(producer, output.Value);
      }
      return object;
    }
    return Object.fromEntries(keys.map((k) => [k, resolve(view, object[k])]));
  };

  const resources: Record<string, Resource> = {};
  for (const view of all) {
    for (const [id, resource] of Object.entries(view.template.Resources)) {
      resources[`${view.name}/${id}`] = { ...resource, Properties: resolve(view, resource.Properties ?? {}) as Record<string, any> };
    }
  }
  return resources;
}
