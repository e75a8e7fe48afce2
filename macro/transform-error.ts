/**
 * The error of a template the transform refuses. Its own module so the walker and the transform can both throw it
 * without importing each other; callers import it from `transform.ts`, which re-exports it.
 */

/** A template the transform refuses; `path` is where (`Resources.Db.Properties.MasterUserPassword`). */
export class TransformError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(path === '' ? message : `${path}: ${message}`);
    this.name = 'TransformError';
    this.path = path;
  }
}
