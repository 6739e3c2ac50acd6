// The chart modules the screens use (the map engineer's client/charts/*; stand-ins until they land).
export { renderTimeline, renderOutcomeCharts } from './standin-charts.ts';
