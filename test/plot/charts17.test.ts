/**
 * explainedVariancePlot with a log y axis: points on decades, so geometric ratios sit equally spaced.
 */
import { describe, expect, it } from 'vitest';
import { explainedVariancePlot } from '../../src/plot/index.js';
import { ValueError } from '../../src/core/errors.js';
import { expectPointwiseError } from '../helpers/index.js';

const circles = (svg: string): { cx: number; cy: number }[] => [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => ({ cx: Number(m[1]), cy: Number(m[2]) }));

describe("explainedVariancePlot yScale: 'log'", () => {
  it('places ratios a decade apart at equal vertical steps, with decade ticks and a log-scale label', () => {
    const fig = explainedVariancePlot([0.9, 0.09, 0.009, 0.0009], { yScale: 'log' });
    const pts = circles(fig.svg);
    expect(pts).toHaveLength(4);
    const steps = pts.slice(1).map((p, i) => p.cy - pts[i].cy);
    for (const s of steps) expect(s).toBeCloseTo(steps[0], 1);
    expect(steps[0]).toBeGreaterThan(20);
    for (const t of ['>0.001<', '>0.01<', '>0.1<']) expect(fig.svg).toContain(t);
    expect(fig.svg).toContain('Explained variance ratio (log scale)');
    expect(fig.svg).toContain('cumulative');
  });

  it('the linear default still draws bars (no markers for the ratios) and cumulative: false drops the line', () => {
    const lin = explainedVariancePlot([0.5, 0.3, 0.2]);
    expect(lin.svg).toContain('<rect');
    const log = explainedVariancePlot([0.5, 0.3, 0.2], { yScale: 'log', cumulative: false });
    expect(log.svg).not.toContain('cumulative');
    expect(circles(log.svg)).toHaveLength(3);
  });

  it('zero ratios leave a gap on the log axis; all-zero ratios and unknown scales are rejected', () => {
    expect(circles(explainedVariancePlot([0.9, 0.1, 0], { yScale: 'log', cumulative: false }).svg)).toHaveLength(2);
    expectPointwiseError(() => explainedVariancePlot([0, 0], { yScale: 'log', cumulative: false }), ValueError, /^explainedVariancePlot: a log y axis needs at least one positive ratio; got all are 0/, 'all zero');
    expectPointwiseError(() => explainedVariancePlot([0.5], { yScale: 'symlog' as never }), ValueError, /^explainedVariancePlot: options.yScale must be one of 'linear', 'log'; got "symlog"/, 'scale');
  });
});
