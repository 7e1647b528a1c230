package dev.switchboard.chat;

/**
 * A frame the server sends, serialised by {@link FrameEncoder}. Each one is a record registered for
 * reflection, so the native executable can write it (PayloadRegistrationTest checks every implementation).
 */
interface ChatFrame {
}
