import crypto from 'node:crypto';
import { AppError } from '../../core/errors';
import { describeCheckpoint, parseCheckpoint } from '../checkpoint';
import { type Der, DerError, bool, child, nullDer, octets, oid, oidOf, readDer, seq, uint } from './der';

/**
 * RFC 3161 time-stamps over checkpoints, without a third-party library: the
 * TimeStampReq is built here (SHA-256 imprint of the checkpoint text, a
 * random nonce, certReq), and a TimeStampResp (or a bare token) is verified
 * here: the CMS SignedData signature over the signed attributes with the
 * TSA certificate it carries, the messageDigest of the TSTInfo, the message
 * imprint against the checkpoint, and the certificate against the TSA
 * certificates (or CAs) the verifier trusts.
 */
const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  ed25519: '1.3.101.112',
  timeStamping: '1.3.6.1.5.5.7.3.8',
};
const HASHES: Record<string, string> = { [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512' };

/** DER TimeStampReq for the SHA-256 of `data`, asking for the TSA's certificate in the reply. */
export function timeStampRequest(data: Buffer | string, nonce: Buffer): Buffer {
  const digest = crypto.createHash('sha256').update(data).digest();
  return seq(uint(Buffer.from([1])), seq(seq(oid(OID.sha256), nullDer()), octets(digest)), uint(nonce), bool(true));
}

export interface TimeStampInfo {
  genTime: string;
  serial: string;
  policy: string;
  imprintAlgorithm: string;
  imprint: Buffer;
  nonce: Buffer | null;
  tsa: crypto.X509Certificate;
}

/** Status of a TimeStampResp and its token (the CMS ContentInfo), or the token itself when given bare. */
export function tokenOf(der: Buffer): { status: number; text: string; token: Der | null } {
  const top = readDer(der);
  const first = child(top, 0);
  if (first.tag === 0x06) return { status: 0, text: '', token: top }; // a bare ContentInfo
  const status = intOf(child(first, 0));
  const text = first.children[1]?.children.map((c) => c.value.toString('utf8')).join('; ') ?? '';
  return { status, text, token: top.children[1] ?? null };
}

/** Reads and checks a token's signature; returns what it states. Throws DerError/Error on anything wrong. */
export function readToken(token: Der): TimeStampInfo {
  if (oidOf(child(token, 0)) !== OID.signedData) throw new Error('the token is not CMS SignedData');
  const sd = child(child(token, 1), 0);
  const encap = child(sd, 2);
  if (oidOf(child(encap, 0)) !== OID.tstInfo) throw new Error('the token does not hold a TSTInfo');
  const tstDer = child(child(encap, 1), 0);
  if (tstDer.tag !== 0x04) throw new Error('the TSTInfo is not an OCTET STRING');
  const tst = readDer(Buffer.from(tstDer.value));
  let i = 3;
  const certs: crypto.X509Certificate[] = [];
  if (sd.children[i]?.tag === 0xa0) {
    for (const c of sd.children[i]!.children) certs.push(new crypto.X509Certificate(c.raw));
    i++;
  }
  if (sd.children[i]?.tag === 0xa1) i++;
  const signerInfo = child(child(sd, i), 0);
  const sid = child(signerInfo, 1);
  const serial = sid.tag === 0x30 ? child(sid, 1).value : null;
  const tsa =
    certs.find((c) => serial && BigInt(`0x${c.serialNumber}`) === BigInt(`0x${serial.toString('hex') || '0'}`)) ??
    (certs.length === 1 ? certs[0] : undefined);
  if (!tsa) throw new Error('the token does not carry the certificate of its signer (request it with certReq)');
  const digestAlg = HASHES[oidOf(child(child(signerInfo, 2), 0))];
  if (!digestAlg) throw new Error('the token uses an unsupported digest algorithm');
  const attrs = child(signerInfo, 3);
  if (attrs.tag !== 0xa0) throw new Error('the token has no signed attributes');
  const attr = (o: string): Der | undefined => attrs.children.find((a) => oidOf(child(a, 0)) === o)?.children[1]?.children[0];
  if (!attr(OID.contentType) || oidOf(attr(OID.contentType)!) !== OID.tstInfo) throw new Error('the signed content type is not TSTInfo');
  const md = attr(OID.messageDigest);
  if (!md || !md.value.equals(crypto.createHash(digestAlg).update(tstDer.value).digest()))
    throw new Error('the TSTInfo does not match the digest the TSA signed (it was altered)');
  const sigAlg = oidOf(child(child(signerInfo, 4), 0));
  const signature = child(signerInfo, 5).value;
  const signed = Buffer.concat([Buffer.from([0x31]), attrs.raw.subarray(1)]);
  const ok =
    sigAlg === OID.ed25519
      ? crypto.verify(null, signed, tsa.publicKey, signature)
      : crypto.verify(digestAlg, signed, tsa.publicKey, signature);
  if (!ok) throw new Error("the TSA's signature does not verify");
  const imprint = child(tst, 2);
  const nonce = tst.children.find((c, k) => k > 4 && c.tag === 0x02);
  return {
    policy: oidOf(child(tst, 1)),
    imprintAlgorithm: HASHES[oidOf(child(child(imprint, 0), 0))] ?? 'unknown',
    imprint: Buffer.from(child(imprint, 1).value),
    serial: child(tst, 3).value.toString('hex'),
    genTime: generalizedTime(child(tst, 4)),
    nonce: nonce ? Buffer.from(nonce.value) : null,
    tsa,
  };
}

/**
 * Verifies a time-stamp (TimeStampResp or token, DER) over one of the given
 * checkpoint texts, by a TSA whose certificate is one of `trusted` or issued
 * by one of them. Never throws: hostile input is a refusal with a reason.
 */
export function verifyTimestamp(der: Buffer, checkpoints: string[], trusted: string[]): { ok: boolean; message: string } {
  let info: TimeStampInfo;
  try {
    const t = tokenOf(der);
    if (t.status > 1 || !t.token)
      return { ok: false, message: `the time-stamp authority refused the request (status ${t.status}${t.text ? `: ${t.text}` : ''})` };
    info = readToken(t.token);
  } catch (err) {
    return {
      ok: false,
      message: `not a valid RFC 3161 time-stamp (${err instanceof DerError ? 'malformed DER: ' : ''}${(err as Error).message})`,
    };
  }
  const who = info.tsa.subject.replace(/\n/g, ', ');
  const match = checkpoints.find(
    (text) => info.imprintAlgorithm !== 'unknown' && crypto.createHash(info.imprintAlgorithm).update(text).digest().equals(info.imprint),
  );
  if (!match) return { ok: false, message: `the time-stamp by ${who} covers none of the checkpoints given` };
  const cas = trusted.flatMap((pem) => {
    try {
      return [new crypto.X509Certificate(pem)];
    } catch {
      return [];
    }
  });
  const trustedTsa = cas.some(
    (ca) => ca.fingerprint256 === info.tsa.fingerprint256 || (info.tsa.checkIssued(ca) && info.tsa.verify(ca.publicKey)),
  );
  if (!trustedTsa) return { ok: false, message: `the time-stamp is signed by ${who}, which is not among the TSA certificates given` };
  if (!(info.tsa.keyUsage ?? []).includes(OID.timeStamping))
    return { ok: false, message: `the certificate of ${who} is not for time-stamping` };
  const t = Date.parse(info.genTime);
  if (!(t >= Date.parse(info.tsa.validFrom) && t <= Date.parse(info.tsa.validTo)))
    return { ok: false, message: `the time-stamp time ${info.genTime} is outside the validity of the certificate of ${who}` };
  const cp = parseCheckpoint(match);
  const what = typeof cp === 'string' ? 'the checkpoint' : `the ${describeCheckpoint(cp)}`;
  return { ok: true, message: `RFC 3161 time-stamp by ${who} at ${info.genTime} (serial ${info.serial}) over ${what}` };
}

/** Asks a TSA over HTTP(S) to stamp `text`; returns the DER TimeStampResp after checking it answers this request. */
export async function requestTimestamp(
  url: string,
  text: string,
  fetchImpl: typeof fetch = fetch,
): Promise<{ der: Buffer; info: TimeStampInfo }> {
  const nonce = crypto.randomBytes(8);
  let res: Response;
  try {
    res = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
      body: new Uint8Array(timeStampRequest(text, nonce)),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    throw new AppError(
      'tsa-unreachable',
      `The time-stamp authority at ${url} could not be reached: ${(err as Error).message}.`,
      'Check the URL and the network; nothing was recorded.',
      { cause: err },
    );
  }
  const der = Buffer.from(await res.arrayBuffer());
  if (!res.ok)
    throw new AppError(
      'tsa-refused',
      `The time-stamp authority at ${url} answered HTTP ${res.status}.`,
      'Check the URL; nothing was recorded.',
    );
  try {
    const t = tokenOf(der);
    if (t.status > 1 || !t.token) throw new Error(`status ${t.status}${t.text ? `: ${t.text}` : ''}`);
    const info = readToken(t.token);
    if (!info.imprint.equals(crypto.createHash('sha256').update(text).digest())) throw new Error('it stamped another imprint');
    if (!info.nonce || BigInt(`0x${info.nonce.toString('hex')}`) !== BigInt(`0x${nonce.toString('hex')}`))
      throw new Error('its nonce differs from the request');
    return { der, info };
  } catch (err) {
    throw new AppError(
      'tsa-invalid',
      `The time-stamp authority at ${url} gave an invalid answer: ${(err as Error).message}.`,
      'Nothing was recorded. Try again, or use another authority.',
    );
  }
}

function intOf(d: Der): number {
  if (d.tag !== 0x02 || d.value.length > 4) throw new DerError('expected a small INTEGER');
  return d.value.reduce((n, b) => n * 256 + b, 0);
}

function generalizedTime(d: Der): string {
  const s = d.value.toString('ascii');
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(s);
  if (d.tag !== 0x18 || !m) throw new DerError('genTime is not a GeneralizedTime');
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}Z`;
}
