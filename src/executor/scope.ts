// What a task inherits from the blocks around it: vars, conditions, privilege, error handling, environment.
import type { Vars } from '../core/types.js';
import type { EnvironmentLayer } from '../playbook/environment.js';
import type { Block } from '../playbook/types.js';

export interface Scope {
  vars: Vars[];
  when: string[];
  become?: boolean;
  becomeUser?: string;
  becomeMethod?: 'sudo' | 'su';
  becomeFlags?: string;
  ignoreErrors: boolean;
  /** any_errors_fatal of the nearest enclosing block that sets it. */
  anyErrorsFatal?: boolean;
  /** environment: of the enclosing blocks, outermost first (the play's is on the play). */
  environment: EnvironmentLayer[];
}

export const rootScope: Scope = { vars: [], when: [], ignoreErrors: false, environment: [] };

export function enterBlock(scope: Scope, block: Block): Scope {
  return {
    vars: [...scope.vars, block.vars],
    when: [...scope.when, ...block.when],
    become: block.become ?? scope.become,
    becomeUser: block.becomeUser ?? scope.becomeUser,
    ...((block.becomeMethod ?? scope.becomeMethod) ? { becomeMethod: block.becomeMethod ?? scope.becomeMethod } : {}),
    ...((block.becomeFlags ?? scope.becomeFlags) !== undefined ? { becomeFlags: block.becomeFlags ?? scope.becomeFlags } : {}),
    ignoreErrors: scope.ignoreErrors || block.ignoreErrors,
    ...(block.anyErrorsFatal ?? scope.anyErrorsFatal) !== undefined ? { anyErrorsFatal: block.anyErrorsFatal ?? scope.anyErrorsFatal } : {},
    environment: block.environment?.length ? [...scope.environment, ...block.environment] : scope.environment,
  };
}
