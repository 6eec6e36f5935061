import { expect } from 'chai';
import { explainedBy, type Forecast } from '../../../src/executor/forecast.js';
import type { HostThing } from '../../../src/modules/types.js';

const f = (task: string, ...provides: HostThing[]): Forecast => ({ task, provides });
const path = (p: string): HostThing => ({ kind: 'path', path: p });
const pkg = (name: string): HostThing => ({ kind: 'package', name });

describe('check-mode forecasts', () => {
  const dirTmp = f('make /tmp/x', path('/tmp/x'));
  const nginx = f('install nginx', pkg('nginx'));

  it('an unrelated would-be change excuses nothing', () => {
    expect(explainedBy([{ kind: 'package-lists' }], [dirTmp])).to.equal(undefined);
    expect(explainedBy([{ kind: 'unit', name: 'nosuch.service' }], [dirTmp])).to.equal(undefined);
    expect(explainedBy([{ kind: 'user', name: 'nosuchuser' }], [dirTmp])).to.equal(undefined);
    expect(explainedBy([path('/tmp/nowhere/src')], [dirTmp])).to.equal(undefined);
    expect(explainedBy([path('/tmp/missing.conf')], [dirTmp])).to.equal(undefined);
  });

  it('a failure that names nothing it needs is never excused', () => {
    expect(explainedBy(undefined, [dirTmp, nginx])).to.equal(undefined);
    expect(explainedBy([], [dirTmp, nginx])).to.equal(undefined);
  });

  it('a path is provided by creating it or anything below it, never by a sibling', () => {
    expect(explainedBy([path('/tmp/x')], [dirTmp])).to.deep.equal([dirTmp]);
    expect(explainedBy([path('/tmp')], [dirTmp])).to.deep.equal([dirTmp]);
    expect(explainedBy([path('/tmp/x/')], [dirTmp])).to.deep.equal([dirTmp]);
    expect(explainedBy([path('/tmp/xy')], [dirTmp])).to.equal(undefined);
    expect(explainedBy([path('/tmp/x/inner')], [dirTmp])).to.equal(undefined);
  });

  it('a package would create system paths, users, groups and units, never paths in /tmp or /home', () => {
    expect(explainedBy([path('/etc/nginx/sites-available')], [dirTmp, nginx])).to.deep.equal([nginx]);
    expect(explainedBy([{ kind: 'unit', name: 'nginx.service' }], [nginx])).to.deep.equal([nginx]);
    expect(explainedBy([{ kind: 'user', name: 'www-data' }, { kind: 'group', name: 'www-data' }], [nginx])).to.deep.equal([nginx]);
    expect(explainedBy([path('/tmp/nginx')], [nginx])).to.equal(undefined);
    expect(explainedBy([path('/home/deploy/app')], [nginx])).to.equal(undefined);
  });

  it('a named package is provided only by installing that package', () => {
    expect(explainedBy([pkg('ufw')], [nginx])).to.equal(undefined);
    const ufw = f('install ufw', pkg('ufw'));
    expect(explainedBy([pkg('ufw')], [nginx, ufw])).to.deep.equal([ufw]);
  });

  it('a unit is provided by a unit file written for it', () => {
    const unitFile = f('write the unit', path('/etc/systemd/system/app.service'));
    expect(explainedBy([{ kind: 'unit', name: 'app.service' }], [unitFile])).to.deep.equal([unitFile]);
    expect(explainedBy([{ kind: 'unit', name: 'other.service' }], [unitFile])).to.equal(undefined);
  });

  it('a user or group is provided by the task that creates it', () => {
    const user = f('add deploy', { kind: 'user', name: 'deploy' });
    expect(explainedBy([{ kind: 'user', name: 'deploy' }, { kind: 'group', name: 'deploy' }], [user])).to.deep.equal([user]);
    expect(explainedBy([{ kind: 'user', name: 'other' }], [user])).to.equal(undefined);
  });

  it('the package lists change with an apt source or a cache update', () => {
    const source = f('add source', path('/etc/apt/sources.list.d/x.list'));
    expect(explainedBy([{ kind: 'package-lists' }], [source])).to.deep.equal([source]);
    const update = f('update', { kind: 'package-lists' });
    expect(explainedBy([{ kind: 'package-lists' }], [update])).to.deep.equal([update]);
  });

  it('every need must be provided', () => {
    expect(explainedBy([path('/tmp/x'), { kind: 'user', name: 'deploy' }], [dirTmp])).to.equal(undefined);
  });
});
