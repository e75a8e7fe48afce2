/**
 * The errors of the macro's pure code. Each names where (`path`, e.g. `Resources.Db.Properties.MasterUserPassword`)
 * and what was expected; none ever carries a ciphertext or another value, only its type. Their own module so the
 * grammar, the walker and the transform can all throw them without importing each other.
 */

/** Something in a template or secrets file that kms-secrets refuses; entry points catch this one type. */
export class TemplateError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(path === '' ? message : `${path}: ${message}`);
    this.name = 'TemplateError';
    this.path = path;
  }
}

/** A token or secrets-file entry that breaks the grammar. */
export class TokenError extends TemplateError {
  constructor(path: string, message: string) {
    super(path, message);
    this.name = 'TokenError';
  }
}

/** A template the transform refuses as a whole (a token where none may stand, too many references, an ID clash). */
export class TransformError extends TemplateError {
  constructor(path: string, message: string) {
    super(path, message);
    this.name = 'TransformError';
  }
}
