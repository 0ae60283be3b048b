#ifndef LEADROUTER_BUILD_H
#define LEADROUTER_BUILD_H

/// The commit this binary was built from, as stamped by scripts/lib/stamp-commit; "unknown" in
/// a build that was not stamped (`swift build`).
const char *leadrouter_build_commit(void);

#endif
