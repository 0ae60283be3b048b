#ifndef LEADROUTER_BUILD_H
#define LEADROUTER_BUILD_H

/// The commit this binary was built from: `-Xcc -DLEADROUTER_COMMIT='"abc1234"'` on the
/// `swift build` command line (scripts/package and scripts/install pass it), else "unknown".
const char *leadrouter_build_commit(void);

#endif
