import type { Command } from 'commander';
import { type CliContext } from '../context';
import { type ConnectOpts, connect, connectOptions, showOrRun } from './respond-shared';

/** `lariat respond credentials|role-sessions`: IAM user, access key and role session containment. */
export function registerCredentialCommands(respond: Command, ctx: CliContext): void {
  connectOptions(
    respond
      .command('credentials')
      .description(
        'IAM user / access key compromise: save the user as evidence, deactivate keys (never delete), deny all, optionally delete the console password and MFA devices added in the incident window',
      ),
  )
    .requiredOption('--case <case>', 'case number')
    .option('--access-key-id <id>', 'the leaked access key (resolved to its user)')
    .option('--user <name>', 'the IAM user name (or --user-arn)')
    .option('--user-arn <arn>', 'the IAM user ARN')
    .option('--region <region>', 'region for the calls and CloudTrail checks (default: the session region)')
    .option(
      '--key <id>',
      'deactivate this key (repeatable; default: the key given, or every active key)',
      (v: string, p: string[] = []) => [...p, v],
    )
    .option('--no-deny-all', 'do not put the LariatDenyAll inline policy on the user')
    .option('--delete-login-profile', 'delete the console password (release cannot give it back)')
    .option('--mfa-since <time>', 'deactivate MFA devices enabled at or after this ISO-8601 time')
    .option('--plan', 'print the plan (every AWS call with its parameters) and stop; nothing changes')
    .option('--yes', 'do not ask for the user name (only after reviewing the plan)')
    .option('--json', 'print JSON')
    .action(
      async (
        o: ConnectOpts & {
          case: string;
          accessKeyId?: string;
          user?: string;
          userArn?: string;
          region?: string;
          key?: string[];
          denyAll: boolean;
          deleteLoginProfile?: boolean;
          mfaSince?: string;
          plan?: boolean;
          yes?: boolean;
          json?: boolean;
        },
      ) => {
        await connect(ctx, o, o.region);
        const options = Object.fromEntries(
          Object.entries({
            accessKeyIds: o.key,
            denyAll: o.denyAll,
            deleteLoginProfile: o.deleteLoginProfile,
            mfaEnabledSince: o.mfaSince,
          }).filter(([, v]) => v !== undefined),
        );
        const planned = await ctx.op('planAction', {
          kind: 'credentials',
          caseNumber: o.case,
          region: o.region,
          accessKeyId: o.accessKeyId,
          userName: o.user,
          userArn: o.userArn,
          options,
        });
        await showOrRun(ctx, planned, o);
      },
    );
  connectOptions(
    respond
      .command('role-sessions')
      .description("revoke a role's active sessions: the AWSRevokeOlderSessions deny on aws:TokenIssueTime (as the IAM console writes it)"),
  )
    .requiredOption('--case <case>', 'case number')
    .requiredOption('--role <name>', 'role name or ARN (service-linked roles are refused)')
    .option('--region <region>', 'region for the calls (default: the session region)')
    .option('--plan', 'print the plan (every AWS call with its parameters) and stop; nothing changes')
    .option('--yes', 'do not ask for the role name (only after reviewing the plan)')
    .option('--json', 'print JSON')
    .action(async (o: ConnectOpts & { case: string; role: string; region?: string; plan?: boolean; yes?: boolean; json?: boolean }) => {
      await connect(ctx, o, o.region);
      const planned = await ctx.op('planAction', {
        kind: 'role-sessions',
        caseNumber: o.case,
        region: o.region,
        role: o.role,
        options: {},
      });
      await showOrRun(ctx, planned, o);
    });
}
