import type { Command } from 'commander';
import { type ActionKind } from '../../../common/contract/response';
import { type CliContext } from '../context';
import { type ActionOpts, connect, connectOptions, planInput, showOrRun } from './respond-shared';

/** `lariat respond isolate|snapshot|memory`: the EC2 instance kinds, one command each with its own options. */
export function registerEc2Kinds(respond: Command, ctx: CliContext): void {
  const kinds: { kind: ActionKind; about: string; extra?: (c: Command) => Command }[] = [
    {
      kind: 'isolate',
      about: 'save evidence, protect, take out of Auto Scaling and load balancers, cut the network, remove the profile, tag',
      extra: (c) =>
        c
          .option('--asg-mode <mode>', 'detach (default; the group launches a replacement) or standby')
          .option('--disassociate-eips', 'also disassociate Elastic IPs')
          .option('--profile-mode <mode>', 'disassociate (default), replace or keep the instance profile')
          .option('--isolation-profile <arn>', 'instance profile to put in place with --profile-mode replace')
          .option('--revoke-sessions', "deny the instance role's sessions issued before now")
          .option('--nacl', "also deny the instance's addresses in every network ACL of the VPC (cuts flows that stay tracked)")
          .option('--skip-evidence', 'do not capture console output and screenshot first (they are best effort anyway)'),
    },
    {
      kind: 'snapshot',
      about: 'snapshot every attached EBS volume and record each as evidence',
      extra: (c) =>
        c
          .option('--share-with <account>', 'share the snapshots with this forensic account')
          .option('--copy-to-region <region>', 'copy the snapshots to this region (with --kms-key)')
          .option('--kms-key <key>', 'KMS key to re-encrypt the copies with')
          .option('--wait-minutes <n>', 'how long to wait for completion (default 240)'),
    },
    {
      kind: 'memory',
      about: 'acquire memory over SSM Run Command, streamed to S3 and hashed on the instance',
      extra: (c) =>
        c
          .requiredOption('--bucket <bucket>', 'S3 bucket of the case')
          .option('--prefix <prefix>', 'key prefix in the bucket')
          .option('--tool <tool>', 'avml (Linux default), lime or winpmem (Windows default)')
          .option('--tool-source <s3uri>', 's3:// location of the tool when it is not installed on the instance')
          .option('--timeout-minutes <n>', 'how long the acquisition may take (default 120)'),
    },
  ];
  for (const k of kinds) {
    let c = connectOptions(respond.command(k.kind).description(k.about))
      .requiredOption('--case <case>', 'case number')
      .requiredOption('--instance <id>', 'instance id')
      .requiredOption('--region <region>', 'region of the instance')
      .option('--plan', 'print the plan (every AWS call with its parameters) and stop; nothing changes')
      .option('--yes', 'do not ask for the instance id (only after reviewing the plan)')
      .option('--json', 'print JSON');
    if (k.extra) c = k.extra(c);
    c.action(async (o: ActionOpts) => {
      const input = planInput(k.kind, o);
      await connect(ctx, o, input.region);
      await showOrRun(ctx, await ctx.op('planAction', input), o);
    });
  }
}
