// mysql_user's tls_requires: what an account must present over TLS, read from the task (a mapping,
// as community.mysql takes it) and from mysql.user's ssl_* columns, in one shape so the two compare,
// and the REQUIRE clause that sets it.
import { sqlString } from './mysql-conn.js';

/** No requirement, any TLS (REQUIRE SSL), a valid client certificate (REQUIRE X509), or specific ones. */
export type TlsRequires =
  | { kind: 'none' }
  | { kind: 'SSL' }
  | { kind: 'X509' }
  | { kind: 'SPECIFIED'; SUBJECT?: string; ISSUER?: string; CIPHER?: string };

const KEYS = ['SSL', 'X509', 'SUBJECT', 'ISSUER', 'CIPHER'] as const;

/**
 * tls_requires as written on the task; throws Error(message) on what it cannot read. As in
 * community.mysql, unset or {} is no requirement, SUBJECT/ISSUER/CIPHER win over SSL and X509, and
 * X509 over SSL (keys in any case; SSL and X509 take no value).
 */
export function parseTlsRequires(value: unknown): TlsRequires {
  if (value === undefined || value === null || value === '') return { kind: 'none' };
  let map = value;
  if (typeof value === 'string') {
    try {
      map = JSON.parse(value);
    } catch {
      throw new Error(`tls_requires must be a mapping (SSL, X509, SUBJECT, ISSUER, CIPHER), got '${value}'`);
    }
  }
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new Error('tls_requires must be a mapping (SSL, X509, SUBJECT, ISSUER, CIPHER)');
  const req: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(map)) {
    const key = k.toUpperCase();
    if (!(KEYS as readonly string[]).includes(key)) throw new Error(`tls_requires: '${k}' is not one of ${KEYS.join(', ')}`);
    req[key] = v;
  }
  if (Object.keys(req).length === 0) return { kind: 'none' };
  const specified: { kind: 'SPECIFIED'; SUBJECT?: string; ISSUER?: string; CIPHER?: string } = { kind: 'SPECIFIED' };
  for (const key of ['SUBJECT', 'ISSUER', 'CIPHER'] as const) {
    if (!(key in req)) continue;
    const v = req[key];
    if (typeof v !== 'string' || v === '') throw new Error(`tls_requires: ${key} needs text (the certificate's ${key === 'CIPHER' ? 'cipher' : key.toLowerCase()})`);
    specified[key] = v;
  }
  if (Object.keys(specified).length > 1) return specified;
  return 'X509' in req ? { kind: 'X509' } : { kind: 'SSL' };
}

/** What mysql.user says (ssl_type, ssl_cipher, x509_issuer, x509_subject). */
export function tlsFromColumns(sslType: string, cipher: string, issuer: string, subject: string): TlsRequires {
  switch (sslType.toUpperCase()) {
    case 'ANY':
      return { kind: 'SSL' };
    case 'X509':
      return { kind: 'X509' };
    case 'SPECIFIED':
      return { kind: 'SPECIFIED', ...(subject ? { SUBJECT: subject } : {}), ...(issuer ? { ISSUER: issuer } : {}), ...(cipher ? { CIPHER: cipher } : {}) };
    default:
      return { kind: 'none' };
  }
}

export function sameTls(a: TlsRequires, b: TlsRequires): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind !== 'SPECIFIED' || b.kind !== 'SPECIFIED') return true;
  return a.SUBJECT === b.SUBJECT && a.ISSUER === b.ISSUER && a.CIPHER === b.CIPHER;
}

/** The REQUIRE clause (REQUIRE NONE for no requirement). */
export function requireClause(t: TlsRequires): string {
  if (t.kind !== 'SPECIFIED') return `REQUIRE ${t.kind === 'none' ? 'NONE' : t.kind}`;
  const parts = (['SUBJECT', 'ISSUER', 'CIPHER'] as const).filter((k) => t[k] !== undefined).map((k) => `${k} ${sqlString(t[k]!)}`);
  return `REQUIRE ${parts.join(' AND ')}`;
}

/** In words, for the change list. */
export function describeTls(t: TlsRequires): string {
  return t.kind === 'none' ? 'no TLS requirement' : requireClause(t);
}
