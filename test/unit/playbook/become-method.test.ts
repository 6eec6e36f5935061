// become_method as a keyword (issue 14): sudo and su load on a play, a block and a task and reach
// the task; any other method is refused at its own file:line:col before anything runs.
import { expect } from 'chai';
import { InputError } from '../../../src/core/errors.js';
import { loadTree } from '../executor/yaml-play.js';

const play = (method: string, where: 'play' | 'block' | 'task'): string => `
- hosts: all
  gather_facts: false
  ${where === 'play' ? `become_method: ${method}` : ''}
  tasks:
    - block:
        - name: t
          command: id
          ${where === 'task' ? `become_method: ${method}` : ''}
      ${where === 'block' ? `become_method: ${method}` : ''}
`;

describe('playbook: become_method', () => {
  for (const where of ['play', 'block', 'task'] as const) {
    it(`sudo on a ${where} loads`, () => {
      expect(() => loadTree({ 'site.yml': play('sudo', where) })).not.to.throw();
      expect(() => loadTree({ 'site.yml': play('ansible.builtin.sudo', where) })).not.to.throw();
    });

    it(`su on a ${where} loads`, () => {
      expect(() => loadTree({ 'site.yml': play('su', where) })).not.to.throw();
      expect(() => loadTree({ 'site.yml': play('ansible.builtin.su', where) })).not.to.throw();
    });

    it(`doas on a ${where} is refused where it is written`, () => {
      let err: unknown;
      try {
        loadTree({ 'site.yml': play('doas', where) });
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(InputError);
      expect((err as InputError).message).to.equal("become_method 'doas' is not supported: runbook escalates with sudo or su");
      const line = play('doas', where).split('\n').findIndex((l) => l.includes('become_method')) + 1;
      expect((err as InputError).loc?.line).to.equal(line);
    });
  }
});
