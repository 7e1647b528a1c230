package dev.switchboard.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/**
 * The self-signed mode's RSA key pair on disk: {@code private.pem} (PKCS#8, mode 600) and {@code public.pem}
 * (X.509). Made once and kept, so tokens stay valid across restarts. Several processes may start on one
 * folder at once (replicas, tests): the private key is moved into place atomically and only if absent, so
 * they all end up with the same pair.
 */
public final class SelfSignedKeys {

    public static final String PRIVATE_KEY = "private.pem";
    public static final String PUBLIC_KEY = "public.pem";
    public static final String ADMIN_TOKEN = "admin.token";

    private static final int KEY_BITS = 2048;

    // Not a record: its toString would print the private key.
    private final Path directory;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private SelfSignedKeys(Path directory, PrivateKey privateKey, PublicKey publicKey) {
        this.directory = directory;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** Reads the pair in {@code directory}, making it first if there is none. Blocking: for start-up only. */
    public static SelfSignedKeys createOrRead(Path directory) {
        try {
            Files.createDirectories(directory, permissions("rwx------"));
            Path privateFile = directory.resolve(PRIVATE_KEY);
            if (!Files.exists(privateFile)) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(KEY_BITS);
                write(privateFile, pem("PRIVATE KEY", generator.generateKeyPair().getPrivate().getEncoded()), true, false);
            }
            PrivateKey privateKey = readPrivateKey(privateFile);
            PublicKey publicKey = publicKeyOf(privateKey);
            SelfSignedKeys keys = new SelfSignedKeys(directory, privateKey, publicKey);
            write(directory.resolve(PUBLIC_KEY), keys.publicPem(), false, true);
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create or read the self-signed keys in " + directory.toAbsolutePath(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot use the self-signed keys in " + directory.toAbsolutePath(), e);
        }
    }

    /** The private key of a {@code private.pem} (PKCS#8). */
    public static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII)
                .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(text)));
    }

    public Path directory() {
        return directory;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public String publicPem() {
        return pem("PUBLIC KEY", publicKey.getEncoded());
    }

    /** Writes a file readable by its owner only, such as {@code admin.token}. */
    public static void writeOwnerOnly(Path file, String content) throws IOException {
        write(file, content, true, true);
    }

    private static PublicKey publicKeyOf(PrivateKey key) throws GeneralSecurityException {
        RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) key;
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    // Written to a temporary file with its final permissions, then moved: no reader sees half a file.
    private static void write(Path target, String content, boolean ownerOnly, boolean replace) throws IOException {
        Path temporary = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp",
                permissions(ownerOnly ? "rw-------" : "rw-r--r--"));
        try {
            Files.writeString(temporary, content, StandardCharsets.US_ASCII);
            if (replace) {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                moveIfAbsent(temporary, target);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    // Another process that made its key first wins; ours is dropped and theirs is read.
    private static void moveIfAbsent(Path temporary, Path target) throws IOException {
        try {
            Files.createLink(target, temporary);
        } catch (FileAlreadyExistsException e) {
            return;
        } catch (UnsupportedOperationException e) {
            if (!Files.exists(target)) {
                Files.move(temporary, target);
            }
        }
    }

    private static FileAttribute<?>[] permissions(String permissions) {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)) }
                : new FileAttribute<?>[0];
    }
}
