#include <proj.h>
// proj_crs_alter_cs_linear_unit, for scale factors of CRSs not in metres.
#include <proj_experimental.h>
