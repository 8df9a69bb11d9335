/**
 * The one numeric layer: products (`gemm` with its WebAssembly SIMD kernel, `gemmNT`, the SYRK
 * Gram kernel, `matmul`), eigendecompositions (`symmetricEigen`, `hermitianEigen`, and the
 * top-k `symmetricEigenTop` / `SymmetricSpectrum`: values descending, eigenvectors as rows), Cholesky and LU solves, Gram–Schmidt orthogonalisation, the
 * ml-matrix adapter and result memory with prefaulted pages. The science modules import these
 * files directly. Nothing here is public: `gemm` trusts its sizes (the checked 1×1 product is
 * `mix`); this index serves the package's tests and benches.
 * @module
 */
export { gemm } from './gemm.js';
