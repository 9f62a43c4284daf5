import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  Errors,
  Fail,
  JsonPath,
  Map as MapState,
  Parallel,
  Pass,
  type StateMachine,
  Succeed,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
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
    const round = plan.next(eachPrefecture).next(summary);
    // The same machine runs a national matching cycle (an input with `cycleId`): no second
    // state machine, and the same two step functions, told the phase.
    const kind = new Choice(this, 'RoundOrCycle').when(Condition.isPresent('$.cycleId'), this.cycleBranch(steps.prefecture, steps.summary)).otherwise(round);
    this.stateMachine = workflowStateMachine(this, kind, {
      timeout: Duration.hours(1),
      steps: [steps.plan, steps.prefecture, steps.summary],
    });
  }

  /**
   * A national cycle (shared/workflows/match-cycle.ts): plan (the run's lease) -> Map(each
   * prefecture's fit rankings, stored) -> the one solve over the whole market -> Map(each
   * prefecture's proposals) -> finish. Any failure gives the cycle back to be run again
   * (and fails the execution).
   */
  private cycleBranch(prefectureStep: IFunction, wholeStep: IFunction) {
    const whole = (id: string, phase: string, payload: Record<string, unknown>, resultPath: string) =>
      new LambdaInvoke(this, id, {
        lambdaFunction: wholeStep,
        payloadResponseOnly: true,
        payload: TaskInput.fromObject({ phase, ...payload }),
        resultPath,
      });
    const eachPrefecture = (id: string, phase: string) => {
      const map = new MapState(this, id, {
        itemsPath: '$.plan.prefectures',
        maxConcurrency: 10,
        itemSelector: { 'plan.$': '$.plan', 'prefecture.$': '$$.Map.Item.Value', phase },
        resultPath: JsonPath.DISCARD,
      });
      const step = new LambdaInvoke(this, `${id}Step`, { lambdaFunction: prefectureStep, payloadResponseOnly: true });
      step.addRetry({ errors: ['Lambda.TooManyRequestsException'], interval: Duration.seconds(5), maxAttempts: 5, backoffRate: 2 });
      return map.itemProcessor(step);
    };
    const plan = whole('CyclePlan', 'plan', { cycleId: JsonPath.stringAt('$.cycleId') }, '$.plan');
    const giveUp = whole('CycleGiveUp', 'give-up', { cycleId: JsonPath.stringAt('$.cycleId'), error: JsonPath.objectAt('$.error') }, JsonPath.DISCARD);
    const run = eachPrefecture('CycleBuild', 'build')
      .next(whole('CycleSolve', 'solve', { plan: JsonPath.objectAt('$.plan') }, '$.result'))
      .next(eachPrefecture('CyclePublish', 'publish'))
      .next(whole('CycleFinish', 'finish', { plan: JsonPath.objectAt('$.plan'), result: JsonPath.objectAt('$.result') }, JsonPath.DISCARD));
    const body = new Parallel(this, 'CycleRun', { resultPath: JsonPath.DISCARD }).branch(run);
    // Given back, the execution still fails: the NationalRoundFailed alarm sees it.
    const failed = new Fail(this, 'CycleRunFailed', { error: 'CycleRunFailed', cause: 'The cycle was given back to be run again (its lastFailure says why).' });
    body.addCatch(giveUp.next(failed), { errors: [Errors.ALL], resultPath: '$.error' });
    // Another delivery holds the cycle, or it is no longer running: nothing to do.
    return plan.next(new Choice(this, 'CycleLeased').when(Condition.isPresent('$.plan.lease'), body).otherwise(new Succeed(this, 'CycleNotRunning')));
  }
}
