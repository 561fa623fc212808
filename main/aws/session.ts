import { AppError } from '../core/errors';
import type { SettingsService } from '../settings/settings-service';
import type { AwsIdentity, AwsConnectInput, AwsConfigView } from '../../common/contract/response';
import {
  AwsClients,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type CredentialsProvider,
  type Deadline,
  type Sleep,
} from './clients';
import { type CredentialSource, assumeRole, baseProvider } from './credentials';

const DEFAULT_REGION = 'us-east-1';

export interface AwsSessionDeps {
  settings: SettingsService;
  env: NodeJS.ProcessEnv;
  sleep?: Sleep;
  /** Test seam: when a call's request timeout expires (see Deadline). */
  deadline?: Deadline;
}

/**
 * A positive whole number of milliseconds from the environment, or undefined when unset. A value that is set but is no
 * such number is refused by name: ignored, `LARIAT_AWS_REQUEST_TIMEOUT_MS=5s` silently gave the default.
 */
function envMs(name: string, v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (Number.isInteger(n) && n > 0) return n;
  throw new AppError(
    'invalid-setting',
    `${name}=${v.slice(0, 40)} is not a number of milliseconds.`,
    `Set ${name} to a whole number above 0 (for example 30000), or unset it for the default.`,
  );
}

/** The endpoint override from the environment: an http(s) URL, refused by name otherwise (it failed as "AWS rejected ...: Invalid URL"). */
function envEndpoint(v: string | undefined): string | undefined {
  if (v === undefined || v === '') return undefined;
  let url: URL | null = null;
  try {
    url = new URL(v);
  } catch {
    url = null;
  }
  if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return v;
  throw new AppError(
    'invalid-setting',
    `LARIAT_AWS_ENDPOINT=${v.slice(0, 80)} is not an http(s) URL.`,
    'Set it to the endpoint URL (for example http://127.0.0.1:4566 for an emulator, or a VPC endpoint https://...), or unset it to reach AWS.',
  );
}

/**
 * Who Lariat acts as in AWS. Holds the credentials provider and the clients
 * built from it, in the main process only; the renderer sees `whoAmI()`
 * (account, ARN, profile, region) and nothing else.
 */
export class AwsSession {
  private current: { clients: AwsClients; identity: AwsIdentity } | null = null;

  constructor(private readonly deps: AwsSessionDeps) {}

  config(): AwsConfigView {
    const { settings, env } = this.deps;
    return {
      endpoint: envEndpoint(env.LARIAT_AWS_ENDPOINT) || settings.getRaw<string>('aws.endpoint') || null,
      endpointFromEnv: Boolean(env.LARIAT_AWS_ENDPOINT),
      maxAttempts: settings.getRaw<number>('aws.maxAttempts') ?? 5,
      connectTimeoutMs:
        envMs('LARIAT_AWS_CONNECT_TIMEOUT_MS', env.LARIAT_AWS_CONNECT_TIMEOUT_MS) ??
        settings.getRaw<number>('aws.connectTimeoutMs') ??
        DEFAULT_CONNECT_TIMEOUT_MS,
      requestTimeoutMs:
        envMs('LARIAT_AWS_REQUEST_TIMEOUT_MS', env.LARIAT_AWS_REQUEST_TIMEOUT_MS) ??
        settings.getRaw<number>('aws.requestTimeoutMs') ??
        DEFAULT_REQUEST_TIMEOUT_MS,
      defaultRegion: settings.getRaw<string>('aws.region') ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? DEFAULT_REGION,
      profile: settings.getRaw<string>('aws.profile') ?? env.AWS_PROFILE ?? null,
    };
  }

  updateConfig(patch: {
    endpoint?: string | null;
    maxAttempts?: number;
    defaultRegion?: string;
    connectTimeoutMs?: number;
    requestTimeoutMs?: number;
  }): AwsConfigView {
    if (patch.endpoint !== undefined) this.deps.settings.setRaw('aws.endpoint', patch.endpoint ?? '');
    if (patch.maxAttempts !== undefined) this.deps.settings.setRaw('aws.maxAttempts', patch.maxAttempts);
    if (patch.connectTimeoutMs !== undefined) this.deps.settings.setRaw('aws.connectTimeoutMs', patch.connectTimeoutMs);
    if (patch.requestTimeoutMs !== undefined) this.deps.settings.setRaw('aws.requestTimeoutMs', patch.requestTimeoutMs);
    if (patch.defaultRegion !== undefined) this.deps.settings.setRaw('aws.region', patch.defaultRegion);
    this.disconnect();
    return this.config();
  }

