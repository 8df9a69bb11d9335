/**
 * plot: figures as SVG (shown inline as a notebook cell's last expression, in reports and web
 * pages) and PNG, drawn by a small synchronous renderer (nice ticks, labelled axes with units,
 * legends, colour bars; viridis, magma, gray and diverging maps) and rasterised with resvg. Every
 * plot returns a {@link Figure}.
 * @module
 */
export type { Figure, PngOptions } from './figure.js';
export { svgToPng } from './figure.js';
export { linePlot, signalPlot, spectraPlot, barChart, explainedVariancePlot } from './charts.js';
export type { FigureOptions, AxesOptions, LineSeries, LinePlotOptions, SignalPlotOptions, SpectraPlotOptions, BarChartOptions, ExplainedVariancePlotOptions } from './charts.js';
export { heatmap, srpMapPlot, spectrogramPlot, rgbImagePlot, falseColorPlot, abundanceMapsPlot } from './heatmap.js';
export type { Marker, HeatmapOptions, SrpMapPlotOptions, StftLike, SpectrogramPlotOptions, ImagePlotOptions, FalseColorPlotOptions, AbundanceMapsPlotOptions } from './heatmap.js';
export { beamPatternPlot } from './polar.js';
export type { PatternSeries, BeamPatternPlotOptions } from './polar.js';
export { niceTicks, niceStep, niceDomain, formatTick } from './scale.js';
export { colormapColor, colormapTable, COLORMAPS, SERIES_COLORS } from './colormap.js';
export type { ColormapName } from './colormap.js';
