// How a value is written into text: lists and dicts as JSON (more useful in a config file than
// "[object Object]"), null and undefined as nothing.
import { UnsafeText } from '../core/unsafe.js';

export function toText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (value instanceof UnsafeText) return value.text;
  if (typeof value === 'object' && !(value instanceof Date)) {
    const s = (value as { toHTML?: unknown }).toHTML ? String(value) : JSON.stringify(value);
    return s ?? '';
  }
  return String(value);
}
