// jboss: deploys an archive already on the host into a JBoss/WildFly standalone deployment folder, as
// community.general.jboss does: the deployment scanner does the rest and answers with marker files
// (NAME.deployed, NAME.failed, NAME.undeployed) beside the archive, which the module waits for.
import { posix } from 'node:path';
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { Plan, RemoteModule } from '../types.js';

/** How long the module waits for the scanner's marker (Ansible waits without end; a stopped server would hang the run). */
export const JBOSS_WAIT_SECONDS = 300;
/** Exit codes of the deploy step: the scanner wrote NAME.failed, or no marker came in time. */
const FAILED = 3;
const TIMED_OUT = 4;

export const jbossSpec = defineSpec({
  description: "Deploys (or undeploys) an application archive that is already on the host through a JBoss/WildFly standalone server's deployment scanner folder.",
  args: {
    deployment: { type: 'str', required: true, description: 'The name of the deployment: the file name it gets in deploy_path (hello.war).' },
    src: { type: 'str', description: 'The archive (ear, war) on the host to deploy. Required with state=present, ignored with state=absent.' },
    deploy_path: {
      type: 'str',
      default: '/var/lib/jbossas/standalone/deployments',
      description: 'The folder the deployment scanner watches.',
    },
    state: {
      type: 'str',
      choices: ['present', 'absent'],
      default: 'present',
      description: 'present: the archive is deployed (copied again when its content differs); absent: it is undeployed (its .deployed marker removed).',
    },
  },
  examples: `- name: Deploy the hello world application
  jboss:
    src: /tmp/hello-1.0.war
    deployment: hello.war
    deploy_path: /opt/wildfly/standalone/deployments

- name: Undeploy it
  jboss:
    deployment: hello.war
    deploy_path: /opt/wildfly/standalone/deployments
    state: absent`,
  checkMode: `Reports whether the archive would be copied (not deployed yet, or its content differs from src) or undeployed, from the markers and checksums; the scanner is not waited for. The scanner must be enabled in standalone.xml; the module waits up to ${JBOSS_WAIT_SECONDS} s for its marker.`,
});

export type JbossArgs = ArgsOf<typeof jbossSpec>;

export function parseJbossArgs(raw: Record<string, unknown>, loc: SourceLoc): JbossArgs {
  const { args, reader } = parseSpec('jboss', jbossSpec, raw, loc);
  if (args.deployment === '' || args.deployment.includes('/') || args.deployment === '.' || args.deployment === '..') {
    throw reader.error(`deployment '${args.deployment}' is not a file name`, 'the name the archive gets in deploy_path, such as hello.war');
  }
  // Ansible's required_if reads the default state too: a bare `jboss: deployment=x` needs src.
  if (args.state === 'present' && !args.src) throw reader.error("'src' is required with state=present", 'the archive on the host to deploy');
  if (!args.deploy_path) throw reader.error("'deploy_path' must not be empty");
  // ansible-examples writes deploy_path with a trailing slash: the same folder.
  return { ...args, deploy_path: posix.normalize(args.deploy_path).replace(/(.)\/$/, '$1') };
}

function target(a: JbossArgs): string {
  return posix.join(a.deploy_path, a.deployment);
}

export function jbossProbe(a: JbossArgs): string {
  const t = target(a);
  const markers = ['deployed', 'failed', 'undeployed']
    .map((m) => `[ -e ${shQuote(`${t}.${m}`)} ] && echo ${m}=yes`)
    .join('\n');
  const sum = (path: string, key: string): string => `if [ -f ${shQuote(path)} ]; then printf '${key}=%s\\n' "$(sha1sum < ${shQuote(path)} | cut -d' ' -f1)"; fi`;
  return sectionsScript({
    jboss: [
      `[ -d ${shQuote(a.deploy_path)} ] && echo dir=yes`,
      markers,
      sum(t, 'current'),
      a.state === 'present' && a.src ? sum(a.src, 'source') : '',
      ':',
    ].filter(Boolean).join('\n'),
  });
}

