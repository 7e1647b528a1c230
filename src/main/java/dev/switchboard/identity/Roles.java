package dev.switchboard.identity;

/** The roles the service knows, read from the token's {@code groups} claim (see {@code smallrye.jwt.path.groups}). */
public final class Roles {

    /** May do everything: write users and products, read any user and order, place orders for anyone. */
    public static final String ADMIN = "switchboard-admin";

    /** A guest token of the self-signed mode: public reads (and the chat), never writes. */
    public static final String GUEST = "guest";

    private Roles() {
    }
}
