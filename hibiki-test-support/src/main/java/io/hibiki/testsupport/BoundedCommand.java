package io.hibiki.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command of the machine's (initdb, redis-cli, …) to its end, within a time limit. */
final class BoundedCommand {

    private BoundedCommand() {
    }

    /**
     * Runs {@code cmd} and returns its output (stdout and stderr together).
     *
     * @throws IOException if it fails to start, exits non-zero, or is still running after {@code limit} (then it is
     *                     ended)
     */
    static String run(List<String> cmd, Duration limit) throws IOException, InterruptedException {
        // Output goes to a file, so a child that hangs cannot block a read and the time limit always applies.
        Path out = Files.createTempFile("hibiki-cmd-", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish in " + limit.toSeconds() + " s: "
                        + Files.readString(out));
            }
            String output = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + output);
            }
            return output;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
