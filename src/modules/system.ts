// Modules that manage the system (packages, services, firewall, facts, accounts, cron, kernel parameters, host name, time zone); the registry reads this list.
import { aptModule } from './system/apt.js';
import { authorizedKeyModule } from './system/authorized_key.js';
import { cronModule } from './system/cron.js';
import { groupModule } from './system/group.js';
import { hostnameModule } from './system/hostname.js';
import { serviceModule } from './system/service.js';
import { setupModule } from './system/setup.js';
import { sysctlModule } from './system/sysctl.js';
import { timezoneModule } from './system/timezone.js';
import { systemdModule } from './system/systemd.js';
import { ufwModule } from './system/ufw.js';
import { userModule } from './system/user.js';
import type { Module } from './types.js';

export const systemModules: Module[] = [aptModule, serviceModule, ufwModule, setupModule, groupModule, userModule, authorizedKeyModule, cronModule, sysctlModule, systemdModule, hostnameModule, timezoneModule];
