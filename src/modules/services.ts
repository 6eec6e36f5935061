// Modules that check services from the controller (redis, uri, session checks); the registry reads this list.
import { redisModule } from './services/redis.js';
import { sessionCheckModule } from './services/session-check.js';
import { uriModule } from './services/uri.js';
import type { Module } from './types.js';

export const serviceModules: Module[] = [redisModule, uriModule, sessionCheckModule];
