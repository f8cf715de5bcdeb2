import { ConfigError } from '../core/errors.js';
import { capabilitiesOf } from '../engines/capabilities.js';
import { JDBC_SOURCES, type JdbcSource, type Profile } from '../profiles/profile.js';
import { ORDERS_DB_WATERMARK, ordersDbLine, ordersDbRelation } from './ordersDb.js';
import { quoteIdentifier, stringLiteral } from './identifiers.js';
import { changeSources, changesRelation, watermarkAdvanceSql, watermarkReadSql, type SourceVersions } from './watermarks.js';

/** What a template is rendered for: the profile, and where that env's landed source files are. */
export interface RenderTarget {
  profile: Profile;
  /** Landing root: a local directory, or the profile's `/Volumes/...` path on Databricks. */
  landing: string;
  /** Source versions the local runner fixed for an incremental task (see watermarks.ts). */
  sourceVersions?: SourceVersions;
}

const PLACEHOLDER = /\{\{\s*([a-z_]+)(?::([a-z_]+(?:\.[a-z_]+)?))?\s*\}\}/g;
const SOURCE_NAME = /^[a-z_]+$/;

/**
 * A landed source as a relation of raw lines (`value`, plus the `_metadata` column):
 * a direct file read locally, `read_files` on Databricks. Every `batch=<n>/<file>` below the source is read.
 */
function landingRelation(target: RenderTarget, source: string): string {
  const path = `${target.landing.replace(/\/+$/, '')}/${source}/*/*`;
  if (capabilitiesOf(target.profile.engine).copyInto) return `read_files(${stringLiteral(path)}, format => 'text')`;
  return quoteIdentifier('text') + '.' + quoteIdentifier(path);
}

function placeholderValue(target: RenderTarget, name: string, argument: string | undefined, file: string, template: string): string | undefined {
  const { profile } = target;
  if (argument !== undefined) {
    if (name === 'landing' && SOURCE_NAME.test(argument)) return landingRelation(target, argument);
    if (name === 'changes') return changesRelation(profile, argument, file, target.sourceVersions);
    if (name === 'orders_db') return ordersDbRelation(profile, argument);
    if (name === 'orders_db_line' && (JDBC_SOURCES as readonly string[]).includes(argument)) return ordersDbLine(argument as JdbcSource);
    return undefined;
  }
  switch (name) {
    case 'watermarks_read':
      return watermarkReadSql(profile, file, changeSources(template), target.sourceVersions);
    case 'watermarks_advance':
      return watermarkAdvanceSql(profile, file, changeSources(template));
    case 'catalog':
      return quoteIdentifier(profile.catalog);
    case 'bronze':
    case 'silver':
    case 'gold':
      return quoteIdentifier(profile.schemas[name]);
    case 'env':
      return profile.name;
    case 'orders_db_watermark':
      return quoteIdentifier(ORDERS_DB_WATERMARK);
    default:
      return undefined;
  }
}

/**
 * Renders `{{catalog}}`, `{{bronze}}`, `{{silver}}`, `{{gold}}`, `{{env}}`, `{{landing:<source>}}` and the
 * incremental reads (`{{changes:<layer>.<table>}}`, `{{watermarks_read}}`, `{{watermarks_advance}}`, see watermarks.ts).
 * An unknown placeholder is an error naming the file, never left in the SQL.
 */
export function renderTemplate(text: string, target: RenderTarget, file = '(inline sql)'): string {
  return text
    .replace(PLACEHOLDER, (whole, name: string, argument: string | undefined) => {
      const value = placeholderValue(target, name, argument, file, text);
      if (value === undefined) {
        throw new ConfigError(`${file}: unknown placeholder ${whole}`, {
          hint: 'Placeholders are {{catalog}}, {{bronze}}, {{silver}}, {{gold}}, {{env}}, {{landing:<source>}}, {{changes:<layer>.<table>}}, {{watermarks_read}}, {{watermarks_advance}}, and in an env that reads the orders database {{orders_db:<table>}}, {{orders_db_line:<table>}} and {{orders_db_watermark}}.',
        });
      }
      return value;
    })
    .replace(/\{\{[^}]*\}\}/g, (left) => {
      throw new ConfigError(`${file}: malformed placeholder ${left}`, { hint: 'Write placeholders as {{name}} or {{landing:<source>}}.' });
    });
}
