import { ConfigError } from '../core/errors.js';

/** The upper bound of each field of a five-field cron, for `a/b` (Quartz: from a, every b). */
const FIELD_MAX = [59, 23, 31, 12, 7];

/**
 * A Quartz cron (`sec min hour day month weekday [year]`, as Jobs API schedules take it) as the
 * five-field cron Airflow's timetables read. Only what both can say is translated: seconds must be 0,
 * `?` becomes `*`, `a/b` becomes `a-max/b`; weekday numbers (Quartz counts from Sunday = 1) are refused.
 */
export function airflowCron(quartz: string): string {
  const fields = quartz.trim().split(/\s+/);
  const refuse = (why: string): never => {
    throw new ConfigError(`cannot express the Quartz schedule "${quartz}" as an Airflow cron: ${why}`, { hint: 'Use a schedule with second 0, no year, and weekday names (MON-FRI) if any.' });
  };
  if (fields.length !== 6) refuse('expected six fields (a year field is not supported)');
  const [second, ...rest] = fields as [string, ...string[]];
  if (second !== '0') refuse('Airflow schedules have no seconds');
  return rest
    .map((field, i) => {
      if (field === '?') return '*';
      if (i === 4 && /\d/.test(field)) refuse('weekday numbers differ between Quartz and cron');
      if (/[LW#]/.test(field) && i !== 4) refuse(`"${field}" has no cron equivalent`);
      return field.replace(/^(\d+)\/(\d+)$/, (_m, from: string, step: string) => `${from}-${FIELD_MAX[i]}/${step}`);
    })
    .join(' ');
}
