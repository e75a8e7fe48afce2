/** Explicit rejection assertions: the test fails when the promise resolves (never a try/catch that passes silently). */
import { expect } from 'chai';

/** Resolves with the error `promise` rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  let outcome: { resolved: true } | { error: unknown };
  try {
    await promise;
    outcome = { resolved: true };
  } catch (error) {
    outcome = { error };
  }
  expect(outcome, 'expected a rejection, but the promise resolved').to.have.property('error');
  const { error } = outcome as { error: unknown };
  expect(error).to.be.instanceOf(Error);
  return error as Error;
}
