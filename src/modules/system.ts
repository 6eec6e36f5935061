// Modules that manage the system (packages, services, firewall, facts); the registry reads this list.
import type { Module } from './types.js';

export const systemModules: Module[] = [];
