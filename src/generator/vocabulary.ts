/**
 * Built-in word and name lists. A few non-ASCII entries are there on purpose, so that bots and
 * the fake API meet multi-byte UTF-8 in texts and names. No entry needs a surrogate pair, so a
 * text can be cut at any UTF-16 index without breaking a character.
 */

/** Words that simulated texts are made of. */
export const BUILT_IN_WORDS: readonly string[] = Object.freeze([
  ...["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do"],
  ...["eiusmod", "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna", "aliqua", "enim"],
  ...["ad", "minim", "veniam", "quis", "nostrud", "ullamco", "laboris", "nisi", "aliquip", "ex"],
  ...["hello", "bot", "please", "order", "status", "pizza", "ticket", "weather", "today", "thanks"],
  ...["привет", "спасибо", "café", "naïve", "größe", "ñandú", "çok", "żółw", "ok", "yes"],
]);

/** First names of simulated users. */
export const FIRST_NAMES: readonly string[] = Object.freeze([
  ...["Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy"],
  ...["Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Victor", "Walter", "Zoë"],
  ...["Алексей", "Мария", "José", "Chloé", "Ayşe", "Łukasz", "Søren", "Mehmet", "Aiko", "Priya"],
]);

/** Last names of simulated users (only some users have one). */
export const LAST_NAMES: readonly string[] = Object.freeze([
  ...["Smith", "Jones", "Müller", "García", "Rossi", "Nowak", "Ivanova", "Kim", "Tanaka", "Silva"],
]);
