package dev.switchboard.chat;

import java.util.function.Supplier;

/**
 * One outbound text frame as UTF-8 bytes, encoded once: a broadcast hands the same instance to every
 * recipient. A frame can also be encoded late, by the connection's own event loop when it is about
 * to be written (the welcome, whose history can be large, is never encoded on the chat loop).
 */
final class Frame {

    private byte[] bytes;
    private Supplier<byte[]> encoder;

    private Frame(byte[] bytes, Supplier<byte[]> encoder) {
        this.bytes = bytes;
        this.encoder = encoder;
    }

    static Frame of(byte[] bytes) {
        return new Frame(bytes, null);
    }

    static Frame encodedLater(Supplier<byte[]> encoder) {
        return new Frame(null, encoder);
    }

    /** Bytes known before writing; 0 for a frame encoded later (it is counted once encoded). */
    int knownSize() {
        byte[] known = bytes;
        return known == null ? 0 : known.length;
    }

    /** The frame's bytes, encoding it now if it was not yet (only the connection's own loop calls this). */
    byte[] bytes() {
        if (bytes == null) {
            bytes = encoder.get();
            encoder = null;
        }
        return bytes;
    }
}
