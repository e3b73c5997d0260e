import { KatalogError } from '../core/errors.js';

const DATE = /^\d{4}-\d\d-\d\d$/;
const DATE_TIME = /^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:?\d\d|[+-]\d\d)$/;

/**
 * A time a client gives (`modifiedSince`, `modifiedBefore`) as ISO 8601 in UTC: an RFC 3339
 * date-time, or a date (its midnight UTC). Anything Date cannot read is an invalid-request naming the
 * parameter. RFC 3339 allows second 60 (a leap second), which Date cannot hold: it is read as the
 * last millisecond of its minute (23:59:59.999), not as the next second, so that a harvester asking
 * from a leap second gets every change stamped from it on (one served twice is harmless, one missed
 * is not).
 */
export function readTime(value: string, parameter: string): string {
  const text = value.trim();
  const time = DATE.test(text)
    ? Date.parse(`${text}T00:00:00Z`)
    : DATE_TIME.test(text)
      ? Date.parse(text.replace(/([T\s]\d\d:\d\d):60(\.\d+)?/i, '$1:59.999'))
      : NaN;
  if (Number.isNaN(time)) {
    throw new KatalogError(
      'invalid-request',
      `${parameter} is not a date-time this server can read: give it as in 2024-01-31, 2024-01-31T12:00:00Z or 2024-01-31T13:00:00+01:00.`,
    );
  }
  return new Date(time).toISOString();
}
