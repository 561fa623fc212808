import type { Command } from 'commander';
import { type CliContext, printJson, table } from '../context';
import { parseInput } from '../parse';
import { responseContract, type AwsIdentity } from '../../../common/contract/response';
import { type ConnectOpts, connect, connectOptions } from './respond-shared';

/** `lariat aws whoami|find`: who Lariat acts as, and finding EC2 instances for a case. */
export function registerAwsDiscovery(program: Command, ctx: CliContext): void {
  const aws = program.command('aws').description('AWS identity and instance discovery');
  connectOptions(aws.command('whoami').description('show who Lariat acts as in AWS (sts:GetCallerIdentity)'))
    .option('--region <region>', 'region for STS')
    .option('--json', 'print JSON')
    .action(async (o: ConnectOpts & { region?: string; json?: boolean }) => {
      let who: AwsIdentity;
      if (o.profile || o.roleArn) {
        await connect(ctx, o, o.region);
        who = await ctx.op('awsWhoAmI', {});
      } else {
        // The saved profile (or AWS_PROFILE) when there is one, else the SDK's default chain.
        const { profile } = await ctx.op('awsGetConfig', {});
        who = await ctx.op('awsConnect', { source: profile ? 'profile' : 'default', profile: profile ?? undefined, region: o.region });
      }
      if (o.json) return printJson(ctx, who);
      ctx.io.out(
        [
          `account  ${who.account}`,
          `arn      ${who.arn}`,
          `profile  ${who.profile ?? '(default chain)'}`,
          `region   ${who.region}`,
          who.endpoint ? `endpoint ${who.endpoint}` : '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
    });
  connectOptions(aws.command('find').description("search EC2 instances in the case's regions by id, Name tag, IP or tag key=value"))
    .argument('<query>', 'instance id, Name (substring), IP address or key=value')
    .requiredOption('--case <case>', 'case number')
    .option('--region <region>', 'region to search (repeatable); default: the case regions', (v: string, prev: string[] = []) => [
      ...prev,
      v,
    ])
    .option('--add', 'add every instance found to the case as an asset')
    .option('--json', 'print JSON')
    .action(async (query: string, o: ConnectOpts & { case: string; region?: string[]; add?: boolean; json?: boolean }) => {
      // Checked before connecting (a mistyped case should not cost an MFA prompt), with the operation's own schema.
      const input = parseInput(responseContract.findInstances.input, { caseNumber: o.case, query, regions: o.region });
      await connect(ctx, o, input.regions?.[0]);
      const found = await ctx.op('findInstances', input);
      if (o.add)
        for (const i of found)
          await ctx.op('addInstanceToCase', { caseNumber: input.caseNumber, region: i.region, instanceId: i.instanceId });
      if (o.json) return printJson(ctx, found);
      if (found.length === 0) return ctx.io.out(`No instance matches "${query}".`);
      ctx.io.out(
        table([
          ['INSTANCE', 'REGION', 'STATE', 'NAME', 'PRIVATE IP', 'PUBLIC IP', 'VPC'],
          ...found.map((i) => [i.instanceId, i.region, i.state, i.name ?? '', i.privateIp ?? '', i.publicIp ?? '', i.vpcId ?? '']),
        ]),
      );
    });
}
