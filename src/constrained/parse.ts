/**
 * Conservation laws written as named equations, parsed with mathjs (only here, never in loops).
 * @module
 */
import { parse, isConstantNode, isOperatorNode, isParenthesisNode, isSymbolNode, type MathNode } from '../core/mathjs.js';
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { LinearConstraints, type ConstraintOptions } from './constraints.js';

const FN = 'parseConservationLaws';

/** Channel names: one list for both sides, or separate input and output lists. */
export type ChannelLabels = readonly string[] | { inputLabels: readonly string[]; outputLabels: readonly string[] };

interface Linear {
  coef: Map<string, number>;
  constant: number;
}

/** Sums, differences and signs: nodes {@link linearize} flattens with a loop instead of recursion. */
function isSumNode(node: MathNode): boolean {
  return isParenthesisNode(node) || (isOperatorNode(node) && (node.fn === 'add' || node.fn === 'subtract' || node.fn === 'unaryMinus' || node.fn === 'unaryPlus'));
}

function linearize(node: MathNode, allowed: ReadonlySet<string>, side: string, eq: string, k: number): Linear {
  // Built only for an error message: the equation may be long, and this runs once per term.
  const where = (): string => `in equation ${k} ${JSON.stringify(eq.length > 200 ? eq.slice(0, 197) + '...' : eq)}`;
  if (isSumNode(node)) {
    // A chain of n terms nests n deep in the tree: walk it with a stack, accumulating in one map.
    const out: Linear = { coef: new Map(), constant: 0 };
    const stack: [MathNode, number][] = [[node, 1]];
    while (stack.length > 0) {
      const [n, sign] = stack.pop()!;
      if (isParenthesisNode(n)) stack.push([n.content, sign]);
      else if (isOperatorNode(n) && (n.fn === 'unaryMinus' || n.fn === 'unaryPlus')) stack.push([n.args[0], n.fn === 'unaryMinus' ? -sign : sign]);
      else if (isOperatorNode(n) && (n.fn === 'add' || n.fn === 'subtract')) {
        for (let i = n.args.length - 1; i >= 0; i--) stack.push([n.args[i], n.fn === 'subtract' && i > 0 ? -sign : sign]);
      } else {
        const t = linearize(n, allowed, side, eq, k);
        for (const [name, c] of t.coef) out.coef.set(name, (out.coef.get(name) ?? 0) + sign * c);
        out.constant += sign * t.constant;
      }
    }
    return out;
  }
  if (isConstantNode(node)) {
    const v = Number(node.value);
    if (!Number.isFinite(v)) throw new ValueError(message(FN, `coefficients must be finite numbers ${where()}`, { verbatim: String(node.value) }));
    return { coef: new Map(), constant: v };
  }
  if (isSymbolNode(node)) {
    if (!allowed.has(node.name)) {
      throw new ValueError(message(FN, `every name must be one of the ${side} channel labels (${[...allowed].join(', ')}) ${where()}`, node.name));
    }
    return { coef: new Map([[node.name, 1]]), constant: 0 };
  }
  if (isOperatorNode(node)) {
    const args = node.args.map((a) => linearize(a, allowed, side, eq, k));
    const scale = (l: Linear, s: number): Linear => ({ coef: new Map([...l.coef].map(([n, c]) => [n, c * s])), constant: l.constant * s });
    switch (node.fn) {
      case 'multiply': {
        const [a, b] = args;
        if (a.coef.size === 0) return scale(b, a.constant);
        if (b.coef.size === 0) return scale(a, b.constant);
        break;
      }
      case 'divide': {
        const [a, b] = args;
        if (b.coef.size === 0) {
          if (b.constant === 0) throw new ValueError(message(FN, `divisors must be non-zero ${where()}`, node.toString()));
          return scale(a, 1 / b.constant);
        }
        break;
      }
      default:
        break;
    }
  }
  throw new ValueError(message(FN, `every term must be linear in the channels (number × name) ${where()}`, { verbatim: `non-linear term ${JSON.stringify(node.toString())}` }));
}

function parseSide(text: string, allowed: ReadonlySet<string>, side: string, eq: string, k: number): Map<string, number> {
  let node: MathNode;
  try {
    node = parse(text);
  } catch (err) {
    throw new ValueError(message(FN, `equation ${k} must be a valid expression`, { verbatim: `${JSON.stringify(eq)} (${(err as Error).message})` }));
  }
  let lin: Linear;
  try {
    lin = linearize(node, allowed, side, eq, k);
  } catch (err) {
    // Sums are walked without recursion; only products or quotients nested thousands deep get here.
    if (err instanceof RangeError && /call stack/i.test(err.message)) throw new ValueError(message(FN, `equation ${k} must not nest products or quotients thousands deep`, { verbatim: `${eq.slice(0, 60)}…` }));
    throw err;
  }
  if (lin.constant !== 0) {
    throw new ValueError(message(FN, `equation ${k} must have no constant term (conservation laws are homogeneous; use outputSum for fixed totals)`, eq));
  }
  return lin.coef;
}

