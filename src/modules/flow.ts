// The flow modules (fail, pause, script, raw, ping, add_host, group_by, async_status), one file each; the registry reads this list.
import { addHostModule } from './flow/add_host.js';
import { asyncStatusModule } from './flow/async_status.js';
import { failModule } from './flow/fail.js';
import { groupByModule } from './flow/group_by.js';
import { pauseModule } from './flow/pause.js';
import { pingModule } from './flow/ping.js';
import { rawModule } from './flow/raw.js';
import { scriptModule } from './flow/script.js';
import type { Module } from './types.js';

export const flowModules: Module[] = [failModule, pingModule, rawModule, scriptModule, pauseModule, addHostModule, groupByModule, asyncStatusModule];
