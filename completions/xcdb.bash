# Bash completion for xcdb, xkd, xremote and xcdb-triage.
# Installed by scripts/install as share/bash-completion/completions/<program> (one copy each).
# Options complete from the lists below; after -c, debugger commands complete from the
# program's own command table (`xcdb --list-commands`).

_xcdb_options="-z -json -c -cf -logo -loga -y -i -srcpath -lines -v -n -kqm -server -remote
-noio -clines -g -G -sysdir -memcap -quantum -seed -sandbox -input -version --version -? --help"

_xcdb() {
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    COMPREPLY=()
    case "$prev" in
        -z | -cf | -logo | -loga | -input)
            COMPREPLY=($(compgen -f -- "$cur"))
            return
            ;;
        -y | -i | -srcpath | -sysdir | -sandbox)
            COMPREPLY=($(compgen -d -- "$cur"))
            return
            ;;
        -c)
            # The last command after a ';' is the one being typed.
            local program=${COMP_WORDS[0]} head="" word=$cur
            if [[ "$cur" == *";"* ]]; then
                head=${cur%;*}";"
                word=${cur##*;}
            fi
            local commands
            commands=$("$program" --list-commands 2>/dev/null)
            local IFS=$'\n'
            COMPREPLY=($(compgen -P "$head" -W "$commands" -- "$word"))
            return
            ;;
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$_xcdb_options" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}

_xremote() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    COMPREPLY=()
    if [[ "$cur" == [-/]* ]]; then
        COMPREPLY=($(compgen -W "/c /q /s /L /ro /v /-v /? --help --version" -- "$cur"))
    fi
}

_xcdb_triage() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    COMPREPLY=()
    case "$prev" in
        -o | --output | --worker)
            COMPREPLY=($(compgen -f -- "$cur"))
            return
            ;;
        -y | --symbol-path)
            COMPREPLY=($(compgen -d -- "$cur"))
            return
            ;;
        -j | --jobs | --timeout | --cpu-limit | --memory-limit) return ;;
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "-j --jobs -y --symbol-path -o --output --timeout --cpu-limit
            --memory-limit --worker --merge -q --quiet -h --help -V --version" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}

complete -F _xcdb xcdb xkd
complete -F _xremote xremote
complete -F _xcdb_triage xcdb-triage
