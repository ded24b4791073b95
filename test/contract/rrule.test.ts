/**
 * rruleIntervalMs: the part of an RRULE a heartbeat schedules by (FREQ and INTERVAL), read as
 * an interval in milliseconds, or null for a rule no host can schedule. A heartbeat's period
 * is this number, so each case checks the exact value, not just "a number".
 */
import { describe, expect, it } from 'vitest';
import { rruleIntervalMs } from '../../src/contract/rrule.ts';

const DAY = 86_400_000;

describe('rruleIntervalMs', () => {
  it('gives each FREQ its unit, once when there is no INTERVAL', () => {
    expect(rruleIntervalMs('FREQ=SECONDLY')).toBe(1_000);
    expect(rruleIntervalMs('FREQ=MINUTELY')).toBe(60_000);
    expect(rruleIntervalMs('FREQ=HOURLY')).toBe(3_600_000);
    expect(rruleIntervalMs('FREQ=DAILY')).toBe(DAY);
    expect(rruleIntervalMs('FREQ=WEEKLY')).toBe(604_800_000);
  });

  it('multiplies the unit by INTERVAL', () => {
    expect(rruleIntervalMs('FREQ=MINUTELY;INTERVAL=5')).toBe(300_000);
    expect(rruleIntervalMs('FREQ=HOURLY;INTERVAL=2')).toBe(7_200_000);
  });

  it('reads INTERVAL wherever it stands among the parts', () => {
    expect(rruleIntervalMs('INTERVAL=3;FREQ=SECONDLY')).toBe(3_000);
  });

  it('accepts the RRULE: prefix of an iCalendar line', () => {
    expect(rruleIntervalMs('RRULE:FREQ=DAILY')).toBe(DAY);
    expect(rruleIntervalMs('RRULE:FREQ=MINUTELY;INTERVAL=10')).toBe(600_000);
  });

  it('strips RRULE: only as a prefix: inside a value it stays and spoils that value', () => {
    // Were "RRULE:" removed anywhere, these would read as INTERVAL=2 and FREQ=DAILY.
    expect(rruleIntervalMs('FREQ=DAILY;INTERVAL=RRULE:2')).toBeNull();
    expect(rruleIntervalMs('FREQ=RRULE:DAILY')).toBeNull();
  });

  it('ignores case and the spaces around names and values', () => {
    expect(rruleIntervalMs('freq=minutely;interval=2')).toBe(120_000);
    expect(rruleIntervalMs(' FREQ = HOURLY ; INTERVAL = 3 ')).toBe(10_800_000);
    expect(rruleIntervalMs('FREQ= DAILY')).toBe(DAY);
    expect(rruleIntervalMs('FREQ=DAILY; INTERVAL=4')).toBe(4 * DAY);
  });

  it('skips parts without both a name and a value', () => {
    // A trailing ';' leaves an empty part; a bare name has no value to read.
    expect(rruleIntervalMs('FREQ=DAILY;')).toBe(DAY);
    expect(rruleIntervalMs('FREQ=DAILY;INTERVAL')).toBe(DAY);
    // An empty value is no value: INTERVAL keeps its default of 1 (it is not read as 0).
    expect(rruleIntervalMs('FREQ=DAILY;INTERVAL=')).toBe(DAY);
    expect(rruleIntervalMs('=5;FREQ=SECONDLY')).toBe(1_000);
  });

  it('refuses a rule without a FREQ, or with one it cannot schedule', () => {
    expect(rruleIntervalMs('INTERVAL=2')).toBeNull();
    expect(rruleIntervalMs('')).toBeNull();
    expect(rruleIntervalMs('FREQ=MONTHLY')).toBeNull();
    expect(rruleIntervalMs('FREQ=YEARLY;INTERVAL=1')).toBeNull();
  });

  it('refuses an INTERVAL that is not a whole number of at least 1', () => {
    expect(rruleIntervalMs('FREQ=DAILY;INTERVAL=0')).toBeNull();
    expect(rruleIntervalMs('FREQ=DAILY;INTERVAL=-2')).toBeNull();
    expect(rruleIntervalMs('FREQ=DAILY;INTERVAL=1.5')).toBeNull();
    expect(rruleIntervalMs('FREQ=DAILY;INTERVAL=two')).toBeNull();
  });

  it('accepts INTERVAL=1, the smallest interval', () => {
    expect(rruleIntervalMs('FREQ=SECONDLY;INTERVAL=1')).toBe(1_000);
  });
});
