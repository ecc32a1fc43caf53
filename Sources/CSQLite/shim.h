// Debian's libsqlite3-dev (pkg-config sqlite3); it is built with the R*Tree module that the
// GeoPackage spatial index needs. Only CivicGeoPackage imports this module.
#include <sqlite3.h>
