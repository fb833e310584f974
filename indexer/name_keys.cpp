// indexer name-keys: a maintenance command for scripts/gazetteer/build, hidden
// from --help. The build folds every name it compares (merging sources,
// dropping duplicate aliases, checking transliteration variants for
// collisions) with the engine's own folding, so that two names it keeps
// apart are apart at run time too and "O'Neill" or "Путин" fold the same way
// at build time and at run time.
#include <iostream>
#include <string>

#include "commands.hpp"
#include "pundit/gazetteer.hpp"
#include "pundit/normaliser.hpp"

namespace indexer {

void register_name_keys(CLI::App& app) {
    app.footer("Reads one name per line on standard input and prints, per line, its normalised form\n"
               "(the words of the name as the entity extractor matches them, joined by spaces), a tab,\n"
               "and its lookup key (what --leader, --country and --org compare). Each answer is flushed\n"
               "at once, so that a program can ask one name at a time through a pipe.\n"
               "Example:\n  printf 'Recep Tayyip Erdoğan\\n' | indexer name-keys");
}

int run_name_keys() {
    pundit::Normaliser normaliser;
    std::string line;
    while (std::getline(std::cin, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::cout << normaliser.normalise(line) << '\t' << pundit::lookup_key(normaliser, line) << std::endl;
    }
    return kExitOk;
}

} // namespace indexer
