package dev.switchboard.chat;

/** A message with its frame, serialised once for the whole room. */
record Outgoing(ChatMessage message, String frame, Member origin) {
}
