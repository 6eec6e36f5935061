// Privileges as mysql_user reads and writes them: the 'db.*:ALL/db2.*:SELECT' syntax (or a mapping),
// SHOW GRANTS lines parsed back into the same shape, and the GRANT/REVOKE statements between the two,
// following community.mysql's privileges_unpack / privileges_get / user_mod.

/** Object (`db`.*, *.*, `db`.`table`) -> privileges, upper case, 'ALL PRIVILEGES' as 'ALL', the grant option as 'GRANT'. */
export type Privs = Map<string, Set<string>>;

/** Splits on commas outside parentheses: 'SELECT (a, b), INSERT' is two privileges. */
function splitPrivs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((p) => p.trim().replace(/\s+/g, ' ')).filter(Boolean);
}

/**
 * Privileges MariaDB 10.5 renamed, shown by SHOW GRANTS under the new name while the old one is
 * still accepted (and is what roles write: geerlingguy's 'REPLICATION SLAVE,REPLICATION CLIENT').
 * Both sides are read as the old name, which MySQL knows too, so a granted one compares equal.
 */
const SAME_AS: Record<string, string> = {
  'BINLOG MONITOR': 'REPLICATION CLIENT',
  'REPLICATION REPLICA': 'REPLICATION SLAVE',
  'REPLICA MONITOR': 'SLAVE MONITOR',
};

/**
 * One privilege in one spelling: upper case, 'ALL PRIVILEGES' as 'ALL', a column list unquoted and
 * sorted (the server lists columns in its own order). Column names keep their case only with
 * column_case_sensitive, as community.mysql does.
 */
function normPriv(p: string, columnCase = false): string {
  const open = p.indexOf('(');
  const base = (open < 0 ? p : p.slice(0, open)).trim().toUpperCase().replace(/\s+/g, ' ');
  if (open < 0) return base === 'ALL PRIVILEGES' ? 'ALL' : (SAME_AS[base] ?? base);
  const cols = p.slice(open + 1).replace(/\)\s*$/, '').split(',').map((c) => c.trim().replace(/^`|`$/g, '')).filter(Boolean);
  return `${base} (${cols.map((c) => (columnCase ? c : c.toUpperCase())).sort().join(', ')})`;
}

/** `db`.* from db.*, `db`, *.*; a FUNCTION/PROCEDURE prefix kept. */
export function normObject(obj: string): string {
  let text = obj.trim();
  let kind = '';
  const m = /^(FUNCTION|PROCEDURE)\s+(.*)$/i.exec(text);
  if (m) {
    kind = `${m[1]!.toUpperCase()} `;
    text = m[2]!;
  }
  const dot = text.lastIndexOf('.');
  const sides = dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
  return kind + sides.map((s) => {
    const bare = s.replace(/^`|`$/g, '').replace(/``/g, '`');
    return bare === '*' ? '*' : `\`${bare.replace(/`/g, '``')}\``;
  }).join('.');
}

const KNOWN = new Set([
  'ALL', 'ALTER', 'ALTER ROUTINE', 'BINLOG ADMIN', 'BINLOG MONITOR', 'BINLOG REPLAY', 'CONNECTION ADMIN', 'CREATE', 'CREATE ROUTINE',
  'CREATE TABLESPACE', 'CREATE TEMPORARY TABLES', 'CREATE USER', 'CREATE VIEW', 'DELETE', 'DELETE HISTORY', 'DROP', 'EVENT', 'EXECUTE',
  'FEDERATED ADMIN', 'FILE', 'GRANT', 'INDEX', 'INSERT', 'LOCK TABLES', 'PROCESS', 'PROXY', 'READ_ONLY ADMIN', 'REFERENCES', 'RELOAD',
  'REPLICATION CLIENT', 'REPLICATION MASTER ADMIN', 'REPLICATION REPLICA', 'REPLICATION SLAVE', 'REPLICATION SLAVE ADMIN', 'REPLICA MONITOR', 'SELECT',
  'SET USER', 'SHOW DATABASES', 'SHOW VIEW', 'SHUTDOWN', 'SLAVE MONITOR', 'SUPER', 'TRIGGER', 'UPDATE', 'USAGE',
]);

