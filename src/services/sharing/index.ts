export { newId, newToken, type PartitionValue, type RecipientEntry, readCatalog, type SharedTableEntry, type ShareEntry, type SharingCatalog, tokenHash, updateCatalog } from './catalog.js';
export { sharingLayout, type SharingLayout } from './layout.js';
export { runSharingServer, sharingEndpoint, sharingPort, sharingStatus, startSharingServer, stopSharingServer } from './server.js';
