package io.hibiki.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, from /proc (Linux). */
public final class ProcessStats {

    /** Clock ticks per second of /proc/<pid>/stat times; 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessStats() {
    }

    /** User + system CPU seconds the process has used so far. */
    public static double cpuSeconds(long pid) {
        return cpuSeconds(pid, true);
    }

    /**
     * User CPU seconds only: the server's own code, without the kernel's TCP work that every server pays alike
     * for each message written.
     */
    public static double userCpuSeconds(long pid) {
        return cpuSeconds(pid, false);
    }

    private static double cpuSeconds(long pid, boolean withSystem) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name (which may hold spaces) start after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(f[11]);
            long stime = Long.parseLong(f[12]);
            return (withSystem ? utime + stime : utime) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Resident set size in bytes. */
    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    public static long self() {
        return ProcessHandle.current().pid();
    }
}
