/**
 * The KmsSecrets macro Lambda: CloudFormation's macro event in, `{requestId, status, fragment, errorMessage}` out
 * (aws-facts.md §1.1-1.2). A thin shell over the pure transform. It never throws: every problem is a failure with a
 * one-line errorMessage saying what, where and what was expected, and no message ever holds a ciphertext.
 */
import { PROVIDER_ARN_ENV } from '../core/constants.ts';
import { isPlainObject } from './json.ts';
import { TemplateError, transformTemplate } from './transform.ts';

/** The response CloudFormation expects; `status` other than "success" fails the stack operation. */
export interface MacroResponse {
  readonly requestId: string;
  readonly status: 'success' | 'failure';
  readonly fragment: unknown;
  readonly errorMessage?: string;
}

// Stack events show the message after "Transform <account>::KmsSecrets failed with: "; keep it readable.
const MAX_MESSAGE = 1000;

/** Transforms the event's fragment; no state survives between calls (the environment is read on each one). */
export async function handler(event: unknown): Promise<MacroResponse> {
  const requestId = isPlainObject(event) && typeof event.requestId === 'string' ? event.requestId : '';
  const fragment = isPlainObject(event) ? event.fragment : undefined;
  const fail = (message: string): MacroResponse => {
    const errorMessage = message.replace(/\s*[\r\n]+\s*/g, ' ').slice(0, MAX_MESSAGE);
    console.log(JSON.stringify({ requestId, status: 'failure', errorMessage }));
    return { requestId, status: 'failure', fragment: fragment ?? {}, errorMessage };
  };
  try {
    if (!isPlainObject(event) || requestId === '') return fail('malformed macro event: expected an object with a "requestId" string');
    if (!isPlainObject(fragment)) return fail('malformed macro event: expected "fragment" to be the template object');
    const providerArn = process.env[PROVIDER_ARN_ENV];
    if (providerArn === undefined || !providerArn.startsWith('arn:')) {
      return fail(`the macro Lambda's environment variable ${PROVIDER_ARN_ENV} must hold the provider Lambda's ARN; it is ${providerArn === undefined ? 'unset' : 'not an ARN'}`);
    }
    const result = transformTemplate(fragment, { providerArn });
    return { requestId, status: 'success', fragment: result };
  } catch (error) {
    // Our errors carry a path and never a value; anything else is a bug whose message we do not trust to be safe.
    if (error instanceof TemplateError) return fail(error.message);
    return fail(`internal error in the KmsSecrets macro (${error instanceof Error ? error.name : typeof error}); the template was not changed`);
  }
}
