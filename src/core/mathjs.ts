/**
 * The one adapter for mathjs. mathjs ships ES-module type declarations, which TypeScript (5.9)
 * refuses to import from this package's CommonJS output (TS1479), while its CommonJS entry loads
 * fine at run time. So it is required here once, and the small part of its API the package uses
 * (units at the geometry boundary, the expression tree of conservation laws) is typed below.
 * mathjs stays at boundaries, never in loops.
 * @internal
 * @module
 */

/** A mathjs physical quantity (`unit('3 cm')`). */
export interface Unit {
  equalBase(other: Unit): boolean;
  toNumber(unit: string): number;
}

/** The nodes of a parsed mathjs expression that the equation parser walks. */
export interface ConstantNode { type: 'ConstantNode'; value: unknown }
export interface SymbolNode { type: 'SymbolNode'; name: string }
export interface ParenthesisNode { type: 'ParenthesisNode'; content: MathNode }
export interface OperatorNode { type: 'OperatorNode'; fn: string; op: string; args: MathNode[] }
export type MathNode = ConstantNode | SymbolNode | ParenthesisNode | OperatorNode | { type: string; toString(): string };

interface MathJsSubset {
  unit(text: string): Unit;
  parse(text: string): MathNode;
}

// mathjs's CommonJS entry (lib/cjs) — see the note above for why this is a require. It is loaded
// on first use: it costs most of a second of CPU, which a command that never parses a unit or an
// expression (or that stops at a usage error) should not pay.
let loaded: MathJsSubset | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mathjs = (): MathJsSubset => (loaded ??= require('mathjs') as MathJsSubset);

/** Parses a quantity with a unit, e.g. `'343 m/s'`, `'20 degC'`. @throws mathjs's own Error on bad text. */
export const unit = (text: string): Unit => mathjs().unit(text);
/** Parses an expression into a mathjs node tree. @throws mathjs's SyntaxError on bad text. */
export const parse = (text: string): MathNode => mathjs().parse(text);

export const isConstantNode = (n: MathNode): n is ConstantNode => n.type === 'ConstantNode';
export const isSymbolNode = (n: MathNode): n is SymbolNode => n.type === 'SymbolNode';
export const isParenthesisNode = (n: MathNode): n is ParenthesisNode => n.type === 'ParenthesisNode';
export const isOperatorNode = (n: MathNode): n is OperatorNode => n.type === 'OperatorNode';
