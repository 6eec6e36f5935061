// The polling loop wait_for runs on the host itself (not one SSH round trip per try): bounded by
// a deadline, checking a TCP port with bash's /dev/tcp (ss as a fallback) or a path.
import { shQuote } from '../../core/shell.js';

export interface WaitSpec {
  host: string;
  port?: number;
  path?: string;
  searchRegex?: string;
  /** started/present: wait until it is there; stopped/absent: until it is gone. */
  want: 'up' | 'down';
  timeout: number;
  delay: number;
  sleep: number;
  connectTimeout: number;
}

/** Exit 0 when the condition held (prints elapsed=N), 1 on timeout. */
export function waitScript(w: WaitSpec): string {
  let check: string;
  if (w.port !== undefined) {
    const h = shQuote(w.host);
    check = [
      'check() {',
      '  if command -v bash >/dev/null 2>&1; then',
      `    timeout ${w.connectTimeout} bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ ${h} ${w.port} 2>/dev/null`,
      '  else',
      `    ss -Htln 'sport = :${w.port}' | grep -q .`,
      '  fi',
      '}',
    ].join('\n');
  } else if (w.path !== undefined) {
    const p = shQuote(w.path);
    check = w.searchRegex !== undefined ? `check() { [ -f ${p} ] && grep -Eq -- ${shQuote(w.searchRegex)} ${p}; }` : `check() { [ -e ${p} ]; }`;
  } else {
    // Neither port nor path: Ansible's wait_for is then a plain sleep of `timeout` seconds.
    return `sleep ${w.delay + w.timeout}\necho elapsed=${w.delay + w.timeout}`;
  }
  const test = w.want === 'up' ? 'check' : '! check';
  return [
    check,
    'start=$(date +%s)',
    ...(w.delay > 0 ? [`sleep ${w.delay}`] : []),
    'while :; do',
    `  if ${test}; then echo "elapsed=$(( $(date +%s) - start ))"; exit 0; fi`,
    `  if [ $(( $(date +%s) - start )) -ge ${w.timeout} ]; then echo "elapsed=$(( $(date +%s) - start ))"; exit 1; fi`,
    `  sleep ${w.sleep}`,
    'done',
  ].join('\n');
}

/** What did not happen, in words, for the failure message. */
export function waitFailure(w: WaitSpec): string {
  const within = `within ${w.timeout}s`;
  if (w.port !== undefined) {
    return w.want === 'up' ? `port ${w.port} on ${w.host} did not accept connections ${within}` : `port ${w.port} on ${w.host} was still open after ${w.timeout}s`;
  }
  if (w.want === 'down') return `${w.path} still existed after ${w.timeout}s`;
  return w.searchRegex !== undefined ? `${w.path} did not contain a match for /${w.searchRegex}/ ${within}` : `${w.path} did not appear ${within}`;
}
