// Issue 19's keywords on fake hosts: any_errors_fatal on tasks and blocks, module_defaults (play,
// block, task), strategy: free (no barrier between hosts at each task) and vars_prompt.
import { expect } from 'chai';
import { InputError } from '../../../src/core/errors.js';
import type { RunEvent } from '../../../src/executor/events.js';
import type { ActionModule } from '../../../src/modules/types.js';
import { loadTree, modules, yamlRun } from './yaml-play.js';

type Aborted = Extract<RunEvent, { type: 'aborted' }>;
const abortedOf = (events: RunEvent[]): Aborted | undefined => events.find((e): e is Aborted => e.type === 'aborted');
const ran = (events: RunEvent[], task: string): string[] => events.filter((e) => e.type === 'host_result' && e.task === task).map((e) => (e as { host: string }).host);

describe('executor: any_errors_fatal on tasks and blocks', () => {
  const site = (where: 'task' | 'block' | 'none'): string => `
- hosts: all
  gather_facts: false
  tasks:
${where === 'block' ? `    - any_errors_fatal: true
      block:
        - name: breaks on b
          kv: { key: x, value: '1' }
` : `    - name: breaks on b
      kv: { key: x, value: '1' }
${where === 'task' ? '      any_errors_fatal: true\n' : ''}`}    - name: later
      kv: { key: y, value: '1' }
`;

  for (const where of ['task', 'block'] as const) {
    it(`on a ${where}: a failure on one host stops the play on every host`, async () => {
      const r = yamlRun({ 'site.yml': site(where) }, ['a', 'b']);
      r.hosts.get('b')!.kv.set('broken', 'yes');
      expect(await r.run()).to.not.equal(0);
      expect(ran(r.events, 'later')).to.deep.equal([]);
      expect(abortedOf(r.events)?.reason).to.equal('any_errors_fatal: b failed');
    });
  }

  it('without it, the other hosts go on', async () => {
    const r = yamlRun({ 'site.yml': site('none') }, ['a', 'b']);
    r.hosts.get('b')!.kv.set('broken', 'yes');
    await r.run();
    expect(ran(r.events, 'later')).to.deep.equal(['a']);
    expect(abortedOf(r.events)).to.equal(undefined);
  });

  it('a failure the block rescues does not stop the play', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - any_errors_fatal: true
      block:
        - name: breaks on b
          kv: { key: x, value: '1' }
      rescue:
        - name: rescued
          note: mended
    - name: later
      note: go
`,
    }, ['a', 'b']);
    r.hosts.get('b')!.kv.set('broken', 'yes');
    expect(await r.run()).to.equal(0);
    expect(ran(r.events, 'later')).to.deep.equal(['a', 'b']);
  });
});

describe('executor: module_defaults', () => {
  it('gives play, block and task defaults to a module, the task and inner ones winning key by key', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  module_defaults:
    kv: { key: fromplay, value: play }
  tasks:
    - name: play defaults
      kv: {}
    - module_defaults:
        kv: { value: block }
      block:
        - name: block over play
          kv: {}
        - name: task over all
          kv: { value: own }
          module_defaults:
            kv: { key: fromtask }
`,
    }, ['a']);
    expect(await r.run()).to.equal(0);
    expect(Object.fromEntries(r.hosts.get('a')!.kv)).to.deep.equal({ fromplay: 'block', fromtask: 'own' });
  });

  it('refuses an unknown module or argument, and action groups, at load time', () => {
    const load = (md: string): unknown => loadTree({ 'site.yml': `- hosts: all\n  module_defaults:\n${md}\n  tasks: []\n` });
    expect(() => load('    kvv: { key: a }')).to.throw(InputError, /module_defaults: unknown module 'kvv'/);
    expect(() => load('    kv: { kee: a }')).to.throw(InputError, /module 'kv' has no argument 'kee'/);
    expect(() => load('    group/aws: { region: x }')).to.throw(InputError, /action groups \('group\/aws'\) are not supported/);
  });
});

describe('executor: strategy free', () => {
  /** An action that records when each host ran it; host a is quick, b slow. */
  const order: string[] = [];
  const mark: ActionModule<{ label: string }> = {
    kind: 'action', name: 'note', freeForm: 'text', argNames: ['text'], checkMode: 'run',
    parse: (raw) => ({ label: String(raw.text) }),
    run: async (a, ctx) => {
      await new Promise((r) => setTimeout(r, ctx.host === 'b' ? 250 : 1));
      order.push(`${ctx.host}${a.label}`);
      return { changed: false };
    },
  };
  const site = (strategy: string): string => `
- hosts: all
  gather_facts: false
  strategy: ${strategy}
  tasks:
    - note: '1'
    - note: '2'
    - note: '3'
`;
  for (const strategy of ['linear', 'free'] as const) {
    it(`${strategy}: ${strategy === 'free' ? 'a quick host does not wait for a slow one' : 'every host finishes a task before the next'}`, async () => {
      order.length = 0;
      const r = yamlRun({ 'site.yml': site(strategy) }, ['a', 'b']);
      r.ctx.modules = (name) => (name === 'note' ? mark : modules(name));
      expect(await r.run()).to.equal(0);
      if (strategy === 'linear') expect(order).to.deep.equal(['a1', 'b1', 'a2', 'b2', 'a3', 'b3']);
      // b takes 250 ms a task: a is through all three before b is through its second.
      else expect(order.indexOf('a3')).to.be.below(order.indexOf('b2'));
    });
  }

  it('refuses the strategies runbook does not have', () => {
    expect(() => loadTree({ 'site.yml': site('host_pinned') })).to.throw(InputError, /strategy: .*host_pinned.* is not supported/);
  });
});

