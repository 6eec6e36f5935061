// `runbook doc MODULE | -l | -k KEYWORD`: ansible-doc's job, from each module's spec and src/schema/ (keywords).
import { InputError } from '../core/errors.js';
import { keywordReference } from '../schema/keyword-reference.js';
import { moduleList, moduleReference } from '../schema/module-reference.js';
import { keywordText, moduleListText, moduleText } from '../output/doc/text.js';

export interface DocOptions {
  list?: boolean;
  keyword?: string;
}

export function docCommand(module: string | undefined, opts: DocOptions, out: (text: string) => void = (t) => process.stdout.write(t)): number {
  if (opts.list) {
    out(moduleListText(moduleList()));
    return 0;
  }
  if (opts.keyword !== undefined) {
    out(keywordText(keywordReference(opts.keyword)));
    return 0;
  }
  if (module === undefined) throw new InputError('doc: name a module', undefined, 'runbook doc copy; runbook doc -l lists modules; runbook doc -k when explains a keyword');
  out(moduleText(moduleReference(module)));
  return 0;
}
