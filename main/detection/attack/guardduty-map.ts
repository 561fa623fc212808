/**
 * GuardDuty finding type -> ATT&CK technique ids. Lariat's own mapping,
 * made by reading each type's description in the GuardDuty finding-type
 * reference against the technique it describes; AWS does not publish one
 * for these types. Types not listed fall back to the tactic their threat
 * purpose names (the part before the colon), without a technique.
 */
const MAP: Readonly<Record<string, readonly string[]>> = {
  'Backdoor:EC2/C&CActivity.B': ['T1071'],
  'Backdoor:EC2/C&CActivity.B!DNS': ['T1071.004'],
  'Backdoor:EC2/DenialOfService.Dns': ['T1498'],
  'Backdoor:EC2/DenialOfService.Tcp': ['T1498'],
  'Backdoor:EC2/DenialOfService.Udp': ['T1498'],
  'Backdoor:EC2/DenialOfService.UdpOnTcpPorts': ['T1498'],
  'Backdoor:EC2/DenialOfService.UnusualProtocol': ['T1498'],
  'CredentialAccess:IAMUser/AnomalousBehavior': ['T1552'],
  'CryptoCurrency:EC2/BitcoinTool.B': ['T1496'],
  'CryptoCurrency:EC2/BitcoinTool.B!DNS': ['T1496'],
  'DefenseEvasion:IAMUser/AnomalousBehavior': ['T1562'],
  'Discovery:IAMUser/AnomalousBehavior': ['T1580'],
  'Discovery:RDS/TorIPCaller': ['T1580', 'T1090.003'],
  'Discovery:S3/AnomalousBehavior': ['T1619'],
  'Discovery:S3/MaliciousIPCaller': ['T1619'],
  'Discovery:S3/TorIPCaller': ['T1619', 'T1090.003'],
  'Exfiltration:IAMUser/AnomalousBehavior': ['T1537'],
  'Exfiltration:S3/AnomalousBehavior': ['T1530'],
  'Exfiltration:S3/MaliciousIPCaller': ['T1530'],
  'Impact:EC2/AbusedDomainRequest.Reputation': ['T1071'],
  'Impact:EC2/BitcoinDomainRequest.Reputation': ['T1496'],
  'Impact:EC2/MaliciousDomainRequest.Reputation': ['T1071'],
  'Impact:EC2/PortSweep': ['T1046'],
  'Impact:EC2/WinRMBruteForce': ['T1110'],
  'Impact:S3/AnomalousBehavior.Delete': ['T1485'],
  'Impact:S3/AnomalousBehavior.Write': ['T1565'],
  'Impact:S3/MaliciousIPCaller': ['T1485'],
  'InitialAccess:IAMUser/AnomalousBehavior': ['T1078.004'],
  'Persistence:IAMUser/AnomalousBehavior': ['T1098'],
  'Policy:IAMUser/RootCredentialUsage': ['T1078.004'],
  'PrivilegeEscalation:IAMUser/AnomalousBehavior': ['T1098'],
  'Recon:EC2/PortProbeEMRUnprotectedPort': ['T1595.001'],
  'Recon:EC2/PortProbeUnprotectedPort': ['T1595.001'],
  'Recon:EC2/Portscan': ['T1046'],
  'Recon:IAMUser/MaliciousIPCaller': ['T1580'],
  'Recon:IAMUser/MaliciousIPCaller.Custom': ['T1580'],
  'Recon:IAMUser/TorIPCaller': ['T1580', 'T1090.003'],
  'Stealth:IAMUser/CloudTrailLoggingDisabled': ['T1562.008'],
  'Stealth:IAMUser/PasswordPolicyChange': ['T1556'],
  'Stealth:S3/ServerAccessLoggingDisabled': ['T1562.008'],
  'Trojan:EC2/BlackholeTraffic': ['T1071'],
  'Trojan:EC2/BlackholeTraffic!DNS': ['T1071.004'],
  'Trojan:EC2/DGADomainRequest.B': ['T1568.002'],
  'Trojan:EC2/DGADomainRequest.C!DNS': ['T1568.002'],
  'Trojan:EC2/DNSDataExfiltration': ['T1048'],
  'Trojan:EC2/DriveBySourceTraffic!DNS': ['T1189'],
  'Trojan:EC2/DropPoint': ['T1041'],
  'Trojan:EC2/DropPoint!DNS': ['T1041'],
  'Trojan:EC2/PhishingDomainRequest!DNS': ['T1566'],
  'UnauthorizedAccess:EC2/MaliciousIPCaller.Custom': ['T1071'],
  'UnauthorizedAccess:EC2/MetadataDNSRebind': ['T1552.005'],
  'UnauthorizedAccess:EC2/RDPBruteForce': ['T1110'],
  'UnauthorizedAccess:EC2/SSHBruteForce': ['T1110'],
  'UnauthorizedAccess:EC2/TorClient': ['T1090.003'],
  'UnauthorizedAccess:EC2/TorIPCaller': ['T1090.003'],
  'UnauthorizedAccess:EC2/TorRelay': ['T1090.003'],
  'UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B': ['T1078.004'],
  'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS': ['T1552.005', 'T1078.004'],
  'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS': ['T1552.005', 'T1078.004'],
  'UnauthorizedAccess:IAMUser/MaliciousIPCaller': ['T1078.004'],
  'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom': ['T1078.004'],
  'UnauthorizedAccess:IAMUser/TorIPCaller': ['T1078.004', 'T1090.003'],
  'UnauthorizedAccess:S3/MaliciousIPCaller.Custom': ['T1530'],
  'UnauthorizedAccess:S3/TorIPCaller': ['T1530', 'T1090.003'],
};

const PURPOSE_TACTIC: Readonly<Record<string, string>> = {
  Backdoor: 'command-and-control',
  CredentialAccess: 'credential-access',
  CryptoCurrency: 'impact',
  DefenseEvasion: 'defense-evasion',
  Discovery: 'discovery',
  Execution: 'execution',
  Exfiltration: 'exfiltration',
  Impact: 'impact',
  InitialAccess: 'initial-access',
  Persistence: 'persistence',
  PrivilegeEscalation: 'privilege-escalation',
  Recon: 'reconnaissance',
  Stealth: 'defense-evasion',
  Trojan: 'command-and-control',
  UnauthorizedAccess: 'initial-access',
};

/** Every finding type the mapping knows (for tests and the regeneration script). */
export const GUARDDUTY_TYPES = Object.keys(MAP);

/** Techniques of a GuardDuty finding type (empty when unmapped), and the tactic its threat purpose names. */
export function guardDutyAttack(type: string): { techniques: string[]; tactic: string | null } {
  const purpose = type.split(':')[0] ?? '';
  return { techniques: [...(MAP[type] ?? [])], tactic: PURPOSE_TACTIC[purpose] ?? null };
}

/** Finding types mapped to a technique (or to one of its sub-techniques when given a parent id). */
export function guardDutyTypesFor(technique: string): string[] {
  const t = technique.toUpperCase();
  return Object.entries(MAP)
    .filter(([, ids]) => ids.some((id) => id === t || id.startsWith(`${t}.`)))
    .map(([type]) => type);
}
