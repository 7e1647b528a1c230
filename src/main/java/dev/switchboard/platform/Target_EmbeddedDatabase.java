package dev.switchboard.platform;

import java.nio.file.Path;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;

/**
 * Keeps the embedded PostgreSQL (zonky and its binaries) out of a native executable: native-image
 * replaces {@link EmbeddedDatabase#startOrReuse} with this body, so nothing reaches zonky's classes.
 * {@link EmbeddedDatabaseConfigSourceFactory} already refuses to start it there; this makes that a
 * property of the image rather than of a run-time branch. Only native-image reads this class.
 */
@TargetClass(EmbeddedDatabase.class)
final class Target_EmbeddedDatabase {

    @Substitute
    public static EmbeddedDatabase.Connection startOrReuse(Path dataDirectory) {
        throw new UnsupportedOperationException("A native executable has no embedded PostgreSQL");
    }
}
