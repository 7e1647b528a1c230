package dev.switchboard.chat;

/** A message received from a member, waiting in its room's outbox to be stored. */
record Pending(Member member, String text, long receivedAt) {
}