/**
 * Parses named conservation laws into {@link LinearConstraints} (`A W = B`, `A b = 0`).
 *
 * Each equation reads `name: expression = const` — the expression, linear in the channel labels,
 * is conserved: measured on the outputs (A row) it equals the same expression on the inputs (B row);
 * every name must then be both an input and an output label. With separate input and output labels
 * an equation may also read `name: outputExpression = inputExpression` (output names on the left,
 * input names on the right). The name (before `:`) is optional (default `law{k}`).
 *
 * @example
 * parseConservationLaws(['C: CH4 + CO2 = const', 'H: 4*CH4 + 2*H2O = const', 'O: 2*O2 + 2*CO2 + H2O = const'],
 *   ['CH4', 'O2', 'CO2', 'H2O'])   // A = B = [[1,0,1,0],[4,0,0,2],[0,2,2,1]]
 * @throws ValueError for a missing `= const` / right-hand side, unknown names, non-linear terms
 * (products of channels, powers, functions), constant terms or syntax errors, naming the equation;
 * ShapeError for empty or duplicate labels; NumericalError (from LinearConstraints) for inconsistent
 * laws, or dependent ones with `onRankDeficient: 'throw'`.
 */
export function parseConservationLaws(equations: readonly string[], labels: ChannelLabels, options: ConstraintOptions = {}): LinearConstraints {
  if (!Array.isArray(equations) || equations.some((e) => typeof e !== 'string')) throw new ArgumentTypeError(message(FN, 'equations must be an array of strings', equations));
  if (equations.length === 0) throw new ShapeError(message(FN, 'at least one equation is required', equations));
  let inputs: readonly string[], outputs: readonly string[];
  if (Array.isArray(labels)) {
    inputs = outputs = labels as readonly string[];
  } else if (typeof labels === 'object' && labels !== null && 'inputLabels' in labels) {
    inputs = labels.inputLabels;
    outputs = labels.outputLabels;
  } else {
    throw new ArgumentTypeError(message(FN, 'labels must be a string[] or { inputLabels, outputLabels }', labels));
  }
  for (const [side, l] of [['input', inputs], ['output', outputs]] as const) {
    if (!Array.isArray(l) || l.length === 0 || l.some((s) => typeof s !== 'string' || s.length === 0)) throw new ShapeError(message(FN, `${side} labels must be a non-empty array of names`, l));
    if (new Set(l).size !== l.length) throw new ShapeError(message(FN, `${side} labels must be distinct`, { verbatim: JSON.stringify(l) }));
  }
  const inSet = new Set(inputs), outSet = new Set(outputs);
  const cin = inputs.length, cout = outputs.length;
  const r = equations.length;
  const A = new Float64Array(r * cout), B = new Float64Array(r * cin);
  const names: string[] = [];
  equations.forEach((eq, k) => {
    const colon = eq.indexOf(':');
    const name = colon >= 0 ? eq.slice(0, colon).trim() : `law${k}`;
    if (colon >= 0 && name.length === 0) throw new ValueError(message(FN, `equation ${k} must have a name before ':'`, eq));
    const body = colon >= 0 ? eq.slice(colon + 1) : eq;
    const parts = body.split('=');
    if (parts.length !== 2 || parts[1].trim().length === 0 || parts[0].trim().length === 0) {
      throw new ValueError(message(FN, `equation ${k} must read 'name: expression = const' (or 'outputs = inputs' with separate labels)`, eq));
    }
    const lhs = parts[0].trim(), rhs = parts[1].trim();
    let outCoef: Map<string, number>, inCoef: Map<string, number>;
    if (rhs === 'const') {
      outCoef = parseSide(lhs, outSet, 'output', eq, k);
      inCoef = parseSide(lhs, inSet, 'input', eq, k);
    } else {
      outCoef = parseSide(lhs, outSet, 'output', eq, k);
      inCoef = parseSide(rhs, inSet, 'input', eq, k);
    }
    outputs.forEach((l, o) => (A[k * cout + o] = outCoef.get(l) ?? 0));
    inputs.forEach((l, i) => (B[k * cin + i] = inCoef.get(l) ?? 0));
    names.push(name);
  });
  return new LinearConstraints({ ...options, outChannels: cout, inChannels: cin, A: { data: A, rows: r, cols: cout }, B: { data: B, rows: r, cols: cin }, names });
}
