/**
 * Mixer families and diagnostics: the residual mixer `y = (I + W) x + b`, the orthogonal
 * (energy-preserving) mixer by the Cayley transform, and the singular values / condition number of
 * a weight matrix (the gradient through a mix is `Wᵀ dY`, so a badly conditioned W squeezes some
 * directions of the gradient — the bottleneck discussed for separable convolutions).
 * @module
 */
import { ArgumentTypeError, NumericalError, ShapeError, message } from '../core/errors.js';
import { Multichannel, allocate } from '../core/multichannel.js';
import { Rng } from '../core/random.js';
import { assertInteger, assertPositive } from '../core/validate.js';
import { gemm } from '../linalg/gemm.js';
import { svdValues } from '../linalg/ml-matrix.js';
import { gemmNT, transpose } from '../linalg/products.js';
import { solveSquare } from '../linalg/solve.js';
import { assertMultichannel, mixedMeta } from './mix.js';
import { PointwiseMixer, type MixerGradients } from './mixer.js';
import { toDenseWeights, type WeightsLike } from './weights.js';

/**
 * A residual 1×1 mixer `y = (I + W) x + b` (square, Cin = Cout = n): the identity path carries the
 * input unchanged and W learns a correction, so a zero W is the identity and gradients reach `x`
 * through `I + Wᵀ` even when W is small. Trains with {@link trainMixer} like any PointwiseMixer
 * (`weights` is W, the residual part).
 * @example
 * const r = ResidualMixer.identity(4);   // y = x
 * trainMixer(r, x, target, { epochs: 50 });
 */
export class ResidualMixer extends PointwiseMixer {
  /**
   * @param weights `n × n` residual part W (row-major, copied).
   * @throws ShapeError when weights is not n × n.
   */
  constructor(weights: Float64Array, channels: number, bias?: Float64Array) {
    super(weights, channels, channels, bias);
  }

  /** W = 0 (the identity map) with a trainable zero bias unless `bias: false`. */
  static identity(channels: number, options: { bias?: boolean } = {}): ResidualMixer {
    assertInteger('ResidualMixer.identity', 'channels', channels, 1);
    return new ResidualMixer(new Float64Array(channels * channels), channels, options.bias === false ? undefined : new Float64Array(channels));
  }

  /** Residual part uniform in `[−scale, scale]` (default 0.01/√n), seeded. */
  static override random(inChannels: number, outChannels: number = inChannels, options: { seed?: number; bias?: boolean; scale?: number } = {}): ResidualMixer {
    const fn = 'ResidualMixer.random';
    assertInteger(fn, 'inChannels', inChannels, 1);
    if (outChannels !== inChannels) throw new ShapeError(message(fn, `a residual mixer is square: outChannels must equal inChannels (${inChannels})`, outChannels));
    const scale = options.scale ?? 0.01 / Math.sqrt(inChannels);
    assertPositive(fn, 'options.scale', scale, true);
    const w = new Rng(options.seed ?? 0).array(inChannels * inChannels, -scale, scale);
    return new ResidualMixer(w, inChannels, options.bias === false ? undefined : new Float64Array(inChannels));
  }

  /** The matrix actually applied, `I + W` (row-major copy). */
  effectiveWeights(): Float64Array {
    const n = this.inChannels;
    const e = this.weights.slice();
    for (let i = 0; i < n; i++) e[i * n + i] += 1;
    return e;
  }

  /** `y = (I + W) x + b`, `[n, T] → [n, T]`. */
  override forward(x: Multichannel): Multichannel {
    this.check('ResidualMixer.forward', x);
    const out = allocate(x.dtype, this.outChannels * x.length);
    gemm(this.effectiveWeights(), this.outChannels, this.inChannels, x.data, x.length, out, this.hasBias ? this.bias : undefined);
    return new Multichannel(out, this.outChannels, x.length, mixedMeta(x));
  }

  /** `dW = dY xᵀ`, `db = Σ_t dY`, `dX = (I + W)ᵀ dY`. */
  override backward(x: Multichannel, dY: Multichannel): MixerGradients {
    const g = super.backward(x, dY);
    const dx = g.dX.data;
    const T = x.length;
    for (let k = 0; k < this.inChannels * T; k++) dx[k] += dY.data[k];
    return g;
  }
}

/** Number of free parameters of an n × n Cayley-orthogonal mixer: n(n−1)/2. */
function skewCount(n: number): number {
  return (n * (n - 1)) / 2;
}

/**
 * Builds the skew-symmetric `A = S − Sᵀ` from its strict upper triangle (row by row: (0,1), (0,2),
 * …, (1,2), …) and returns the Cayley transform `Q = (I + A)⁻¹ (I − A)` with `B = (I + A)⁻¹`.
 */
function cayley(params: Float64Array, n: number): { Q: Float64Array; B: Float64Array } {
  const ipa = new Float64Array(n * n);
  const ima = new Float64Array(n * n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    ipa[i * n + i] = 1;
    ima[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      const a = params[k++];
      ipa[i * n + j] = a;
      ipa[j * n + i] = -a;
      ima[i * n + j] = -a;
      ima[j * n + i] = a;
    }
  }
  const eye = new Float64Array(n * n);
  for (let i = 0; i < n; i++) eye[i * n + i] = 1;
  // I + A with A skew is always invertible (eigenvalues 1 + iθ).
  const B = solveSquare(ipa, n, eye, n);
  const Q = solveSquare(ipa, n, ima, n);
  if (!B || !Q) throw new NumericalError(message('OrthogonalMixer', 'I + A must be invertible', { verbatim: 'a singular system' }));
  return { Q, B };
}