/** priv as written on the task; throws Error(message) on something it cannot read. */
export function parsePriv(priv: unknown, columnCase = false): Privs {
  const out: Privs = new Map();
  const add = (obj: string, privs: string): void => {
    if (obj.trim() === '') throw new Error(`priv: '${obj}:${privs}' names no object (write db.* or db.table)`);
    const list = splitPrivs(privs).map((p) => normPriv(p, columnCase));
    if (list.length === 0) throw new Error(`priv: no privileges for ${obj}`);
    for (const p of list) {
      const base = p.replace(/ \(.*\)$/, '');
      if (!KNOWN.has(base)) throw new Error(`priv: '${p}' is not a privilege`);
    }
    out.set(normObject(obj), new Set(list));
  };
  if (typeof priv === 'string') {
    for (const item of priv.trim().split('/')) {
      const colon = item.lastIndexOf(':');
      if (colon < 0) throw new Error(`priv: '${item}' is not OBJECT:PRIVILEGES (write db.*:ALL or db.table:SELECT,INSERT)`);
      add(item.slice(0, colon), item.slice(colon + 1));
    }
  } else if (priv && typeof priv === 'object' && !Array.isArray(priv)) {
    for (const [obj, p] of Object.entries(priv)) add(obj, Array.isArray(p) ? p.join(',') : String(p));
  } else throw new Error("priv must be a string ('db.*:ALL/db2.*:SELECT') or a mapping of objects to privileges");
  if (!out.has('*.*')) out.set('*.*', new Set(['USAGE']));
  return out;
}

const GRANT_LINE = /^GRANT (.+?) ON (.+?) TO (['`"]).*?\3@(['`"]).*?\4(.*)$/;

/** SHOW GRANTS lines for one account (a password hash or an IDENTIFIED clause in them is never kept). */
export function parseGrants(lines: string[], columnCase = false): Privs {
  const out: Privs = new Map();
  for (const line of lines) {
    const m = GRANT_LINE.exec(line);
    if (!m) continue; // a role granted (GRANT `role` TO ...): not a privilege on an object
    const privs = splitPrivs(m[1]!).map((p) => normPriv(p, columnCase));
    if (privs.includes('PROXY')) continue;
    if (/\bWITH\b.*\bGRANT OPTION\b/.test(m[5]!)) privs.push('GRANT');
    const obj = normObject(m[2]!);
    const set = out.get(obj) ?? new Set<string>();
    privs.forEach((p) => set.add(p));
    out.set(obj, set);
  }
  return out;
}

/** The account a SHOW GRANTS line is for: its host part, unquoted. */
export function grantHost(line: string): string | undefined {
  const m = /^GRANT .+? TO (['`"])(?:[^'`"]|\1\1)*?\1@(['`"])((?:[^'`"]|\2\2)*?)\2/.exec(line);
  return m ? m[3]!.split(m[2]! + m[2]!).join(m[2]!) : undefined;
}

const sorted = (s: Iterable<string>): string[] => [...s].sort();

/** GRANT statement for `privs` on `obj`; GRANT alone grants USAGE WITH GRANT OPTION. */
function grant(obj: string, privs: Set<string>, account: string): string {
  const list = sorted(privs).filter((p) => p !== 'GRANT');
  const words = list.length ? list.join(', ') : 'USAGE';
  return `GRANT ${words} ON ${obj} TO ${account}${privs.has('GRANT') ? ' WITH GRANT OPTION' : ''}`;
}

function revoke(obj: string, privs: Set<string>, account: string): string[] {
  const list = sorted(privs).filter((p) => p !== 'GRANT' && p !== 'USAGE');
  const out: string[] = [];
  if (privs.has('GRANT')) out.push(`REVOKE GRANT OPTION ON ${obj} FROM ${account}`);
  if (list.length) out.push(`REVOKE ${list.join(', ')} ON ${obj} FROM ${account}`);
  return out;
}

export type PrivMode = 'replace' | 'append' | 'subtract';

/** The statements that take an account from `current` to `wanted`, as Ansible's user_mod does. */
export function privStatements(current: Privs, wanted: Privs, account: string, mode: PrivMode): string[] {
  const out: string[] = [];
  if (mode === 'subtract') {
    for (const [obj, privs] of wanted) {
      const have = current.get(obj);
      if (!have) continue;
      const drop = new Set([...privs].filter((p) => have.has(p)));
      out.push(...revoke(obj, drop, account));
    }
    return out;
  }
  if (mode === 'replace') {
    for (const [obj, privs] of current) if (!wanted.has(obj)) out.push(...revoke(obj, privs, account));
  }
  for (const [obj, privs] of wanted) {
    const have = current.get(obj);
    if (!have) {
      if (!(obj === '*.*' && privs.size === 1 && privs.has('USAGE'))) out.push(grant(obj, privs, account));
      continue;
    }
    const add = new Set([...privs].filter((p) => !have.has(p)));
    const drop = mode === 'replace' ? new Set([...have].filter((p) => !privs.has(p))) : new Set<string>();
    // USAGE is "no privilege": having it or not is never a difference.
    add.delete('USAGE');
    drop.delete('USAGE');
    // ALL and the privileges it covers: revoking the rest before granting ALL is noise.
    if (add.has('ALL')) [...drop].forEach((p) => p !== 'GRANT' && drop.delete(p));
    if (drop.size) out.push(...revoke(obj, drop, account));
    if (add.size) out.push(grant(obj, add, account));
  }
  return out;
}
