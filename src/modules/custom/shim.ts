// runbook's own stand-in for the part of Ansible's module_utils that custom modules import
// (AnsibleModule, the text converters, boolean, six), written for runbook: new-style Python modules
// from a role's library/ run on it without Ansible on the host. Shipped beside the module, on PYTHONPATH.
// Kept as text here so the bundle carries it; test/unit/modules/custom/shim.test.ts runs it with python3.

/** Path under the upload's lib/ folder -> Python source. */
export const SHIM_FILES: Readonly<Record<string, string>> = {
  'ansible/__init__.py': String.raw``,
  'ansible/module_utils/__init__.py': String.raw``,
  'ansible/module_utils/_text.py': String.raw`# Older modules import the converters from here.
from ansible.module_utils.common.text.converters import to_bytes, to_native, to_text  # noqa: F401
`,
  'ansible/module_utils/basic.py': String.raw`# runbook's stand-in for ansible.module_utils.basic, written for runbook (not Ansible's code): the
# part of AnsibleModule that custom modules use, so a role's library/ module runs without Ansible.
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

from ansible.module_utils.common.text.converters import to_bytes, to_native, to_text
from ansible.module_utils.parsing.convert_bool import BOOLEANS_FALSE, BOOLEANS_TRUE, boolean

__all__ = ['AnsibleModule', 'env_fallback', 'missing_required_lib', 'to_bytes', 'to_native', 'to_text',
           'BOOLEANS_TRUE', 'BOOLEANS_FALSE', 'boolean', 'AnsibleFallbackNotFound']

MASKED = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
FILE_COMMON_ARGUMENTS = dict(
    mode=dict(type='raw'), owner=dict(type='str'), group=dict(type='str'),
    seuser=dict(type='str'), serole=dict(type='str'), selevel=dict(type='str'), setype=dict(type='str'),
    attributes=dict(type='str', aliases=['attr']), unsafe_writes=dict(type='bool', default=False),
)


class AnsibleFallbackNotFound(Exception):
    pass


def env_fallback(*names):
    for name in names:
        if name in os.environ:
            return os.environ[name]
    raise AnsibleFallbackNotFound


def missing_required_lib(library, reason=None, url=None):
    msg = "Failed to import the required Python library (%s) on %s's Python %s." % (library, os.uname()[1], sys.executable)
    if reason:
        msg += ' This is required %s.' % reason
    if url:
        msg += ' See %s for more info.' % url
    return msg + ' Please read the module documentation and install it in the appropriate location.'


def _load_args():
    # The arguments file runbook uploads beside the module; its path is the only argument.
    source = sys.argv[1] if len(sys.argv) > 1 else None
    if source and os.path.isfile(source):
        with open(source, 'rb') as f:
            raw = f.read()
    elif source:
        raw = to_bytes(source)
    else:
        raw = sys.stdin.buffer.read()
    try:
        doc = json.loads(to_text(raw))
    except ValueError:
        print(json.dumps(dict(failed=True, msg='the module arguments are not JSON')))
        sys.exit(1)
    return doc.get('ANSIBLE_MODULE_ARGS', doc), (os.path.dirname(os.path.abspath(source)) if source and os.path.isfile(source) else None)


class _ArgError(Exception):
    pass


def _convert(name, value, kind, elements=None, spec=None, no_log_values=None):
    if value is None:
        return None
    if callable(kind):
        return kind(value)
    if kind in (None, 'str'):
        if isinstance(value, (str,)):
            return value
        if isinstance(value, (int, float, bool)):
            return str(value)
        raise _ArgError('argument %s is of type %s and we were unable to convert to str' % (name, type(value).__name__))
    if kind == 'bool':
        if isinstance(value, bool):
            return value
        try:
            return boolean(value)
        except TypeError:
            raise _ArgError('argument %s is of type %s and we were unable to convert to bool' % (name, type(value).__name__))
    if kind == 'int':
        if isinstance(value, bool):
            raise _ArgError('argument %s is of type bool and we were unable to convert to int' % name)
        try:
            if isinstance(value, float) and value.is_integer():
                return int(value)
            return int(value)
        except (TypeError, ValueError):
            raise _ArgError("argument %s is of type %s and we were unable to convert to int: '%s' cannot be converted to an int" % (name, type(value).__name__, value))
    if kind == 'float':
        try:
            return float(value)
        except (TypeError, ValueError):
            raise _ArgError('argument %s is of type %s and we were unable to convert to float' % (name, type(value).__name__))
    if kind == 'path':
        return os.path.expanduser(os.path.expandvars(_convert(name, value, 'str')))
    if kind == 'list':
        if isinstance(value, str):
            items = [v.strip() for v in value.split(',')] if value else []
        elif isinstance(value, (list, tuple)):
            items = list(value)
        elif isinstance(value, (int, float)):
            items = [str(value)]
        else:
            raise _ArgError('argument %s is of type %s and we were unable to convert to list' % (name, type(value).__name__))
        if elements:
            items = [_convert('%s[%d]' % (name, i), v, elements) for i, v in enumerate(items)]
            if elements == 'dict' and spec:
                items = [_validate(spec, v, '%s[%d]' % (name, i), no_log_values) for i, v in enumerate(items)]
        return items
    if kind == 'dict':
        if isinstance(value, dict):
            result = value
        elif isinstance(value, str):
            if value.startswith('{'):
                try:
                    result = json.loads(value)
                except ValueError:
                    raise _ArgError('argument %s: unable to convert to dict' % name)
            else:
                result = dict(part.split('=', 1) for part in shlex.split(value.replace(',', ' ')) if '=' in part)
        else:
            raise _ArgError('argument %s is of type %s and we were unable to convert to dict' % (name, type(value).__name__))
        if spec:
            result = _validate(spec, result, name, no_log_values)
        return result
    if kind in ('raw',):
        return value
    if kind in ('json', 'jsonarg'):
        return value if isinstance(value, str) else json.dumps(value)
    if kind == 'bytes' or kind == 'bits':
        return value
    raise _ArgError('argument %s has an unknown type %s in the module\'s argument_spec' % (name, kind))


def _validate(spec, params, where, no_log_values, rules=None):
    """Checks params against an argument_spec; returns the validated copy. Raises _ArgError."""
    prefix = '' if where is None else 'found in %s: ' % where
    params = dict(params or {})
    known = {}
    for name, opts in spec.items():
        known[name] = name
        for alias in opts.get('aliases', []) or []:
            known[alias] = name
    unknown = sorted(k for k in params if k not in known)
    if unknown:
        supported = sorted(set(list(known)))
        raise _ArgError('%sUnsupported parameters for (%%(module)s) module: %s. Supported parameters include: %s.' % (
            prefix, ', '.join(unknown), ', '.join(supported)))
    out = {}
    for given, value in params.items():
        name = known[given]
        if name in out and given != name:
            continue
        out[name] = value
    missing = []
    for name, opts in spec.items():
        if name not in out or out[name] is None:
            fallback = opts.get('fallback')
            if fallback:
                func, fargs = fallback[0], fallback[1] if len(fallback) > 1 else []
                try:
                    out[name] = func(*fargs)
                    continue
                except AnsibleFallbackNotFound:
                    pass
            if opts.get('required'):
                missing.append(name)
            out[name] = opts.get('default')
    if missing:
        raise _ArgError('%smissing required arguments: %s' % (prefix, ', '.join(sorted(missing))))
    for name, opts in spec.items():
        value = out.get(name)
        if value is None:
            continue
        out[name] = _convert(name, value, opts.get('type', 'str'), opts.get('elements'), opts.get('options'), no_log_values)
        choices = opts.get('choices')
        if choices is not None:
            values = out[name] if isinstance(out[name], list) else [out[name]]
            bad = [v for v in values if v not in choices]
            if bad:
                raise _ArgError('%svalue of %s must be one of: %s, got: %s' % (
                    prefix, name, ', '.join(str(c) for c in choices), ', '.join(str(b) for b in bad)))
        if opts.get('no_log') and no_log_values is not None:
            _collect_secrets(out[name], no_log_values)
    _check_rules(rules or {}, out, prefix)
    return out


def _collect_secrets(value, into):
    if isinstance(value, dict):
        for v in value.values():
            _collect_secrets(v, into)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _collect_secrets(v, into)
    elif value is not None and value != '':
        into.add(to_text(value))


def _given(params, name):
    return params.get(name) is not None


def _check_rules(rules, p, prefix):
    for group in rules.get('mutually_exclusive') or []:
        present = [n for n in group if _given(p, n)]
        if len(present) > 1:
            raise _ArgError('%sparameters are mutually exclusive: %s' % (prefix, '|'.join(group)))
    for group in rules.get('required_together') or []:
        present = [n for n in group if _given(p, n)]
        if present and len(present) != len(group):
            raise _ArgError('%sparameters are required together: %s' % (prefix, ', '.join(group)))
    for group in rules.get('required_one_of') or []:
        if not any(_given(p, n) for n in group):
            raise _ArgError('%sone of the following is required: %s' % (prefix, ', '.join(group)))
    for rule in rules.get('required_if') or []:
        key, val, needed = rule[0], rule[1], rule[2]
        any_of = len(rule) > 3 and rule[3]
        if p.get(key) != val:
            continue
        lacking = [n for n in needed if not _given(p, n)]
        if (any_of and len(lacking) == len(needed)) or (not any_of and lacking):
            raise _ArgError('%s%s is %s but %s of the following are missing: %s' % (
                prefix, key, val, 'any' if any_of else 'all', ', '.join(lacking)))
    for name, needed in (rules.get('required_by') or {}).items():
        if _given(p, name):
            needed = [needed] if isinstance(needed, str) else needed
            lacking = [n for n in needed if not _given(p, n)]
            if lacking:
                raise _ArgError('%smissing parameter(s) required by \'%s\': %s' % (prefix, name, ', '.join(lacking)))


def _mask(value, secrets):
    """The result with every no_log value taken out, as Ansible's remove_values does."""
    if not secrets:
        return value
    if isinstance(value, dict):
        return dict((k, _mask(v, secrets)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [_mask(v, secrets) for v in value]
    if isinstance(value, str):
        if value in secrets:
            return MASKED
        for s in sorted(secrets, key=len, reverse=True):
            if s and s in value:
                value = value.replace(s, '********')
        return value
    return value


class AnsibleModule(object):
    def __init__(self, argument_spec=None, bypass_checks=False, no_log=False, mutually_exclusive=None,
                 required_together=None, required_one_of=None, add_file_common_args=False,
                 supports_check_mode=False, required_if=None, required_by=None):
        self.argument_spec = dict(argument_spec or {})
        if add_file_common_args:
            for k, v in FILE_COMMON_ARGUMENTS.items():
                self.argument_spec.setdefault(k, v)
        self.supports_check_mode = supports_check_mode
        self.no_log = no_log
        self._warnings = []
        self._deprecations = []
        self.no_log_values = set()
        raw, self._args_dir = _load_args()
        internal = dict((k, v) for k, v in raw.items() if k.startswith('_ansible_'))
        given = dict((k, v) for k, v in raw.items() if not k.startswith('_ansible_'))
        # The task's no_log (Ansible's _ansible_no_log) counts as the module's own.
        self.no_log = bool(no_log or internal.get('_ansible_no_log', False))
        self._name = internal.get('_ansible_module_name') or os.path.basename(sys.argv[0]).rsplit('.', 1)[0]
        self.check_mode = bool(internal.get('_ansible_check_mode', False))
        self._diff = bool(internal.get('_ansible_diff', False))
        self._verbosity = internal.get('_ansible_verbosity', 0)
        self._debug = bool(internal.get('_ansible_debug', False))
        self.ansible_version = internal.get('_ansible_version')
        self._tmpdir = internal.get('_ansible_tmpdir') or self._args_dir
        rules = dict(mutually_exclusive=mutually_exclusive, required_together=required_together,
                     required_one_of=required_one_of, required_if=required_if, required_by=required_by)
        try:
            self.params = _validate(self.argument_spec, given, None, self.no_log_values, rules)
        except _ArgError as e:
            self.params = given
            self.fail_json(msg=str(e).replace('%(module)s', self._name))
        if self.check_mode and not supports_check_mode:
            self.exit_json(skipped=True, msg='remote module (%s) does not support check mode' % self._name)

    @property
    def tmpdir(self):
        if not self._tmpdir:
            self._tmpdir = tempfile.mkdtemp(prefix='ansible-moduletmp-')
        return self._tmpdir

    def warn(self, warning):
        self._warnings.append(to_text(warning))

    def deprecate(self, msg, version=None, date=None, collection_name=None):
        self._deprecations.append(dict(msg=to_text(msg), version=version))

    def log(self, msg, log_args=None):
        pass

    def debug(self, msg):
        pass

    def boolean(self, arg):
        return None if arg is None else boolean(arg)

    def jsonify(self, data):
        return json.dumps(data)

    def from_json(self, data):
        return json.loads(data)

    def _finish(self, kwargs):
        if self._warnings:
            kwargs['warnings'] = list(kwargs.get('warnings') or []) + self._warnings
        if self._deprecations:
            kwargs['deprecations'] = list(kwargs.get('deprecations') or []) + self._deprecations
        kwargs = _mask(kwargs, self.no_log_values)
        print('\n' + json.dumps(kwargs, default=to_text))
        sys.stdout.flush()

    def exit_json(self, **kwargs):
        self._finish(kwargs)
        sys.exit(0)

    def fail_json(self, msg=None, **kwargs):
        kwargs['failed'] = True
        kwargs['msg'] = msg if msg is not None else 'the module failed without a message'
        self._finish(kwargs)
        sys.exit(1)

    def get_bin_path(self, arg, required=False, opt_dirs=None):
        dirs = list(opt_dirs or []) + os.environ.get('PATH', '').split(os.pathsep) + ['/sbin', '/usr/sbin', '/usr/local/sbin']
        for d in dirs:
            candidate = os.path.join(d, arg)
            if d and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                return candidate
        if required:
            self.fail_json(msg='Failed to find required executable "%s" in paths: %s' % (arg, os.pathsep.join(d for d in dirs if d)))
        return None

    def run_command(self, args, check_rc=False, close_fds=True, executable=None, data=None, binary_data=False,
                    path_prefix=None, cwd=None, use_unsafe_shell=False, prompt_regex=None, environ_update=None,
                    umask=None, encoding='utf-8', errors='surrogate_or_strict', expand_user_and_vars=True,
                    pass_fds=None, before_communicate_callback=None, ignore_invalid_cwd=True, handle_exceptions=True):
        if isinstance(args, (list, tuple)):
            argv = [to_text(a) for a in args]
            shell_line = ' '.join(shlex.quote(a) for a in argv)
        else:
            shell_line = to_text(args)
            argv = shlex.split(shell_line)
        if expand_user_and_vars and not use_unsafe_shell:
            argv = [os.path.expanduser(os.path.expandvars(a)) for a in argv]
        env = dict(os.environ)
        env.update(environ_update or {})
        if path_prefix:
            env['PATH'] = '%s:%s' % (path_prefix, env.get('PATH', ''))
        if cwd and not os.path.isdir(cwd):
            cwd = None if ignore_invalid_cwd else cwd
        stdin = None
        if data is not None:
            stdin = to_bytes(data) if binary_data else to_bytes(data) + b'\n'
        old_umask = os.umask(umask) if umask is not None else None
        try:
            if use_unsafe_shell:
                proc = subprocess.Popen(shell_line, shell=True, executable=executable or '/bin/sh', cwd=cwd, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, close_fds=close_fds)
            else:
                proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, close_fds=close_fds)
            out, err = proc.communicate(stdin)
            rc = proc.returncode
        except (OSError, IOError) as e:
            if not handle_exceptions:
                raise
            self.fail_json(rc=e.errno, stdout='', stderr='', msg=to_native(e), cmd=shell_line)
        finally:
            if old_umask is not None:
                os.umask(old_umask)
        if encoding is not None:
            out = to_text(out, encoding=encoding, errors='replace')
            err = to_text(err, encoding=encoding, errors='replace')
        if rc != 0 and check_rc:
            self.fail_json(cmd=shell_line, rc=rc, stdout=out, stderr=err, msg=(err or out or 'non-zero return code').strip())
        return rc, out, err

    def atomic_move(self, src, dest, unsafe_writes=False, keep_dest_attrs=True):
        """Renames src over dest (a link at dest is replaced), keeping dest's mode and owner when it existed."""
        if os.path.exists(dest) and keep_dest_attrs:
            st = os.stat(dest)
            os.chmod(src, st.st_mode & 0o7777)
            try:
                os.chown(src, st.st_uid, st.st_gid)
            except OSError:
                pass
        elif not os.path.exists(dest):
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(src, 0o666 & ~mask)
        try:
            os.rename(src, dest)
        except OSError:
            # Another filesystem: copy beside dest first, so the rename that replaces it is atomic.
            fd, tmp = tempfile.mkstemp(prefix='.ansible_tmp', dir=os.path.dirname(os.path.abspath(dest)))
            os.close(fd)
            shutil.copy2(src, tmp)
            os.rename(tmp, dest)
            os.unlink(src)

    def load_file_common_arguments(self, params, path=None):
        args = dict((k, params.get(k)) for k in FILE_COMMON_ARGUMENTS)
        args['path'] = path or params.get('path') or params.get('dest')
        return args

    def set_fs_attributes_if_different(self, file_args, changed, diff=None, expand=True):
        """owner, group and mode; SELinux contexts and attributes are not handled by runbook's shim."""
        path = file_args.get('path')
        if not path or not os.path.lexists(path):
            return changed
        st = os.lstat(path)
        owner, group, mode = file_args.get('owner'), file_args.get('group'), file_args.get('mode')
        import grp
        import pwd
        uid = -1 if owner is None else (int(owner) if str(owner).isdigit() else pwd.getpwnam(owner).pw_uid)
        gid = -1 if group is None else (int(group) if str(group).isdigit() else grp.getgrnam(group).gr_gid)
        if (uid != -1 and uid != st.st_uid) or (gid != -1 and gid != st.st_gid):
            if not self.check_mode:
                os.lchown(path, uid, gid)
            changed = True
        if mode is not None:
            wanted = mode if isinstance(mode, int) else int(str(mode), 8)
            if wanted != st.st_mode & 0o7777:
                if not self.check_mode:
                    os.chmod(path, wanted)
                changed = True
        return changed

    set_file_attributes_if_different = set_fs_attributes_if_different

    def digest_from_file(self, filename, algorithm):
        import hashlib
        if not os.path.exists(filename):
            return None
        h = hashlib.new(algorithm) if isinstance(algorithm, str) else algorithm()
        with open(filename, 'rb') as f:
            for block in iter(lambda: f.read(65536), b''):
                h.update(block)
        return h.hexdigest()

    def sha1(self, filename):
        return self.digest_from_file(filename, 'sha1')

    def sha256(self, filename):
        return self.digest_from_file(filename, 'sha256')
`,
  'ansible/module_utils/common/__init__.py': String.raw``,
  'ansible/module_utils/common/text/__init__.py': String.raw``,
  'ansible/module_utils/common/text/converters.py': String.raw`# runbook's own to_bytes/to_text/to_native for custom modules (Python 3 only).

def to_bytes(obj, encoding='utf-8', errors=None, nonstring='simplerepr'):
    if isinstance(obj, bytes):
        return obj
    handler = 'surrogateescape' if errors in (None, 'surrogate_or_strict', 'surrogate_or_replace', 'surrogate_then_replace') else errors
    if isinstance(obj, str):
        return obj.encode(encoding, handler)
    if nonstring == 'passthru':
        return obj
    if nonstring == 'empty':
        return b''
    if nonstring == 'strict':
        raise TypeError('obj must be a string type')
    return str(obj).encode(encoding, handler)


def to_text(obj, encoding='utf-8', errors=None, nonstring='simplerepr'):
    if isinstance(obj, str):
        return obj
    handler = 'surrogateescape' if errors in (None, 'surrogate_or_strict', 'surrogate_or_replace', 'surrogate_then_replace') else errors
    if isinstance(obj, bytes):
        return obj.decode(encoding, handler)
    if nonstring == 'passthru':
        return obj
    if nonstring == 'empty':
        return ''
    if nonstring == 'strict':
        raise TypeError('obj must be a string type')
    return str(obj)


to_native = to_text
`,
  'ansible/module_utils/parsing/__init__.py': String.raw``,
  'ansible/module_utils/parsing/convert_bool.py': String.raw`# Ansible's boolean words, for custom modules.
BOOLEANS_TRUE = frozenset(('y', 'yes', 'on', '1', 'true', 't', 1, 1.0, True))
BOOLEANS_FALSE = frozenset(('n', 'no', 'off', '0', 'false', 'f', 0, 0.0, False))
BOOLEANS = BOOLEANS_TRUE.union(BOOLEANS_FALSE)


def boolean(value, strict=True):
    if isinstance(value, bool):
        return value
    normalized = value.strip().lower() if isinstance(value, (str, bytes)) and not isinstance(value, bytes) else value
    if isinstance(normalized, bytes):
        normalized = normalized.decode('utf-8').strip().lower()
    if normalized in BOOLEANS_TRUE:
        return True
    if normalized in BOOLEANS_FALSE or not strict:
        return False
    raise TypeError("The value '%s' is not a valid boolean.  Valid booleans include: %s" % (value, ', '.join(repr(i) for i in sorted(BOOLEANS, key=str))))
`,
  'ansible/module_utils/six.py': String.raw`# The few names of six that custom modules still import, for Python 3.
import sys
PY2 = False
PY3 = True
string_types = (str,)
text_type = str
binary_type = bytes
integer_types = (int,)


def iteritems(d, **kw):
    return iter(d.items(**kw))


def iterkeys(d, **kw):
    return iter(d.keys(**kw))


def itervalues(d, **kw):
    return iter(d.values(**kw))
`,
};
