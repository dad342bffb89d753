// CZlib: zlib's inflate API, for reading gzip-compressed CSV files (Frame's CSV reader).
#ifndef RECSCRIPT_CZLIB_SHIM_H
#define RECSCRIPT_CZLIB_SHIM_H

#include <zlib.h>

// inflateInit2 is a macro; Swift cannot call macros, so wrap it.
static inline int czlib_inflate_init2(z_stream *stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}

#endif
