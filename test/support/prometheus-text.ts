/** Readers of the Prometheus text format the orchestrator serves at `/metrics`, for tests and benchmarks. */

/** Labels and value of one sample line `name{a="x",b="y"} 12`. */
interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

function samplesOf(metrics: string, name: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of line.matchAll(/(\w+)="([^"]*)"/g)) labels[key!] = value!;
    samples.push({ labels, value: Number(line.slice(line.lastIndexOf(' ') + 1)) });
  }
  return samples;
}

/** A quantile of a summary (`quantile="0.99"`), or undefined when it has no observation yet. */
export function summaryQuantile(metrics: string, name: string, quantile: string): number | undefined {
  const value = samplesOf(metrics, name).find((sample) => sample.labels.quantile === quantile)?.value;
  return value === undefined || Number.isNaN(value) ? undefined : value;
}

/** Sum of a counter over every sample whose labels include `where` (e.g. all subjects of one outcome). */
export function counterSum(metrics: string, name: string, where: Readonly<Record<string, string>> = {}): number {
  return samplesOf(metrics, name)
    .filter((sample) => Object.entries(where).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}

/** Value of an unlabelled gauge, or undefined when the text does not have it. */
export function gaugeValue(metrics: string, name: string): number | undefined {
  return samplesOf(metrics, name).find((sample) => Object.keys(sample.labels).length === 0)?.value;
}
