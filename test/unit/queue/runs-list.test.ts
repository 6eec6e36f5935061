import { expect } from 'chai';
import { formatRuns, parseSubmitter, runRow } from '../../../src/queue/runs-list.js';

const base = { playbook: 'site.yml', submitter: 'ctl:4242', started: '2026-12-02T17:20:03.123Z', bundle: 'abc' };

describe('queue/runs-list', () => {
  const cases: { name: string; record: Record<string, string>; status: string; exitCode: number | null }[] = [
    { name: 'running', record: { ...base, status: 'running' }, status: 'running', exitCode: null },
    { name: 'finished 0', record: { ...base, status: 'finished', exitCode: '0', finished: '2026-12-02T17:21:00.000Z' }, status: 'ok', exitCode: 0 },
    { name: 'finished 2', record: { ...base, status: 'finished', exitCode: '2' }, status: 'failed', exitCode: 2 },
    { name: 'finished 4', record: { ...base, status: 'finished', exitCode: '4' }, status: 'unreachable', exitCode: 4 },
    { name: 'finished 8', record: { ...base, status: 'finished', exitCode: '8' }, status: 'aborted', exitCode: 8 },
    { name: 'finished 1', record: { ...base, status: 'finished', exitCode: '1' }, status: 'error', exitCode: 1 },
    { name: 'cancelled', record: { ...base, status: 'cancelled', exitCode: '130' }, status: 'cancelled', exitCode: 130 },
    { name: 'an unknown code', record: { ...base, status: 'finished', exitCode: '3' }, status: 'exit 3', exitCode: 3 },
  ];
  for (const c of cases) {
    it(`status of a run: ${c.name}`, () => {
      const row = runRow('r1', c.record);
      expect({ status: row.status, exitCode: row.exitCode }).to.deep.equal({ status: c.status, exitCode: c.exitCode });
    });
  }

  it('formats a table newest first as given, aligned, with - for what is not known yet', () => {
    const text = formatRuns([
      runRow('20261202T172003-0a1b2c3d', { ...base, status: 'running' }),
      runRow('20261202T170000-ffffffff', { ...base, playbook: 'deploy/web.yml', submitter: 'ci-runner:7', status: 'finished', exitCode: '2', finished: '2026-12-02T17:05:09.900Z' }),
    ]);
    expect(text.split('\n')).to.deep.equal([
      'RUN                       STATUS   EXIT  PLAYBOOK        SUBMITTER    STARTED               FINISHED',
      '20261202T172003-0a1b2c3d  running  -     site.yml        ctl:4242     2026-12-02 17:20:03Z  -',
      '20261202T170000-ffffffff  failed   2     deploy/web.yml  ci-runner:7  2026-12-02 17:20:03Z  2026-12-02 17:05:09Z',
      '',
    ]);
  });

  it('says so when there is no run', () => {
    expect(formatRuns([])).to.match(/^no runs in the queue/);
  });

  it('reads host:pid of a submitter (an IPv6-ish host keeps its colons)', () => {
    expect(parseSubmitter('ctl:4242')).to.deep.equal({ host: 'ctl', pid: 4242 });
    expect(parseSubmitter('a:b:12')).to.deep.equal({ host: 'a:b', pid: 12 });
    expect(parseSubmitter('nopid')).to.equal(undefined);
  });
});
