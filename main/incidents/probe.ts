import type { AwsClients } from '../aws/clients';
import { AppError } from '../core/errors';

/** A refusal that may mean Incident Manager is not set up here rather than a bad request. */
export function maybeNotSetUp(err: unknown): boolean {
  return (
    err instanceof AppError &&
    (err.code === 'aws-not-found' || (err.code === 'aws-error' && /Validation|ResourceNotFound/i.test(err.message)))
  );
}

/**
 * Tells "Incident Manager is not set up in this account and region" (no
 * replication set) apart from other refusals, so the investigator reads what
 * is missing instead of an AWS validation message. Lariat keeps working
 * either way: plans, playbooks, runbooks and the analysis are local.
 */
export async function explainMissingIncidentManager(clients: AwsClients, region: string, original: unknown): Promise<never> {
  let arns: string[] | undefined;
  try {
    const out = await clients.call<{ replicationSetArns?: string[] }>('ssm-incidents', region, 'ListReplicationSets', {});
    arns = out.replicationSetArns ?? [];
  } catch {
    throw original;
  }
  if (arns.length === 0)
    throw new AppError(
      'incident-manager-not-set-up',
      `Incident Manager is not set up in ${region} for this account (it has no replication set).`,
      'The case keeps working without it: plans, playbooks, runbooks and the post-incident analysis are all local. Link an incident later, from an account and region where Incident Manager is set up.',
      { cause: original },
    );
  throw original;
}
