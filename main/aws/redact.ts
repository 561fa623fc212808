const SECRET_KEY =
  /secret|password|passphrase|sessiontoken|session_token|^token$|tokencode|credentials?$|privatekey|authorization|signature|externalid/i;
const KEY_ID = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g;
const MAX_STRING = 4096;

/**
 * A copy of an AWS request or result that is safe to store in the timeline,
 * the activity log and the step table: credential-looking fields and access
 * key ids are replaced, and big blobs (console output, screenshots, which are
 * saved as evidence instead) are shortened to their length.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 20) return '[nested too deep]';
  if (typeof value === 'string') {
    const clean = value.replace(KEY_ID, (m) => `${m.slice(0, 4)}[redacted]`);
    return clean.length > MAX_STRING ? `[${clean.length} characters, not stored here]` : clean;
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$metadata') {
        const m = v as { requestId?: string; httpStatusCode?: number };
        out.$metadata = { requestId: m.requestId, httpStatusCode: m.httpStatusCode };
      } else if (SECRET_KEY.test(k) && v != null) out[k] = '[redacted]';
      else out[k] = redact(v, depth + 1);
    }
    return out;
  }
  return value;
}

/** Plain-JSON form of a value (Dates to strings, undefined dropped), for storing. */
export function toJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null)) as unknown;
}
