#include <proj.h>
// proj_crs_alter_cs_linear_unit, for scale factors of CRSs not in metres.
#include <proj_experimental.h>
// Karney's geodesics (geod_init, geod_polygonarea), exported by libproj itself.
#include <geodesic.h>