/** Waits for the scanner: MARKER appears (done), or NAME.failed (the deployment failed). */
function waitFor(t: string, marker: string): string {
  return [
    'rb_i=0',
    `while [ ! -e ${shQuote(`${t}.${marker}`)} ]; do`,
    `  if [ -e ${shQuote(`${t}.failed`)} ]; then exit ${FAILED}; fi`,
    `  rb_i=$((rb_i + 1)); if [ "$rb_i" -gt ${JBOSS_WAIT_SECONDS} ]; then exit ${TIMED_OUT}; fi`,
    '  sleep 1',
    'done',
  ].join('\n');
}

/**
 * Copies src beside the target under a hidden name the scanner ignores, then renames it into place,
 * so the scanner never picks up half an archive. An archive being replaced keeps its owner and mode
 * (the server's user must still read it); a new one is 0644, as a copy by root would be.
 */
function copyStep(a: JbossArgs, fresh: boolean): string {
  const t = target(a);
  return [
    'set -e',
    // A marker left by an earlier failure or undeploy would answer the wait at once (or keep the scanner away).
    fresh ? `rm -f ${shQuote(`${t}.failed`)} ${shQuote(`${t}.undeployed`)}` : '',
    `rb_tmp=$(mktemp ${shQuote(`${a.deploy_path}/.runbook-jboss-XXXXXX`)})`,
    `trap 'rm -f "$rb_tmp"' EXIT`,
    `cp ${shQuote(a.src!)} "$rb_tmp"`,
    `if [ -e ${shQuote(t)} ]; then chown --reference=${shQuote(t)} "$rb_tmp"; chmod --reference=${shQuote(t)} "$rb_tmp"; else chmod 0644 "$rb_tmp"; fi`,
    `mv -f "$rb_tmp" ${shQuote(t)}`,
    'trap - EXIT',
    'set +e',
    waitFor(t, 'deployed'),
  ].filter(Boolean).join('\n');
}

export function planJboss(a: JbossArgs, probe: ExecResult): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: { msg: parsed.error } };
  const h = keyValues(parsed.sections.jboss);
  const t = target(a);
  if (h.dir !== 'yes') return { changes: [], steps: [], failure: { msg: `deploy_path ${a.deploy_path} does not exist`, needs: [{ kind: 'path', path: a.deploy_path }] } };
  const deployed = h.deployed === 'yes';
  if (a.state === 'absent') {
    if (!deployed) return { changes: [], steps: [] };
    return {
      changes: [`undeploy ${a.deployment} (remove ${t}.deployed)`],
      steps: [{ script: `rm -f ${shQuote(`${t}.deployed`)}\n${waitFor(t, 'undeployed')}` }],
      afterApply: (results) => ({ failed: outcome(a, results[0], 'undeploying') }),
    };
  }
  if (h.source === undefined) {
    return { changes: [], steps: [], failure: { msg: `src ${a.src} does not exist on the host`, needs: [{ kind: 'path', path: a.src! }] } };
  }
  if (deployed && h.current === h.source) return { changes: [], steps: [] };
  return {
    changes: [deployed ? `update ${a.deployment} in ${a.deploy_path} from ${a.src} (its content differs)` : `deploy ${a.src} as ${t}`],
    steps: [{ script: copyStep(a, !deployed) }],
    provides: [{ kind: 'path', path: t }],
    afterApply: (results) => ({ failed: outcome(a, results[0], 'deploying') }),
  };
}

function outcome(a: JbossArgs, r: ExecResult | undefined, doing: string): string | undefined {
  if (!r || r.code === 0) return undefined;
  if (r.code === FAILED) return `${doing} ${a.deployment} failed: the deployment scanner wrote ${target(a)}.failed (the server's log says why)`;
  if (r.code === TIMED_OUT) {
    return `${doing} ${a.deployment}: no answer from the deployment scanner within ${JBOSS_WAIT_SECONDS} s (is the server running, with the scanner enabled in standalone.xml and watching ${a.deploy_path}?)`;
  }
  return `${doing} ${a.deployment} failed (exit ${r.code}): ${r.stderr.trim()}`;
}

export const jbossModule: RemoteModule<JbossArgs> = {
  kind: 'remote',
  name: 'jboss',
  ...specFields(jbossSpec),
  parse: parseJbossArgs,
  probe: (a) => ({ script: jbossProbe(a) }),
  plan: (a, probe) => planJboss(a, probe),
};
