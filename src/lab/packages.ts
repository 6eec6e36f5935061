// What the lab root holds: the debootstrap recipe and the packages roles install, served offline from a local repo.

export const SUITE = 'bookworm';
export const MIRROR = 'http://deb.debian.org/debian';

/** Installed in the base root by debootstrap: enough to boot systemd and take SSH logins. */
export const BASE_PACKAGES: readonly string[] = [
  'systemd',
  'systemd-sysv',
  'dbus',
  'openssh-server',
  'iproute2',
  'procps',
  'sudo',
  'ca-certificates',
];

/**
 * Downloaded (with their dependencies) into the root's local repo, not installed: the roles install
 * them on the hosts, which have no network. python3 and python3-apt let Ansible run on the same hosts.
 */
export const REPO_PACKAGES: readonly string[] = [
  'redis-server',
  'redis-tools',
  'php-fpm',
  'php-cli',
  'php-redis',
  'nginx',
  'apache2',
  'libapache2-mod-php',
  'ufw',
  'python3',
  'python3-apt',
  'curl',
  // The everyday modules' tools (issue 19): git checkouts, crontabs, zip archives, rsync for
  // synchronize, MariaDB for mysql_db/mysql_user, venvs for pip.
  'git',
  'cron',
  'unzip',
  'xz-utils',
  'rsync',
  'mariadb-server',
  'python3-venv',
  'python3-pip',
  'python3-setuptools',
  'python3-wheel',
];

/**
 * Sets apt resolves together the way roles install them. apt picks the first alternative of an
 * or-dependency unless another package of the same call satisfies it, so each package alone, each
 * role's set, and everything at once are all downloaded.
 */
export const REPO_INSTALL_SETS: readonly (readonly string[])[] = [
  ...REPO_PACKAGES.map((p) => [p]),
  ['redis-server', 'redis-tools'],
  ['nginx', 'php-fpm'],
  ['apache2', 'libapache2-mod-php'],
  ['php-redis', 'redis-tools'],
  ['python3', 'python3-apt'],
  REPO_PACKAGES,
];

/** Bumped whenever root.ts changes what it writes into the root. */
export const RECIPE_VERSION = 1;
