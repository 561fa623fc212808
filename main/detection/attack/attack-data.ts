/**
 * MITRE ATT&CK (Enterprise) offline: the tactics in matrix order and the
 * techniques Lariat's shipped rules and GuardDuty mapping use.
 *
 * Provenance: written by hand from ATT&CK Enterprise v17 (ids, names, tactic
 * membership), because this build has no internet; regenerate from the
 * published STIX bundle with `node scripts/attack-table.mjs enterprise-attack.json`
 * (https://github.com/mitre-attack/attack-stix-data), which prints this
 * table for every id the shipped rules and mapping name.
 *
 * SigmaHQ's current CloudTrail rules also use tactics and technique ids
 * from an ATT&CK release newer than v17 (`stealth`, `defense-impairment`,
 * T1685, T1686). Their names are not in this table: they are listed with
 * `known: false` and shown by id, never with a guessed name.
 */

export const ATTACK_VERSION = 'Enterprise v17 (hand-written offline table)';

export const ATTACK_TERMS =
  'MITRE ATT&CK® is a registered trademark of The MITRE Corporation. ATT&CK content © The MITRE Corporation, ' +
  'reproduced under the ATT&CK Terms of Use (https://attack.mitre.org/resources/legal-and-branding/terms-of-use/), ' +
  'which grant a royalty-free licence to use, reproduce and distribute it with this notice.';

export interface Tactic {
  id: string | null;
  shortName: string;
  name: string;
  known: boolean;
}

/** Matrix columns, in ATT&CK's order. */
export const TACTICS: readonly Tactic[] = [
  { id: 'TA0043', shortName: 'reconnaissance', name: 'Reconnaissance', known: true },
  { id: 'TA0042', shortName: 'resource-development', name: 'Resource Development', known: true },
  { id: 'TA0001', shortName: 'initial-access', name: 'Initial Access', known: true },
  { id: 'TA0002', shortName: 'execution', name: 'Execution', known: true },
  { id: 'TA0003', shortName: 'persistence', name: 'Persistence', known: true },
  { id: 'TA0004', shortName: 'privilege-escalation', name: 'Privilege Escalation', known: true },
  { id: 'TA0005', shortName: 'defense-evasion', name: 'Defense Evasion', known: true },
  // Newer than v17 (used by SigmaHQ's rules): no id in this table.
  { id: null, shortName: 'stealth', name: 'Stealth (newer ATT&CK release)', known: false },
  { id: null, shortName: 'defense-impairment', name: 'Defense Impairment (newer ATT&CK release)', known: false },
  { id: 'TA0006', shortName: 'credential-access', name: 'Credential Access', known: true },
  { id: 'TA0007', shortName: 'discovery', name: 'Discovery', known: true },
  { id: 'TA0008', shortName: 'lateral-movement', name: 'Lateral Movement', known: true },
  { id: 'TA0009', shortName: 'collection', name: 'Collection', known: true },
  { id: 'TA0011', shortName: 'command-and-control', name: 'Command and Control', known: true },
  { id: 'TA0010', shortName: 'exfiltration', name: 'Exfiltration', known: true },
  { id: 'TA0040', shortName: 'impact', name: 'Impact', known: true },
];

const VA = ['defense-evasion', 'persistence', 'privilege-escalation', 'initial-access'];
const PE = ['persistence', 'privilege-escalation'];

