// `runbook completion bash|zsh|fish`: small shell glue that asks `runbook __complete` for candidates.
import { InputError } from '../../core/errors.js';

const BASH = `# runbook completion for bash. Load it with:  source <(runbook completion bash)
# or save it as /etc/bash_completion.d/runbook
_runbook() {
  local IFS=$'\\n'
  COMPREPLY=($(command "\${COMP_WORDS[0]}" __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
  # A folder: no space after it, so the path can go on.
  if [[ \${#COMPREPLY[@]} -eq 1 && \${COMPREPLY[0]} == */ ]]; then compopt -o nospace 2>/dev/null; fi
  return 0
}
complete -F _runbook runbook
`;

const ZSH = `#compdef runbook
# runbook completion for zsh. Load it with:  source <(runbook completion zsh)
# or save it as _runbook in a folder of your $fpath
_runbook() {
  local -a reply
  reply=("\${(@f)$(command \${words[1]} __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  reply=(\${reply:#})
  local -a dirs plain
  dirs=(\${(M)reply:#*/})
  plain=(\${reply:#*/})
  (( \${#plain} )) && compadd -Q -- "\${plain[@]}"
  (( \${#dirs} )) && compadd -Q -S '' -- "\${dirs[@]}"
  return 0
}
if (( $+functions[compdef] )); then compdef _runbook runbook; fi
`;

const FISH = `# runbook completion for fish. Load it with:  runbook completion fish | source
# or save it as ~/.config/fish/completions/runbook.fish
function __runbook_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    command $tokens[1] __complete $tokens[2..-1] "$current" 2>/dev/null
end
complete -c runbook -f -a '(__runbook_complete)'
`;

export function completionScript(shell: string): string {
  const scripts: Record<string, string> = { bash: BASH, zsh: ZSH, fish: FISH };
  const script = scripts[shell];
  if (!script) throw new InputError(`completion: no script for '${shell}'`, undefined, 'use: runbook completion bash | zsh | fish');
  return script;
}
