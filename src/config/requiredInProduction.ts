/**
 * One problem per variable that production mode needs but `env` leaves unset, saying why: each is a
 * development default (an emulator, captured mail, an invented secret) that production must not fall into.
 */
export function requiredInProduction(env: NodeJS.ProcessEnv, reasons: Record<string, string>): string[] {
  return Object.entries(reasons)
    .filter(([name]) => !env[name])
    .map(([name, why]) => `${name} is required in production: ${why}`);
}
