/**
 * Option values with physical units, parsed the way the library parses them: a plain number is in
 * the base unit (metres, degrees, m/s); anything else goes through the library's mathjs-backed
 * converters (`toMetres('60cm')`, `toDegrees('0.5 rad')`, `speedOfSound('20 degC')`). mathjs is
 * loaded only when a value carries a unit, so plain numbers stay fast.
 * @module
 */
import { beamform } from './lazy.js';
import { UsageError } from './common.js';
import type { GridAxis } from './common.js';

const PLAIN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A unit that failed to parse, with the converter's reason (mathjs's message, or the unit's kind). */
class UnitError extends UsageError {
  constructor(message: string, readonly reason: string) {
    super(message);
  }
}

function convert(option: string, text: string, kind: string, example: string, f: (s: string) => number): number {
  const s = text.trim();
  if (PLAIN.test(s)) return Number(s);
  try {
    return f(s);
  } catch (err) {
    const m = (err as Error).message;
    const reason = /\(([^()]*)\)$/.exec(m)?.[1] ?? m.replace(/^[\w.\- ]+: /, '');
    throw new UnitError(`${option} must be ${kind} (a number or a quantity such as ${example}); got ${JSON.stringify(text)} (${reason})`, reason);
  }
}

/** A length in metres: `0.6`, `'60cm'`, `'600 mm'`. @throws UsageError naming `option`. */
export function parseLength(option: string, text: string): number {
  return convert(option, text, 'a length in metres', "'60cm'", (s) => beamform().toMetres(s));
}

/** An angle in degrees: `30`, `'0.5 rad'`, `'30 deg'`. @throws UsageError naming `option`. */
export function parseAngle(option: string, text: string): number {
  return convert(option, text, 'an angle in degrees', "'0.5 rad'", (s) => beamform().toDegrees(s));
}

/** A speed of sound in m/s: `343`, `'343 m/s'`, or an air temperature `'20 degC'` (331.3·√(1 + T/273.15) m/s). */
export function parseSpeedOfSound(option: string, text: string): number {
  const c = convert(option, text, 'a speed of sound in m/s or an air temperature', "'343 m/s' or '20 degC'", (s) => beamform().speedOfSound(s));
  if (!(c > 0)) throw new UsageError(`${option} must be a positive speed in m/s; got ${JSON.stringify(text)}`);
  if (c < SLOWEST_PLAUSIBLE_SPEED) {
    process.stderr.write(`warning: ${option} ${JSON.stringify(text)} is ${c} m/s, slower than sound in air at any weather (about 300–360 m/s); for an air temperature write '${text} degC'\n`);
  }
  return c;
}

/** Below this speed (m/s) `--speed-of-sound` was most likely meant as a temperature: air at −50 °C carries sound at 299 m/s. */
const SLOWEST_PLAUSIBLE_SPEED = 250;

function list(option: string, text: string, count: { min: number; max: number }, one: (o: string, t: string) => number, what: string): number[] {
  const parts = String(text).split(',');
  const want = count.min === count.max ? `${count.min}` : `${count.min} to ${count.max}`;
  if (parts.some((p) => p.trim() === '') || parts.length < count.min || parts.length > count.max) {
    throw new UsageError(`${option} must be comma-separated numbers, ${want} ${what}; got ${JSON.stringify(text)}`);
  }
  return parts.map((p) => {
    try {
      return one(option, p);
    } catch (err) {
      if (!(err instanceof UnitError)) throw err;
      throw new UsageError(`${option} must be comma-separated numbers, ${want} ${what}; got ${JSON.stringify(p.trim())} in ${JSON.stringify(text)} (${err.reason})`);
    }
  });
}

/** `x,y[,z]` lengths: `0.6,0.1` or `60cm,10cm`. */
export function parseLengthList(option: string, text: string, count: { min: number; max: number }): number[] {
  return list(option, text, count, parseLength, 'lengths (metres, or with units: 60cm,10cm)');
}

/** `az[,el]` angles in degrees, or with units. */
export function parseAngleList(option: string, text: string, count: { min: number; max: number }): number[] {
  return list(option, text, count, parseAngle, 'angles (degrees, or with units: 0.5rad)');
}

/**
 * A grid `xmin:xmax:step,ymin:ymax:step[,zmin:zmax:step]` whose numbers are metres or lengths with
 * units (`10cm:120cm:1cm,-20cm:110cm:1cm`).
 */
export function parseLengthGrid(option: string, text: string): GridAxis[] {
  const axes = String(text).split(',').map((a) => a.trim());
  if (axes.length < 2 || axes.length > 3) throw new UsageError(`${option} must be 2 or 3 axes min:max:step separated by commas; got ${JSON.stringify(text)}`);
  return axes.map((a, i) => {
    const parts = a.split(':');
    if (parts.length !== 3 || parts.some((p) => p.trim() === '')) throw new UsageError(`${option} axis ${i + 1} must be min:max:step; got ${JSON.stringify(a)}`);
    const [min, max, step] = parts.map((p) => parseLength(`${option} axis ${i + 1}`, p));
    if (!(step > 0) || max < min) throw new UsageError(`${option} axis ${i + 1} must be min:max:step with max ≥ min and step > 0; got ${JSON.stringify(a)}`);
    return { min, max, step };
  });
}