/** Technique id -> [name, tactics]. Sub-technique names are "Parent: Sub", as ATT&CK shows them. */
export const TECHNIQUES: Readonly<Record<string, readonly [string, readonly string[]]>> = {
  T1003: ['OS Credential Dumping', ['credential-access']],
  T1005: ['Data from Local System', ['collection']],
  T1020: ['Automated Exfiltration', ['exfiltration']],
  'T1021.007': ['Remote Services: Cloud Services', ['lateral-movement']],
  T1041: ['Exfiltration Over C2 Channel', ['exfiltration']],
  T1046: ['Network Service Discovery', ['discovery']],
  T1048: ['Exfiltration Over Alternative Protocol', ['exfiltration']],
  'T1059.001': ['Command and Scripting Interpreter: PowerShell', ['execution']],
  'T1059.003': ['Command and Scripting Interpreter: Windows Command Shell', ['execution']],
  'T1059.004': ['Command and Scripting Interpreter: Unix Shell', ['execution']],
  'T1059.009': ['Command and Scripting Interpreter: Cloud API', ['execution']],
  'T1069.003': ['Permission Groups Discovery: Cloud Groups', ['discovery']],
  T1070: ['Indicator Removal', ['defense-evasion']],
  T1071: ['Application Layer Protocol', ['command-and-control']],
  'T1071.004': ['Application Layer Protocol: DNS', ['command-and-control']],
  T1078: ['Valid Accounts', VA],
  'T1078.002': ['Valid Accounts: Domain Accounts', VA],
  'T1078.004': ['Valid Accounts: Cloud Accounts', VA],
  'T1087.004': ['Account Discovery: Cloud Account', ['discovery']],
  'T1090.003': ['Proxy: Multi-hop Proxy', ['command-and-control']],
  T1098: ['Account Manipulation', PE],
  'T1098.001': ['Account Manipulation: Additional Cloud Credentials', PE],
  'T1098.003': ['Account Manipulation: Additional Cloud Roles', PE],
  T1110: ['Brute Force', ['credential-access']],
  'T1110.001': ['Brute Force: Password Guessing', ['credential-access']],
  'T1110.003': ['Brute Force: Password Spraying', ['credential-access']],
  T1136: ['Create Account', ['persistence']],
  'T1136.003': ['Create Account: Cloud Account', ['persistence']],
  T1189: ['Drive-by Compromise', ['initial-access']],
  T1190: ['Exploit Public-Facing Application', ['initial-access']],
  T1485: ['Data Destruction', ['impact']],
  T1486: ['Data Encrypted for Impact', ['impact']],
  T1490: ['Inhibit System Recovery', ['impact']],
  T1496: ['Resource Hijacking', ['impact']],
  T1498: ['Network Denial of Service', ['impact']],
  T1525: ['Implant Internal Image', ['persistence']],
  T1526: ['Cloud Service Discovery', ['discovery']],
  T1530: ['Data from Cloud Storage', ['collection']],
  T1531: ['Account Access Removal', ['impact']],
  T1537: ['Transfer Data to Cloud Account', ['exfiltration']],
  T1548: ['Abuse Elevation Control Mechanism', ['privilege-escalation', 'defense-evasion']],
  T1550: ['Use Alternate Authentication Material', ['defense-evasion', 'lateral-movement']],
  'T1550.001': ['Use Alternate Authentication Material: Application Access Token', ['defense-evasion', 'lateral-movement']],
  T1552: ['Unsecured Credentials', ['credential-access']],
  'T1552.005': ['Unsecured Credentials: Cloud Instance Metadata API', ['credential-access']],
  T1555: ['Credentials from Password Stores', ['credential-access']],
  T1556: ['Modify Authentication Process', ['credential-access', 'defense-evasion', 'persistence']],
  T1562: ['Impair Defenses', ['defense-evasion']],
  'T1562.001': ['Impair Defenses: Disable or Modify Tools', ['defense-evasion']],
  'T1562.007': ['Impair Defenses: Disable or Modify Cloud Firewall', ['defense-evasion']],
  'T1562.008': ['Impair Defenses: Disable or Modify Cloud Logs', ['defense-evasion']],
  T1565: ['Data Manipulation', ['impact']],
  T1566: ['Phishing', ['initial-access']],
  'T1566.002': ['Phishing: Spearphishing Link', ['initial-access']],
  'T1568.002': ['Dynamic Resolution: Domain Generation Algorithms', ['command-and-control']],
  T1580: ['Cloud Infrastructure Discovery', ['discovery']],
  'T1595.001': ['Active Scanning: Scanning IP Blocks', ['reconnaissance']],
  'T1608.003': ['Stage Capabilities: Install Digital Certificate', ['resource-development']],
  T1619: ['Cloud Storage Object Discovery', ['discovery']],
  T1651: ['Cloud Administration Command', ['execution']],
};

export interface TechniqueInfo {
  id: string;
  name: string;
  tactics: string[];
  known: boolean;
}

/** A technique's name and tactics; an id missing from the table keeps its id and the tactics the rule named. */
export function technique(id: string, ruleTactics: readonly string[] = []): TechniqueInfo {
  const t = TECHNIQUES[id];
  if (t) return { id, name: t[0], tactics: [...t[1]], known: true };
  const parent = TECHNIQUES[id.split('.')[0]!];
  return {
    id,
    name: parent ? `${parent[0]}: sub-technique ${id}` : `${id} (not in Lariat's offline ATT&CK v17 table)`,
    tactics: parent ? [...parent[1]] : [...ruleTactics],
    known: false,
  };
}
