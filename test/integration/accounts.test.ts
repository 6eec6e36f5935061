// Account modules on a real host: --check on a bare host forecasts and creates nothing, the real
// run converges, and a second run reports changed=0. The user play's password hash is watched
// for in `ps` on the host and in the --json output, where it must never appear.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { onHost, type Lab } from './lab/fixture.js';
import { oneHostLab } from './support/one-host.js';
import { describeRun, runbook, totalChanged } from './support/runbook.js';

const TASKS = [
  { name: 'a system group', group: { name: 'rbapp', system: true } },
  { name: 'a group with a fixed gid', group: { name: 'rbdeploy', gid: 2345 } },
  { name: 'an old group gone', group: { name: 'rblegacy', state: 'absent' } },
];

/** What the host has: each group with its gid, or '-' when missing. */
const GROUPS = 'for g in rbapp rbdeploy rblegacy; do printf "%s=%s\\n" $g "$(getent group $g | cut -d: -f3)"; done';

describe('account modules on a lab host (group, user, authorized_key)', function () {
  this.timeout(600_000);
  let lab: Lab;
  let work: string;
  let inventory: string;
  let cleanup = (): void => {};
  let play: string;

  before(async () => {
    ({ lab, work, inventory, cleanup } = await oneHostLab({ host: 'acct1', prefix: 'accounts' }));
    play = join(work, 'site.yml');
    writeFileSync(play, stringify([{ name: 'accounts', hosts: 'all', gather_facts: false, tasks: TASKS }]));
  });

  after(() => cleanup());

  it('--check on a bare host forecasts the changes and creates nothing', async () => {
    await onHost(lab, 'acct1', 'groupadd rblegacy');
    const before = (await onHost(lab, 'acct1', GROUPS)).stdout;
    const run = await runbook(['apply', play, '-i', inventory, '--check', '--json']);
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(3);
    expect((await onHost(lab, 'acct1', GROUPS)).stdout).to.equal(before);
    expect(before).to.match(/^rbapp=\nrbdeploy=\nrblegacy=\d+\n$/);
  });

  it('converges, then a second run reports changed=0', async () => {
    const first = await runbook(['apply', play, '-i', inventory, '--json']);
    expect(first.code, describeRun(first)).to.equal(0);
    expect(totalChanged(first)).to.equal(3);
    const groups = (await onHost(lab, 'acct1', GROUPS)).stdout;
    expect(groups).to.match(/^rbapp=(\d+)\nrbdeploy=2345\nrblegacy=\n$/);
    // system: yes takes a gid from the system range (below 1000 on Debian).
    expect(Number(/^rbapp=(\d+)/.exec(groups)![1])).to.be.below(1000);
    const again = await runbook(['apply', play, '-i', inventory, '--json']);
    expect(again.code, describeRun(again)).to.equal(0);
    expect(totalChanged(again)).to.equal(0);
  });

  it('moves a group to the gid asked for, and refuses one another group holds', async () => {
    const moved = join(work, 'move.yml');
    writeFileSync(moved, stringify([{ name: 'move', hosts: 'all', gather_facts: false, tasks: [{ name: 'new gid', group: { name: 'rbdeploy', gid: 2346 } }] }]));
    const run = await runbook(['apply', moved, '-i', inventory, '--json']);
    expect(run.code, describeRun(run)).to.equal(0);
    expect((await onHost(lab, 'acct1', 'getent group rbdeploy | cut -d: -f3')).stdout).to.equal('2346\n');
    const clash = join(work, 'clash.yml');
    writeFileSync(clash, stringify([{ name: 'clash', hosts: 'all', gather_facts: false, tasks: [{ name: 'taken gid', group: { name: 'rbother', gid: 2346 } }] }]));
    const refused = await runbook(['apply', clash, '-i', inventory]);
    expect(refused.code).to.equal(2);
    expect(refused.stdout).to.include("gid 2346 is already the group rbdeploy's");
    expect((await onHost(lab, 'acct1', 'getent group rbother || echo none')).stdout).to.equal('none\n');
  });
  describe('user and authorized_key', () => {
    let hash: string;
    let keyA: string;
    let keyB: string;
    let userPlay: string;

    /** What the host has of the play's accounts, one line each, comparable across runs. */
    const ACCOUNTS = [
      'for u in rbuser rbsvc rbgone; do printf "%s=%s\\n" $u "$(getent passwd $u | cut -d: -f3-7)"; done',
      'printf "groups=%s\\n" "$(id -Gn rbuser 2>/dev/null)"',
      'printf "homes=%s\\n" "$(ls -d /home/rbuser /home/rbgone /home/rbsvc 2>/dev/null | tr "\\n" " ")"',
      'printf "keys=%s\\n" "$(stat -c "%U %a %n" /home/rbuser/.ssh /home/rbuser/.ssh/authorized_keys /home/rbuser/.ssh/id_ed25519 2>/dev/null | tr "\\n" " ")"',
    ].join('\n');

    before(() => {
      hash = execFileSync('openssl', ['passwd', '-6', `pw-${Date.now()}`]).toString().trim();
      for (const k of ['ka', 'kb']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${k}@controller`, '-f', join(work, k)]);
      keyA = readFileSync(join(work, 'ka.pub'), 'utf8').trim();
      keyB = readFileSync(join(work, 'kb.pub'), 'utf8').trim();
      userPlay = join(work, 'users.yml');
      writeFileSync(userPlay, stringify([{
        name: 'users', hosts: 'all', gather_facts: false,
        tasks: [
          { name: 'team group', group: { name: 'rbteam' } },
          {
            name: 'a person', register: 'u',
            user: { name: 'rbuser', comment: 'RB User', shell: '/bin/bash', groups: ['rbteam'], password: hash, generate_ssh_key: true, ssh_key_type: 'ed25519', ssh_key_passphrase: 'rb passphrase' },
          },
          { name: 'what user registered', debug: { var: 'u' } },
          { name: 'a service account', user: { name: 'rbsvc', system: true, create_home: false, shell: '/usr/sbin/nologin' } },
          { name: 'keys for the person', authorized_key: { user: 'rbuser', key: `${keyA}\n${keyB}`, key_options: 'no-port-forwarding' } },
          { name: 'a key that is not there', authorized_key: { user: 'rbuser', key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO gone', state: 'absent' } },
          { name: 'a former account', user: { name: 'rbgone', state: 'absent', remove: true } },
        ],
      }]));
    });

    it('--check on a bare host forecasts each change, authorized_key for the user the run creates included, and changes nothing', async () => {
      await onHost(lab, 'acct1', 'useradd -m rbgone');
      const before = (await onHost(lab, 'acct1', ACCOUNTS)).stdout;
      expect(before).to.match(/^rbuser=\nrbsvc=\nrbgone=\d+/);
      const run = await runbook(['apply', userPlay, '-i', inventory, '--check', '--json']);
      expect(run.code, describeRun(run)).to.equal(0);
      // group, user, user, authorized_key (forecast), userdel; the absent key is ok.
      expect(totalChanged(run)).to.equal(5);
      const keys = run.events.find((e) => e.type === 'host_result' && e.task === 'keys for the person');
      expect(JSON.stringify(keys)).to.match(/would change once earlier changes are applied \('a person'\)/);
      expect((await onHost(lab, 'acct1', ACCOUNTS)).stdout).to.equal(before);
      expect(run.stdout).not.to.contain(hash);
    });

    it('converges without the hash in ps or the output, then a second run reports changed=0', async () => {
      // Polls the host's process list while the play runs; the pattern arrives on stdin, so the poller's own command line is clean.
      await onHost(lab, 'acct1', [
        'umask 077; d=/run/rb-acct-ps; rm -rf "$d"; mkdir -p "$d"; cat > "$d/pat"; : > "$d/hits"',
        `setsid sh -c 'd=/run/rb-acct-ps; n=0; while [ ! -e "$d/stop" ]; do ps -ww -eo args= > "$d/snap"; grep -F -f "$d/pat" "$d/snap" >> "$d/hits"; n=$((n+1)); done; echo $n > "$d/count"' > /dev/null 2>&1 < /dev/null &`,
      ].join('\n'), { input: `${hash.split('$').pop()}\nrb passphrase\n` });
      const first = await runbook(['apply', userPlay, '-i', inventory, '--json', '--diff']);
      const watched = (await onHost(lab, 'acct1', 'd=/run/rb-acct-ps; touch "$d/stop"; sleep 1; cat "$d/count"; wc -c < "$d/hits"; rm -rf "$d"')).stdout.split('\n');
      expect(first.code, describeRun(first)).to.equal(0);
      expect(totalChanged(first)).to.equal(5);
      expect(Number(watched[0]), 'the poller ran').to.be.above(0);
      expect(watched[1], 'the hash or the passphrase was seen in ps').to.equal('0');
      expect(first.stdout + first.stderr).not.to.contain(hash).and.not.to.contain(hash.split('$').pop()).and.not.to.contain('rb passphrase');
      expect(first.stdout).to.contain('NOT_LOGGING_PASSWORD').and.to.contain('ssh_public_key').and.to.contain('ssh-ed25519 AAAA');

      const state = (await onHost(lab, 'acct1', `${ACCOUNTS}\ngetent shadow rbuser | cut -d: -f2\ncat /home/rbuser/.ssh/authorized_keys`)).stdout;
      expect(state).to.match(/^rbuser=\d+:\d+:RB User:\/home\/rbuser:\/bin\/bash\n/m);
      expect(state).to.match(/^rbsvc=(\d+):\d+::\/home\/rbsvc:\/usr\/sbin\/nologin$/m);
      expect(Number(/^rbsvc=(\d+)/m.exec(state)![1])).to.be.below(1000);
      expect(state).to.match(/^rbgone=$/m);
      expect(state).to.match(/^groups=rbuser rbteam$/m);
      expect(state).to.match(/^homes=\/home\/rbuser $/m);
      expect(state).to.match(/^keys=rbuser 700 \/home\/rbuser\/.ssh rbuser 600 \/home\/rbuser\/.ssh\/authorized_keys rbuser 600 \/home\/rbuser\/.ssh\/id_ed25519 $/m);
      expect(state).to.contain(`\n${hash}\n`);
      expect(state).to.contain(`\nno-port-forwarding ${keyA}\nno-port-forwarding ${keyB}\n`);
      // The key was generated with the passphrase.
      const key = await onHost(lab, 'acct1', "ssh-keygen -y -P 'rb passphrase' -f /home/rbuser/.ssh/id_ed25519");
      expect(key.stdout).to.match(/^ssh-ed25519 /);

      const again = await runbook(['apply', userPlay, '-i', inventory, '--json']);
      expect(again.code, describeRun(again)).to.equal(0);
      expect(totalChanged(again)).to.equal(0);
    });

    it('changes the hash, the shell and the groups of an existing account, and makes the keys exclusive', async () => {
      const newHash = execFileSync('openssl', ['passwd', '-6', `pw2-${Date.now()}`]).toString().trim();
      const change = join(work, 'change.yml');
      writeFileSync(change, stringify([{
        name: 'change', hosts: 'all', gather_facts: false,
        tasks: [
          { name: 'new hash and shell, no groups', user: { name: 'rbuser', password: newHash, shell: '/bin/sh', groups: '' } },
          { name: 'only key A', authorized_key: { user: 'rbuser', key: keyA, exclusive: true } },
        ],
      }]));
      const run = await runbook(['apply', change, '-i', inventory, '--json']);
      expect(run.code, describeRun(run)).to.equal(0);
      expect(totalChanged(run)).to.equal(2);
      expect(run.stdout).not.to.contain(newHash);
      const state = (await onHost(lab, 'acct1', 'getent shadow rbuser | cut -d: -f2; getent passwd rbuser | cut -d: -f7; id -Gn rbuser; cat /home/rbuser/.ssh/authorized_keys')).stdout;
      expect(state).to.equal(`${newHash}\n/bin/sh\nrbuser\n${keyA}\n`);
      const again = await runbook(['apply', change, '-i', inventory, '--json']);
      expect(totalChanged(again), describeRun(again)).to.equal(0);
    });
      it('creates a missing home from the skeleton, moves a home, sets an expiry and locks the password', async () => {
      await onHost(lab, 'acct1', 'useradd -M -s /bin/sh rbhome && useradd -m rbmove');
      const play = join(work, 'homes.yml');
      writeFileSync(play, stringify([{
        name: 'homes', hosts: 'all', gather_facts: false,
        tasks: [
          { name: 'missing home', user: { name: 'rbhome' } },
          { name: 'moved home', user: { name: 'rbmove', home: '/srv/rbmove', move_home: true, expires: 1893456000, password_lock: true } },
        ],
      }]));
      const run = await runbook(['apply', play, '-i', inventory, '--json']);
      expect(run.code, describeRun(run)).to.equal(0);
      expect(totalChanged(run)).to.equal(2);
      const state = (await onHost(lab, 'acct1', [
        'stat -c "%U:%G %a" /home/rbhome; ls -A /home/rbhome | sort | tr "\\n" " "; echo',
        'getent passwd rbmove | cut -d: -f6; [ -d /home/rbmove ] && echo old-still-there; stat -c %U /srv/rbmove',
        'getent shadow rbmove | cut -d: -f2,8 | cut -c1',
        'getent shadow rbmove | cut -d: -f8',
      ].join('\n'))).stdout;
      // /etc/skel's files, the home owned by the account, its mode from login.defs' UMASK (022 on Debian).
      expect(state).to.equal('rbhome:rbhome 755\n.bash_logout .bashrc .profile \n/srv/rbmove\nrbmove\n!\n21915\n');
      const again = await runbook(['apply', play, '-i', inventory, '--json']);
      expect(totalChanged(again), describeRun(again)).to.equal(0);
    });
});
});
