/**
 * A recognizable plaintext for tests: every test that touches a secret ends by asserting it appears in no captured
 * log line, response body, error message or stdout/stderr.
 */
import { expect } from 'chai';

export const CANARY_PLAINTEXT = 'CANARY-9f3b1c-plaintext';

/** Asserts the canary (and any extra forbidden strings, such as a ResponseURL query) occurs in none of `texts`. */
export function expectNoCanary(texts: readonly string[], forbidden: readonly string[] = []): void {
  expect(texts.length, 'there must be captured output to check').to.be.greaterThan(0);
  for (const needle of [CANARY_PLAINTEXT, ...forbidden]) {
    const leaks = texts.filter((text) => text.includes(needle));
    expect(leaks, `"${needle}" leaked into captured output`).to.deep.equal([]);
  }
}
