// zlib, for OSM PBF blobs (zlib_data) and .osm.gz; only CivicImport imports it.
#include <zlib.h>
