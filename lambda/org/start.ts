/**
 * Starting an organization run: the schedule's event (or a manual request) becomes one execution of the state
 * machine whose name is the run id. The name is derived from the event as the single-account handler derives its run
 * id, so a duplicate delivery of the same event asks for the same name and Step Functions refuses the second start:
 * one run, one alert.
 */
import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { awsFailureText } from '../aws-failure.js';
import { parseInvocation } from '../live/invocation.js';

/** What the starter works with. */
export interface StartDependencies {
  sfn: SFNClient;
  stateMachineArn: string;
}

/** The run started, or found already started by an earlier delivery of the same event. */
export interface StartResult {
  runId: string;
  duplicate: boolean;
  executionArn?: string;
}

/** The starter over `deps`; an invalid event throws an InvocationError before anything starts. */
export function createStartHandler(deps: StartDependencies): (event: unknown, context: { awsRequestId: string }) => Promise<StartResult> {
  return async (event, context) => {
    const invocation = parseInvocation(event, context.awsRequestId);
    const input = {
      ...(invocation.regions ? { regions: invocation.regions } : {}),
      ...(invocation.clusters ? { clusters: invocation.clusters } : {}),
    };
    try {
      const started = await deps.sfn.send(
        new StartExecutionCommand({ stateMachineArn: deps.stateMachineArn, name: invocation.runId, input: JSON.stringify(input) }),
      );
      return { runId: invocation.runId, duplicate: false, ...(started.executionArn ? { executionArn: started.executionArn } : {}) };
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return { runId: invocation.runId, duplicate: true };
      throw new Error(`states:StartExecution of run ${invocation.runId} failed: ${awsFailureText(error)}`);
    }
  };
}
