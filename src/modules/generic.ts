// The generic modules (files, commands, control flow), one file each; the registry reads this list.
import type { Module } from './types.js';

export const genericModules: Module[] = [];
