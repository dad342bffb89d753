// COpenBLAS: OpenBLAS's CBLAS and LAPACKE, for Learn's dense products and small eigenproblems.
// Imported by one file only: Sources/Learn/LinearAlgebra/BLAS.swift.
#ifndef RECSCRIPT_COPENBLAS_SHIM_H
#define RECSCRIPT_COPENBLAS_SHIM_H

#include <cblas.h>
// Complex numbers as structs: Swift does not import C's _Complex types.
#define LAPACK_COMPLEX_STRUCTURE
#include <lapacke.h>

// OpenBLAS's own thread count (its pool, separate from Dispatch's).
static inline void recscript_blas_set_threads(int n) { openblas_set_num_threads(n); }
static inline int recscript_blas_threads(void) { return openblas_get_num_threads(); }

#endif
