// Live line charts with uPlot: a rolling window of samples, one series per line. Each chart's element carries
// data-points and data-max, so that a test (or a curious operator) can see the chart move without reading pixels.
import uPlot from '/webjars/uplot/dist/uPlot.esm.js';

const WINDOW = 180; // samples kept: 15 minutes at the default 5 s

export class LiveChart {
  constructor(element, series) {
    this.element = element;
    this.data = [[], ...series.map(() => [])];
    const opts = {
      width: this.width(),
      height: 200,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [{ stroke: '#8a93a6', grid: { stroke: '#2a3140' } },
             { stroke: '#8a93a6', grid: { stroke: '#2a3140' }, size: 60 }],
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2,
                                            fill: s.fill, points: { show: false } }))],
    };
    this.plot = new uPlot(opts, this.data, element);
    new ResizeObserver(() => this.plot.setSize({ width: this.width(), height: 200 })).observe(element);
  }

  width() {
    return Math.max(200, this.element.clientWidth);
  }

  /** Adds one sample: time in seconds, one value per series. */
  push(time, values) {
    this.data[0].push(time);
    values.forEach((v, i) => this.data[i + 1].push(v));
    if (this.data[0].length > WINDOW) {
      this.data.forEach((column) => column.shift());
    }
    this.plot.setData(this.data);
    const max = Math.max(0, ...this.data.slice(1).flat());
    this.element.dataset.points = String(this.data[0].length);
    this.element.dataset.max = String(max);
  }
}
