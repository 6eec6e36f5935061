// How every module that changes a file reaches it on the host without being redirected by a link
// another user planted: sh functions that enter the file's directory one component at a time and
// say which entry to act on. Once entered, the script works with names relative to that
// directory, so renaming or swapping the path above it afterwards changes nothing.
import { shQuote } from '../../core/shell.js';

/**
 * Exit codes of rb_locate, which scripts map to their own failures:
 * 2 a directory on the path is missing, 3 something on the path is not a directory,
 * 4 a link was refused (rb_why says which and why).
 */
export const LOCATE_MISSING = 2;
export const LOCATE_NOT_DIR = 3;
export const LOCATE_REFUSED = 4;

/**
 * sh functions (POSIX sh, coreutils stat/readlink) defining:
 *
 * - `rb_trusted LINK`: a link may be followed when root or the user running the script owns it,
 *   or its owner also owns what it points at (then following it grants that user nothing).
 * - `rb_enter DIR`: cd into DIR component by component. A link among them is followed only when
 *   trusted; after each cd the directory entered is compared (device and inode) with the one
 *   checked, so a component swapped between the check and the cd is refused. With rb_mkdirs=1,
 *   missing components are created (mkdir never follows a link), and `rb_on_mkdir` (a no-op unless
 *   the script redefines it) runs inside each one created, once it is entered and checked.
 * - `rb_locate PATH FOLLOW`: rb_enter PATH's directory and set rb_name to the entry to act on.
 *   FOLLOW=1 follows trusted links at that entry (at most 40), entering each target's directory
 *   the same way; FOLLOW=0 leaves a link at the entry as it is (the caller replaces it).
 */
