/**
 * The Condition of a generated secret: created whenever any of its consumers is created.
 */

/** `Fn::Or` takes 2 to 10 conditions (CloudFormation condition functions reference). */
const FN_OR_MAX = 10;

/** What condition a secret needs, given each consumer's Condition (undefined: the consumer is unconditional). */
export type SecretCondition =
  | { readonly kind: 'none' }
  | { readonly kind: 'same'; readonly name: string }
  | { readonly kind: 'any'; readonly names: readonly string[] };

/**
 * No condition when any consumer is unconditional; the consumers' one condition when they share it; otherwise
 * "any of them" (names sorted, so the output never depends on the order resources appear in).
 */
export function secretConditionOf(consumerConditions: readonly (string | undefined)[]): SecretCondition {
  if (consumerConditions.length === 0 || consumerConditions.includes(undefined)) return { kind: 'none' };
  const names = [...new Set(consumerConditions as string[])].sort();
  if (names.length === 1) return { kind: 'same', name: names[0] as string };
  return { kind: 'any', names };
}

/** A condition true when any of `names` (at least 2) is: `Fn::Or`, nested by tens beyond 10 names. */
export function anyOfCondition(names: readonly string[]): Record<string, unknown> {
  let items: unknown[] = names.map((name) => ({ Condition: name }));
  while (items.length > FN_OR_MAX) {
    const chunks: unknown[] = [];
    for (let i = 0; i < items.length; i += FN_OR_MAX) {
      const chunk = items.slice(i, i + FN_OR_MAX);
      chunks.push(chunk.length === 1 ? chunk[0] : { 'Fn::Or': chunk });
    }
    items = chunks;
  }
  return { 'Fn::Or': items };
}
