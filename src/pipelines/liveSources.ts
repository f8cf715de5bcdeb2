import { ConfigError, EngineError } from '../core/errors.js';
import type { Profile } from '../profiles/profile.js';
import { ORDERS_DB_CATALOG } from '../sql/ordersDb.js';
import type { Settings } from '../profiles/settings.js';
import { kafkaBootstrap, kafkaService } from '../services/kafka.js';
import { jdbcUrl } from '../services/postgres.js';
import { ordersDatabaseOf } from './ordersDbLoad.js';
import { serviceHost } from '../services/service.js';
import type { LiveSources } from './runner/sqlTask.js';
import { streamCheckpoint } from './streams.js';

/**
 * How an env's tasks reach its live sources: the brokers and database its profile names, or the ones lhctl
 * runs on this machine (`local`), started on first use. Undefined when every source lands as files.
 */
export function liveSourcesOf(profile: Profile, settings: Settings, onProgress?: (message: string) => void): LiveSources | undefined {
  const { kafka, ordersDb } = profile.sources;
  if (!kafka && !ordersDb) return undefined;
  const host = serviceHost(settings);
  return {
    streamCheckpoint: streamCheckpoint(settings.home, profile),
    async kafkaBootstrap() {
      if (!kafka) throw new ConfigError(`${profile.file}: no \`sources.kafka\``, { hint: 'Name the topic the POS events come from.' });
      if (kafka.bootstrapServers !== 'local') return kafka.bootstrapServers;
      await kafkaService.start(host, onProgress);
      return kafkaBootstrap(host);
    },
    async ordersDbSession() {
      if (!ordersDb) throw new ConfigError(`${profile.file}: no \`sources.orders_db\``, { hint: 'Name the orders database the JDBC tasks read.' });
      // The local database (started on first use), or the profile's URL with the password from its variable.
      const db = await ordersDatabaseOf(profile, settings, onProgress);
      // A URL of the profile's keeps its parameters (ssl=true, …).
      const url = ordersDb.url === 'local' ? jdbcUrl(db) : ordersDb.url;
      const { user, password } = db;
      const prefix = `spark.sql.catalog.${ORDERS_DB_CATALOG}`;
      return {
        [prefix]: 'org.apache.spark.sql.execution.datasources.v2.jdbc.JDBCTableCatalog',
        [`${prefix}.url`]: url,
        [`${prefix}.driver`]: 'org.postgresql.Driver',
        [`${prefix}.user`]: user,
        [`${prefix}.password`]: password,
        [`${prefix}.fetchsize`]: '10000',
        // An unreachable database fails the pull in seconds, not the driver's default of never.
        [`${prefix}.connectTimeout`]: '10',
        [`${prefix}.socketTimeout`]: '300',
      };
    },
  };
}

/**
 * A pull's failure in the operator's terms: the database that did not answer (the runner retries it with
 * backoff), or refused the login (not retried: the same password fails again). Other errors pass as they are.
 */
export function ordersDbFailure(error: unknown, session: Record<string, string>): unknown {
  const message = error instanceof Error ? error.message : String(error);
  const prefix = `spark.sql.catalog.${ORDERS_DB_CATALOG}`;
  const url = session[`${prefix}.url`] ?? '';
  const where = /^jdbc:postgresql:\/\/([^/?]+)/.exec(url)?.[1] ?? url;
  const user = session[`${prefix}.user`] ?? '';
  if (/password authentication failed|no pg_hba\.conf entry|role .* does not exist/i.test(message)) {
    return new ConfigError(`the orders database at ${where} refused the login of ${user}`, {
      hint: 'Check the user in sources.orders_db and the password in the variable its password_env names (for the local database: `lhctl services status`).',
      cause: error,
    });
  }
  if (/Connection refused|connect timed out|The connection attempt failed|UnknownHostException|Connection to .* refused/i.test(message)) {
    return new EngineError(`the orders database at ${where} did not answer; nothing was pulled`, {
      hint: 'Check the database (`lhctl services start postgres` for the local one), then run the job again: the pull starts where the last one ended.',
      cause: error,
    });
  }
  // Spark's JDBC source reports both as FAILED_JDBC.CONNECTION without the driver's reason.
  if (/FAILED_JDBC\.CONNECTION|Couldn't connect to the database/i.test(message)) {
    return new EngineError(`could not connect to the orders database at ${where} as ${user}: it did not answer, or refused the login; nothing was pulled`, {
      hint: 'Check the database (`lhctl services status`; `lhctl services start postgres` for the local one) and the password in the variable sources.orders_db.password_env names, then run the job again: the pull starts where the last one ended.',
      cause: error,
    });
  }
  return error;
}
