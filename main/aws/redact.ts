import { redactValue } from '../core/redact';

const MAX_STRING = 4096;

/**
 * A copy of an AWS request or result that is safe to store in the timeline,
 * the activity log and the step table: the one redaction of main/core/redact.ts
 * (credential-named fields, key ids, secret keys, session tokens, private keys,
 * signatures), plus big blobs (console output, screenshots, which are saved as
 * evidence instead) shortened to their length.
 */
export function redact(value: unknown): unknown {
  return redactValue(value, { maxString: MAX_STRING });
}

/** Plain-JSON form of a value (Dates to strings, undefined dropped), for storing. */
export function toJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null)) as unknown;
}