/**
 * An orthogonal (energy-preserving) square 1×1 mixer `y = Q x`, `Q = (I + A)⁻¹(I − A)` the Cayley
 * transform of a skew-symmetric `A` whose strict upper triangle is the `n(n−1)/2` free parameters.
 * `QᵀQ = I`, so `‖Q x_t‖ = ‖x_t‖` at every sample (to ~1e-15 relative; tested to 1e-12), every
 * singular value is 1 and gradients pass back undistorted (`dX = Qᵀ dY`). The Cayley map covers
 * the rotations without eigenvalue −1 (det Q = +1); zero parameters give the identity.
 * Complexity: O(n³) to form Q, then `n²·T` per forward.
 * @example
 * const q = OrthogonalMixer.random(8, { seed: 1 });
 * const y = q.forward(x); // every sample keeps its Euclidean norm
 */
export class OrthogonalMixer {
  /** Strict upper triangle of A, row by row (live; optimisers may update it). */
  params: Float64Array;
  readonly channels: number;

  /** @throws ShapeError when params.length ≠ n(n−1)/2. */
  constructor(params: Float64Array, channels: number) {
    const fn = 'OrthogonalMixer';
    assertInteger(fn, 'channels', channels, 1);
    if (!((params as unknown) instanceof Float64Array)) throw new ArgumentTypeError(message(fn, 'params must be a Float64Array', params));
    if (params.length !== skewCount(channels)) throw new ShapeError(message(fn, `params must hold n(n−1)/2 = ${skewCount(channels)} numbers for n = ${channels}`, params.length));
    this.params = Float64Array.from(params);
    this.channels = channels;
  }

  /** Parameters uniform in `[−scale, scale]` (default 1), seeded. */
  static random(channels: number, options: { seed?: number; scale?: number } = {}): OrthogonalMixer {
    assertInteger('OrthogonalMixer.random', 'channels', channels, 1);
    const s = options.scale ?? 1;
    return new OrthogonalMixer(new Rng(options.seed ?? 0).array(skewCount(channels), -s, s), channels);
  }

  /** Free parameters: n(n−1)/2. */
  get parameterCount(): number {
    return this.params.length;
  }

  /** The orthogonal matrix Q (n × n row-major). */
  get weights(): Float64Array {
    return cayley(this.params, this.channels).Q;
  }

  /** `y = Q x`, `[n, T] → [n, T]`, x's dtype. */
  forward(x: Multichannel): Multichannel {
    const fn = 'OrthogonalMixer.forward';
    assertMultichannel(fn, 'x', x);
    if (x.channels !== this.channels) throw new ShapeError(message(fn, `x must have ${this.channels} channels`, x.channels));
    const out = allocate(x.dtype, this.channels * x.length);
    gemm(this.weights, this.channels, this.channels, x.data, x.length, out);
    return new Multichannel(out, this.channels, x.length, mixedMeta(x));
  }

  /**
   * Gradients through the Cayley map: with `G = dY xᵀ`, `∂L/∂A = −(I + Q)ᵀ G Bᵀ` (B = (I + A)⁻¹),
   * and for each free parameter `p_ij` (i < j) `∂L/∂p = ∂L/∂A_ij − ∂L/∂A_ji`; `dX = Qᵀ dY`.
   */
  backward(x: Multichannel, dY: Multichannel): { dParams: Float64Array; dX: Multichannel } {
    const fn = 'OrthogonalMixer.backward';
    const n = this.channels;
    assertMultichannel(fn, 'x', x);
    assertMultichannel(fn, 'dY', dY);
    if (x.channels !== n || dY.channels !== n || dY.length !== x.length) throw new ShapeError(message(fn, `x and dY must both be [${n}, T]`, dY));
    const T = x.length;
    const { Q, B } = cayley(this.params, n);
    const G = new Float64Array(n * n);
    gemmNT(dY.data, n, x.data, n, T, G);
    // M = (I + Q)ᵀ G
    const M = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = G[i * n + j];
        for (let r = 0; r < n; r++) s += Q[r * n + i] * G[r * n + j];
        M[i * n + j] = s;
      }
    }
    // dA = −M Bᵀ
    const dA = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let r = 0; r < n; r++) s += M[i * n + r] * B[j * n + r];
        dA[i * n + j] = -s;
      }
    }
    const dParams = new Float64Array(skewCount(n));
    let k = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) dParams[k++] = dA[i * n + j] - dA[j * n + i];
    const dx = new Float64Array(n * T);
    gemm(transpose(Q, n, n), n, n, dY.data, T, dx);
    return { dParams, dX: new Multichannel(dx, n, T, mixedMeta(x)) };
  }
}

/**
 * Singular values of W (`Cout × Cin`), descending, `min(Cout, Cin)` of them (ml-matrix SVD).
 * @throws as {@link mix} for malformed or non-finite W.
 * @example singularValues([[3, 0], [0, -2]]) // Float64Array [3, 2]
 */
export function singularValues(W: WeightsLike): Float64Array {
  const w = toDenseWeights('singularValues', 'W', W);
  return svdValues(w.data, w.rows, w.cols);
}

/**
 * 2-norm condition number `σ_max / σ_min` of W over its `min(Cout, Cin)` singular values
 * (Infinity when W is rank deficient). Large values mean the mix (and its gradient `Wᵀ dY`)
 * amplifies some directions far more than others.
 * @example conditionNumber([[3, 0], [0, -2]]) // 1.5
 */
export function conditionNumber(W: WeightsLike): number {
  const s = singularValues(W);
  const smin = s[s.length - 1];
  return smin === 0 ? Infinity : s[0] / smin;
}
