/**
 * What the AWS-calling commands (encrypt, plan, sync, check --kms) share: the --region/--profile options, the
 * owner tag value, and the ports. Region, profile, endpoint and credentials otherwise come from the SDK's usual
 * chain (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL, ...), so the emulator needs no CLI flag.
 */
import type { ParseArgsConfig } from 'node:util';
import { createAwsPorts, type AwsPorts } from '../core/aws.ts';
import { UsageError, type CommandInput } from './command.ts';

/** parseArgs options every AWS-calling command accepts. */
export const AWS_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  region: { type: 'string' },
  profile: { type: 'string' },
};

/** Help lines for {@link AWS_OPTIONS}. */
export const AWS_OPTIONS_HELP = [
  '  --region REGION      AWS Region (default: AWS_REGION / the profile\'s region)',
  '  --profile NAME       named profile from ~/.aws (default: AWS_PROFILE / the default chain)',
];

/** Owner when --owner is not given: secrets are tagged `kms-secrets:owner = cli:default`. */
export const DEFAULT_OWNER = 'default';
const OWNER = /^[A-Za-z0-9_.:/=+@-]{1,200}$/;

/** A string option's value, or undefined; '' counts as a usage error so `--key ""` is not silently ignored. */
export function stringOption(input: CommandInput, name: string, command: string): string | undefined {
  const value = input.values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new UsageError(`${command}: --${name} needs a non-empty value`);
  return value;
}

/** The `kms-secrets:owner` tag value for `--owner` (`cli:<owner>`). */
export function ownerTagValue(input: CommandInput, command: string): string {
  const owner = stringOption(input, 'owner', command) ?? DEFAULT_OWNER;
  if (!OWNER.test(owner)) throw new UsageError(`${command}: --owner must be 1-200 characters of A-Z a-z 0-9 _ . : / = + @ -`);
  return `cli:${owner}`;
}

/** Ports for --region/--profile (absent: the SDK's default chain). */
export function awsPortsFor(input: CommandInput, command: string): AwsPorts {
  const region = stringOption(input, 'region', command);
  const profile = stringOption(input, 'profile', command);
  return createAwsPorts({ ...(region ? { region } : {}), ...(profile ? { profile } : {}) });
}

/** A positive integer option (e.g. --concurrency), or `fallback`. */
export function positiveIntOption(input: CommandInput, name: string, command: string, fallback: number, max: number): number {
  const raw = stringOption(input, name, command);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isInteger(value) || value < 1 || value > max) {
    throw new UsageError(`${command}: --${name} must be an integer from 1 to ${max}`);
  }
  return value;
}
