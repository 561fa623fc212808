import { AppError } from '../../core/errors';
import type { StepSpec } from './types';

/** A network ACL of the VPC, as planning read it. */
export interface AclFacts {
  id: string;
  subnets: string[];
  entries: { RuleNumber: number; Egress: boolean; RuleAction: string }[];
}

/** One deny entry Lariat adds (and a release deletes exactly). */
export interface NaclEntry {
  NetworkAclId: string;
  RuleNumber: number;
  Egress: boolean;
  CidrBlock?: string;
  Ipv6CidrBlock?: string;
}

export const naclKey = (e: Pick<NaclEntry, 'NetworkAclId' | 'RuleNumber' | 'Egress'>): string =>
  `nacl:${e.NetworkAclId}:${e.Egress ? 'out' : 'in'}:${e.RuleNumber}`;

/**
 * Network ACL containment: security groups are stateful and some flows stay
 * tracked whatever the transit trick does (through NAT gateways, Network Load
 * Balancers, endpoints), but ACLs are stateless. ACL entries match the remote
 * side of a flow, so the instance's own subnet ACL cannot single it out;
 * instead every ACL used by a subnet of the VPC gets, for each of the
 * instance's addresses, an inbound deny (traffic from it) and an outbound
 * deny (traffic to it), numbered below that ACL's first allow rule so they
 * win. That cuts the instance off from every other subnet, NAT gateways and
 * endpoints included; its own subnet and its public IP are left to the
 * security-group isolation.
 */
export function planNacl(acls: AclFacts[], addresses: { v4: string[]; v6: string[] }): NaclEntry[] {
  const cidrs = [...addresses.v4.map((ip) => ({ CidrBlock: `${ip}/32` })), ...addresses.v6.map((ip) => ({ Ipv6CidrBlock: `${ip}/128` }))];
  const out: NaclEntry[] = [];
  for (const acl of [...acls].filter((a) => a.subnets.length).sort((a, b) => a.id.localeCompare(b.id))) {
    for (const egress of [false, true]) {
      const used = new Set(acl.entries.filter((e) => e.Egress === egress).map((e) => e.RuleNumber));
      const firstAllow = Math.min(
        32767,
        ...acl.entries.filter((e) => e.Egress === egress && e.RuleAction === 'allow' && e.RuleNumber < 32767).map((e) => e.RuleNumber),
      );
      let n = 1;
      for (const cidr of cidrs) {
        while (used.has(n)) n++;
        if (n >= firstAllow)
          throw new AppError(
            'nacl-no-room',
            `Network ACL ${acl.id} has no free ${egress ? 'outbound' : 'inbound'} rule number below its first allow rule (${firstAllow}), so a deny could not take precedence.`,
            'Free low rule numbers in that ACL (or renumber its allow rules), or plan the isolation without network ACL containment.',
          );
        out.push({ NetworkAclId: acl.id, RuleNumber: n, Egress: egress, ...cidr });
        used.add(n);
      }
    }
  }
  return out;
}

/** The plan steps that add the deny entries. */
export function naclSteps(entries: NaclEntry[], region: string): StepSpec[] {
  return entries.map((e) => {
    const cidr = e.CidrBlock ?? e.Ipv6CidrBlock ?? '';
    return {
      key: naclKey(e),
      title: e.Egress
        ? `Network ACL ${e.NetworkAclId}: deny all traffic to ${cidr} (outbound rule ${e.RuleNumber})`
        : `Network ACL ${e.NetworkAclId}: deny all traffic from ${cidr} (inbound rule ${e.RuleNumber})`,
      kind: 'call',
      service: 'ec2',
      region,
      operation: 'CreateNetworkAclEntry',
      request: {
        NetworkAclId: e.NetworkAclId,
        RuleNumber: e.RuleNumber,
        Protocol: '-1',
        RuleAction: 'deny',
        Egress: e.Egress,
        ...(e.CidrBlock ? { CidrBlock: e.CidrBlock } : { Ipv6CidrBlock: e.Ipv6CidrBlock }),
      },
    };
  });
}
