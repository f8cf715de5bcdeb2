import { kafkaService } from './kafka.js';
import type { LocalService } from './service.js';

/** The servers lhctl runs beside the engine, in the order `lhctl services` lists them. */
export const LOCAL_SERVICES: readonly LocalService[] = [kafkaService];

export function findService(name: string): LocalService | undefined {
  return LOCAL_SERVICES.find((service) => service.name === name);
}
