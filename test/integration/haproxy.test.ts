// haproxy on a lab host running Debian's HAProxy with an admin stats socket: --check sends nothing,
// disable/enable/drain change what `show stat` reports, weights are set, a backend-less task acts
// on every backend holding the server, and every re-run reports ok.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { oneHostLab, type OneHost } from './support/one-host.js';
import { MONITORING_PACKAGES } from './support/monitoring-host.js';
import { describeRun, totalChanged, type CliRun } from './support/runbook.js';

const SOCKET = '/run/haproxy/admin.sock';

const CONFIG = `global
  stats socket ${SOCKET} mode 660 level admin
defaults
  mode http
  timeout connect 1s
  timeout client 5s
  timeout server 5s
frontend site
  bind 127.0.0.1:8080
  default_backend app
backend app
  server web1 127.0.0.1:8081 weight 10
  server web2 127.0.0.1:8082 weight 10
backend other
  server web1 127.0.0.1:8083 weight 10
`;

const task = (args: Record<string, unknown>) => ({ name: 'haproxy', haproxy: { socket: SOCKET, host: 'web1', ...args }, register: 'r' });
const show = { name: 'show', debug: { msg: '{{ r | to_json }}' } };

/** The haproxy task's registered result, as the `show` task printed it in the --json events. */
function registered(run: CliRun): Record<string, unknown> {
  const ev = run.events.find((e) => e.type === 'host_result' && e.task === 'show');
  return ev && ev.type === 'host_result' && ev.msg ? (JSON.parse(ev.msg) as Record<string, unknown>) : {};
}

describe('haproxy on a lab host, against a real HAProxy stats socket', function () {
  this.timeout(900_000);
  let h: OneHost;

  /** backend/server=status (weight) for web1's rows of show stat. */
  const status = async (): Promise<string> =>
    h.sh(`echo 'show stat' | socat - UNIX-CONNECT:${SOCKET} | awk -F, '$2 == "web1" { print $1 "/" $2 "=" $18 }'`);

  before(async () => {
    h = await oneHostLab({ host: 'lb1', prefix: 'haproxy', extraPackages: MONITORING_PACKAGES });
    // An Ansible project (Jinja2 templates), as the roles that use this module are.
    writeFileSync(join(h.work, 'ansible.cfg'), '[defaults]\n');
    await h.sh(`cat > /etc/haproxy/haproxy.cfg <<'EOF'\n${CONFIG}EOF\nsystemctl restart haproxy && for i in $(seq 50); do [ -S ${SOCKET} ] && break; sleep 0.2; done; [ -S ${SOCKET} ]`);
    expect(await status()).to.equal('app/web1=no check\nother/web1=no check\n');
  });

  after(() => h.cleanup());

  it('--check reports the disable and sends nothing', async () => {
    const run = await h.play('check', [task({ state: 'disabled', backend: 'app' })], '--check', '--json');
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(1);
    expect(await status()).to.equal('app/web1=no check\nother/web1=no check\n');
  });

  it('disables the server in one backend, then a re-run is ok', async () => {
    const run = await h.play('disable', [task({ state: 'disabled', backend: 'app', wait: true, wait_interval: 1 }), show], '--json');
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(1);
    expect(await status()).to.equal('app/web1=MAINT\nother/web1=no check\n');
    expect(registered(run)).to.deep.include({ state_before: [{ status: 'no check', weight: '10', scur: '0' }], command: ['disable server app/web1'] });
    expect((registered(run).state_after as { status: string }[])[0]!.status).to.equal('MAINT');
    const again = await h.play('disable', [task({ state: 'disabled', backend: 'app' })], '--json');
    expect(again.code, describeRun(again)).to.equal(0);
    expect(totalChanged(again)).to.equal(0);
  });

  it('enables it with a relative weight, waiting for it, then a re-run is ok', async () => {
    const enable = task({ state: 'enabled', backend: 'app', weight: '50%', wait: true, wait_interval: 1 });
    const run = await h.play('enable', [enable], '--json');
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(1);
    expect(await status()).to.equal('app/web1=no check\nother/web1=no check\n');
    expect(await h.sh(`echo 'get weight app/web1' | socat - UNIX-CONNECT:${SOCKET}`)).to.match(/^5 \(initial 10\)/);
    const again = await h.play('enable', [enable], '--json');
    expect(again.code, describeRun(again)).to.equal(0);
    expect(totalChanged(again)).to.equal(0);
  });

  it('drains it, and enabled brings it back from drain', async () => {
    const run = await h.play('drain', [task({ state: 'drain', backend: 'app' })], '--json');
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(1);
    expect(await status()).to.equal('app/web1=DRAIN\nother/web1=no check\n');
    expect(totalChanged(await h.play('drain', [task({ state: 'drain', backend: 'app' })], '--json'))).to.equal(0);
    const back = await h.play('enable', [task({ state: 'enabled', backend: 'app' })], '--json');
    expect(totalChanged(back)).to.equal(1);
    expect(await status()).to.equal('app/web1=no check\nother/web1=no check\n');
  });

  it('without a backend, disables the server in every backend that has it (drain first), then re-runs are ok', async () => {
    const run = await h.play('all', [task({ state: 'disabled', drain: true, wait_interval: 1, wait_retries: 3 })], '--json');
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(1);
    expect(await status()).to.equal('app/web1=MAINT\nother/web1=MAINT\n');
    expect(totalChanged(await h.play('all', [task({ state: 'disabled' })], '--json'))).to.equal(0);
    expect(totalChanged(await h.play('all', [task({ state: 'enabled' })], '--json'))).to.equal(1);
    expect(await status()).to.equal('app/web1=no check\nother/web1=no check\n');
  });

  it('a server in no backend: ok, or failed with fail_on_not_found', async () => {
    const quiet = await h.play('missing', [task({ state: 'disabled', host: 'nosuch' }), show], '--json');
    expect(quiet.code, describeRun(quiet)).to.equal(0);
    expect(totalChanged(quiet)).to.equal(0);
    const loud = await h.play('missing', [task({ state: 'disabled', host: 'nosuch', backend: 'app', fail_on_not_found: true })], '--json');
    expect(loud.code).to.equal(2);
    expect(describeRun(loud)).to.contain("The specified backend 'app/nosuch' was not found");
  });
});
