#include "leadrouter_build.h"

#ifndef LEADROUTER_COMMIT
#define LEADROUTER_COMMIT "unknown"
#endif

const char *leadrouter_build_commit(void) { return LEADROUTER_COMMIT; }
