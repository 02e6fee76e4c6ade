import argon2 from 'argon2';

/**
 * Argon2id with OWASP's recommended minimum (19 MiB memory, 2 iterations, 1 lane): strong against
 * GPU guessing while keeping a sign-in near 20 ms and 19 MiB, so 50 concurrent sign-ins stay affordable.
 */
const options = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, options);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Spends the same time as a real check when there is no account, so response times do not reveal
 * which email addresses have accounts.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummy ??= hashPassword('not-a-real-password-just-for-timing');
  await verifyPassword(await dummy, password);
  return false;
}

/** Whether a stored hash was made with weaker settings than today's and should be redone. */
export function needsRehash(hash: string): boolean {
  return argon2.needsRehash(hash, options);
}
