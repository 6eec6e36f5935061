// The Nagios external command lines each nagios action writes (Nagios' external command reference),
// with the times left as placeholders: the host's clock fills them in when the lines are written.

/** Replaced on the host when the lines are written: now, the downtime's start and end, a check's time. */
export const NOW = '@RB_NOW@';
export const START = '@RB_START@';
export const END = '@RB_END@';
export const CHECK_AT = '@RB_CHECK@';

export type NagiosAction =
  | 'downtime' | 'delete_downtime' | 'enable_alerts' | 'disable_alerts' | 'silence' | 'unsilence' | 'silence_nagios' | 'unsilence_nagios'
  | 'command' | 'servicegroup_service_downtime' | 'servicegroup_host_downtime' | 'acknowledge' | 'forced_check';

/** What the services argument names: the host itself, all its services, or services by name. */
export type Services = 'host' | 'all' | string[];

export interface CommandInput {
  action: NagiosAction;
  host?: string;
  services?: Services;
  servicegroup?: string;
  command?: string;
  author: string;
  comment: string;
  /** Downtime in seconds. */
  duration: number;
}

/** Fixed downtime (1) with no trigger (0), as Ansible schedules it. */
function downtime(cmd: string, target: string, i: CommandInput, service?: string): string {
  const svc = service === undefined ? [] : [service];
  return [cmd, target, ...svc, START, END, '1', '0', String(i.duration), i.author, i.comment].join(';');
}

/** Not sticky, notify, not persistent: Ansible's acknowledgement. */
function ack(cmd: string, host: string, i: CommandInput, service?: string): string {
  const svc = service === undefined ? [] : [service];
  return [cmd, host, ...svc, '0', '1', '0', i.author, i.comment].join(';');
}

/** One line per command, without the "[time] " header and the newline. */
export function nagiosCommands(i: CommandInput): string[] {
  const h = i.host ?? '';
  const s = i.services;
  const each = (f: (svc: string) => string): string[] => (Array.isArray(s) ? s.map(f) : []);
  switch (i.action) {
    case 'downtime':
      if (s === 'host') return [downtime('SCHEDULE_HOST_DOWNTIME', h, i)];
      if (s === 'all') return [downtime('SCHEDULE_HOST_SVC_DOWNTIME', h, i)];
      return each((svc) => downtime('SCHEDULE_SVC_DOWNTIME', h, i, svc));
    case 'servicegroup_host_downtime':
      return [downtime('SCHEDULE_SERVICEGROUP_HOST_DOWNTIME', i.servicegroup ?? '', i)];
    case 'servicegroup_service_downtime':
      return [downtime('SCHEDULE_SERVICEGROUP_SVC_DOWNTIME', i.servicegroup ?? '', i)];
    case 'delete_downtime':
      // By host name, optionally service and comment: for "host", only downtimes with this comment
      // (by default the one the downtime action writes); for "all", every downtime of the host.
      if (s === 'host') return [`DEL_DOWNTIME_BY_HOST_NAME;${h};;;${i.comment}`];
      if (s === 'all') return [`DEL_DOWNTIME_BY_HOST_NAME;${h};;;`];
      return each((svc) => `DEL_DOWNTIME_BY_HOST_NAME;${h};${svc};;${i.comment}`);
    case 'acknowledge':
      if (s === 'host') return [ack('ACKNOWLEDGE_HOST_PROBLEM', h, i)];
      return each((svc) => ack('ACKNOWLEDGE_SVC_PROBLEM', h, i, svc));
    case 'forced_check':
      if (s === 'host') return [`SCHEDULE_FORCED_HOST_CHECK;${h};${CHECK_AT}`];
      if (s === 'all') return [`SCHEDULE_FORCED_HOST_SVC_CHECKS;${h};${CHECK_AT}`];
      return each((svc) => `SCHEDULE_FORCED_SVC_CHECK;${h};${svc};${CHECK_AT}`);
    case 'enable_alerts':
    case 'disable_alerts': {
      const verb = i.action === 'enable_alerts' ? 'ENABLE' : 'DISABLE';
      if (s === 'host') return [`${verb}_HOST_NOTIFICATIONS;${h}`];
      if (s === 'all') return [`${verb}_HOST_SVC_NOTIFICATIONS;${h}`];
      return each((svc) => `${verb}_SVC_NOTIFICATIONS;${h};${svc}`);
    }
    case 'silence':
    case 'unsilence': {
      const verb = i.action === 'silence' ? 'DISABLE' : 'ENABLE';
      return [`${verb}_HOST_SVC_NOTIFICATIONS;${h}`, `${verb}_HOST_NOTIFICATIONS;${h}`];
    }
    case 'silence_nagios':
      return ['DISABLE_NOTIFICATIONS'];
    case 'unsilence_nagios':
      return ['ENABLE_NOTIFICATIONS'];
    case 'command':
      return [i.command ?? ''];
  }
}
