// The files of docs/modules/ by name, so the generator and the test that catches stale pages agree.
import { moduleList, moduleReference } from '../../schema/module-reference.js';
import { moduleIndexMarkdown, moduleMarkdown } from './markdown.js';

export function moduleDocFiles(): Record<string, string> {
  const modules = moduleList();
  const files: Record<string, string> = { 'README.md': moduleIndexMarkdown(modules) };
  for (const m of modules) files[`${m.name}.md`] = moduleMarkdown(moduleReference(m.name));
  return files;
}
