/**
 * Errors shaped as the AWS SDK v3 raises them, so Lariat's error mapping
 * (code from `Code`/`name`, HTTP status from `$metadata`) sees exactly what it
 * would see from AWS.
 */
export function awsError(code: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), {
    name: code,
    Code: code,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, requestId: 'model-request', attempts: 1 },
  });
}

/** What the SDK raises when the connection drops before the reply arrived (the call may have been applied). */
export function connectionReset(): Error {
  return Object.assign(new Error('socket hang up'), { name: 'Error', code: 'ECONNRESET', $metadata: {} });
}

/** An HTTP 500 from the service: the client cannot know whether the change was applied. */
export function internalError(code = 'InternalError'): Error {
  return awsError(code, 'We encountered an internal error. Please try again.', 500);
}
