// A minimal ustar writer: several files (a module, its arguments, the Python shim) reach a host
// in one command as one archive on stdin, unpacked by the host's tar (Debian's is always there).

export interface TarEntry {
  /** Relative path inside the archive (at most 100 bytes, no `..`). */
  path: string;
  content: Buffer | string;
  /** Permission bits (0o600, 0o700). */
  mode: number;
}

function octal(value: number, width: number): string {
  // width - 1 digits and a NUL, as ustar fields are written.
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(path: string, size: number, mode: number, type: '0' | '5'): Buffer {
  const name = Buffer.from(path, 'utf8');
  if (name.length > 100) throw new Error(`tar: path too long for an archive entry: ${path}`);
  const h = Buffer.alloc(512, 0);
  name.copy(h, 0);
  h.write(octal(mode & 0o7777, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii'); // uid: the host's tar gives the files to whoever unpacks
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(0, 12), 136, 'ascii'); // mtime
  h.write('        ', 148, 'ascii'); // checksum counted as spaces
  h.write(type, 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

/** The archive: directories are made for every parent path, then each file, then the two zero blocks. */
export function tarArchive(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  const dirs = new Set<string>();
  for (const e of entries) {
    if (e.path.startsWith('/') || e.path.split('/').includes('..')) throw new Error(`tar: unsafe entry path: ${e.path}`);
    const segments = e.path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const dir = segments.slice(0, i).join('/') + '/';
      if (dirs.has(dir)) continue;
      dirs.add(dir);
      parts.push(header(dir, 0, 0o700, '5'));
    }
    const body = typeof e.content === 'string' ? Buffer.from(e.content, 'utf8') : e.content;
    parts.push(header(e.path, body.length, e.mode, '0'), body, Buffer.alloc((512 - (body.length % 512)) % 512, 0));
  }
  parts.push(Buffer.alloc(1024, 0));
  return Buffer.concat(parts);
}
