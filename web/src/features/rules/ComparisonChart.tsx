import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface ComparisonRow {
  name: string;
  before: number;
  after: number;
  target: number;
}

/** Each manager's share under the published rules and under the draft, beside the share their weight owes them. */
export function ComparisonChart({ rows, labels }: { rows: ComparisonRow[]; labels: { before: string; after: string; target: string } }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current, undefined, { renderer: 'canvas' });
    const ordered = [...rows].reverse();
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${(Number(v) * 100).toFixed(1)}%` },
      legend: { data: [labels.before, labels.after, labels.target], top: 0 },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
      yAxis: { type: 'category', data: ordered.map((r) => r.name) },
      series: [
        { name: labels.before, type: 'bar', data: ordered.map((r) => r.before), itemStyle: { color: '#adb5bd' } },
        { name: labels.after, type: 'bar', data: ordered.map((r) => r.after), itemStyle: { color: '#228be6' } },
        { name: labels.target, type: 'bar', data: ordered.map((r) => r.target), itemStyle: { color: '#fab005' } },
      ],
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [rows, labels]);
  return <div ref={element} style={{ width: '100%', height: Math.max(240, rows.length * 36 + 60) }} data-testid="comparison-chart" />;
}
