import type { InstanceFacts, Lookup } from '../discovery';

/** What each failed lookup means for a plan: containment goes on, and the investigator is told what it could not cover. */
const CONSEQUENCE: Record<Lookup, string> = {
  autoScaling:
    'the plan does not take the instance out of an Auto Scaling group; if it is in one, the group may replace or terminate it. Plan again once the lookup works, or detach it by hand',
  targetGroups:
    'the plan deregisters it from no load balancer target group; a load balancer may keep sending it traffic until the network cut',
  ssm: 'SSM status is unknown at planning; the action checks it again when it runs',
  profileAssociation:
    "the plan does not remove the instance profile, so the role's credentials stay usable on the instance; plan again once the lookup works, or remove the profile by hand",
  profileRole: "the instance profile's role is unknown, so its older sessions cannot be revoked",
  elasticIps: 'Elastic IPs could not be listed, so none is disassociated',
  volumes: 'volume sizes are unknown',
};

/** One warning per failed lookup that matters to this plan kind: "<what> could not be read (<why>): <consequence>". */
export function lookupWarnings(f: Pick<InstanceFacts, 'lookupFailures'>, relevant: readonly Lookup[]): string[] {
  return f.lookupFailures
    .filter((x) => relevant.includes(x.lookup))
    .map((x) => `${LABEL[x.lookup]} could not be read (${x.message}): ${CONSEQUENCE[x.lookup]}.`);
}

const LABEL: Record<Lookup, string> = {
  autoScaling: 'Auto Scaling membership',
  targetGroups: 'Target group registrations',
  ssm: 'SSM status',
  profileAssociation: 'The instance profile association',
  profileRole: "The instance profile's role",
  elasticIps: 'Elastic IPs',
  volumes: 'Volumes',
};

export const unknown = (f: Pick<InstanceFacts, 'lookupFailures'>, lookup: Lookup): boolean =>
  f.lookupFailures.some((x) => x.lookup === lookup);
