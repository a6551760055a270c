import { ScheduleError, scheduleIntervalMinutes } from '../../lib/schedule-interval.js';
import { stalenessWindow } from '../../lib/staleness-window.js';

describe('scheduleIntervalMinutes', () => {
  it.each([
    ['rate(1 minute)', 1],
    ['rate(15 minutes)', 15],
    ['rate(1 hour)', 60],
    ['rate(6 hours)', 360],
    ['rate(1 day)', 1440],
    ['rate(3 days)', 4320],
  ])('reads %s as %i minutes', (expression, minutes) => {
    // Act
    const interval = scheduleIntervalMinutes(expression);

    // Assess
    expect(interval).toBe(minutes);
  });

  it.each([
    ['cron(0 6 * * ? *)', 1440],
    ['cron(30 23 ? * * *)', 1440],
    ['cron(5 * * * ? *)', 60],
  ])('reads the daily or hourly cron %s as %i minutes', (expression, minutes) => {
    // Act
    const interval = scheduleIntervalMinutes(expression);

    // Assess
    expect(interval).toBe(minutes);
  });

  it.each([
    ['rate(1 days)', 'needs "day"'],
    ['rate(2 hour)', 'needs "hours"'],
    ['rate(0 minutes)', 'must be at least 1'],
    ['daily', 'is not a schedule expression'],
    ['rate(1 week)', 'is not a schedule expression'],
    ['cron(0 6 ? * MON *)', 'cannot derive the interval'],
    ['cron(0/15 * * * ? *)', 'cannot derive the interval'],
  ])('rejects %s saying it %s', (expression, reason) => {
    // Act
    const read = () => scheduleIntervalMinutes(expression);

    // Assess
    expect(read).toThrow(ScheduleError);
    expect(read).toThrow(reason);
  });
});

describe('stalenessWindow', () => {
  it.each([
    // interval, period, periods: twice the interval, split into periods of at most a day
    [15, 30, 1],
    [60, 120, 1],
    [720, 1440, 1],
    [1440, 1440, 2],
    [1800, 1200, 3],
    [5040, 1440, 7],
  ])('watches an interval of %i minutes with %i-minute periods, %i of them', (interval, period, periods) => {
    // Act
    const window = stalenessWindow(interval);

    // Assess
    expect(window).toEqual({ periodMinutes: period, evaluationPeriods: periods });
  });

  it('always covers at least twice the interval within CloudWatch limits', () => {
    // Prepare
    const intervals = Array.from({ length: 5040 }, (_, index) => index + 1);

    // Act
    const windows = intervals.map((interval) => ({ interval, ...stalenessWindow(interval) }));

    // Assess
    const broken = windows.filter(
      ({ interval, periodMinutes, evaluationPeriods }) =>
        periodMinutes * evaluationPeriods < 2 * interval ||
        periodMinutes > 1440 ||
        periodMinutes * evaluationPeriods > 7 * 1440 ||
        (periodMinutes < 60 && periodMinutes * evaluationPeriods > 1440),
    );
    expect(broken).toEqual([]);
  });

  it('refuses an interval whose double exceeds the seven days CloudWatch can evaluate', () => {
    // Act
    const shape = () => stalenessWindow(7 * 1440);

    // Assess
    expect(shape).toThrow('schedule at least every 3.5 days');
  });
});
