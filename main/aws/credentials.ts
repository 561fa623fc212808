import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sdk } from './sdk';
import { AppError } from '../core/errors';
import type { AwsClients, AwsCredentials, CredentialsProvider } from './clients';

/**
 * Where Lariat's AWS identity comes from. Only the profile name and role ARN
 * are ever kept (in settings); an MFA code is used once for AssumeRole and
 * dropped, keys and tokens never leave this process.
 */
export type CredentialSource =
  | { kind: 'default' }
  | { kind: 'profile'; profile: string }
  | {
      kind: 'assume-role';
      profile?: string;
      roleArn: string;
      externalId?: string;
      mfaSerial?: string;
      mfaCode?: string;
      sessionName?: string;
    };

/** The SDK's own chain (env, SSO, named, process, IMDS) or one named profile (named, SSO or role profile from ~/.aws/config). */
export function baseProvider(source: CredentialSource, env: NodeJS.ProcessEnv): CredentialsProvider {
  const profile = source.kind === 'profile' ? source.profile : source.kind === 'assume-role' ? source.profile : undefined;
  if (profile) return sdk.credentials().fromIni({ profile, ignoreCache: true }) as CredentialsProvider;
  return sdk.credentials().fromNodeProviderChain(env.AWS_PROFILE ? { profile: env.AWS_PROFILE } : {}) as CredentialsProvider;
}

/**
 * Assumes a role with the base credentials once (the MFA code is single use)
 * and serves the temporary credentials until they expire; then it refuses
 * with a hint to reconnect instead of silently asking for a new code.
 */
export async function assumeRole(
  base: AwsClients,
  region: string,
  source: Extract<CredentialSource, { kind: 'assume-role' }>,
  sessionName: string,
): Promise<{ provider: CredentialsProvider; expiration: Date | null }> {
  const params: Record<string, unknown> = { RoleArn: source.roleArn, RoleSessionName: sessionName, DurationSeconds: 3600 };
  if (source.externalId) params.ExternalId = source.externalId;
  if (source.mfaSerial) {
    if (!source.mfaCode)
      throw new AppError(
        'aws-mfa-required',
        `Assuming ${source.roleArn} needs an MFA code.`,
        'Enter the current code from the MFA device and connect again.',
      );
    params.SerialNumber = source.mfaSerial;
    params.TokenCode = source.mfaCode;
  }
  const out = await base.call<{
    Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date };
  }>('sts', region, 'AssumeRole', params);
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey)
    throw new AppError(
      'aws-error',
      `AssumeRole into ${source.roleArn} returned no credentials.`,
      'Check the role trust policy and try again.',
    );
  const creds: AwsCredentials = {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
  };
  const expiration = c.Expiration ? new Date(c.Expiration) : null;
  return {
    expiration,
    provider: async () => {
      if (expiration && expiration.getTime() <= Date.now()) {
        throw new AppError(
          'aws-credentials-expired',
          `The assumed-role session for ${source.roleArn} expired at ${expiration.toISOString()}.`,
          'Reconnect to AWS (enter a new MFA code if the role needs one), then resume.',
        );
      }
      return creds;
    },
  };
}

/** Profile names from ~/.aws/config and ~/.aws/credentials (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE honoured), for the connection picker. */
export function listProfiles(env: NodeJS.ProcessEnv): string[] {
  const home = os.homedir();
  const files = [
    env.AWS_CONFIG_FILE ?? path.join(home, '.aws', 'config'),
    env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(home, '.aws', 'credentials'),
  ];
  const names = new Set<string>();
  for (const [i, file] of files.entries()) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(/^\s*\[\s*([^\]]+?)\s*\]\s*$/gm)) {
      const section = m[1]!;
      if (i === 0) {
        if (section === 'default') names.add('default');
        else if (section.startsWith('profile ')) names.add(section.slice(8).trim());
      } else names.add(section);
    }
  }
  return [...names].sort();
}
