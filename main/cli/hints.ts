import type { ErrorInfo } from '../../common/contract/errors';

/**
 * Hints that name the command-line way of doing what the app's hint names on screen. Operations are
 * shared by the app and the CLI, so an error's hint is written for the app; where the CLI differs
 * (there is no connection dialog in a terminal), the CLI prints its own.
 */
const CLI_HINTS: Record<string, string> = {
  'aws-no-credentials':
    'Pass --profile NAME (a named, SSO or assume-role profile from ~/.aws/config), or set AWS_PROFILE, or export ' +
    'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN); check with `lariat aws whoami`, then try again.',
};

/** The hint to print for an error in the terminal. */
export function cliHint(info: ErrorInfo): string {
  return CLI_HINTS[info.code] ?? info.hint;
}
