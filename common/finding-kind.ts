/**
 * Threat or compliance: what an investigator acts on first, shared by the Findings tab and the report.
 * GuardDuty findings are threat detections; a Security Hub finding is a compliance check when its type
 * names a standard or a configuration check (FSBP, CIS, PCI DSS, NIST...), else a threat (TTPs, effects,
 * unusual behaviours from GuardDuty, Inspector, Macie or partners).
 */
export type FindingKind = 'threat' | 'compliance';

interface Classifiable {
  source: 'guardduty' | 'securityhub';
  type: string;
}

const COMPLIANCE =
  /^Software and Configuration Checks\/|Industry and Regulatory Standards|Foundational-Security-Best-Practices|CIS AWS Foundations|PCI-DSS|NIST/i;

export function findingKind(f: Classifiable): FindingKind {
  if (f.source === 'guardduty') return 'threat';
  return COMPLIANCE.test(f.type) ? 'compliance' : 'threat';
}

/** Threats first, then most severe, then most recently seen. */
export function threatsFirst<F extends Classifiable & { severityScore: number; lastSeen: string | null; id: number }>(list: F[]): F[] {
  const rank = (f: F) => (findingKind(f) === 'threat' ? 0 : 1);
  return [...list].sort(
    (a, b) => rank(a) - rank(b) || b.severityScore - a.severityScore || (b.lastSeen ?? '').localeCompare(a.lastSeen ?? '') || a.id - b.id,
  );
}

export const SOURCE_LABEL: Record<Classifiable['source'], string> = { guardduty: 'GuardDuty', securityhub: 'Security Hub' };
