/** Builders for CloudFormation custom-resource events and Lambda contexts, with `<RequestId>`-style placeholders. */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { RESOURCE_TYPE } from '../../core/constants.ts';

export const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/app-stack/1b2c3d4e-0000-1111-2222-333344445555';
let counter = 0;

type Props = Record<string, unknown>;

/** A Create event for `logicalId` with `props` (ServiceToken added). */
export function createEvent(responseUrl: string, logicalId: string, props: Props, stackId = STACK_ID): CloudFormationCustomResourceEvent {
  return {
    RequestType: 'Create', ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider', ResponseURL: responseUrl,
    StackId: stackId, RequestId: `<RequestId-${++counter}>`, LogicalResourceId: logicalId, ResourceType: RESOURCE_TYPE,
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider', ...props },
  } as CloudFormationCustomResourceEvent;
}

export function updateEvent(responseUrl: string, logicalId: string, physicalId: string, props: Props, oldProps: Props, stackId = STACK_ID): CloudFormationCustomResourceEvent {
  return {
    ...createEvent(responseUrl, logicalId, props, stackId), RequestType: 'Update', PhysicalResourceId: physicalId,
    OldResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider', ...oldProps },
  } as CloudFormationCustomResourceEvent;
}

export function deleteEvent(responseUrl: string, logicalId: string, physicalId: string, props: Props, stackId = STACK_ID): CloudFormationCustomResourceEvent {
  return { ...createEvent(responseUrl, logicalId, props, stackId), RequestType: 'Delete', PhysicalResourceId: physicalId } as CloudFormationCustomResourceEvent;
}

/** A Lambda context with `remainingMs` left (the provider runs with a 60 s timeout). */
export function lambdaContext(remainingMs = 60_000): { getRemainingTimeInMillis: () => number } {
  return { getRemainingTimeInMillis: () => remainingMs };
}
