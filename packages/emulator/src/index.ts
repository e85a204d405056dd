/**
 * ptnad-emulator: a local PT NAD REST API v2 server. Not implemented yet: the emulator issue builds it.
 */
export const EMULATOR_READY = false;
