/**
 * Collects a template's tokens into secrets as the walk meets them, and gives each secret its logical ID. An unnamed
 * secret shared by identical tokens takes the smallest of its consumers' candidate IDs, so reordering the template
 * never renames (so never replaces) it; replacements already built with an earlier candidate are renamed at the end.
 * All state lives in one collector per call.
 */
import { createTokenGrouper, type SecretGroup, type TokenOccurrence } from './group.ts';
import { isPlainObject } from './json.ts';
import { namedSecretLogicalId, unnamedSecretLogicalId } from './logical-ids.ts';
import { tokenReplacement } from './resources.ts';
import type { KmsSecretToken } from './token.ts';
import { TransformError } from './errors.ts';
import type { TokenSite } from './walk.ts';

/** A token occurrence with its consumer's Condition, from which the secret's own Condition follows. */
export interface MacroOccurrence extends TokenOccurrence {
  readonly condition: string | undefined;
}

/** The secrets of one template; `logicalIds[i]` is the logical ID of `groups[i]`. */
export interface CollectedSecrets {
  readonly groups: readonly SecretGroup<MacroOccurrence>[];
  readonly logicalIds: readonly string[];
}

/** Turns tokens into replacements one at a time, then settles the logical IDs once the walk is over. */
export class SecretCollector {
  private readonly grouper = createTokenGrouper<MacroOccurrence>();
  /** Per group: its logical ID, and the place it was chosen from (where a collision is reported). */
  private readonly logicalIds: string[] = [];
  private readonly idPlaces: string[] = [];
  /** The replacements of unnamed tokens, built with an ID their secret may later trade for a smaller one. */
  private readonly provisional: { index: number; id: string; value: unknown }[] = [];

  /** Adds the token found at `site`; returns the value that replaces it. Throws `TokenError` on a conflict. */
  add(token: KmsSecretToken, site: TokenSite): unknown {
    const { created, index } = this.grouper.add({ token, path: site.path, condition: site.consumer.condition });
    const candidate = token.name !== undefined ? (created ? namedSecretLogicalId(token.name) : undefined)
      : unnamedSecretLogicalId(site.consumer.id, site.below);
    if (created || (candidate !== undefined && candidate < (this.logicalIds[index] as string))) {
      this.logicalIds[index] = candidate as string;
      this.idPlaces[index] = site.path;
    }
    const id = this.logicalIds[index] as string;
    const value = tokenReplacement(id, token.return, token.key);
    if (token.name === undefined) this.provisional.push({ index, id, value });
    return value;
  }

  /**
   * The collected secrets. Throws {@link TransformError} when a logical ID is taken by one of `userIds` or by another
   * secret; renames the provisional replacements (built by this call, never input).
   */
  finish(userIds: ReadonlySet<string>): CollectedSecrets {
    const groups = this.grouper.groups();
    this.logicalIds.forEach((id, index) => {
      if (userIds.has(id) || this.logicalIds.indexOf(id) !== index) {
        throw new TransformError(this.idPlaces[index] ?? '', `the generated logical ID "${id}" is already used in Resources; rename that resource`);
      }
    });
    for (const { index, id, value } of this.provisional) {
      if (this.logicalIds[index] !== id) renameReferences(value, id, this.logicalIds[index] as string);
    }
    return { groups, logicalIds: this.logicalIds };
  }
}

/** Points the Ref and GetAtt of a replacement this call built (never input) from logical ID `from` to `to`. */
function renameReferences(value: unknown, from: string, to: string): void {
  if (Array.isArray(value)) {
    if (value[0] === from && value[1] === 'VersionId') value[0] = to;
    for (const item of value) renameReferences(item, from, to);
  } else if (isPlainObject(value)) {
    if (value.Ref === from) value.Ref = to;
    for (const item of Object.values(value)) renameReferences(item, from, to);
  }
}
