// A directory tree with every kind of symbolic link, for the tests of how
// PATH arguments are walked (test_input_reader.cpp) and of what ingest()
// counts of it (test_ingest.cpp).
#pragma once

#include <filesystem>
#include <string>

#include "temp_dir.hpp"

namespace test {

// A tree with every kind of symbolic link, inside and out of it:
//   in/good.txt, in/sub/deep.txt                  plain files
//   in/passwd.txt -> outside/secret.txt            a file out of the tree
//   in/linked -> outside/dir, in/linked-again -> outside/dir
//   in/linked/self -> .                            (outside/dir/self) a loop
//   in/sub/up -> ..                                a loop
//   in/sub-link -> sub                             a directory in the tree
//   in/a.txt -> b.txt, in/b.txt -> a.txt          a file loop
//   in/dangling.txt -> nowhere.txt
//   in/notes.md -> outside/notes.md                not an article: nothing said
//   links/in -> in                                 a PATH argument that is a link
struct LinkTree {
    test::TempDir dir;
    std::string in = dir / "in";

    LinkTree() {
        namespace fs = std::filesystem;
        dir.write("in/good.txt", "Good\n\nFine body.\n");
        dir.write("in/sub/deep.txt", "Deep\n\nDeeper body.\n");
        dir.write("outside/secret.txt", "Secret\n\nOutside the tree.\n");
        dir.write("outside/dir/x.txt", "X\n\nIn a linked directory.\n");
        dir.write("outside/notes.md", "# not an article\n");
        fs::create_symlink(dir / "outside/secret.txt", in + "/passwd.txt");
        fs::create_directory_symlink(dir / "outside/dir", in + "/linked");
        fs::create_directory_symlink(dir / "outside/dir", in + "/linked-again");
        fs::create_directory_symlink(".", dir / "outside/dir/self");
        fs::create_directory_symlink("..", in + "/sub/up");
        fs::create_directory_symlink("sub", in + "/sub-link");
        fs::create_symlink("b.txt", in + "/a.txt");
        fs::create_symlink("a.txt", in + "/b.txt");
        fs::create_symlink("nowhere.txt", in + "/dangling.txt");
        fs::create_symlink(dir / "outside/notes.md", in + "/notes.md");
        fs::create_directories(dir / "links");
        fs::create_directory_symlink(in, dir / "links/in");
    }
};

} // namespace test
