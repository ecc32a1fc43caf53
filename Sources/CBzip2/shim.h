// libbz2, for .osm.bz2 as Geofabrik and the OSM planet mirrors offer it; only CivicImport imports it.
#include <bzlib.h>
