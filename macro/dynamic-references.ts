/**
 * Counts the dynamic references (`{{resolve:...}}`) a transformed template will hold. CloudFormation resolves at most
 * MAX_DYNAMIC_REFERENCES per template; the macro refuses a template over the limit itself, naming where the first one
 * too many is, rather than leave CloudFormation to fail the stack operation later without saying where.
 */
import { MAX_DYNAMIC_REFERENCES } from '../core/constants.ts';
import { TransformError } from './errors.ts';

const DYNAMIC_REFERENCE = '{{resolve:';

/** A running count over one walk; `where` gives the walk's current path, asked only for the first reference too many. */
export class DynamicReferenceCounter {
  private readonly where: () => string;
  private count = 0;
  private excessAt: string | undefined;

  constructor(where: () => string) {
    this.where = where;
  }

  /** Counts the references written in a template string. */
  countIn(text: string): void {
    for (let at = text.indexOf(DYNAMIC_REFERENCE); at >= 0; at = text.indexOf(DYNAMIC_REFERENCE, at + 1)) this.add();
  }

  /** Counts one reference (a token that returns one). */
  add(): void {
    this.count += 1;
    if (this.count === MAX_DYNAMIC_REFERENCES + 1) this.excessAt = this.where();
  }

  /** Throws {@link TransformError} at the first reference too many when the count is over the limit. */
  check(): void {
    if (this.count <= MAX_DYNAMIC_REFERENCES) return;
    throw new TransformError(this.excessAt ?? '', `the template would hold ${this.count} dynamic references ({{resolve:...}}); `
      + `CloudFormation resolves at most ${MAX_DYNAMIC_REFERENCES} per template (use Return "ValueFrom" or "Arn" where a consumer accepts it)`);
  }
}
