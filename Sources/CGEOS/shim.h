// A system-library module map cannot pass -D, so the reentrant-only switch is set here.
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
