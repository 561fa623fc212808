/**
 * One redaction for everything Lariat writes about itself: the log file, the AWS request and result
 * copies stored with response steps, and error messages. Secrets are recognised two ways, because
 * either alone misses some: by the NAME of the field that holds them (`SecretAccessKey`,
 * `sessionToken`, `Authorization`...), and by the SHAPE of the value wherever it appears in free text
 * (an access key id inside an SDK error message, a PEM key pasted into a note that later fails to save).
 *
 * Evidence is never passed through here: imported CloudTrail keeps its `responseElements` byte for
 * byte (it is evidence), inside the case database, which is private to the investigator (0600).
 */

/** Field names whose values are secrets whatever they look like. */
export const SECRET_FIELD =
  /secret|password|passphrase|sessiontoken|session_token|security.?token|^token$|tokencode|credentials?$|private.?key|authorization|signature|externalid|^cookie$|^x-amz-credential$/i;

const PEM_PRIVATE = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g;
/** Long-term (AKIA) and temporary (ASIA) access key ids: the prefix is kept so a log still says which kind was used. */
const KEY_ID = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g;
/** STS session tokens begin with a few well-known base64 prefixes (the serialised token header). */
const SESSION_TOKEN = /(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz|AQoDYXdz|AgoJb3JpZ2lu)[A-Za-z0-9/+=]{8,}/g;
/** `key=value` forms of credentials and signatures: SigV4 headers and presigned URLs, ini files, env dumps. */
const ASSIGNED =
  /\b(X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential|Signature|Credential|aws_secret_access_key|aws_session_token|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN)(\s*[=:]\s*)("?)[^\s&,"']+/g;
/** A 40-character secret access key: base64 alphabet, mixed case (which a hex SHA-1 never is). */
const SECRET_KEY_SHAPE = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
/** Any long base64 run (tokens, signatures, key material); hashes in hex are shorter or not base64-mixed. */
const LONG_BASE64 = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{80,}={0,2}(?![A-Za-z0-9/+=])/g;

const looksLikeSecretKey = (s: string): boolean => /[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9/+]/.test(s);

/** Replaces every secret-shaped part of a text. Cheap enough to run on every log line. */
export function redactText(text: string): string {
  if (text.length === 0) return text;
  return text
    .replace(PEM_PRIVATE, '[private key redacted]')
    .replace(ASSIGNED, (_m, name: string, sep: string, quote: string) => `${name}${sep}${quote}[redacted]`)
    .replace(SESSION_TOKEN, '[session token redacted]')
    .replace(KEY_ID, (m) => `${m.slice(0, 4)}[redacted]`)
    .replace(LONG_BASE64, (m) => (looksLikeSecretKey(m) ? `[${m.length} characters redacted]` : m))
    .replace(SECRET_KEY_SHAPE, (m) => (looksLikeSecretKey(m) ? '[secret redacted]' : m));
}

export interface RedactOptions {
  /** Strings longer than this are replaced by their length (big blobs are saved as evidence, not copied around). */
  maxString?: number;
  maxDepth?: number;
}

/**
 * A redacted, plain copy of any value: secret-named fields become `[redacted]`, every string goes
 * through `redactText`, binary becomes its length, errors become `{ name, message, code, stack }`.
 */
export function redactValue(value: unknown, options: RedactOptions = {}, depth = 0): unknown {
  const maxDepth = options.maxDepth ?? 20;
  if (depth > maxDepth) return '[nested too deep]';
  if (typeof value === 'string') {
    const clean = redactText(value);
    return options.maxString && clean.length > options.maxString ? `[${clean.length} characters, not stored here]` : clean;
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, options, depth + 1));
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof Error) return redactValue(errorFields(value), options, depth + 1);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$metadata' && v && typeof v === 'object') {
        const m = v as { requestId?: string; httpStatusCode?: number };
        out.$metadata = { requestId: m.requestId, httpStatusCode: m.httpStatusCode };
      } else if (SECRET_FIELD.test(k) && v != null) out[k] = '[redacted]';
      else out[k] = redactValue(v, options, depth + 1);
    }
    return out;
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return `[${typeof value}]`;
  return value;
}

/** The parts of an error worth logging, without the request/response objects SDK errors carry. */
function errorFields(err: Error): Record<string, unknown> {
  const e = err as Error & { code?: unknown; $metadata?: unknown; cause?: unknown };
  const out: Record<string, unknown> = { name: e.name, message: e.message };
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  if (e.$metadata) out.$metadata = e.$metadata;
  if (e.stack) out.stack = e.stack;
  if (e.cause !== undefined) out.cause = e.cause instanceof Error ? { name: e.cause.name, message: e.cause.message } : String(e.cause);
  return out;
}
