// jboss on a lab host: no JBoss server (not in Debian), but its deployment scanner's file contract is
// all the module relies on, so a small sh loop on the host plays the scanner (deploys a new archive
// by writing NAME.deployed, answers a removed .deployed with NAME.undeployed, refuses *bad* archives
// with NAME.failed). Check mode copies nothing, the deploy converges, re-runs report ok.
import { expect } from 'chai';
import { oneHostLab, type OneHost } from './support/one-host.js';
import { describeRun, totalChanged } from './support/runbook.js';

const DIR = '/srv/jboss/deployments';

const SCANNER = `d=${DIR}
while :; do
  for f in "$d"/*.war; do
    [ -f "$f" ] || continue
    seen="$d/.seen-\${f##*/}"
    if [ -e "$f.deployed" ]; then touch "$seen"
    elif [ -e "$seen" ]; then rm -f "$seen"; touch "$f.undeployed"
    elif [ -e "$f.undeployed" ] || [ -e "$f.failed" ]; then :
    else case "$f" in *bad*) touch "$f.failed" ;; *) touch "$f.deployed" "$seen" ;; esac
    fi
  done
  sleep 0.2
done`;

const deploy = (src: string, deployment: string, extra: Record<string, unknown> = {}) => ({
  name: `deploy ${deployment}`,
  jboss: { src, deployment, deploy_path: `${DIR}/`, ...extra },
});

describe('jboss on a lab host, against a stand-in deployment scanner', function () {
  this.timeout(600_000);
  let h: OneHost;
  let scannerPid = '';

  before(async () => {
    h = await oneHostLab({ host: 'jboss1', prefix: 'jboss' });
    await h.sh(`mkdir -p ${DIR} && printf 'war v1\\n' > /tmp/hello.war && printf 'broken\\n' > /tmp/bad.war`);
    scannerPid = (await h.sh(`setsid sh -c '${SCANNER.replace(/'/g, `'\\''`)}' >/dev/null 2>&1 < /dev/null & echo $!`)).trim();
    expect(scannerPid).to.match(/^\d+$/);
  });

  after(async () => {
    if (scannerPid) await h.sh(`kill ${scannerPid} || true`);
    h.cleanup();
  });

  it('--check reports the deploy and copies nothing', async () => {
    const run = await h.play('check', [deploy('/tmp/hello.war', 'hello.war')], '--check', '--json');
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(1);
    expect(await h.sh(`ls -A ${DIR}`)).to.equal('');
  });

  it('deploys once the scanner has answered, then a re-run is ok', async () => {
    const run = await h.play('deploy', [deploy('/tmp/hello.war', 'hello.war')], '--json');
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(1);
    expect(await h.sh(`cat ${DIR}/hello.war; ls ${DIR}`)).to.equal('war v1\nhello.war\nhello.war.deployed\n');
    const again = await h.play('deploy', [deploy('/tmp/hello.war', 'hello.war')], '--json');
    expect(again.code, describeRun(again)).to.equal(0);
    expect(totalChanged(again)).to.equal(0);
  });

  it('copies a changed archive over the deployed one', async () => {
    await h.sh("printf 'war v2\\n' > /tmp/hello.war");
    const run = await h.play('update', [deploy('/tmp/hello.war', 'hello.war')], '--json');
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(1);
    expect(await h.sh(`cat ${DIR}/hello.war`)).to.equal('war v2\n');
  });

  it('undeploys (the scanner writes .undeployed), a re-run is ok, and a deploy after it deploys again', async () => {
    const undeploy = { name: 'undeploy', jboss: { deployment: 'hello.war', deploy_path: DIR, state: 'absent' } };
    const run = await h.play('undeploy', [undeploy], '--json');
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(1);
    expect(await h.sh(`ls ${DIR}`)).to.equal('hello.war\nhello.war.undeployed\n');
    const again = await h.play('undeploy', [undeploy], '--json');
    expect(totalChanged(again)).to.equal(0);
    const redeploy = await h.play('redeploy', [deploy('/tmp/hello.war', 'hello.war')], '--json');
    expect(redeploy.code, describeRun(redeploy)).to.equal(0);
    expect(totalChanged(redeploy)).to.equal(1);
    expect(await h.sh(`ls ${DIR}`)).to.equal('hello.war\nhello.war.deployed\n');
  });

  it('fails with the scanner\'s .failed marker', async () => {
    const run = await h.play('bad', [deploy('/tmp/bad.war', 'bad.war')], '--json');
    expect(run.code).to.equal(2);
    expect(describeRun(run)).to.contain(`the deployment scanner wrote ${DIR}/bad.war.failed`);
  });
});
