// --diff never shows the text of a file that holds a secret: one that will hold a known secret (its
// old text is then most likely the previous secret: a rotated key or token), one that held one, or one
// only its owner may read. Such a diff says that the file changed, and nothing of what it holds.
import type { FileDiff } from '../modules/types.js';
import type { Secrets } from './context.js';

export function guardDiff(d: FileDiff, secrets: Secrets): FileDiff {
  if (d.hidden !== undefined) return d;
  const reason = secrets.contains(d.after)
    ? 'the file will hold a secret'
    : secrets.contains(d.before)
      ? 'the file held a secret'
      : d.private
        ? 'only its owner may read the file'
        : undefined;
  return reason === undefined ? d : { path: d.path, before: '', after: '', ...(d.private ? { private: true } : {}), hidden: reason };
}

export function guardDiffs(diffs: FileDiff[] | undefined, secrets: Secrets): FileDiff[] | undefined {
  return diffs?.map((d) => guardDiff(d, secrets));
}
