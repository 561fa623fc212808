import { OrganizationsClient, type ListAccountsCommandInput } from '@aws-sdk/client-organizations';
import { h, type ModelModule } from '../types';

export interface OrgAccount {
  Id: string;
  Name: string;
  Email: string;
  Status: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';
}

export interface OrganizationsState {
  /** The management account; ListAccounts from any other account is refused as AWS refuses it. Null: no organization. */
  management: string | null;
  accounts: OrgAccount[];
}

/** AWS's page size for ListAccounts is at most 20; the model uses 2 by default so pagination is always exercised. */
const PAGE = 2;

/** AWS Organizations (global): the accounts of the organization, listed page by page. */
export const organizations: ModelModule<OrganizationsState> = {
  name: 'organizations',
  service: 'organizations',
  client: OrganizationsClient,
  scope: 'global',
  throttlingCode: 'TooManyRequestsException',
  initial: () => ({ management: null, accounts: [] }),
  handlers: {
    ListAccounts: h<ListAccountsCommandInput, OrganizationsState>((i, ctx) => {
      if (!ctx.state.management)
        return ctx.error('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.', 400);
      if (ctx.account !== ctx.state.management)
        return ctx.error('AccessDeniedException', "You don't have permissions to access this resource.", 400);
      const size = Math.min(i.MaxResults ?? PAGE, PAGE);
      const start = i.NextToken ? Number(/^page-(\d+)$/.exec(i.NextToken)?.[1] ?? NaN) : 0;
      if (!Number.isInteger(start) || start > ctx.state.accounts.length)
        return ctx.error('InvalidInputException', 'The NextToken value is not valid.', 400);
      const page = ctx.state.accounts.slice(start, start + size);
      const next = start + size < ctx.state.accounts.length ? `page-${start + size}` : undefined;
      return {
        Accounts: page.map((a) => ({ ...a, Arn: `arn:aws:organizations::${ctx.state.management}:account/o-model/${a.Id}` })),
        NextToken: next,
      };
    }),
  },
};
