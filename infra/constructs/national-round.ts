import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Errors, JsonPath, Map as MapState, Pass, type StateMachine, TaskInput } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { workflowStateMachine } from './workflow-defaults';

/**
 * The national matching round: plan -> Map over prefectures (one Lambda invocation each,
 * retried on Lambda service errors and throttling) -> summary. A prefecture that still
 * fails is caught and recorded as `{ prefecture, failed: true, error }`: the other
 * prefectures finish and the summary lists it (shared/workflows/national-round.ts, which
 * the local host runs the same way). Execution logs carry no execution data: inputs and
 * outputs hold learner ids.
 */
export class NationalRoundStateMachine extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, steps: { plan: IFunction; prefecture: IFunction; summary: IFunction }) {
    super(scope, id);
    const plan = new LambdaInvoke(this, 'Plan', { lambdaFunction: steps.plan, payloadResponseOnly: true });
    const eachPrefecture = new MapState(this, 'EachPrefecture', {
      itemsPath: '$.prefectures',
      maxConcurrency: 10,
      itemSelector: { 'plan.$': '$', 'prefecture.$': '$$.Map.Item.Value' },
      resultPath: '$.outcomes',
    });
    const prefecture = new LambdaInvoke(this, 'Prefecture', { lambdaFunction: steps.prefecture, payloadResponseOnly: true });
    // A throttled invocation never ran: try again. A function error is not retried: the step
    // is not idempotent (each attempt makes a new run), and a rerun belongs to the operator.
    prefecture.addRetry({ errors: ['Lambda.TooManyRequestsException'], interval: Duration.seconds(5), maxAttempts: 5, backoffRate: 2 });
    const recordFailure = new Pass(this, 'RecordFailure', {
      comment: 'The failed prefecture as an outcome; the plan is dropped so the Map result stays small.',
      parameters: { 'prefecture.$': '$.prefecture', failed: true, 'error.$': '$.error' },
    });
    prefecture.addCatch(recordFailure, { errors: [Errors.ALL], resultPath: '$.error' });
    eachPrefecture.itemProcessor(prefecture);
    const summary = new LambdaInvoke(this, 'Summary', {
      lambdaFunction: steps.summary,
      payloadResponseOnly: true,
      payload: TaskInput.fromObject({ plan: JsonPath.objectAt('$'), outcomes: JsonPath.listAt('$.outcomes') }),
    });
    this.stateMachine = workflowStateMachine(this, plan.next(eachPrefecture).next(summary), {
      timeout: Duration.hours(1),
      steps: [steps.plan, steps.prefecture, steps.summary],
    });
  }
}
