// Modules that manage the system (packages, services, firewall, facts, accounts); the registry reads this list.
import { aptKeyModule } from './system/apt-key.js';
import { aptRepositoryModule } from './system/apt-repository.js';
import { aptModule } from './system/apt.js';
import { authorizedKeyModule } from './system/authorized_key.js';
import { cronModule } from './system/cron.js';
import { debconfModule } from './system/debconf.js';
import { dpkgSelectionsModule } from './system/dpkg-selections.js';
import { groupModule } from './system/group.js';
import { haproxyModule } from './system/haproxy.js';
import { hostnameModule } from './system/hostname.js';
import { jbossModule } from './system/jboss.js';
import { packageModule } from './system/package.js';
import { pipModule } from './system/pip.js';
import { mountModule } from './system/mount.js';
import { nagiosModule } from './system/nagios.js';
import { mysqlDbModule } from './system/mysql_db.js';
import { mongodbUserModule } from './system/mongodb_user.js';
import { mysqlReplicationModule } from './system/mysql_replication.js';
import { postgresqlDbModule } from './system/postgresql_db.js';
import { postgresqlPrivsModule } from './system/postgresql_privs.js';
import { postgresqlUserModule } from './system/postgresql_user.js';
import { mysqlUserModule } from './system/mysql_user.js';
import { rabbitmqPluginModule } from './system/rabbitmq_plugin.js';
import { rabbitmqUserModule } from './system/rabbitmq_user.js';
import { rabbitmqVhostModule } from './system/rabbitmq_vhost.js';
import { rebootModule, waitForConnectionModule } from './system/reboot.js';
import { serviceModule } from './system/service.js';
import { setupModule } from './system/setup.js';
import { sysctlModule } from './system/sysctl.js';
import { systemdModule } from './system/systemd.js';
import { timezoneModule } from './system/timezone.js';
import { ufwModule } from './system/ufw.js';
import { userModule } from './system/user.js';
import { zfsModule } from './system/zfs.js';
import type { Module } from './types.js';

export const systemModules: Module[] = [
  aptModule, serviceModule, ufwModule, setupModule, groupModule, userModule, authorizedKeyModule, cronModule, sysctlModule, systemdModule, hostnameModule, timezoneModule,
  packageModule, aptRepositoryModule, dpkgSelectionsModule, debconfModule, aptKeyModule, pipModule,
  mysqlDbModule, mysqlReplicationModule, mysqlUserModule, postgresqlDbModule, postgresqlUserModule, postgresqlPrivsModule, mongodbUserModule, mountModule, rebootModule, waitForConnectionModule,
  rabbitmqUserModule, rabbitmqVhostModule, rabbitmqPluginModule,
  mysqlDbModule, mysqlReplicationModule, mysqlUserModule, mountModule, rebootModule, waitForConnectionModule,
  jbossModule, haproxyModule, nagiosModule, zfsModule,
];
