import { exitWithUsage } from '@cinema/kit/command-line';
import { isValidUserId } from '@cinema/kit/identity';
import { DEVELOPMENT_JWT_SECRET } from '../config.js';
import { signDevToken } from '../dev-token.js';

const [userId, expires = '12h'] = process.argv.slice(2);
if (!userId || !isValidUserId(userId)) {
  exitWithUsage(
    'Usage: npm run token -- <userId> [expiry, e.g. 12h, 7d]',
    'Prints a JWT signed with JWT_SECRET (or the development default) for Authorization: Bearer <token>.',
  );
}
const secret = process.env.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET;
if (!process.env.JWT_SECRET) console.error('(JWT_SECRET unset: signing with the development secret that `npm start` uses)');
console.log(await signDevToken(userId, secret, expires));
