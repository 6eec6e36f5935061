// Decides whether a task runs under --tags / --skip-tags, with Ansible's `always` and `never`.
export function selectedByTags(taskTags: readonly string[], only: readonly string[], skip: readonly string[]): boolean {
  const tags = new Set(taskTags);
  if (skip.some((t) => tags.has(t) || (t === 'all' && !tags.has('always')))) return false;
  if (tags.has('never') && !only.some((t) => tags.has(t) && t !== 'never')) return false;
  if (only.length === 0 || only.includes('all')) return true;
  if (tags.has('always')) return true;
  if (only.includes('tagged') && tags.size > 0) return true;
  if (only.includes('untagged') && tags.size === 0) return true;
  return only.some((t) => tags.has(t));
}
