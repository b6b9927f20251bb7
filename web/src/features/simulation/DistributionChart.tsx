import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what this chart needs, so the chart chunk stays small; it loads with this page only.
echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface DistributionRow {
  name: string;
  share: number;
  targetShare: number;
}

/** Each manager's share of the leads against the share owed by weight, as horizontal bars. */
export function DistributionChart({ rows, labels }: { rows: DistributionRow[]; labels: { actual: string; target: string } }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current, undefined, { renderer: 'canvas' });
    const ordered = [...rows].reverse();
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${(Number(v) * 100).toFixed(1)}%` },
      legend: { data: [labels.actual, labels.target], top: 0 },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
      yAxis: { type: 'category', data: ordered.map((r) => r.name) },
      series: [
        { name: labels.actual, type: 'bar', data: ordered.map((r) => r.share), itemStyle: { color: '#228be6' } },
        { name: labels.target, type: 'bar', data: ordered.map((r) => r.targetShare), itemStyle: { color: '#adb5bd' } },
      ],
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [rows, labels]);
  return <div ref={element} style={{ width: '100%', height: Math.max(240, rows.length * 34 + 60) }} data-testid="distribution-chart" />;
}
