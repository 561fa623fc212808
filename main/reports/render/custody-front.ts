import type { ReportData } from '../report-data';
import { plural, utc } from './format';

/**
 * The custody checkpoint as the report's front matter states it: which entry
 * the ledger ended with and its hash, who signed it (by name AND fingerprint:
 * a name alone proves nothing), and the commands that check it, so a reader
 * holding only the first page (or, through the footer, any printed page)
 * can verify the record without trusting the report. Null when the report
 * carries no checkpoint (no ledger, or nobody here can sign).
 */
export function custodyFront(d: ReportData, sectionNum: number | null) {
  const cp = d.custody?.checkpoint;
  if (!d.custody || !cp) return null;
  const n = d.caseRecord.number;
  const names = new Map<string, string>();
  for (const e of d.custody.entries) {
    if (e.seq > cp.seq) continue;
    names.set(e.actor.fingerprint, e.actor.name);
    if (e.counterparty?.role === 'received-by') names.set(e.counterparty.fingerprint, e.counterparty.name);
  }
  names.set(cp.signer.fingerprint, cp.signer.name);
  const status = new Map(
    (d.custody.verification?.signers ?? []).map((s) => [s.fingerprint, s.status === 'untrusted' ? 'NOT trusted' : s.status]),
  );
  const signers = [...names].map(([fingerprint, name]) => ({ name, fingerprint, status: status.get(fingerprint) ?? '' }));
  const trust = [...names.keys()].map((fp) => `--trust ${fp}`).join(' ');
  const v = d.custody.verification;
  return {
    seq: cp.seq,
    hash: cp.hash,
    entries: plural(cp.seq, 'entry', 'entries'),
    at: utc(cp.at),
    signedBy: cp.signer.name,
    signedByFp: cp.signer.fingerprint,
    signers,
    verdict: v
      ? v.intact
        ? `verified intact at generation (${plural(v.entries, 'entry', 'entries')}, ${plural(v.files, 'evidence file')} re-hashed)`
        : `NOT intact at generation: ${v.summary.replace(/^broken: /, '')}`
      : 'not verified for this rendering',
    verdictCls: v ? (v.intact ? 'ok' : 'bad') : 'none',
    where: sectionNum !== null ? `printed in section ${sectionNum}` : 'printed below',
    /** Printed on the cover only when the custody section (which prints it) is left out. */
    text: sectionNum === null ? cp.text.trimEnd() : '',
    commands: [
      `lariat custody verify ${n} --checkpoint checkpoint.txt ${trust}`,
      `sh verify.sh ${trust} --checkpoint checkpoint.txt CASE_VAULT_FOLDER`,
    ],
    /** For the footer of every PDF page. */
    footer: `custody entry ${cp.seq}, SHA-256 ${cp.hash.slice(0, 16)}…`,
  };
}
