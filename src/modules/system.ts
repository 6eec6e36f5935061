// Modules that manage the system (packages, services, firewall, facts, accounts); the registry reads this list.
import { aptModule } from './system/apt.js';
import { authorizedKeyModule } from './system/authorized_key.js';
import { groupModule } from './system/group.js';
import { serviceModule } from './system/service.js';
import { setupModule } from './system/setup.js';
import { ufwModule } from './system/ufw.js';
import { userModule } from './system/user.js';
import type { Module } from './types.js';

export const systemModules: Module[] = [aptModule, serviceModule, ufwModule, setupModule, groupModule, userModule, authorizedKeyModule];
