package dev.switchboard.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code postmaster.pid} that PostgreSQL keeps in its data folder while it runs: its PID, the folder it
 * serves and when it started (the first three lines; PostgreSQL removes the file when it stops).
 */
record PostmasterFile(long pid, Path dataDirectory, Instant started) {

    static final String NAME = "postmaster.pid";

    /** How far apart a process's start and the start recorded may lie for them to be the same server. */
    private static final Duration SAME_START = Duration.ofSeconds(10);

    /** The file in {@code folder}, if there is one that can be read (a half-written one counts as none). */
    static Optional<PostmasterFile> read(Path folder) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(folder.resolve(NAME));
        } catch (NoSuchFileException none) {
            return Optional.empty();
        }
        if (lines.size() < 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PostmasterFile(Long.parseLong(lines.get(0).trim()), Path.of(lines.get(1).trim()),
                    Instant.ofEpochSecond(Long.parseLong(lines.get(2).trim()))));
        } catch (NumberFormatException unreadable) {
            return Optional.empty();
        }
    }

    /** The process with the recorded PID, if one is alive (it may be the server or whatever now has its PID). */
    Optional<ProcessHandle> process() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    /** Whether the file was written for {@code folder}, not copied into it with the rest of another one. */
    boolean serves(Path folder) {
        try {
            return Files.isSameFile(dataDirectory, folder);
        } catch (IOException gone) {
            return false;
        }
    }

    /** Whether {@code process} started when the recorded server did (where the system does not tell: yes). */
    boolean startedAs(ProcessHandle process) {
        return process.info().startInstant()
                .map(start -> Duration.between(start, started).abs().compareTo(SAME_START) <= 0)
                .orElse(true);
    }

    /** Whether {@code process} runs PostgreSQL's server (where the system does not tell: yes). */
    static boolean isPostgres(ProcessHandle process) {
        return process.info().command().map(command -> Path.of(command).getFileName().toString())
                .map(name -> name.startsWith("postgres") || name.startsWith("postmaster"))
                .orElse(true);
    }

    void delete(Path folder) throws IOException {
        Files.deleteIfExists(folder.resolve(NAME));
    }
}
