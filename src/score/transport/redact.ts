// Keeps secrets out of logs and results: error bodies from a judge endpoint may echo the key.

/** Replaces each secret, and anything shaped like an OpenAI key (`sk-…`, even half-masked), with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  return out.replace(/\bsk-[A-Za-z0-9_*.-]{4,}/g, 'sk-***');
}
