import { AppError } from '../core/errors';
import { AwsClients, type Sleep } from '../aws/clients';
import { assumeRole } from '../aws/credentials';
import type { AwsSession } from '../aws/session';
import type { AccountInfo, AccountScope } from '../../common/contract/acquire';

export const DEFAULT_ROLE = 'LariatResponder';

/** AWS Organizations has one endpoint per partition. */
const ORGANIZATIONS_REGION: Record<string, string> = { aws: 'us-east-1', 'aws-us-gov': 'us-gov-west-1', 'aws-cn': 'cn-northwest-1' };

/** One account Lariat works in, with the clients that act there. */
export interface AccountTarget extends AccountInfo {
  clients: AwsClients | null;
}

/**
 * Reaches the accounts of an acquisition: the current identity's own
 * account with the session's clients, every other account through a role
 * assumed with those clients (sts:AssumeRole, one session per account,
 * cached for the operation). An account that cannot be reached is reported
 * with the reason, so one closed door does not stop the others.
 */
export class AccountAccess {
  private readonly assumed = new Map<string, AwsClients>();

  constructor(private readonly deps: { session: AwsSession; sleep?: Sleep }) {}

  /** The session's clients and who they act as (connecting with the saved profile when needed). */
  async base(): Promise<{ clients: AwsClients; account: string | null; partition: string; region: string }> {
    const clients = await this.deps.session.clients();
    const who = this.deps.session.whoAmI();
    const partition = who.arn?.split(':')[1] ?? 'aws';
    return { clients, account: who.account, partition, region: who.region };
  }

  /** Clients acting in `account`: the session's own when it is the current account, else a role there. */
  async forAccount(account: string, roleName = DEFAULT_ROLE, externalId?: string): Promise<{ clients: AwsClients; via: string }> {
    const base = await this.base();
    if (!base.account || base.account === account) return { clients: base.clients, via: 'current identity' };
    const roleArn = `arn:${base.partition}:iam::${account}:role/${roleName}`;
    const cached = this.assumed.get(roleArn);
    if (cached) return { clients: cached, via: roleArn };
    const { provider } = await assumeRole(base.clients, base.region, { kind: 'assume-role', roleArn, externalId }, 'lariat-acquire');
    const cfg = this.deps.session.config();
    const clients = new AwsClients({ credentials: provider, endpoint: cfg.endpoint, maxAttempts: cfg.maxAttempts, sleep: this.deps.sleep });
    this.assumed.set(roleArn, clients);
    return { clients, via: roleArn };
  }

  /**
   * The accounts of a scope: the current one when nothing is given; the
   * listed ones; and with `organization`, every active account of the AWS
   * Organization (organizations:ListAccounts, from the management or a
   * delegated administrator account).
   */
  async resolve(scope: AccountScope | undefined): Promise<AccountTarget[]> {
    const base = await this.base();
    const listed = new Map<string, Pick<AccountInfo, 'name' | 'email' | 'status'>>();
    for (const a of scope?.accounts ?? []) listed.set(a, { name: null, email: null, status: null });
    if (scope?.organization) {
      for (const a of await this.organizationAccounts(base.clients, base.partition)) listed.set(a.account, a);
    }
    if (listed.size === 0) {
      if (!base.account)
        throw new AppError('aws-no-account', 'AWS did not say which account Lariat acts in.', 'Reconnect to AWS (lariat aws whoami).');
      listed.set(base.account, { name: null, email: null, status: null });
    }
    const out: AccountTarget[] = [];
    for (const [account, info] of listed) {
      if (info.status && info.status !== 'ACTIVE') {
        out.push({ account, ...info, via: 'not reached', error: `account status ${info.status}`, clients: null });
        continue;
      }
      try {
        const { clients, via } = await this.forAccount(account, scope?.roleName, scope?.externalId);
        out.push({ account, ...info, via, error: null, clients });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const roleArn = `arn:${base.partition}:iam::${account}:role/${scope?.roleName ?? DEFAULT_ROLE}`;
        out.push({ account, ...info, via: roleArn, error: `${err.message} ${err.hint}`, clients: null });
      }
    }
    return out;
  }

  private async organizationAccounts(
    clients: AwsClients,
    partition: string,
  ): Promise<(Pick<AccountInfo, 'name' | 'email' | 'status'> & { account: string })[]> {
    const out: (Pick<AccountInfo, 'name' | 'email' | 'status'> & { account: string })[] = [];
    let NextToken: string | undefined;
    do {
      const page = await clients.call<{ Accounts?: { Id?: string; Name?: string; Email?: string; Status?: string }[]; NextToken?: string }>(
        'organizations',
        ORGANIZATIONS_REGION[partition] ?? 'us-east-1',
        'ListAccounts',
        NextToken ? { NextToken } : {},
      );
      for (const a of page.Accounts ?? [])
        if (a.Id) out.push({ account: a.Id, name: a.Name ?? null, email: a.Email ?? null, status: a.Status ?? null });
      NextToken = page.NextToken;
    } while (NextToken);
    return out;
  }

  /** Forgets the assumed-role sessions (their credentials live only in these clients). */
  destroy(): void {
    for (const c of this.assumed.values()) c.destroy();
    this.assumed.clear();
  }
}
