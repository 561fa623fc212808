import { AppError } from '../core/errors';
import { type AwsService, iamActionFor } from './operations';
import { redact } from './redact';

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'Forbidden',
  'AuthorizationError',
]);
const EXPIRED = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'TokenRefreshRequired',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'AuthFailure',
]);
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'SlowDown',
  'EC2ThrottledException',
  'PriorRequestNotComplete',
  'BandwidthLimitExceeded',
]);
const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EPIPE', 'NetworkingError']);
const TIMEOUT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ETIMEDOUT']);

/** Says what to do after a failure that may have interrupted a response action (and nothing wrong when there is none). */
const RETRY =
  'then try again; a response action that stopped resumes where it stopped (lariat respond resume <action>), each step first checking whether its change is already in place';

/** The error code AWS (or the SDK, or Node) attached to a failure. */
export function awsErrorCode(err: unknown): string {
  if (!err || typeof err !== 'object') return 'Unknown';
  const e = err as { name?: string; Code?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  return e.Code ?? e.code ?? e.name ?? 'Unknown';
}

/** The call got no answer in time (the SDK's socket timeout, or Lariat's own deadline). */
export function isTimeout(err: unknown): boolean {
  return TIMEOUT.has(awsErrorCode(err)) || TIMEOUT.has((err as { code?: string } | undefined)?.code ?? '');
}

/**
 * Whether AWS may have applied a call that failed: the reply was lost
 * (connection reset, timeout) or the service failed (HTTP 5xx). Callers
 * check the resource before treating such a failure as "not done".
 */
export function isAmbiguous(err: unknown): boolean {
  const cause = err instanceof AppError ? err.cause : err;
  if (err instanceof AppError && (err.code === 'aws-timeout' || err.code === 'aws-unreachable')) return true;
  const code = awsErrorCode(cause);
  const status = httpStatus(cause);
  return NETWORK.has(code) || TIMEOUT.has(code) || (status !== undefined && status >= 500);
}

export function timeoutError(
  service: AwsService,
  operation: string,
  clients: { endpoint: string | null; requestTimeoutMs: number },
  context = '',
  cause?: unknown,
): AppError {
  const where = context ? ` (${context})` : '';
  const seconds = Math.round(clients.requestTimeoutMs / 100) / 10;
  return new AppError(
    'aws-timeout',
    `AWS did not answer ${service}:${operation}${where} within ${seconds} s${clients.endpoint ? ` (endpoint ${clients.endpoint})` : ''}.`,
    `Check the network, VPN or proxy and the endpoint override (LARIAT_AWS_ENDPOINT or the Connect dialog); if the link is only slow, raise the request timeout (LARIAT_AWS_REQUEST_TIMEOUT_MS or setting aws.requestTimeoutMs), ${RETRY}.`,
    { cause },
  );
}

export function isThrottling(err: unknown): boolean {
  const e = err as { $retryable?: { throttling?: boolean } } | undefined;
  return THROTTLING.has(awsErrorCode(err)) || e?.$retryable?.throttling === true;
}

function httpStatus(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

/**
 * Turns an SDK failure into an AppError the investigator can act on: an
 * AccessDenied names the exact IAM action the call needed, an expired session
 * says how to reconnect, a missing resource says which one. The original is
 * kept as `cause` for the log; nothing secret is copied into the message.
 */
export function mapAwsError(err: unknown, service: AwsService, operation: string, context = ''): AppError {
  if (err instanceof AppError) return err;
  const code = awsErrorCode(err);
  // AWS messages can quote request values; never let a key id through.
  const raw = String(redact(err instanceof Error ? err.message : String(err)));
  const where = context ? ` (${context})` : '';
  const action = safeIamAction(service, operation);
  const call = `${service}:${operation}${where}`;
  if (ACCESS_DENIED.has(code) || (service === 's3' && httpStatus(err) === 403)) {
    return new AppError(
      'aws-access-denied',
      `AWS refused ${call}: the identity Lariat is acting as is not allowed ${action}.`,
      `Grant ${action} to that identity (Lariat's least-privilege policy is resources/iam/lariat-responder-policy.json), ${RETRY}.`,
      { cause: err },
    );
  }
  if (EXPIRED.has(code) || (/expired/i.test(raw) && /token|session|sso/i.test(raw))) {
    return new AppError(
      'aws-credentials-expired',
      `The AWS session expired or was rejected during ${call} (${code}).`,
      `Renew it (for SSO: \`aws sso login --profile <name>\`; for an assumed role: reconnect and enter a new MFA code), ${RETRY}.`,
      { cause: err },
    );
  }
  if (code === 'CredentialsProviderError' || /Could not load credentials/i.test(raw)) {
    return new AppError(
      'aws-no-credentials',
      'Lariat found no AWS credentials to use.',
      'Choose a profile (named, SSO or assume-role) in the AWS connection dialog, set AWS_PROFILE, or export credentials in the environment, then try again.',
      { cause: err },
    );
  }
  if (isThrottling(err)) {
    return new AppError('aws-throttled', `AWS kept throttling ${call} after several retries (${code}).`, `Wait a minute, ${RETRY}.`, {
      cause: err,
    });
  }
  if (/NotFound|NoSuch|Malformed/.test(code) || httpStatus(err) === 404) {
    return new AppError(
      'aws-not-found',
      `AWS could not find what ${call} referred to (${code}): ${raw}`,
      'Check the identifier and the region (and that Lariat is connected to the right account); the resource may have been deleted.',
      { cause: err },
    );
  }
  if (NETWORK.has(code) || NETWORK.has((err as { code?: string }).code ?? '')) {
    return new AppError(
      'aws-unreachable',
      `Lariat could not reach AWS for ${call} (${code}).`,
      `Check the network, proxy or the endpoint override (LARIAT_AWS_ENDPOINT / settings), ${RETRY}.`,
      { cause: err },
    );
  }
  if ((httpStatus(err) ?? 0) >= 500)
    return new AppError(
      'aws-service-error',
      `AWS failed ${call} on its side (${code}, HTTP ${httpStatus(err)}): ${raw}`,
      `This is usually temporary: wait a moment, ${RETRY}.`,
      { cause: err },
    );
  return new AppError('aws-error', `AWS rejected ${call}: ${code}: ${raw}`, `Read the AWS message above, fix the cause, ${RETRY}.`, {
    cause: err,
  });
}

function safeIamAction(service: AwsService, operation: string): string {
  try {
    return iamActionFor(service, operation);
  } catch {
    return `${service}:${operation}`;
  }
}
