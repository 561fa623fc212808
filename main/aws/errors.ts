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
const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'TimeoutError', 'NetworkingError']);

/** The error code AWS (or the SDK, or Node) attached to a failure. */
export function awsErrorCode(err: unknown): string {
  if (!err || typeof err !== 'object') return 'Unknown';
  const e = err as { name?: string; Code?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  return e.Code ?? e.code ?? e.name ?? 'Unknown';
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
      `Grant ${action} to that identity (Lariat's least-privilege policy is resources/iam/lariat-responder-policy.json), then resume the action; steps that already succeeded are not repeated.`,
      { cause: err },
    );
  }
  if (EXPIRED.has(code) || (/expired/i.test(raw) && /token|session|sso/i.test(raw))) {
    return new AppError(
      'aws-credentials-expired',
      `The AWS session expired or was rejected during ${call} (${code}).`,
      'Renew it (for SSO: `aws sso login --profile <name>`; for an assumed role: reconnect and enter a new MFA code), then resume.',
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
    return new AppError(
      'aws-throttled',
      `AWS kept throttling ${call} after several retries (${code}).`,
      'Wait a minute and resume; nothing that succeeded will be repeated.',
      { cause: err },
    );
  }
  if (/NotFound|NoSuch|Malformed/.test(code) || httpStatus(err) === 404) {
    return new AppError(
      'aws-not-found',
      `AWS could not find what ${call} referred to (${code}): ${raw}`,
      'Check the identifier and the region; the resource may have been deleted or be in another account.',
      { cause: err },
    );
  }
  if (NETWORK.has(code) || NETWORK.has((err as { code?: string }).code ?? '')) {
    return new AppError(
      'aws-unreachable',
      `Lariat could not reach AWS for ${call} (${code}).`,
      'Check the network, proxy or the endpoint override (LARIAT_AWS_ENDPOINT / settings), then try again; an interrupted action resumes where it stopped.',
      { cause: err },
    );
  }
  return new AppError(
    'aws-error',
    `AWS rejected ${call}: ${code}: ${raw}`,
    'Read the AWS message above; fix the cause and resume the action.',
    { cause: err },
  );
}

function safeIamAction(service: AwsService, operation: string): string {
  try {
    return iamActionFor(service, operation);
  } catch {
    return `${service}:${operation}`;
  }
}
