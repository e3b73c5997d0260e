/**
 * Typed errors with stable codes. The core throws these; the HTTP edge maps each code to a status
 * and an RFC 9457 problem type in one table (src/http/problem.ts).
 */
export type ErrorCode =
  | 'rdf-syntax'
  | 'invalid-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'not-acceptable'
  | 'conflict'
  | 'precondition-failed'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'shacl-violation'
  | 'unrepresentable'
  | 'too-many-requests'
  | 'store-unavailable'
  | 'budget-exceeded'
  | 'too-many-clients'
  | 'internal';

export class KatalogError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'KatalogError';
  }
}

/** A syntax error in an RDF document, with the 1-based line and column where it was found. */
export class RdfSyntaxError extends KatalogError {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super('rdf-syntax', message, { line, column });
    this.name = 'RdfSyntaxError';
  }
}
