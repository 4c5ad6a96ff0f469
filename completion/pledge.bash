# bash completion for pledge.
#
# The commands and each command's options are read from the program's own
# help ('pledge --help', 'pledge CMD --help') when completing, so they are
# always those of the pledge being completed.

# The commands: the first word of each line of the "Commands:" section.
_pledge_commands()
{
    "$1" --help 2>/dev/null |
        sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p'
}

# CMD's long options: every --word its help names.
_pledge_options()
{
    "$1" "$2" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u
}

_pledge()
{
    local cur prev pledge cmd i
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    pledge=${COMP_WORDS[0]}
    # The command word, skipping nothing: pledge takes no options before it.
    cmd=
    if [ "$COMP_CWORD" -gt 1 ]; then
        cmd=${COMP_WORDS[1]}
    fi

    if [ -z "$cmd" ]; then
        COMPREPLY=($(compgen -W "$(_pledge_commands "$pledge") --help --version" -- "$cur"))
        return
    fi
    if [ "$cmd" = help ]; then
        [ "$COMP_CWORD" -eq 2 ] &&
            COMPREPLY=($(compgen -W "$(_pledge_commands "$pledge")" -- "$cur"))
        return
    fi

    # pledge web writes a site: its -o is a directory.
    if [ "$cmd" = web ] && { [ "$prev" = -o ] || [ "$prev" = --output ]; }; then
        COMPREPLY=($(compgen -d -- "$cur"))
        return
    fi
    case $prev in
    -l|--layout)
        COMPREPLY=($(compgen -W "$("$pledge" layouts 2>/dev/null | cut -d' ' -f1)" -- "$cur"))
        COMPREPLY+=($(compgen -f -X '!*.md' -- "$cur") $(compgen -d -- "$cur"))
        return ;;
    -p|--paper)
        COMPREPLY=($(compgen -W "letter a4" -- "$cur"))
        return ;;
    -O|--out|-K|--keyring)
        COMPREPLY=($(compgen -d -- "$cur"))
        return ;;
    -n|--name|-c|--credentials|-i|--id|-d|--date|-s|--signer|-j|--jobs)
        return ;;
    -k|--key|--sign-with|-o|--output|-P|--print|--passphrase-file)
        COMPREPLY=($(compgen -f -- "$cur"))
        return ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_pledge_options "$pledge" "$cmd")" -- "$cur"))
        return
    fi
    # verify --scan reads pictures: PNG, JPEG and PDF files, and directories
    # to reach them.
    if [ "$cmd" = verify ] && [[ " ${COMP_WORDS[*]} " == *" --scan "* ]]; then
        local f
        for f in $(compgen -f -- "$cur"); do
            case ${f,,} in
            *.png|*.jpg|*.jpeg|*.pdf) COMPREPLY+=("$f") ;;
            *) [ -d "$f" ] && COMPREPLY+=("$f") ;;
            esac
        done
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}

complete -o filenames -F _pledge pledge
