// Lambda entry of Custom::KmsSecret: one safe boundary that sends exactly one response per invocation.
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { createAwsPorts, type AwsPorts } from '../core/aws.ts';
import { httpTransport, submitResponse, type SubmitOptions } from '../core/cfn-response.ts';
import { CREATE_FAILED_MARKER } from '../core/constants.ts';
import { describeError } from '../core/errors.ts';
import { createLogger } from '../core/log.ts';
import { loggingSafeUrl } from '../core/redact.ts';
import { runLifecycle, type LifecycleResult } from './lifecycle.ts';

/** Everything the handler needs from outside, injected by the entry so unit tests run on fakes and fake timers. */
export interface HandlerDeps extends Omit<SubmitOptions, 'log'> {
  readonly ports: () => AwsPorts;
  readonly log: SubmitOptions['log'];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** FAILED is sent this long before Lambda would time out, leaving time for the PUT (aws-cdk integ-tests: 1.2 s). */
  readonly watchdogMarginMs?: number;
}

/** Builds the handler over injected ports, transport and logger (the unit tests' seam). */
export function createHandler(deps: HandlerDeps) {
  return async (event: CloudFormationCustomResourceEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<void> => {
    const ports = deps.ports();
    const oldId = event.RequestType === 'Create' ? undefined : event.PhysicalResourceId;
    const request = { requestType: event.RequestType, logicalResourceId: event.LogicalResourceId, physicalResourceId: oldId, responseUrl: loggingSafeUrl(event.ResponseURL) };
    deps.log.info('request', request);
    // A failed Create answers with the marker so the rollback Delete that follows is a no-op (aws-cdk's pattern).
    const failedId = oldId ?? CREATE_FAILED_MARKER;
    let timer: NodeJS.Timeout | undefined;
    const watchdog = new Promise<Error>((resolve) => {
      const delay = Math.max(0, context.getRemainingTimeInMillis() - (deps.watchdogMarginMs ?? 5000));
      timer = setTimeout(() => resolve(new Error(`kms-secrets provider timed out after ${Math.round(delay / 1000)} s; CloudFormation may retry`)), delay);
    });
    const outcome: LifecycleResult | Error = await Promise.race([
      runLifecycle(event, { kms: ports.kms, secrets: ports.secrets, env: deps.env }).catch((error: unknown) => (error instanceof Error ? error : new Error(describeError(error)))),
      watchdog,
    ]);
    clearTimeout(timer);
    const base = { StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, NoEcho: true };
    if (outcome instanceof Error) {
      deps.log.error('request failed', { ...request, error: describeError(outcome), errorName: outcome.name, calls: ports.calls });
      await submitResponse(event.ResponseURL, { ...base, Status: 'FAILED', Reason: describeError(outcome), PhysicalResourceId: failedId }, deps);
      return;
    }
    deps.log.info('request done', { ...request, secretName: outcome.secretName, outcome: outcome.outcome, calls: ports.calls });
    await submitResponse(event.ResponseURL, {
      ...base, Status: 'SUCCESS', PhysicalResourceId: outcome.physicalResourceId, ...(outcome.data ? { Data: outcome.data } : {}),
    }, deps);
  };
}

/** The Lambda handler: SDK clients are created once per container, on first use. */
export const handler = createHandler({ ports: () => createAwsPorts(), transport: httpTransport, log: createLogger(), env: process.env });
