# cairn.bash: bash completion for the `cairn` command, installed to
# /usr/share/bash-completion/completions/cairn (loaded on demand by bash-completion).
# Subcommands, options and the choices of a positional are read from `cairn ... --help` (CLI11's
# "Subcommands:", "Options:" and "Positionals:" sections) once per shell, so completion follows the
# program without editing this file. The tree written below is only the fallback for when `cairn`
# cannot run.

_cairn_static_subcommands() {
  case "$1" in
    "") echo "init status log export passwd wipe import verify consent agent enroll share privacy week apps contributions activity" ;;
    activity) echo "mark" ;;
    consent) echo "list grant revoke" ;;
    share) echo "sync list show results approve decline join leave" ;;
    privacy) echo "sample preview" ;;
    *) echo "" ;;
  esac
}

# Subcommands of a command path: from the program's help, else the fallback tree.
_cairn_subcommands() {
  local subs
  subs="$(_cairn_help "$1" | awk '
    /^[A-Za-z ]*:$/ { section = $0; next }
    section ~ /^Subcommands:/ && /^  [a-z]/ { print $1 }' | tr '\n' ' ')"
  if [[ -z "$subs" ]] && ! _cairn_help "" | grep -q '^Subcommands:'; then
    subs="$(_cairn_static_subcommands "$1")"
  fi
  echo "$subs"
}

# Prints the help text of one command path (e.g. "consent grant"). Called in the completing shell
# itself (not in $(...)) it also caches the text there, so later calls in subshells reuse it.
_cairn_help() {
  local key="_cairn_help_${1// /_}"
  key="${key//-/_}"
  if [[ -z "${!key+set}" ]]; then
    local text
    # shellcheck disable=SC2086
    text="$(LC_ALL=C cairn $1 --help 2>/dev/null)"
    printf -v "$key" '%s' "$text"
  fi
  printf '%s\n' "${!key}"
}

# Options of a command path: every -x/--long word at the start of a line of the Options: section.
_cairn_options() {
  _cairn_help "$1" | awk '
    /^[A-Za-z ]*:$/ { section = $0 }
    section ~ /^Options:/ && /^  +-/ {
      n = split($1, names, ",")
      for (i = 1; i <= n; i++) if (names[i] ~ /^-/) print names[i]
    }'
}

# Allowed values of the positional arguments of a command path: CLI11's TEXT:{a,b,c} check, or a
# description that is just the choices, "a | b | c".
_cairn_positional_values() {
  _cairn_help "$1" | awk '
    /^[A-Za-z ]*:$/ { section = $0; next }
    section !~ /^Positionals:/ { next }
    match($0, /:\{[^}]*\}/) {
      set = substr($0, RSTART + 2, RLENGTH - 3)
      gsub(/,/, " ", set)
      print set
      next
    }
    {
      n = split($0, columns, /   +/)
      text = columns[n]
      if (text ~ /^[a-z0-9-]+( \| [a-z0-9-]+)+$/) { gsub(/ \| /, " ", text); print text }
    }'
}

_cairn() {
  local cur prev path="" word i
  COMPREPLY=()
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"

  # Walk the words typed so far to find the deepest known subcommand path.
  _cairn_help "" >/dev/null
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="${COMP_WORDS[i]}"
    case "$word" in
      --home) ((i++)); continue ;;
      -*) continue ;;
    esac
    if [[ " $(_cairn_subcommands "$path") " == *" $word "* ]]; then
      path="${path:+$path }$word"
      _cairn_help "$path" >/dev/null
    fi
  done

  case "$prev" in
    --home|--dir) mapfile -t COMPREPLY < <(compgen -d -- "$cur"); return 0 ;;
    --out|--output|--file|-o) mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return 0 ;;
  esac

  if [[ "$cur" == -* ]]; then
    local opts
    # The top level always offers --version, --help and --home, even before `cairn` is built.
    opts="$({ _cairn_options "$path"; [[ -z "$path" ]] && printf '%s\n' --version --help --home; } | sort -u)"
    mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
    return 0
  fi

  local subs
  subs="$(_cairn_subcommands "$path")"
  if [[ -n "$subs" ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$subs" -- "$cur")
    return 0
  fi

  local values
  values="$(_cairn_positional_values "$path")"
  if [[ -n "$values" ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$values" -- "$cur")
    return 0
  fi
  # Anything else (import FILE, export paths...) falls back to file names (-o default).
  return 0
}

complete -o default -F _cairn cairn
