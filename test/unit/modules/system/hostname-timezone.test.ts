// hostname and timezone plans from canned host state: which of hostnamectl / timedatectl or the
// files (/etc/hostname and hostname, /etc/localtime and /etc/timezone) they use, and when nothing changes.
import { expect } from 'chai';
import { InputError } from '../../../../src/core/errors.js';
import { hostnameModule, parseHostnameArgs, planHostname } from '../../../../src/modules/system/hostname.js';
import { parseTimezoneArgs, planTimezone, timezoneModule, zoneOfLink } from '../../../../src/modules/system/timezone.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { loc } from './fixtures/context.js';

function section(name: string, text: string): ExecResult {
  return { stdout: `\n@@runbook-section@@ ${name}\n${text}\n@@runbook-section@@ .end\n`, stderr: '', code: 0 };
}

const firstLines = (p: { steps: { script: string }[] }) => p.steps.map((s) => (s.script.includes('rb_locate') ? `write ${/dest=(\S+)/.exec(s.script)?.[1]}` : s.script));

/** [what, args, host facts, changes count, commands]. */
const hostnames: [string, Record<string, unknown>, string, string[]][] = [
  ['sets both names with hostnamectl when it answers', { name: 'web1' }, 'live=old\nfile=old\nhostnamectl=yes\nhostname_cmd=yes\n', ['hostnamectl --pretty --static set-hostname web1', 'hostnamectl --transient set-hostname web1']],
  ['writes /etc/hostname and runs hostname without hostnamed', { name: 'web1' }, 'live=old\nfile=old\nhostname_cmd=yes\n', ['write /etc/hostname', 'hostname web1']],
  ['sets only the running name when the file is right', { name: 'web1', use: 'debian' }, 'live=old\nfile=web1\nhostnamectl=yes\nhostname_cmd=yes\n', ['hostname web1']],
  ['changes nothing when both are right', { name: 'web1.example.com' }, 'live=web1.example.com\nfile=web1.example.com\nhostname_cmd=yes\n', []],
];

const timezones: [string, Record<string, unknown>, string, string[]][] = [
  ['replaces the /etc/localtime link and /etc/timezone without timedated', { name: 'Europe/Paris' }, 'known=yes\nlink=/usr/share/zoneinfo/Etc/UTC\nfile=Etc/UTC\nfile_exists=yes\n', ['cd /etc && rm -f .runbook-localtime && ln -s /usr/share/zoneinfo/Europe/Paris .runbook-localtime && mv -fT .runbook-localtime localtime', 'write /etc/timezone']],
  ['uses timedatectl when it answers', { name: 'Europe/Paris', hwclock: 'UTC' }, 'known=yes\nlink=../usr/share/zoneinfo/Etc/UTC\ntimedatectl=yes\n', ['timedatectl set-timezone Europe/Paris']],
  ['changes nothing when the link and the file agree', { name: 'Etc/UTC' }, 'known=yes\nlink=/usr/share/zoneinfo/Etc/UTC\nfile=Etc/UTC\nfile_exists=yes\n', []],
  ['puts right an /etc/timezone that disagrees with the link', { name: 'Etc/UTC' }, 'known=yes\nlink=/usr/share/zoneinfo/Etc/UTC\nfile=Europe/Paris\nfile_exists=yes\n', ['write /etc/timezone']],
];

describe('modules/system/hostname', () => {
  for (const [what, raw, facts, commands] of hostnames) {
    it(what, () => {
      const p = planHostname(parseHostnameArgs(raw, loc), section('host', facts));
      expect(p.failure).to.equal(undefined);
      expect(firstLines(p)).to.deep.equal(commands);
      expect(p.changes.length > 0).to.equal(commands.length > 0);
    });
  }

  it('updates the facts and shows the diff as Ansible does', () => {
    const p = planHostname(parseHostnameArgs({ name: 'web1.example.com' }, loc), section('host', 'live=old\nfile=old\nhostname_cmd=yes\n'));
    expect(p.facts).to.deep.equal({ ansible_hostname: 'web1', ansible_nodename: 'web1.example.com', ansible_domain: 'example.com' });
    expect(p.diffs).to.deep.equal([{ path: 'hostname', before: 'hostname = old\n', after: 'hostname = web1.example.com\n' }]);
    expect(p.data).to.deep.equal({ strategy: 'debian', name: 'web1.example.com' });
    expect(p.steps[0]!.stdin?.toString()).to.equal('web1.example.com\n');
  });

  it('fails use=systemd clearly where hostnamectl does not answer', () => {
    const p = planHostname(parseHostnameArgs({ name: 'web1', use: 'systemd' }, loc), section('host', 'live=old\nfile=old\n'));
    expect(p.failure?.msg).to.match(/hostnamectl does not answer on this host.*use: debian/);
  });

  it('refuses bad arguments at the task', () => {
    expect(() => parseHostnameArgs({ name: 'web_1' }, loc)).to.throw(InputError, /not a host name/);
    expect(() => parseHostnameArgs({ name: '-web' }, loc)).to.throw(InputError, /not a host name/);
    expect(() => parseHostnameArgs({ name: `${'a'.repeat(40)}.${'b'.repeat(30)}` }, loc)).to.throw(InputError, /longer than 64/);
    expect(() => parseHostnameArgs({ name: 'web1', use: 'redhat' }, loc)).to.throw(InputError, /use=redhat is not supported/);
    expect(() => hostnameModule.parse({ nmae: 'web1' }, loc)).to.throw(InputError, /has no argument 'nmae'/);
  });
});

describe('modules/system/timezone', () => {
  for (const [what, raw, facts, commands] of timezones) {
    it(what, () => {
      const p = planTimezone(parseTimezoneArgs(raw, loc), section('tz', facts));
      expect(p.failure).to.equal(undefined);
      expect(firstLines(p)).to.deep.equal(commands);
      expect(p.changes.length > 0).to.equal(commands.length > 0);
    });
  }

  it('reads the zone from the link, whatever its form', () => {
    expect(['/usr/share/zoneinfo/Europe/Paris', '../usr/share/zoneinfo/UTC', '/usr/share/zoneinfo/posix/Asia/Tokyo', undefined].map(zoneOfLink)).to.deep.equal(['Europe/Paris', 'UTC', 'Asia/Tokyo', '']);
  });

  it('fails on a zone the host does not know, naming tzdata', () => {
    const p = planTimezone(parseTimezoneArgs({ name: 'Mars/Olympus' }, loc), section('tz', 'link=/usr/share/zoneinfo/Etc/UTC\n'));
    expect(p.failure?.msg).to.match(/Mars\/Olympus is not a known time zone/);
    expect(p.failure?.needs).to.deep.equal([{ kind: 'package', name: 'tzdata' }]);
  });

  it('refuses bad arguments at the task', () => {
    expect(() => parseTimezoneArgs({ name: '../../etc/passwd' }, loc)).to.throw(InputError, /not a time zone name/);
    expect(() => parseTimezoneArgs({ name: 'Europe/Paris; rm' }, loc)).to.throw(InputError, /not a time zone name/);
    expect(() => timezoneModule.parse({ name: 'UTC', hw_clock: 'UTC' }, loc)).to.throw(InputError, /has no argument 'hw_clock'/);
  });
});
