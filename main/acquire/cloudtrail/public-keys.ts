import crypto from 'node:crypto';
import type { AwsClients } from '../../aws/clients';

/** CloudTrail's public keys of one region as acquired (cloudtrail:ListPublicKeys), kept as evidence. */
export interface PublicKeysDocument {
  format: 'lariat-cloudtrail-public-keys/1';
  region: string;
  /** The exact request: the time range the keys were asked for. */
  request: { StartTime: string; EndTime: string };
  requestIds: string[];
  acquiredAt: string;
  /** As AWS returned them; `Value` is the base64 of the bytes received. */
  PublicKeyList: { Fingerprint: string; ValidityStartTime: string | null; ValidityEndTime: string | null; Value: string }[];
}

interface ListOutput {
  PublicKeyList?: { Value?: Uint8Array; ValidityStartTime?: Date; ValidityEndTime?: Date; Fingerprint?: string }[];
  NextToken?: string;
  $metadata?: { requestId?: string };
}

/** Asks CloudTrail for the keys that signed digests between the two times, every page. */
export async function fetchPublicKeys(
  clients: AwsClients,
  region: string,
  fromMs: number,
  toMs: number,
  now: string,
  signal?: AbortSignal,
): Promise<PublicKeysDocument> {
  const request = { StartTime: new Date(fromMs).toISOString(), EndTime: new Date(toMs).toISOString() };
  const doc: PublicKeysDocument = {
    format: 'lariat-cloudtrail-public-keys/1',
    region,
    request,
    requestIds: [],
    acquiredAt: now,
    PublicKeyList: [],
  };
  let NextToken: string | undefined;
  do {
    const out = await clients.call<ListOutput>(
      'cloudtrail',
      region,
      'ListPublicKeys',
      { StartTime: new Date(fromMs), EndTime: new Date(toMs), ...(NextToken ? { NextToken } : {}) },
      { signal, context: region },
    );
    if (out.$metadata?.requestId) doc.requestIds.push(out.$metadata.requestId);
    for (const k of out.PublicKeyList ?? []) {
      if (!k.Fingerprint || !k.Value) continue;
      doc.PublicKeyList.push({
        Fingerprint: k.Fingerprint,
        ValidityStartTime: k.ValidityStartTime ? new Date(k.ValidityStartTime).toISOString() : null,
        ValidityEndTime: k.ValidityEndTime ? new Date(k.ValidityEndTime).toISOString() : null,
        Value: Buffer.from(k.Value).toString('base64'),
      });
    }
    NextToken = out.NextToken;
  } while (NextToken);
  return doc;
}

/**
 * The RSA public key in a `Value` (base64 of the bytes AWS returned). AWS
 * documents DER in PKCS#1 format, notes that the encoding "is subject to
 * change", and its own CLI base64-decodes the value once more; so the bytes
 * are taken as DER when they start like DER, else as base64 text of DER, and
 * both PKCS#1 and SubjectPublicKeyInfo are accepted.
 */
export function publicKeyObject(valueBase64: string): crypto.KeyObject | null {
  let der = Buffer.from(valueBase64, 'base64');
  if (der[0] !== 0x30 && /^[A-Za-z0-9+/=\s]+$/.test(der.toString('latin1'))) der = Buffer.from(der.toString('latin1'), 'base64');
  for (const type of ['pkcs1', 'spki'] as const) {
    try {
      const key = crypto.createPublicKey({ key: der, format: 'der', type });
      if (key.asymmetricKeyType === 'rsa') return key;
    } catch {
      // try the other encoding
    }
  }
  return null;
}