describe('executor: vars_prompt', () => {
  const site = `
- hosts: all
  gather_facts: false
  vars_prompt:
    - name: release
      prompt: Which release?
      private: no
    - name: token
      prompt: Token
      default: none-given
  tasks:
    - name: use
      kv: { key: out, value: '{{ release }}-{{ token }}' }
`;
  it('asks on the terminal, hiding private answers and marking them secret', async () => {
    const asked: [string, boolean][] = [];
    const r = yamlRun({ 'site.yml': site }, ['a'], { options: { prompt: async (q, secret) => (asked.push([q, secret]), secret ? 's3cret' : 'v2') } });
    expect(await r.run()).to.equal(0);
    expect(asked).to.deep.equal([['Which release?: ', false], ['Token [<hidden default>]: ', true]]);
    expect(r.hosts.get('a')!.kv.get('out')).to.equal('v2-s3cret');
    expect([...r.secrets]).to.include('s3cret');
  });

  it('without a terminal: -e, then the default; nothing at all is an error naming -e', async () => {
    const r = yamlRun({ 'site.yml': site }, ['a'], { options: { extraVars: { release: 'v3' } } });
    expect(await r.run()).to.equal(0);
    expect(r.hosts.get('a')!.kv.get('out')).to.equal('v3-none-given');
    const bare = yamlRun({ 'site.yml': site }, ['a']);
    let err: unknown;
    try {
      await bare.run();
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(InputError);
    expect((err as InputError).message).to.match(/vars_prompt 'release' needs a value, and there is no terminal to ask on/);
    expect((err as InputError).hint).to.match(/-e release=VALUE/);
  });

  const hashed = (extra = ''): string => `
- hosts: all
  gather_facts: false
  vars_prompt:
    - name: pw
      prompt: Password
      encrypt: md5_crypt
      confirm: yes
      salt_size: 7
      salt: foo
${extra}  tasks:
    - name: use
      kv: { key: out, value: '{{ pw }}' }
`;

  it('encrypt: the variable holds the crypt hash of the answer, masked like the answer', async () => {
    const r = yamlRun({ 'site.yml': hashed() }, ['a'], { options: { prompt: async () => 'changeme' } });
    expect(await r.run()).to.equal(0);
    expect(r.hosts.get('a')!.kv.get('out')).to.equal('$1$foo$3pdhS314N9fUNs2GwxdlO.');
    expect([...r.secrets]).to.include.members(['changeme', '$1$foo$3pdhS314N9fUNs2GwxdlO.']);
  });

  it('encrypt: a default is hashed too; a value from -e is taken as it is', async () => {
    const withDefault = hashed().replace('      salt: foo\n', '      salt: foo\n      default: changeme\n');
    const r = yamlRun({ 'site.yml': withDefault }, ['a']);
    expect(await r.run()).to.equal(0);
    expect(r.hosts.get('a')!.kv.get('out')).to.equal('$1$foo$3pdhS314N9fUNs2GwxdlO.');
    const e = yamlRun({ 'site.yml': hashed() }, ['a'], { options: { extraVars: { pw: '$1$given$x' } } });
    expect(await e.run()).to.equal(0);
    expect(e.hosts.get('a')!.kv.get('out')).to.equal('$1$given$x');
  });

  it('encrypt: refuses what Ansible refuses, at the key', () => {
    const bad = (from: string, to: string): string => hashed().replace(from, to);
    expect(() => loadTree({ 'site.yml': bad('md5_crypt', 'bcrypt') })).to.throw(InputError, /encrypt 'bcrypt' is not supported/);
    expect(() => loadTree({ 'site.yml': bad('salt: foo', 'salt: fo$o') })).to.throw(InputError, /characters a crypt salt cannot hold/);
    expect(() => loadTree({ 'site.yml': bad('salt: foo', 'salt: ninechars') })).to.throw(InputError, /md5_crypt takes at most 8/);
    expect(() => loadTree({ 'site.yml': bad('salt_size: 7', 'salt_size: 9') })).to.throw(InputError, /salt_size must be a whole number from 1 to 8/);
    expect(() => loadTree({ 'site.yml': bad('      encrypt: md5_crypt\n', '') })).to.throw(InputError, /'salt_size' needs encrypt|'salt' needs encrypt/);
    try {
      loadTree({ 'site.yml': bad('md5_crypt', 'bcrypt') });
    } catch (e) {
      expect((e as InputError).loc?.line).to.equal(7);
    }
  });
});

