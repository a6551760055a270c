/**
 * The shape of the "no successful run within twice the schedule interval" alarm. CloudWatch caps a period at one day
 * and a whole evaluation range at seven days, so a window longer than a day is split into equal daily-or-shorter
 * periods, all of which must be empty for the alarm to fire.
 */
import { ScheduleError } from './schedule-interval.js';

const DAY_MINUTES = 1440;
const MAX_RANGE_MINUTES = 7 * DAY_MINUTES;

/** One alarm window: `evaluationPeriods` consecutive periods of `periodMinutes`, all required to breach. */
export interface StalenessWindow {
  periodMinutes: number;
  evaluationPeriods: number;
}

/**
 * The alarm window covering at least twice `intervalMinutes`, in whole minutes (CloudWatch periods are multiples of
 * 60 s). Throws {@link ScheduleError} when twice the interval exceeds CloudWatch's seven-day evaluation range.
 */
export function stalenessWindow(intervalMinutes: number): StalenessWindow {
  const windowMinutes = 2 * intervalMinutes;
  if (windowMinutes > MAX_RANGE_MINUTES) {
    throw new ScheduleError(
      `runs every ${intervalMinutes / DAY_MINUTES} days; the staleness alarm watches twice the interval and ` +
        'CloudWatch evaluates at most 7 days, so schedule at least every 3.5 days',
    );
  }
  const evaluationPeriods = Math.ceil(windowMinutes / DAY_MINUTES);
  return { periodMinutes: Math.ceil(windowMinutes / evaluationPeriods), evaluationPeriods };
}
