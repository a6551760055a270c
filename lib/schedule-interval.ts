/**
 * How often a schedule expression fires, so the staleness alarm can watch "twice the interval". EventBridge accepts
 * `rate(...)` and `cron(...)`; a cron's interval is only derived for the shapes an auditor needs (daily at a fixed
 * time, hourly at a fixed minute), because the gap between firings of an arbitrary cron is not one number.
 */

const MINUTES_PER_UNIT = { minute: 1, hour: 60, day: 1440 } as const;

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/;
const WHOLE_NUMBER = /^\d+$/;
const EVERY = new Set(['*', '?']);

/** A schedule expression that EventBridge would reject or whose interval cannot be derived; says why. */
export class ScheduleError extends Error {
  override readonly name = 'ScheduleError';
}

/**
 * The interval, in minutes, between two firings of `expression`. Throws {@link ScheduleError} for anything else than
 * `rate(N unit)` (EventBridge wants the singular unit for 1 and the plural otherwise), a daily cron
 * (`cron(M H * * ? *)`) or an hourly cron (`cron(M * * * ? *)`).
 */
export function scheduleIntervalMinutes(expression: string): number {
  const rate = RATE.exec(expression);
  if (rate) return rateMinutes(Number(rate[1]), rate[2] as string);
  const cron = CRON.exec(expression);
  if (cron) return cronMinutes(cron.slice(1) as [string, string, string, string, string, string], expression);
  throw new ScheduleError(`'${expression}' is not a schedule expression; expected rate(N unit) or cron(...)`);
}

function rateMinutes(value: number, unit: string): number {
  if (value < 1) throw new ScheduleError(`rate(${value} ${unit}) must be at least 1`);
  const singular = unit.replace(/s$/, '') as keyof typeof MINUTES_PER_UNIT;
  // EventBridge rejects "rate(1 days)" and "rate(2 day)": the unit's number must agree with the value.
  if ((value === 1) !== (unit === singular)) {
    throw new ScheduleError(`rate(${value} ${unit}) needs "${value === 1 ? singular : `${singular}s`}"`);
  }
  return value * MINUTES_PER_UNIT[singular];
}

function cronMinutes(
  [minute, hour, dayOfMonth, month, dayOfWeek, year]: [string, string, string, string, string, string],
  expression: string,
): number {
  const everyDay = EVERY.has(dayOfMonth) && EVERY.has(dayOfWeek) && month === '*' && year === '*';
  if (everyDay && WHOLE_NUMBER.test(minute) && WHOLE_NUMBER.test(hour)) return MINUTES_PER_UNIT.day;
  if (everyDay && WHOLE_NUMBER.test(minute) && hour === '*') return MINUTES_PER_UNIT.hour;
  throw new ScheduleError(
    `cannot derive the interval of '${expression}' for the staleness alarm; use rate(...), ` +
      'a daily cron(M H * * ? *) or an hourly cron(M * * * ? *)',
  );
}
