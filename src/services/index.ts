import { kafkaService } from './kafka.js';
import { postgresService } from './postgres.js';
import type { Profile } from '../profiles/profile.js';
import type { LocalService } from './service.js';

/** The servers lhctl runs beside the engine, in the order `lhctl services` lists them. */
export const LOCAL_SERVICES: readonly LocalService[] = [kafkaService, postgresService];

export function findService(name: string): LocalService | undefined {
  return LOCAL_SERVICES.find((service) => service.name === name);
}

/** The local servers an env's sources name as `local`: what `lhctl engine start` starts beside the engine. */
export function localServicesOf(profile: Profile): LocalService[] {
  const { kafka, ordersDb } = profile.sources;
  return [...(kafka?.bootstrapServers === 'local' ? [kafkaService] : []), ...(ordersDb?.url === 'local' ? [postgresService] : [])];
}
