import net from 'node:net';
import { domainToASCII } from 'node:url';
import type { IocType } from '../../common/contract/timeline';
import { AccessKeyId } from '../../common/contract/response-credentials';

/**
 * An indicator as it is kept, or why it is not one. Values are checked against their type (an investigator who
 * types `hash abc` or an access key id of seven characters has made a typo, and a sweep for it would find
 * nothing) and spelled one way, so `2001:DB8::1` and `2001:db8::1` are one IOC, not two.
 */
export type IocValue = { ok: true; value: string } | { ok: false; why: string };

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

export function iocValue(type: IocType, raw: string): IocValue {
  const v = raw.trim();
  switch (type) {
    case 'ip': {
      const [addr, prefix, more] = v.split('/');
      const family = net.isIP(addr!);
      if (!family || more !== undefined)
        return {
          ok: false,
          why: 'an IP indicator is an IPv4 or IPv6 address (1.2.3.4, 2001:db8::1), or a network with its prefix (10.0.0.0/8); octets have no leading zeros',
        };
      if (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128)))
        return { ok: false, why: `the prefix /${prefix} is not one of an IPv${family} network` };
      return { ok: true, value: v.toLowerCase() };
    }
    case 'domain': {
      const host = v.toLowerCase().replace(/\.$/, '');
      const ascii = domainToASCII(host);
      if (!ascii || ascii.length > 253 || !ascii.split('.').every((l) => LABEL.test(l)))
        return {
          ok: false,
          why: 'a domain is labels of letters, digits, hyphens and underscores between dots (evil.example.com; an international name is read too)',
        };
      return { ok: true, value: host };
    }
    case 'access-key-id': {
      const id = v.toUpperCase();
      if (!AccessKeyId.safeParse(id).success)
        return { ok: false, why: 'an access key id is AKIA or ASIA and 12 or more capital letters and digits (AKIAIOSFODNN7EXAMPLE)' };
      return { ok: true, value: id };
    }
    case 'arn':
      if (!/^arn:[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]*:(\d{12}|aws)?:\S+$/.test(v))
        return {
          ok: false,
          why: 'an ARN looks like arn:aws:iam::123456789012:user/name (partition, service, region, 12-digit account, resource)',
        };
      return { ok: true, value: v };
    case 'hash': {
      const h = v.toLowerCase();
      if (!/^[0-9a-f]+$/.test(h) || ![32, 40, 64, 128].includes(h.length))
        return { ok: false, why: 'a hash is the hexadecimal MD5, SHA-1, SHA-256 or SHA-512 (32, 40, 64 or 128 characters)' };
      return { ok: true, value: h };
    }
    case 'user-agent':
      return { ok: true, value: v };
  }
}
