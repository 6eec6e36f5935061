// The packages the haproxy and nagios lab tests share, so both boot the same root variant (built once):
// Debian's haproxy and nagios4-core, and socat for the module to talk to HAProxy's socket.
export const MONITORING_PACKAGES = ['haproxy', 'nagios4-core', 'socat'];
