// The one command that gathers facts: only sh, coreutils, grep/sed and iproute2, so it runs on a bare Debian or Ubuntu host.
import { sectionsScript } from '../lib/sections.js';

export function setupProbeScript(): string {
  return sectionsScript({
    osrelease: 'cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null',
    host: [
      'export LC_ALL=C',
      'echo "system=$(uname -s)"',
      'echo "nodename=$(uname -n)"',
      // hostname -f resolves the name, which can hang on a broken resolver: bounded, and uname -n when it fails.
      'rb_fqdn=$(timeout 2 hostname -f 2>/dev/null) || rb_fqdn=; echo "fqdn=${rb_fqdn:-$(uname -n)}"',
      'echo "kernel=$(uname -r)"',
      'echo "machine=$(uname -m)"',
      'echo "user=$(id -un)"',
      'echo "vcpus=$(grep -c "^processor" /proc/cpuinfo 2>/dev/null)"',
      'sed -n "s/^MemTotal:[[:space:]]*\\([0-9]*\\) kB$/memtotal_kb=\\1/p" /proc/meminfo 2>/dev/null',
      '[ -d /run/systemd/system ] && echo systemd=yes',
      'echo "init=$(cat /proc/1/comm 2>/dev/null)"',
      '[ -d /etc/init.d ] && echo initd=yes',
      'command -v apt-get >/dev/null 2>&1 && echo pkg=apt',
    ].join('\n'),
    route: 'ip -4 route show default 2>/dev/null',
    addr: 'ip -4 -o addr show 2>/dev/null',
    link: 'ip -o link show 2>/dev/null',
    php: [
      `command -v php >/dev/null 2>&1 && echo "cli=$(php -r 'echo PHP_MAJOR_VERSION.".".PHP_MINOR_VERSION;' 2>/dev/null)"`,
      'for d in /etc/php/*/; do',
      '  [ -d "$d" ] || continue',
      '  v=${d%/}; v=${v##*/}',
      '  echo "version=$v"',
      '  for r in fpm apache2 cli; do [ -d "$d$r" ] && echo "runtime=$v/$r"; done',
      'done',
    ].join('\n'),
  });
}
