#include "leadrouter_build.h"

// The commit's slot: a marker, then the commit as a C string. The release scripts write the
// commit into the built binary after the marker (scripts/lib/stamp-commit), so no compiler flag
// changes with each commit and a release build stays incremental. Unstamped: "unknown".
static const char commit_slot[80] = "\001LRCOMMIT\001unknown";

const char *leadrouter_build_commit(void) { return commit_slot + 10; }
