import net from 'node:net';
import type { IndicatorType } from '../../../common/contract/detection';

/** The form values are indexed and looked up in: trimmed, lower-case (key ids and ARNs are matched whatever their case). */
export const normalise = (v: string): string => v.trim().toLowerCase();

const HEX = /^[0-9a-f]+$/i;

/** What kind of indicator a value is, or null when it is none (then it is not indexed). */
export function classify(raw: string): IndicatorType | null {
  const v = raw.trim();
  if (v === '' || v.length > 2048) return null;
  if (net.isIP(v)) return 'ip';
  if (/^(AKIA|ASIA|AROA|AIDA|ANPA|AGPA|AIPA|ANVA|APKA|ABIA|ACCA)[A-Z0-9]{12,}$/.test(v)) return 'access-key-id';
  if (/^arn:aws[a-z-]*:/i.test(v)) return 'arn';
  if (/^\d{12}$/.test(v)) return 'account-id';
  if ((v.length === 32 || v.length === 40 || v.length === 64) && HEX.test(v)) return 'hash';
  if (/^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$/i.test(v)) return 'domain';
  return null;
}

/** A value typed by a person: anything not otherwise recognised is looked up as a user agent. */
export const lookupType = (v: string): IndicatorType => classify(v) ?? 'user-agent';
