// What a host sent back (gathered facts, registered results, set_fact values, the failure a rescue
// sees) as its own type. The variable layers that hold it accept only HostData, and fromHost() is the
// one way to make it: every string in it that could be a template becomes UnsafeText, which the
// templater and the lazy vars give back as text and never render. A path that stores raw host output
// where HostData is expected fails to compile.
import type { Vars } from './types.js';
import { protectData } from './unsafe.js';

declare const fromHostBrand: unique symbol;

/** Read-only, so nothing can be assigned into it without going through fromHost(). */
export type HostData = { readonly [name: string]: unknown } & { readonly [fromHostBrand]: true };

/** Marks `value` as data from a host. Idempotent: data already marked stays as it is. */
export function fromHost(value: Vars): HostData {
  return protectData({ ...value }) as unknown as HostData;
}

export const noHostData: HostData = fromHost({});

/** `base` with `more` laid over it (later keys win), still host data. */
export function mergeHostData(...parts: Array<HostData | undefined>): HostData {
  return Object.assign({}, ...parts) as HostData;
}
