// Just enough OpenPGP (RFC 4880) for apt keys without gpg on the host: dearmor, armor, split a
// keyring into its keys and compute their v4 fingerprints, so apt_key decides on the controller.
import { createHash } from 'node:crypto';

export interface PgpKey {
  /** Upper-case hex v4 fingerprint of the primary key (40 characters). */
  fingerprint: string;
  /** Fingerprints of its subkeys. */
  subkeys: string[];
  /** The transferable key's packets (primary key, user ids, signatures, subkeys), as a binary keyring holds them. */
  bytes: Buffer;
}

const BEGIN = /-----BEGIN PGP PUBLIC KEY BLOCK-----/;

export function isArmored(data: Buffer): boolean {
  return BEGIN.test(data.subarray(0, 4096).toString('latin1'));
}

/** gpg --dearmor: the binary packets of every armored block in `text`. Throws on a damaged block. */
export function dearmor(text: string): Buffer {
  const blocks = [...text.matchAll(/-----BEGIN PGP PUBLIC KEY BLOCK-----\r?\n([\s\S]*?)-----END PGP PUBLIC KEY BLOCK-----/g)];
  if (blocks.length === 0) throw new Error('no "BEGIN PGP PUBLIC KEY BLOCK" in the key data');
  return Buffer.concat(blocks.map((m) => {
    const body = m[1]!.replace(/\r/g, '');
    // Armor headers (Version:, Comment:) end at the first blank line, when there are any.
    const sep = body.search(/^\s*$/m);
    const payload = /^[\w-]+: /.test(body) && sep >= 0 ? body.slice(sep) : body;
    const lines = payload.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('='));
    return Buffer.from(lines.join(''), 'base64');
  }));
}

function crc24(data: Buffer): number {
  let crc = 0xb704ce;
  for (const byte of data) {
    crc ^= byte << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

/** gpg --armor of a public keyring. */
export function armor(data: Buffer): string {
  const b64 = data.toString('base64').match(/.{1,64}/g) ?? [];
  const crc = Buffer.from([(crc24(data) >> 16) & 0xff, (crc24(data) >> 8) & 0xff, crc24(data) & 0xff]).toString('base64');
  return ['-----BEGIN PGP PUBLIC KEY BLOCK-----', '', ...b64, `=${crc}`, '-----END PGP PUBLIC KEY BLOCK-----', ''].join('\n');
}

interface Packet {
  tag: number;
  start: number;
  bodyStart: number;
  end: number;
}

function packets(data: Buffer): Packet[] {
  const out: Packet[] = [];
  let at = 0;
  while (at < data.length) {
    const start = at;
    const head = data[at++]!;
    if ((head & 0x80) === 0) throw new Error(`not an OpenPGP key (bad packet header at byte ${start})`);
    let tag: number;
    let len: number;
    if (head & 0x40) {
      tag = head & 0x3f;
      const o1 = data[at++]!;
      if (o1 < 192) len = o1;
      else if (o1 < 224) len = ((o1 - 192) << 8) + data[at++]! + 192;
      else if (o1 === 255) {
        len = data.readUInt32BE(at);
        at += 4;
      } else throw new Error('partial-length packets are not expected in a public key');
    } else {
      tag = (head >> 2) & 0xf;
      const type = head & 3;
      if (type === 0) len = data[at++]!;
      else if (type === 1) {
        len = data.readUInt16BE(at);
        at += 2;
      } else if (type === 2) {
        len = data.readUInt32BE(at);
        at += 4;
      } else len = data.length - at;
    }
    if (at + len > data.length) throw new Error('the key data is truncated');
    out.push({ tag, start, bodyStart: at, end: at + len });
    at += len;
  }
  return out;
}

function fingerprint(data: Buffer, p: Packet): string {
  const body = data.subarray(p.bodyStart, p.end);
  if (body[0] !== 4) throw new Error(`OpenPGP key version ${body[0]} is not supported (only v4 keys)`);
  const head = Buffer.from([0x99, (body.length >> 8) & 0xff, body.length & 0xff]);
  return createHash('sha1').update(head).update(body).digest('hex').toUpperCase();
}

/** The keys of a keyring (binary or armored). Throws with a readable message when it is not one. */
export function readKeys(data: Buffer): PgpKey[] {
  const bin = isArmored(data) ? dearmor(data.toString('utf8')) : data;
  const list = packets(bin);
  const keys: PgpKey[] = [];
  let current: { fingerprint: string; subkeys: string[]; start: number } | undefined;
  const close = (end: number) => {
    if (current) keys.push({ fingerprint: current.fingerprint, subkeys: current.subkeys, bytes: bin.subarray(current.start, end) });
  };
  for (const p of list) {
    if (p.tag === 6) {
      close(p.start);
      current = { fingerprint: fingerprint(bin, p), subkeys: [], start: p.start };
    } else if (p.tag === 14 && current) {
      current.subkeys.push(fingerprint(bin, p));
    }
  }
  close(bin.length);
  if (keys.length === 0 && bin.length > 0) throw new Error('the data holds no OpenPGP public key');
  return keys;
}

/** An id as Ansible takes it (short 8, long 16 or 40 hex digits, 0x allowed) matches a key or one of its subkeys. */
export function keyMatches(key: PgpKey, id: string): boolean {
  const want = id.replace(/^0x/i, '').toUpperCase();
  return [key.fingerprint, ...key.subkeys].some((fp) => fp.endsWith(want));
}
