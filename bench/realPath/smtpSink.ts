// The SMTP server the real path's outbox sends to, run as its own process (as a mail relay would be), so
// its work is not counted as the app's: the same capture `npm start` runs in development, on PORT.
import { startSmtpCapture } from '../../src/email/smtpCapture.js';

const capture = await startSmtpCapture({ port: Number(process.env.PORT) });
console.log(`smtp sink listening on ${capture.port}`);
process.on('SIGTERM', () => void capture.stop().then(() => process.exit(0)));
