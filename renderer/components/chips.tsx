/** Severity, status and TLP chips: colour plus text, consistent everywhere. */
export function SeverityChip({ severity }: { severity: string }) {
  return <span className={`chip sev-${severity.toLowerCase()}`}>{severity}</span>;
}

export function StatusChip({ status }: { status: string }) {
  return <span className={`chip status-${status}`}>{status}</span>;
}

export function TlpChip({ tlp }: { tlp: string }) {
  return <span className={`chip tlp-${tlp.replace('+', '-')}`}>TLP:{tlp.toUpperCase()}</span>;
}