  whoAmI(): AwsIdentity {
    if (this.current) return this.current.identity;
    const c = this.config();
    return {
      connected: false,
      account: null,
      arn: null,
      profile: c.profile,
      region: c.defaultRegion,
      source: null,
      endpoint: c.endpoint,
      expiresAt: null,
    };
  }

  /** Connects (verifying with sts:GetCallerIdentity) and remembers the profile, never a secret. */
  async connect(input: AwsConnectInput): Promise<AwsIdentity> {
    const cfg = this.config();
    const region = input.region ?? cfg.defaultRegion;
    const source: CredentialSource =
      input.source === 'assume-role'
        ? {
            kind: 'assume-role',
            roleArn: input.roleArn!,
            profile: input.profile,
            externalId: input.externalId,
            mfaSerial: input.mfaSerial,
            mfaCode: input.mfaCode,
            sessionName: input.sessionName,
          }
        : input.source === 'profile'
          ? { kind: 'profile', profile: input.profile! }
          : { kind: 'default' };
    if (source.kind === 'assume-role' && !source.roleArn)
      throw new AppError('invalid-input', 'Assume-role needs a role ARN.', 'Enter the ARN of the role to assume in the target account.');
    if (source.kind === 'profile' && !source.profile)
      throw new AppError('invalid-input', 'Choose a profile to connect with.', 'Pick one of the profiles from ~/.aws/config.');
    this.disconnect();
    let provider = this.baseProvider(source);
    let expiresAt: string | null = null;
    if (source.kind === 'assume-role') {
      const base = this.makeClients(provider, cfg);
      try {
        const assumed = await assumeRole(base, region, source, source.sessionName ?? 'lariat-responder');
        provider = assumed.provider;
        expiresAt = assumed.expiration?.toISOString() ?? null;
      } finally {
        base.destroy();
      }
    }
    const clients = this.makeClients(provider, cfg);
    let who: { Account?: string; Arn?: string };
    try {
      who = await clients.call<{ Account?: string; Arn?: string }>('sts', region, 'GetCallerIdentity', {});
    } catch (err) {
      clients.destroy();
      throw err;
    }
    const profile = source.kind === 'default' ? (this.deps.env.AWS_PROFILE ?? null) : (source.profile ?? null);
    const identity: AwsIdentity = {
      connected: true,
      account: who.Account ?? null,
      arn: who.Arn ?? null,
      profile,
      region,
      source: source.kind,
      endpoint: cfg.endpoint,
      expiresAt,
    };
    if (source.kind === 'profile') this.deps.settings.setRaw('aws.profile', source.profile);
    this.deps.settings.setRaw('aws.region', region);
    this.current = { clients, identity };
    return identity;
  }

  disconnect(): void {
    this.current?.clients.destroy();
    this.current = null;
  }

  /** Clients for a response action; connects with the saved profile or the default chain when not connected yet (CLI). */
  async clients(): Promise<AwsClients> {
    if (!this.current) {
      const profile = this.deps.settings.getRaw<string>('aws.profile');
      await this.connect(profile ? { source: 'profile', profile } : { source: 'default' });
    }
    return this.current!.clients;
  }

  private baseProvider(source: CredentialSource): CredentialsProvider {
    const env = this.deps.env;
    // The injected environment wins, so the CLI and tests never read the process's own keys by accident.
    const namedProfile = source.kind === 'profile' || (source.kind === 'assume-role' && source.profile);
    if (!namedProfile && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
      const creds = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN };
      return async () => creds;
    }
    return baseProvider(source, env);
  }

  private makeClients(credentials: CredentialsProvider, cfg: AwsConfigView): AwsClients {
    return new AwsClients({
      credentials,
      endpoint: cfg.endpoint,
      maxAttempts: cfg.maxAttempts,
      connectTimeoutMs: cfg.connectTimeoutMs,
      requestTimeoutMs: cfg.requestTimeoutMs,
      sleep: this.deps.sleep,
      deadline: this.deps.deadline,
    });
  }
}
