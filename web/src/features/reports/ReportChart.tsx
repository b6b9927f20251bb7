import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what the report charts use, so the chunk stays small; it loads with the reports page only.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface ChartSeries {
  name: string;
  values: Array<number | null>;
  kind?: 'bar' | 'line';
  color?: string;
}

interface Props {
  categories: string[];
  series: ChartSeries[];
  /** How a value reads on the axis and in the tooltip. */
  format?: (value: number) => string;
  horizontal?: boolean;
  /** Whole numbers only on the value axis (counts, minutes), so ticks do not repeat after rounding. */
  integer?: boolean;
  height?: number;
  testId?: string;
}

/** A bar or line chart of one report table: categories (managers, days, hours) against one or more series. */
export function ReportChart({ categories, series, format = (v) => String(v), horizontal = false, integer = false, height, testId }: Props) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current, undefined, { renderer: 'canvas' });
    const ordered = horizontal ? [...categories].reverse() : categories;
    const values = (s: ChartSeries) => (horizontal ? [...s.values].reverse() : s.values);
    // A few categories (funnel stages) are all labelled; a long series of days thins its labels.
    const categoryAxis = { type: 'category' as const, data: ordered, ...(ordered.length <= 8 ? { axisLabel: { interval: 0 } } : {}) };
    const valueAxis = { type: 'value' as const, ...(integer ? { minInterval: 1 } : {}), axisLabel: { formatter: (v: number) => format(v) } };
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (v === null || v === undefined ? '—' : format(Number(v))) },
      legend: { data: series.map((s) => s.name), top: 0 },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: series.map((s) => ({ name: s.name, type: s.kind ?? 'bar', data: values(s), ...(s.color ? { itemStyle: { color: s.color }, lineStyle: { color: s.color } } : {}) })),
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [categories, series, format, horizontal, integer]);
  const autoHeight = horizontal ? Math.max(220, categories.length * 30 * Math.max(1, series.length / 2) + 60) : 280;
  return <div ref={element} style={{ width: '100%', height: height ?? autoHeight }} data-testid={testId} />;
}
