# Bash completion for Pundit's indexer and searcher. Installed as
# share/bash-completion/completions/indexer and .../searcher (bash-completion
# loads it by command name); it defines both.

# The index given earlier on the line with --index, if any, for --run/--forget.
_pundit_index_arg() {
    local i
    for ((i = 1; i < COMP_CWORD; i++)); do
        if [[ ${COMP_WORDS[i]} == --index && $((i + 1)) -lt COMP_CWORD ]]; then
            printf '%s' "${COMP_WORDS[i + 1]}"
            return
        fi
    done
}

_pundit_dirs() { mapfile -t COMPREPLY < <(compgen -d -- "$1"); }
_pundit_files() { mapfile -t COMPREPLY < <(compgen -f -- "$1"); }
_pundit_words() { mapfile -t COMPREPLY < <(compgen -W "$1" -- "$2"); }

_searcher() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD - 1]}"
    case "$prev" in
    --index | --gazetteer) _pundit_dirs "$cur"; return ;;
    --facet) _pundit_words "leader country org author source year" "$cur"; return ;;
    --sort) _pundit_words "relevance newest oldest prominence" "$cur"; return ;;
    --color | --colour) _pundit_words "auto always never" "$cur"; return ;;
    --run | --forget)
        local index names
        index="$(_pundit_index_arg)"
        # `searcher --saved` prints one saved search a line, its name first.
        names="$("${COMP_WORDS[0]}" ${index:+--index "$index"} --saved 2>/dev/null | cut -d' ' -f1)"
        _pundit_words "$names" "$cur"
        return
        ;;
    --timeline) _pundit_words "year month" "$cur"; return ;;
    --plot) _pundit_files "$cur"; return ;;
    --since | --until | --author | --source | --language | --leader | --country | --org | --facet-limit | \
        --limit | --offset | --show | --like | --save)
        return ;;
    esac
    if [[ $cur == -* ]]; then
        _pundit_words "--index --any --since --until --author --source --language --leader --country --org
            --facet --facet-limit --gazetteer --sort --limit --offset --no-collapse --allow-partial --json --show --like --timeline --plot --save --run
            --new-since-last --saved --forget --color --colour --version --help" "$cur"
    fi
}

_indexer() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD - 1]}"
    local command="" i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${COMP_WORDS[i]}" in
        add | remove | tag | compact | repair) command="${COMP_WORDS[i]}"; break ;;
        esac
    done
    if [[ -z $command ]]; then
        _pundit_words "add remove tag compact repair --version --help" "$cur"
        return
    fi
    case "$prev" in
    --index | --gazetteer) _pundit_dirs "$cur"; return ;;
    --format) _pundit_words "auto text jsonl" "$cur"; return ;;
    --shard-by) _pundit_words "hash year" "$cur"; return ;;
    --shards | --commit-every | --segment-size | --default-date | --exclude) return ;;
    esac
    if [[ $cur == -* ]]; then
        case "$command" in
        add) _pundit_words "--index --format --follow --default-date --gazetteer --shards --shard-by --commit-every --segment-size --wait --quiet --no-entities --exclude --verbose --help" "$cur" ;;
        remove) _pundit_words "--index --wait --help" "$cur" ;;
        tag) _pundit_words "--format --follow --default-date --gazetteer --exclude --verbose --help" "$cur" ;;
        compact) _pundit_words "--index --merge --wait --help" "$cur" ;;
        repair) _pundit_words "--index --gazetteer --wait --help" "$cur" ;;
        esac
        return
    fi
    case "$command" in
    add | tag) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;; # files and directories to read
    esac
}

complete -o filenames -F _searcher searcher
complete -o filenames -F _indexer indexer
