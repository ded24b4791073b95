// The part of RRULE a heartbeat uses: FREQ and INTERVAL, as an interval in milliseconds.
const UNIT: Record<string, number> = {
  SECONDLY: 1_000,
  MINUTELY: 60_000,
  HOURLY: 3_600_000,
  DAILY: 86_400_000,
  WEEKLY: 604_800_000,
};

export function rruleIntervalMs(rrule: string): number | null {
  const parts = new Map<string, string>();
  for (const p of rrule.replace(/^RRULE:/, '').split(';')) {
    const [k, v] = p.split('=');
    if (k && v) parts.set(k.trim().toUpperCase(), v.trim().toUpperCase());
  }
  const freq = parts.get('FREQ');
  // Stryker disable next-line StringLiteral: without a FREQ any key UNIT lacks gives no unit, as '' does
  const unit = UNIT[freq ?? ''];
  if (!unit) return null;
  const interval = Number(parts.get('INTERVAL') ?? '1');
  if (!Number.isInteger(interval) || interval < 1) return null;
  return unit * interval;
}