export const HOST_PATH_FUNCTIONS = `rb_uid=
rb_made=
rb_on_mkdir() { :; }
rb_myuid() {
  [ -n "$rb_uid" ] && return
  # The effective uid (what id -u prints) from the shell's own /proc/self/status, read by builtins.
  if [ -r /proc/self/status ]; then
    while read -r rb_k rb_r rb_e rb_x; do case $rb_k in Uid:) rb_uid=$rb_e; break ;; esac; done < /proc/self/status
  fi
  [ -n "$rb_uid" ] || rb_uid=$(id -u)
}
rb_trusted() {
  rb_myuid
  rb_lo=$(stat -c %u -- "$1") || return 1
  [ "$rb_lo" = 0 ] || [ "$rb_lo" = "$rb_uid" ] || [ "$rb_lo" = "$(stat -L -c %u -- "$1" 2>/dev/null)" ]
}
rb_refuse_link() {
  rb_why="$PWD/$1 is a symbolic link owned by uid $(stat -c %u -- "$1"), which is neither root, the connecting user, nor the owner of what it points to: not followed"
  return 4
}
rb_flush() {
  [ -n "$rb_names" ] || return 0
  rb_ifs=$IFS; IFS=/; set -f; set -- \${rb_names#/}; IFS=$rb_ifs; set +f
  rb_d=$#; rb_u=; rb_i=0
  while [ "$rb_i" -lt "$rb_d" ]; do rb_u="../$rb_u"; rb_i=$((rb_i + 1)); done
  set -- "$@" "\${rb_u}."
  rb_i=0
  for rb_n; do
    rb_i=$((rb_i + 1)); [ "$rb_i" -le "$rb_d" ] || break
    set -- "$@" "$rb_u$rb_n"; rb_u=\${rb_u#../}; set -- "$@" "\${rb_u}."
  done
  shift "$rb_d"
  [ -z "$rb_base" ] || set -- "$@" "$rb_base"
  rb_names=
  rb_ids=$(stat -c %d:%i -- "$@") || { rb_why="$PWD changed while it was being entered: not followed"; return 4; }
  rb_ifs=$IFS; IFS='
'; set -f; set -- $rb_ids; IFS=$rb_ifs; set +f
  rb_a=$1; shift
  while [ "$#" -ge 2 ]; do [ "$1" = "$2" ] || break; rb_here=$2; shift 2; done
  [ "$#" -le 1 ] && [ "$rb_a" = "\${1:-$rb_base_id}" ] || { rb_why="$PWD changed while it was being entered: not followed"; return 4; }
  # What is below here is checked against here.
  rb_base=; rb_base_id=$rb_here
}
rb_enter() {
  rb_names=; rb_base=; rb_base_id=
  case $1 in /*) cd / || return 1; rb_base=/ ;; esac
  rb_ifs=$IFS; IFS=/; set -f; set -- $1; IFS=$rb_ifs; set +f
  for rb_c; do
    case $rb_c in '' | .) continue ;; esac
    rb_want=
    if [ -L "$rb_c" ]; then
      rb_flush || return
      rb_trusted "$rb_c" || { rb_refuse_link "$rb_c"; return; }
      rb_want=$(stat -L -c %d:%i -- "$rb_c" 2>/dev/null) || { rb_why="$PWD/$rb_c does not exist"; return 2; }
      [ -d "$rb_c" ] || { rb_why="$PWD/$rb_c is not a directory"; return 3; }
    elif [ -d "$rb_c" ]; then :
    elif [ -e "$rb_c" ]; then
      rb_flush || return
      rb_why="$PWD/$rb_c is not a directory"; return 3
    elif [ "$rb_mkdirs" = 1 ]; then
      rb_flush || return
      # Another run (or another host of this run, with a local connection) may create it first:
      # a directory made meanwhile is entered like one that was there; anything else is refused.
      if mkdir -- "$rb_c" 2>/dev/null; then rb_made=1
      elif [ -d "$rb_c" ] && [ ! -L "$rb_c" ]; then :
      else rb_why="cannot create $PWD/$rb_c"; return 1
      fi
    else
      rb_flush || return
      rb_why="$PWD/$rb_c does not exist"; return 2
    fi
    if [ -z "$rb_want" ] && [ -n "$rb_base$rb_base_id" ]; then
      # A plain directory below a known anchor: checked later, with the others, by rb_flush.
      cd -P -- "$rb_c" || return 1
      rb_names="$rb_names/$rb_c"
    else
      [ -n "$rb_want" ] || rb_want=$(stat -c %d:%i -- "$rb_c") || return 1
      cd -P -- "$rb_c" || return 1
      [ "$(stat -c %d:%i .)" = "$rb_want" ] || { rb_why="$PWD changed while it was being entered: not followed"; return 4; }
      rb_base=; rb_base_id=$rb_want
    fi
    if [ "$rb_made" = 1 ]; then rb_made=; rb_flush || return; rb_on_mkdir || return 1; fi
  done
  rb_flush
}
rb_split() {
  case $1 in
    */*) rb_dir=\${1%/*}; rb_name=\${1##*/}; [ -n "$rb_dir" ] || rb_dir=/ ;;
    *) rb_dir=.; rb_name=$1 ;;
  esac
}
rb_locate() {
  rb_why=
  rb_split "$1"
  rb_enter "$rb_dir" || return
  [ "$2" = 1 ] || return 0
  rb_hops=0
  while [ -L "$rb_name" ]; do
    rb_trusted "$rb_name" || { rb_refuse_link "$rb_name"; return; }
    rb_hops=$((rb_hops + 1))
    [ "$rb_hops" -le 40 ] || { rb_why="$PWD/$rb_name: too many levels of symbolic links"; return 3; }
    rb_split "$(readlink -- "$rb_name")"
    rb_enter "$rb_dir" || return
  done
}`;


/** Enters path's directory as host-path.ts does and leaves the entry's name in $rb_name; fails the step with rb_why. */
export function locateLines(path: string, follow: boolean): string[] {
  return [HOST_PATH_FUNCTIONS, `rb_locate ${shQuote(path)} ${follow ? 1 : 0} || { printf '%s\\n' "\${rb_why:-cannot enter the directory of ${path.replace(/[^\w./-]/g, '?')}}" >&2; exit 1; }`];
}
