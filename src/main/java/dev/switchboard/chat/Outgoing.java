package dev.switchboard.chat;

/** A stored message on its way to a room, with its frame (encoded once) and the member that sent it, if here. */
record Outgoing(ChatMessage message, Frame frame, Member origin) {
}
