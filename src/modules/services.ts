// Modules that check services from the controller (redis, uri, session checks); the registry reads this list.
import type { Module } from './types.js';

export const serviceModules: Module[] = [];
